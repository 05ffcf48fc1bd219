"""The tables of the open-data packages, made from the content model: fields, keys and rows.

Each package is a function of the model returning its :class:`Table` s: the fields with their Table
Schema types and constraints, the primary and foreign keys, and the rows in a stable order (the
site's). :mod:`.datapackage` writes them as Frictionless Data Packages; :mod:`generator.checking.dataset_rules`
checks that ``datasets/<package>.yml`` describes exactly these fields (``rows=False``: no rows needed).

Every row that stands for a page carries that page's absolute ``url``; a statistics row belongs to
its table, whose row in ``tables`` carries the chapter's.

The gazette package holds its own ``agencies`` table (id and names of every directory agency) so
that the foreign key of a notice's issuing agency is checked inside the package: the standard has
no foreign keys between packages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from generator import urls
from generator.dates import issue_label
from generator.reading.history import ChangeRecord
from generator.model import Book, Content, Notice, StatTable
from generator.model.common import LANGUAGES
from generator.model.directory import Entry, entries
from generator.outputs.directory_files import ordered
from generator.markup.markdown import plain_text
from generator.markup.chapters import TABLE

PACKAGES = ("gazette", "directory", "yearbook-statistics")

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ISSUE_ID = r"\d{4}/\d{2}"
NOTICE_ID = r"\d{4}/\d{2}/\d{2}"
E164 = r"\+886\d{8,9}"
EXTENSION = r"\d{1,6}"
COMMIT = r"[0-9a-f]{40}"
#: What separates the items of a ``list`` field in CSV (a keyword, a field name never holds one).

Value = str | int | Decimal | dt.date | dt.datetime | tuple | None  # Decimal: a number keeps its digits


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


def tables(content: Content, package: str, record: ChangeRecord | None = None, rows: bool = True) -> tuple[Table, ...]:
    """The tables of ``package`` (one of :data:`PACKAGES`); ``record`` is the directory's change record."""
    makers: dict[str, Callable[[], tuple[Table, ...]]] = {
        "gazette": lambda: gazette(content, rows),
        "directory": lambda: directory(content, record or ChangeRecord(), rows),
        "yearbook-statistics": lambda: statistics(content, rows),
    }
    return makers[package]()


def _url(content: Content, page: str) -> str:
    return urls.absolute(content.site.base_url, page)


def _text(value: str | None) -> str | None:
    return value or None


# -- the gazette ------------------------------------------------------------------------------------

def gazette(content: Content, rows: bool = True) -> tuple[Table, ...]:
    """Issues, notices (with their plain text), attachments, and the agencies notices refer to."""
    tables = (issues_table(), notices_table(content), attachments_table(), agencies_reference())
    if not rows:
        return tables
    gazette_rows = (issue_rows(content), notice_rows(content), attachment_rows(content), agency_reference_rows(content))
    return tuple(_with_rows(table, found) for table, found in zip(tables, gazette_rows))


def issues_table() -> Table:
    return Table("issues", (
        Field("id", required=True, pattern=ISSUE_ID), Field("year", "integer", required=True, minimum=1912),
        Field("number", "integer", required=True, minimum=1), Field("label", required=True),
        Field("date", "date", required=True), Field("title"), Field("notes"),
        Field("notices", "integer", required=True, minimum=0), Field("url", required=True, format="uri"),
    ), primary_key=("id",))


def issue_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    label = content.site.gazette.issue_label
    return tuple((i.id, i.year, i.number, issue_label(label, i.year, i.number), i.date, i.title, i.notes, len(i.notices),
                  _url(content, urls.issue(i))) for i in content.gazette.issues)


def notices_table(content: Content) -> Table:
    categories = tuple(category.slug for category in content.site.categories)
    return Table("notices", (
        Field("id", required=True, pattern=NOTICE_ID), Field("issue", required=True, pattern=ISSUE_ID),
        Field("seq", "integer", required=True, minimum=1), Field("category", required=True, enum=categories),
        Field("category_name", required=True), Field("agency_id", required=True, pattern=SLUG), Field("agency_name"),
        Field("doc_number", required=True, unique=True), Field("issued", "date", required=True),
        Field("published", "date", required=True), Field("title", required=True), Field("title_en"), Field("signer"),
        Field("keywords", "list"), Field("attachments", "integer", required=True, minimum=0),
        Field("body", required=True), Field("url", required=True, format="uri"),
    ), primary_key=("id",),
        foreign_keys=(ForeignKey(("issue",), "issues", ("id",)), ForeignKey(("agency_id",), "agencies", ("id",))))


def notice_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    return tuple(_notice_row(content, issue.date, notice) for issue in content.gazette.issues for notice in issue.notices)


def _notice_row(content: Content, published: dt.date, n: Notice) -> tuple[Value, ...]:
    category = content.site.category(n.category)
    agency = content.directory.agency(n.agency)  # None only for content that slipped past check
    return (n.id, f"{n.year}/{n.issue:02d}", n.seq, n.category, category.name.zh_hant if category else n.category,
            n.agency, agency.name.zh_hant if agency else None, n.doc_number, n.issued, published, n.title,
            n.title_en, n.signer, n.keywords or None, len(n.attachments), plain_text(n.body), _url(content, urls.notice(n)))


def attachments_table() -> Table:
    return Table("attachments", (
        Field("notice", required=True, pattern=NOTICE_ID), Field("seq", "integer", required=True, minimum=1),
        Field("file", required=True), Field("title"), Field("format", required=True),
        Field("bytes", "integer", required=True, minimum=0), Field("url", required=True, format="uri"),
    ), primary_key=("notice", "seq"), foreign_keys=(ForeignKey(("notice",), "notices", ("id",)),))


def attachment_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    return tuple((n.id, seq, a.file, a.title, a.file.rsplit(".", 1)[-1].upper(), a.size,
                  _url(content, urls.notice_folder(n) + quote(a.file)))  # a URI, even for a Chinese file name
                 for n in content.gazette.notices for seq, a in enumerate(n.attachments, start=1))


def agencies_reference() -> Table:
    """The gazette's copy of the directory's agencies: what ``notices.agency_id`` refers to."""
    return Table("agencies", (
        Field("id", required=True, pattern=SLUG), Field("name", required=True), Field("name_en", required=True),
        Field("url", required=True, format="uri"),
    ), primary_key=("id",))


def agency_reference_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    return tuple((a.id, a.name.zh_hant, a.name.en, _url(content, urls.agency(a))) for a in content.directory.agencies)


# -- the directory ----------------------------------------------------------------------------------

_PHONE = (Field("phone"), Field("extension", pattern=EXTENSION), Field("phone_e164", pattern=E164))
_FAX = (Field("fax"), Field("fax_e164", pattern=E164))
#: The entries of each table of the directory (:attr:`Entry.kind`).
KINDS = {"agencies": "agency", "units": "unit", "contacts": "contact"}


def directory(content: Content, record: ChangeRecord, rows: bool = True) -> tuple[Table, ...]:
    """Agencies, units and contacts (each pointing to what it belongs to), and the published changes."""
    tables = (directory_agencies(content), units_table(), contacts_table(), changes_table())
    if not rows:
        return tables
    lines = entries(ordered(content))
    found = [_with_rows(t, tuple(_entry_row(content, t, e) for e in lines if e.kind == KINDS[t.name])) for t in tables[:3]]
    return (*found, _with_rows(tables[3], _change_rows(content, record)))


def directory_agencies(content: Content) -> Table:
    groups = tuple(group.slug for group in content.site.directory_groups)
    return Table("agencies", (
        Field("id", required=True, pattern=SLUG), Field("name", required=True), Field("name_en", required=True),
        Field("short_name"), Field("short_name_en"), Field("parent_id", pattern=SLUG),
        Field("group", required=True, enum=groups), Field("group_name", required=True), Field("address", required=True),
        *_PHONE, *_FAX, Field("email", format="email"), Field("website"), Field("hours"),  # a website may be an IRI
        Field("url", required=True, format="uri"),
    ), primary_key=("id",), foreign_keys=(ForeignKey(("parent_id",), None, ("id",)),))


def units_table() -> Table:
    return Table("units", (
        Field("id", required=True), Field("agency_id", required=True, pattern=SLUG),
        Field("unit_id", required=True, pattern=SLUG), Field("name", required=True), Field("name_en"), *_PHONE, *_FAX, Field("email", format="email"), Field("location"),
        Field("url", required=True, format="uri"),
    ), primary_key=("id",), foreign_keys=(ForeignKey(("agency_id",), "agencies", ("id",)),))


def contacts_table() -> Table:
    return Table("contacts", (
        Field("id", required=True), Field("agency_id", required=True, pattern=SLUG), Field("unit"),
        Field("name"), Field("role"), Field("title"), *_PHONE, Field("email", format="email"),
        Field("url", required=True, format="uri"),
    ), primary_key=("id",),
        foreign_keys=(ForeignKey(("agency_id",), "agencies", ("id",)), ForeignKey(("unit",), "units", ("id",))))


def changes_table() -> Table:
    return Table("changes", (
        Field("commit", required=True, pattern=COMMIT), Field("date", "date", required=True),
        Field("committed", "datetime", required=True), Field("change", required=True, enum=("added", "removed", "changed")),
        Field("id", required=True), Field("kind", required=True, enum=("agency", "unit", "contact")),
        Field("agency_id", required=True, pattern=SLUG), Field("fields", "list"), Field("url", required=True, format="uri"),
    ), primary_key=("commit", "id"))


def _with_rows(table: Table, rows: tuple) -> Table:
    return dataclasses.replace(table, rows=rows)


def _entry_row(content: Content, table: Table, entry: Entry) -> tuple[Value, ...]:
    """A directory entry's values for the fields of ``table`` (names shared with :class:`Entry`)."""
    groups = {group.slug: group.name.zh_hant for group in content.site.directory_groups}
    derived = {
        "url": _url(content, urls.agency(entry.agency_id)),
        "group_name": groups.get(entry.group),
        "unit": f"{entry.agency_id}/{entry.unit_id}" if entry.unit_id else None,
    }
    values = entry.values()
    return tuple(_text(derived[f.name] if f.name in derived else values[f.name]) for f in table.fields)


def _change_rows(content: Content, record: ChangeRecord) -> tuple[tuple[Value, ...], ...]:
    """The published changes, newest first. Changes not committed yet are left out: they are a
    preview dated by the build's clock, and the data files hold no build time."""
    page = _url(content, urls.directory_changes())
    return tuple((v.commit, v.date, v.when, c.change, c.entry.id, c.entry.kind, c.entry.agency_id, c.fields or None,
                  f"{page}#v-{v.commit[:10]}") for v in record.versions if v.published for c in v.changes)


# -- the yearbook's statistics ----------------------------------------------------------------------

def statistics(content: Content, rows: bool = True) -> tuple[Table, ...]:
    """An index of every statistics table of every edition, then each table as its own resource."""
    index = Table("tables", (
        Field("id", required=True, pattern=r"\d{4}-" + SLUG), Field("edition", "integer", required=True, minimum=1912),
        Field("table", required=True, pattern=SLUG), Field("title", required=True), Field("title_en", required=True),
        Field("unit", required=True), Field("unit_en", required=True), Field("source", required=True),
        Field("source_en", required=True), Field("rows", "integer", required=True, minimum=0),
        Field("url", required=True, format="uri"),
    ), primary_key=("id",), rows=tuple(
        (stat_name(book, table_id), book.year, table_id, t.title.zh_hant, t.title.en, t.unit.zh_hant, t.unit.en,
         t.source.zh_hant, t.source.en, len(t.rows), _url(content, table_page(book, table_id)))
        for book in content.yearbooks for table_id, t in book.tables.items()) if rows else ())
    return (index, *(stat_table(book, table_id, t, rows) for book in content.yearbooks for table_id, t in book.tables.items()))


def stat_name(book: Book, table_id: str) -> str:
    """A statistics table's resource name: ``2025-population``."""
    return f"{book.year}-{table_id}"


def table_page(book: Book, table_id: str) -> str:
    """The page that shows a table: the first chapter (Chinese before English) that places it, else the edition's."""
    for language in LANGUAGES:
        for chapter in book.chapters_in(language):
            if any(match["id"] == table_id for match in TABLE.finditer(chapter.body)):
                return urls.chapter(book, chapter)
    return urls.book(book)


def stat_table(book: Book, table_id: str, table: StatTable, rows: bool = True) -> Table:
    """One statistics table as it is published: its columns typed (integer, number or text), its
    words (title, unit, source, column labels) from book.yml."""
    types = [table.column_type(i) for i in range(len(table.header))]
    fields = tuple(Field(name, kind, title=table.columns[name].zh_hant, description=table.columns[name].en)
                   for name, kind in zip(table.header, types))
    data = tuple(tuple(_cell(cell, kind) for cell, kind in zip(row, types)) for row in table.rows) if rows else ()
    description = (f"{table.title.zh_hant}。單位：{table.unit.zh_hant}。資料來源：{table.source.zh_hant}。"
                   f"{table.title.en}. Unit: {table.unit.en}. Source: {table.source.en}.")
    return Table(stat_name(book, table_id), fields, rows=data, title=table.title.zh_hant, description=description,
                 source=table.source.zh_hant)


def _cell(cell: str, kind: str) -> Value:
    if not cell:
        return None
    return int(cell) if kind == "integer" else Decimal(cell) if kind == "number" else cell
