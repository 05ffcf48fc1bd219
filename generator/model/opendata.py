"""What the open data publishes: its packages, and the fields of each table with their types and
constraints (Table Schema), the tables' keys.

These declarations are part of the model, not of the output: ``check`` reads them to hold each
descriptor in ``datasets/`` to exactly the tables and fields it must describe
(:mod:`generator.checking.dataset_rules`), and the open-data output fills them with rows
(:mod:`generator.outputs.opendata.tables`). A statistics table's own resource is declared by
book.yml (its columns, title, unit and source), so only the fixed tables of a package are here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from generator.model.common import EXTENSION_PATTERN, SLUG_PATTERN
from generator.model.gazette import RELATIONS
from generator.model.site import Site

#: The packages, in the order the catalogue lists them; ``datasets/<package>.yml`` describes each.
PACKAGES = ("gazette", "directory", "yearbook-statistics")

ISSUE_ID = r"\d{4}/\d{2,3}"  # gazette.issue_id
NOTICE_ID = r"\d{4}/\d{2,3}/\d{2,3}"  # Notice.id
E164 = r"\+886\d{8,9}"
COMMIT = r"[0-9a-f]{40}"
#: A statistics table's resource name: the edition's year and the table's id (``2025-population``).
STAT_NAME = r"\d{4}-" + SLUG_PATTERN

#: A cell's value: Decimal keeps a number's digits; a tuple is a list of strings; None is empty.
Value: TypeAlias = str | int | Decimal | dt.date | dt.datetime | tuple[str, ...] | None


@dataclass(frozen=True)
class Field:
    """A column: its Table Schema type and constraints. ``title`` and ``description`` are set only
    where content gives the words (a statistics table's columns in book.yml); otherwise they come
    from the package's descriptor in ``datasets/``."""

    name: str
    type: str = "string"  # string, integer, number, date, datetime or list (of strings)
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    format: str | None = None  # uri or email, for strings
    minimum: int | None = None
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str | None  # None: the table itself
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A resource of a package: its fields, keys and rows (values in field order; None when empty)."""

    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: tuple[tuple[Value, ...], ...] = ()
    title: str | None = None  # set where content gives the words; otherwise from datasets/
    description: str | None = None
    source: str | None = None  # where a statistics table's figures come from

    @property
    def described(self) -> bool:
        """Whether the package's descriptor in ``datasets/`` must describe this table."""
        return self.title is None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)


def declared(site: Site, package: str) -> tuple[Table, ...]:
    """The tables of ``package`` (one of :data:`PACKAGES`) that its descriptor describes, without rows."""
    if package == "gazette":
        return (issues_table(), notices_table(site), attachments_table(), agencies_reference(), relations_table(),
                notice_agencies_table(), notice_doc_numbers_table())
    if package == "directory":
        return directory_agencies(site), units_table(), contacts_table(), changes_table()
    if package == "yearbook-statistics":
        return (statistics_index(),)
    raise KeyError(package)


# -- the gazette ------------------------------------------------------------------------------------

def issues_table() -> Table:
    return Table("issues", (
        Field("id", required=True, pattern=ISSUE_ID), Field("year", "integer", required=True, minimum=1912),
        Field("number", "integer", required=True, minimum=1), Field("label", required=True),
        Field("date", "date", required=True), Field("title"), Field("notes"),
        Field("notices", "integer", required=True, minimum=0), Field("url", required=True, format="uri"),
        # the print edition (generator/outputs/printed/): the PDF and its size
        Field("pdf_url", format="uri"), Field("pdf_bytes", "integer", minimum=0),
    ), primary_key=("id",))


def notices_table(site: Site) -> Table:
    categories = tuple(category.slug for category in site.categories)
    return Table("notices", (
        Field("id", required=True, pattern=NOTICE_ID), Field("issue", required=True, pattern=ISSUE_ID),
        Field("seq", "integer", required=True, minimum=1), Field("category", required=True, enum=categories),
        Field("category_name", required=True), Field("agency_id", required=True, pattern=SLUG_PATTERN), Field("agency_name"),
        Field("doc_number", required=True, unique=True), Field("issued", "date", required=True),
        Field("published", "date", required=True), Field("title", required=True), Field("title_en"), Field("signer"),
        Field("keywords", "list"), Field("attachments", "integer", required=True, minimum=0),
        Field("body", required=True), Field("url", required=True, format="uri"),
        Field("page", "integer", minimum=1),  # the page of the issue's PDF its title is printed on
    ), primary_key=("id",),
        foreign_keys=(ForeignKey(("issue",), "issues", ("id",)), ForeignKey(("agency_id",), "agencies", ("id",))))


def attachments_table() -> Table:
    return Table("attachments", (
        Field("notice", required=True, pattern=NOTICE_ID), Field("seq", "integer", required=True, minimum=1),
        Field("file", required=True), Field("title"), Field("format", required=True),
        Field("bytes", "integer", required=True, minimum=0), Field("url", required=True, format="uri"),
    ), primary_key=("notice", "seq"), foreign_keys=(ForeignKey(("notice",), "notices", ("id",)),))


def notice_agencies_table() -> Table:
    """Every issuing agency of every notice, one row each: a joint notice (會銜) has several, the lead
    agency at ``seq`` 1 (the one ``notices.agency_id`` names)."""
    return Table("notice-agencies", (
        Field("notice", required=True, pattern=NOTICE_ID), Field("seq", "integer", required=True, minimum=1),
        Field("agency_id", required=True, pattern=SLUG_PATTERN), Field("agency_name"),
    ), primary_key=("notice", "seq"),
        foreign_keys=(ForeignKey(("notice",), "notices", ("id",)), ForeignKey(("agency_id",), "agencies", ("id",))))


def notice_doc_numbers_table() -> Table:
    """Every document number of every notice, one row each (unique across the gazette); the first is
    the one ``notices.doc_number`` gives."""
    return Table("notice-doc-numbers", (
        Field("notice", required=True, pattern=NOTICE_ID), Field("seq", "integer", required=True, minimum=1),
        Field("doc_number", required=True, unique=True),
    ), primary_key=("notice", "seq"), foreign_keys=(ForeignKey(("notice",), "notices", ("id",)),))


def agencies_reference() -> Table:
    """The gazette's copy of the directory's agencies: what ``notices.agency_id`` refers to (the
    standard has no foreign keys between packages)."""
    return Table("agencies", (
        Field("id", required=True, pattern=SLUG_PATTERN), Field("name", required=True), Field("name_en", required=True),
        Field("url", required=True, format="uri"),
    ), primary_key=("id",))


def relations_table() -> Table:
    """What a notice corrects, amends or repeals: one row per earlier notice it names."""
    return Table("relations", (
        Field("notice", required=True, pattern=NOTICE_ID), Field("relation", required=True, enum=RELATIONS),
        Field("target", required=True, pattern=NOTICE_ID), Field("target_url", required=True, format="uri"),
    ), primary_key=("notice", "target"),
        foreign_keys=(ForeignKey(("notice",), "notices", ("id",)), ForeignKey(("target",), "notices", ("id",))))


# -- the directory ----------------------------------------------------------------------------------

_PHONE = (Field("phone"), Field("extension", pattern=EXTENSION_PATTERN), Field("phone_e164", pattern=E164))
_FAX = (Field("fax"), Field("fax_e164", pattern=E164))


def directory_agencies(site: Site) -> Table:
    groups = tuple(group.slug for group in site.directory_groups)
    return Table("agencies", (
        Field("id", required=True, pattern=SLUG_PATTERN), Field("name", required=True), Field("name_en", required=True),
        Field("short_name"), Field("short_name_en"), Field("parent_id", pattern=SLUG_PATTERN),
        Field("group", required=True, enum=groups), Field("group_name", required=True), Field("address", required=True),
        *_PHONE, *_FAX, Field("email", format="email"), Field("website"), Field("hours"),  # a website may be an IRI
        Field("url", required=True, format="uri"),
    ), primary_key=("id",), foreign_keys=(ForeignKey(("parent_id",), None, ("id",)),))


def units_table() -> Table:
    return Table("units", (
        Field("id", required=True), Field("agency_id", required=True, pattern=SLUG_PATTERN),
        Field("unit_id", required=True, pattern=SLUG_PATTERN), Field("name", required=True), Field("name_en"), *_PHONE, *_FAX,
        Field("email", format="email"), Field("location"), Field("url", required=True, format="uri"),
    ), primary_key=("id",), foreign_keys=(ForeignKey(("agency_id",), "agencies", ("id",)),))


def contacts_table() -> Table:
    return Table("contacts", (
        Field("id", required=True), Field("agency_id", required=True, pattern=SLUG_PATTERN), Field("unit"),
        Field("name"), Field("role"), Field("title"), *_PHONE, Field("email", format="email"),
        Field("url", required=True, format="uri"),
    ), primary_key=("id",),
        foreign_keys=(ForeignKey(("agency_id",), "agencies", ("id",)), ForeignKey(("unit",), "units", ("id",))))


def changes_table() -> Table:
    return Table("changes", (
        Field("commit", required=True, pattern=COMMIT), Field("date", "date", required=True),
        Field("committed", "datetime", required=True), Field("change", required=True, enum=("added", "removed", "changed")),
        Field("id", required=True), Field("kind", required=True, enum=("agency", "unit", "contact")),
        Field("agency_id", required=True, pattern=SLUG_PATTERN), Field("fields", "list"),
        Field("url", required=True, format="uri"),
    ), primary_key=("commit", "id"))


# -- the yearbook's statistics ----------------------------------------------------------------------

def statistics_index() -> Table:
    """The index of every statistics table of every edition (each table is then its own resource)."""
    return Table("tables", (
        Field("id", required=True, pattern=STAT_NAME), Field("edition", "integer", required=True, minimum=1912),
        Field("table", required=True, pattern=SLUG_PATTERN), Field("title", required=True), Field("title_en", required=True),
        Field("unit", required=True), Field("unit_en", required=True), Field("source", required=True),
        Field("source_en", required=True), Field("rows", "integer", required=True, minimum=0),
        Field("url", required=True, format="uri"),
    ), primary_key=("id",))
