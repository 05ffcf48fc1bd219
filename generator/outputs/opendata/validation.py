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
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import urls
from generator.errors import BuildError
from generator.markup.markdown import Asset
from generator.model import Content
from generator.outputs.opendata import catalog
from generator.outputs.opendata import packages as datapackage
from generator.outputs.opendata.packages import Package
from generator.outputs.opendata.tables import plain_texts
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


def build_data(content: Content, record: ChangeRecord, out: Path, pdfs: tuple[IssuePdf, ...] = (),
               root: Path | None = None) -> OpenData:
    """Make every package, write every data file into ``out`` and validate every package there.

    This runs before the website: a notice naming an agency that is not in the directory would
    otherwise stop MkDocs on a broken link first, and the package's report is the clearer message.
    ``root``: the project folder, whose ``.cache/`` keeps what is made per issue and which packages
    validated (:func:`make_data`, :func:`check_data`).
    """
    made = make_data(content, record, out, pdfs, root)
    check_data(made, out, root)
    return made


def make_data(content: Content, record: ChangeRecord, out: Path, pdfs: tuple[IssuePdf, ...] = (),
              root: Path | None = None) -> OpenData:
    """Make every package and write every data file into ``out``, not validated yet (:func:`check_data`).
    With ``root``, each issue's plain texts come from the cache when its notices did not change."""
    texts = plain_texts(content, root) if root is not None else None
    made = datapackage.packages(content, record, pdfs, texts)
    files = tuple(_write(out, uri, data) for uri, data in catalog.published(content, made))
    return OpenData(made, files)


def validation_version() -> str:
    """What decides a package's validation besides its files: frictionless and this code."""
    from generator.outputs.issuecache import code_digest, library_versions

    return "validated\0" + library_versions("frictionless") + code_digest(Path(__file__))


def check_data(data: OpenData, out: Path, root: Path | None = None,
               todo: list[tuple[Package, str]] | None = None) -> None:
    """Validate every package written in ``out`` (or those of ``todo``, :func:`unvalidated`); a
    :class:`BuildError` with every package's report if any does not validate."""
    from generator.outputs.issuecache import IssueCache

    cache = IssueCache(root, "opendata", validation_version()) if root is not None else None
    reports = []
    for package, key in unvalidated(data, root) if todo is None else todo:
        started = time.perf_counter()
        problems = validate(out / urls.data_file(package.name, "datapackage.json"), package)
        log.info("validated the open-data package %s in %.2f s", package.name, time.perf_counter() - started)
        if problems:
            reports.append(report(package, problems))
        elif cache is not None:
            cache.put(f"valid-{package.name}", key, True)
    if reports:
        raise BuildError("\n".join(reports))


def unvalidated(data: OpenData, root: Path | None = None) -> list[tuple[Package, str]]:
    """The packages to validate, each with the key of its files: with ``root``, a package whose files
    are byte for byte those of a package that validated before, by the same frictionless and code
    (their hash is kept in ``.cache/opendata/``), is not validated again: the same bytes give the
    same result. Without ``root``, every package."""
    from generator.outputs.issuecache import IssueCache

    if root is None:
        return [(package, "") for package in data.packages]
    cache = IssueCache(root, "opendata", validation_version())
    found = []
    for package in data.packages:
        key = cache.key(*(f"{uri}\0{datapackage.sha256(body)}" for uri, body in package.files()))
        if cache.get(f"valid-{package.name}", key):
            log.info("the open-data package %s is the one validated before", package.name)
        else:
            found.append((package, key))
    return found


def check_aside(data: OpenData, out: Path, root: Path | None = None) -> Callable[[], None]:
    """:func:`check_data` in a process of its own (forked: it inherits the packages), while the build
    goes on (the website); returns the function that waits for it, logs its lines and raises its
    :class:`BuildError`, as :func:`check_data` would have. Nothing is validated aside when every
    package is the one validated before."""
    import multiprocessing

    from generator.workers import frozen_for_fork

    todo = unvalidated(data, root)
    if not todo:
        return lambda: None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_check_in_child, args=(data, out, root, todo, sender), daemon=True)
    with frozen_for_fork():  # in the child: its collections do not copy the build's objects (it inherits the freeze)
        process.start()
    sender.close()

    def wait() -> None:
        try:
            outcome, lines, message = receiver.recv()
        except EOFError:  # died without a word (killed, out of memory)
            outcome, lines, message = "failed", [], f"validating the open data stopped (exit code {process.exitcode})"
        finally:
            receiver.close()
        process.join()
        for line in lines:
            log.info("%s", line)
        if outcome != "done":
            raise BuildError(message)

    return wait


def _check_in_child(data: OpenData, out: Path, root: Path | None, todo: list[tuple[Package, str]], sender: Any) -> None:
    """The validating process: :func:`check_data`; sends back its log lines and its outcome."""
    lines = _Lines()
    log.addHandler(lines)
    log.propagate = False  # its lines are logged by the build when it waits for them
    try:
        check_data(data, out, root, todo)
    except BuildError as exc:
        sender.send(("invalid", lines.lines, str(exc)))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the build, which stops
        sender.send(("failed", lines.lines, "validating the open data failed:\n" + "".join(traceback.format_exception(exc))))
    else:
        sender.send(("done", lines.lines, ""))
    finally:
        sender.close()


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


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
