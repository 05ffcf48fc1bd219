"""The open-data packages: Frictionless Data Packages (v2 descriptors) written from the content model.

Each package described in ``datasets/`` is published in ``data/<package>/``: ``datapackage.json``
and, for every table of :mod:`.tables`, a CSV file (UTF-8 without byte-order mark, LF line
ends, the dialect stated in the descriptor) and the same rows as JSON (an array of objects, one a
line), each listed as a resource with the same Table Schema. Beside the packages: the catalogue for
the open-data portal and ``SHA256SUMS`` of every data file (:mod:`.catalog`).

Nothing here reads the clock: rows are in the site's order, and the dates are the content's (the
latest issue, the latest yearbook, the directory's last published change), so unchanged content
gives byte-identical files. The build's open-data stage (:mod:`.validation`) makes them once, writes
them and validates them with frictionless before anything else is built.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from generator import urls
from generator.dates import TAIPEI
from generator.reading.history import ChangeRecord
from generator.model import Content, Dataset
from generator.model.dataset import FieldText, ResourceText
from generator.model.site import Licence, PublisherContact
from generator.model.common import LIST_DELIMITER
from generator.spreadsheet import guard
from generator.outputs.opendata.tables import PACKAGES, Field, Table, Value, tables
from generator.outputs.printed.issues import IssuePdf

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
#: How every CSV file is written (csv.writer's defaults, with LF line ends), as the descriptor states it.
DIALECT = MappingProxyType({"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True})
FORMATS = MappingProxyType({"csv": "text/csv", "json": "application/json"})


@dataclass(frozen=True)
class Resource:
    """A table as published: its words and its two files."""

    table: Table
    title: str
    description: str
    csv: bytes
    json: bytes
    text: ResourceText | None = None  # the descriptor's words, for a table described in datasets/

    def field_text(self, field: Field) -> tuple[str, str]:
        """A field's title and description: from datasets/, or from content (statistics)."""
        found: FieldText | None = self.text.fields.get(field.name) if self.text else None
        if found is not None:
            return found.title, found.description
        return field.title or field.name, field.description or ""


@dataclass(frozen=True)
class Package:
    """A data package as published in ``data/<name>/``."""

    name: str
    dataset: Dataset
    resources: tuple[Resource, ...]
    licence: Licence
    contact: PublisherContact
    modified: dt.date | None  # when its data last changed, from content
    descriptor: bytes = b""

    def files(self) -> Iterator[tuple[str, bytes]]:
        """(uri, bytes) of every file of the package, the descriptor first."""
        yield urls.data_file(self.name, "datapackage.json"), self.descriptor
        for resource in self.resources:
            yield urls.data_file(self.name, f"{resource.table.name}.csv"), resource.csv
            yield urls.data_file(self.name, f"{resource.table.name}.json"), resource.json


def packages(content: Content, record: ChangeRecord, pdfs: tuple[IssuePdf, ...] = (),
             texts: Mapping[str, str] | None = None) -> tuple[Package, ...]:
    """Every package with a descriptor in datasets/, in the order of :data:`PACKAGES`, its rows and
    files made (once per build, by the open-data stage: the files validated are the files published).
    ``texts``: the notices' plain text by id, if already made (:func:`.tables.plain_texts`)."""
    described = {dataset.name: dataset for dataset in content.datasets}
    return tuple(package(content, described[name], record, pdfs, texts) for name in PACKAGES if name in described)


def package(content: Content, dataset: Dataset, record: ChangeRecord, pdfs: tuple[IssuePdf, ...] = (),
            texts: Mapping[str, str] | None = None) -> Package:
    """One package, its files written; ``pdfs``: the print edition, for the gazette's PDF addresses and pages."""
    resources = tuple(resource(table, dataset) for table in tables(content, dataset.name, record, pdfs, texts))
    made = Package(dataset.name, dataset, resources, dataset.licence or content.site.licence,
                   dataset.contact or content.site.contact, modified(content, dataset.name, record))
    return dataclasses.replace(made, descriptor=_json_bytes(descriptor(content, made)))


def resource(table: Table, dataset: Dataset) -> Resource:
    """A table with its words (from the descriptor, or from content for a statistics table) and files."""
    text = dataset.resources.get(table.name) if table.described else None
    title = text.title if text else table.title or table.name
    description = text.description if text else table.description or ""
    return Resource(table, title, description, to_csv(table), to_json(table), text)


def modified(content: Content, name: str, record: ChangeRecord) -> dt.date | None:
    """When the package's data last changed: the latest issue's date, the latest edition's date, or
    the directory's last published change."""
    if name == "gazette":
        return max((issue.date for issue in content.gazette.issues), default=None)
    if name == "yearbook-statistics":
        return max((book.date for book in content.yearbooks if book.tables), default=None)
    return published_update(record)


def published_update(record: ChangeRecord) -> dt.date | None:
    """The day of the directory's last *committed* change (``ChangeRecord.updated`` less the
    changes not committed yet, which are dated by the build's clock)."""
    pending = record.pending
    times = [version.when for version in record.versions if version.published]
    times += [when for agency_id, when in record.agency_changed.items() if agency_id not in pending]
    latest = max(times, default=None)
    return latest.astimezone(TAIPEI).date() if latest else None


# -- files ------------------------------------------------------------------------------------------

def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_DELIMITER.join(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _json_value(value: Value) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value


def to_csv(table: Table) -> bytes:
    """RFC 4180 CSV in UTF-8, LF line ends (:data:`DIALECT`), a header of field names; an empty cell is null."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.field_names)
    writer.writerows(guard(f"{table.name}.csv", table.field_names, ([_csv_cell(value) for value in row] for row in table.rows)))
    return out.getvalue().encode("utf-8")


def to_json(table: Table) -> bytes:
    """The same rows as an array of objects, one a line; null where the CSV cell is empty."""
    # one encoder for the table (json.dumps with options makes one per call: a fifth of the stage, issue 12)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    names = table.field_names
    lines = [encode({name: _json_value(value) for name, value in zip(names, row, strict=True)}) for row in table.rows]
    return ("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n").encode("utf-8")


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- the descriptor ---------------------------------------------------------------------------------

def descriptor(content: Content, made: Package) -> dict:
    """The package's ``datapackage.json`` (Data Package v2)."""
    dataset = made.dataset
    page = urls.absolute(content.site.base_url, urls.data_package(made.name))
    description = dataset.description.zh_hant + (f"\n\n{dataset.description.en}" if dataset.description.en else "")
    return {
        "$schema": PROFILE,
        "name": made.name,
        "id": page,
        "title": dataset.title.zh_hant,
        "description": description,
        "homepage": page,
        "keywords": list(dataset.keywords),
        "licenses": [{"path": made.licence.url, "title": made.licence.name.zh_hant}],
        "contributors": [
            {"title": content.site.publisher.zh_hant, "roles": ["publisher"], "path": content.site.base_url},
            {"title": made.contact.name, "email": made.contact.email, "roles": ["contact"]},
        ],
        "resources": [resource_descriptor(r, fmt) for r in made.resources for fmt in declared(r)],
    }


def declared(item: Resource) -> tuple[str, ...]:
    """The formats a table is declared in: CSV, and JSON unless the table is empty (frictionless
    cannot read a table from an empty JSON array; the file ``[]`` is published all the same)."""
    return ("csv", "json") if item.table.rows else ("csv",)


def resource_name(table: Table | str, fmt: str) -> str:
    """A resource's name in the descriptor: the table's for the CSV, ``<table>-json`` for the JSON."""
    name = table if isinstance(table, str) else table.name
    return name if fmt == "csv" else f"{name}-{fmt}"


def resource_descriptor(item: Resource, fmt: str) -> dict:
    """One file of a table as a tabular resource; the CSV states its dialect, size and hash."""
    table = item.table
    data = item.csv if fmt == "csv" else item.json
    found: dict[str, object] = {
        "name": resource_name(table, fmt), "type": "table", "path": f"{table.name}.{fmt}", "format": fmt,
        "mediatype": FORMATS[fmt], "encoding": "utf-8",
        "title": item.title + ("" if fmt == "csv" else "（JSON）"), "description": item.description,
    }
    if fmt == "csv":  # frictionless counts the bytes of CSV files only
        found |= {"bytes": len(data), "hash": f"sha256:{sha256(data)}", "dialect": dict(DIALECT)}
    if table.source:
        found["sources"] = [{"title": table.source}]
    found["schema"] = table_schema(item, fmt)
    return found


def table_schema(item: Resource, fmt: str) -> dict:
    table = item.table
    schema: dict = {"fields": [field_descriptor(item, field) for field in table.fields], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields), "reference": ({"resource": resource_name(fk.resource, fmt)} if fk.resource else {})
             | {"fields": list(fk.reference)}} for fk in table.foreign_keys]
    return schema


def field_descriptor(item: Resource, field: Field) -> dict:
    title, description = item.field_text(field)
    found: dict = {"name": field.name, "type": field.type, "title": title, "description": description}
    if field.type == "list":
        found |= {"delimiter": LIST_DELIMITER, "itemType": "string"}
    if field.format:
        found["format"] = field.format
    constraints = {name: value for name, value in (
        ("required", field.required), ("unique", field.unique), ("enum", list(field.enum)),
        ("pattern", field.pattern), ("minimum", field.minimum)) if value not in (False, None, [])}
    if constraints:
        found["constraints"] = constraints
    return found
