"""The build's open-data stage: make every package once, write every data file into the build folder
and validate each package there with frictionless; an invalid package stops the build with a readable
report. The website then publishes the files where they are (MkDocs does not write them again).

The report names, for each error, the file, the row (with its primary key), the field and its value,
and what is wrong, the way :mod:`generator.checking.check` names places in content:

    open-data package 'gazette' does not validate (data/gazette/datapackage.json); nothing was published:
      notices.csv row 3 (id 2026/01/02), field 'agency_id' = 'nowhere': foreign-key: ...
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.errors import BuildError
from generator.markup.markdown import Asset
from generator.model import Content
from generator.outputs.opendata import catalog
from generator.outputs.opendata import packages as datapackage
from generator.outputs.opendata.packages import Package
from generator.outputs.printed.issues import IssuePdf
from generator.reading.history import ChangeRecord

log = logging.getLogger(__name__)

#: Errors listed per package; the count of the others follows.
SHOWN = 20


@dataclass(frozen=True)
class OpenData:
    """What the open-data stage makes: the packages (rows, plain text, descriptors) and every data file,
    written at its place in the build folder."""

    packages: tuple[Package, ...]
    files: tuple[Asset, ...]


def build_data(content: Content, record: ChangeRecord, out: Path, pdfs: tuple[IssuePdf, ...] = ()) -> OpenData:
    """Make every package, write every data file into ``out`` and validate every package there.

    This runs before the website: a notice naming an agency that is not in the directory would
    otherwise stop MkDocs on a broken link first, and the package's report is the clearer message.
    """
    made = datapackage.packages(content, record, pdfs)
    files = tuple(_write(out, uri, data) for uri, data in catalog.published(content, made))
    reports = []
    for package in made:
        started = time.perf_counter()
        problems = validate(out / urls.data_file(package.name, "datapackage.json"), package)
        log.info("validated the open-data package %s in %.2f s", package.name, time.perf_counter() - started)
        if problems:
            reports.append(report(package, problems))
    if reports:
        raise BuildError("\n".join(reports))
    return OpenData(made, files)


def _write(out: Path, uri: str, data: bytes) -> Asset:
    path = out / uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Asset(uri, path=path)


def validate(descriptor: Path, package: Package) -> list[str]:
    """Every error frictionless finds in the package, one readable line each."""
    try:
        from frictionless import FrictionlessException
        from frictionless import validate as frictionless_validate
    except ImportError as exc:
        raise BuildError(f"frictionless is not installed ({exc}); install the project with `make site`") from exc
    try:
        result = frictionless_validate(str(descriptor))
    except FrictionlessException as exc:  # a descriptor it cannot read at all
        return [f"frictionless could not read the package: {exc}"]
    lines = [f"datapackage.json: {error.type}: {error.message}" for error in result.errors]
    for task in result.tasks:
        lines += [describe(package, task.name, error) for error in task.errors]
    return lines


def describe(package: Package, resource: str, error) -> str:
    """``notices.csv row 3 (id 2026/01/02), field 'agency_id' = 'nowhere': foreign-key: …``."""
    table = next((r.table for r in package.resources
                  if resource in (r.table.name, datapackage.resource_name(r.table, "json"))), None)
    place = f"{resource}.csv" if table and resource == table.name else f"{table.name}.json" if table else resource
    row = getattr(error, "row_number", None)
    if row is not None:
        place += f" row {row}" + _key(table, getattr(error, "cells", None))
    field = getattr(error, "field_name", None) or ", ".join(getattr(error, "field_names", []) or [])
    if field:
        value = getattr(error, "cell", None)
        if value is None and getattr(error, "field_cells", None):
            value = ", ".join(error.field_cells)
        place += f", field '{field}'" + (f" = '{value}'" if value not in (None, "") else "")
    return f"{place}: {error.type}: {error.note or error.message}"


def _key(table, cells: list | None) -> str:
    """`` (id 2026/01/02)``: the row's primary key, to find it without counting rows."""
    if table is None or not cells or not table.primary_key:
        return ""
    names = table.field_names
    parts = [f"{name} {cells[names.index(name)]}" for name in table.primary_key if names.index(name) < len(cells)]
    return f" ({', '.join(parts)})" if parts else ""


def report(package: Package, problems: list[str]) -> str:
    head = (f"open-data package '{package.name}' does not validate (data/{package.name}/datapackage.json); "
            "nothing was published:")
    lines = [f"  {line}" for line in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"  … and {len(problems) - SHOWN} more")
    return "\n".join([head, *lines])
