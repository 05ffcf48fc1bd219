"""The tables of the open-data packages, made from the content model: each table declared in
:mod:`generator.model.opendata` (fields, keys), filled with rows.

Each package is a function of the model returning its :class:`Table` s with their rows in a stable
order (the site's). :mod:`.packages` writes them as Frictionless Data Packages; ``check`` holds
``datasets/<package>.yml`` to the same declarations (:mod:`generator.checking.dataset_rules`).

Every row that stands for a page carries that page's absolute ``url``; a statistics row belongs to
its table, whose row in ``tables`` carries the chapter's.

The gazette package holds its own ``agencies`` table (id and names of every directory agency) so
that the foreign key of a notice's issuing agency is checked inside the package: the standard has
no foreign keys between packages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import quote

from generator import urls
from generator.reading.history import ChangeRecord
from generator.model import Book, Content, Issue, Notice, StatTable
from generator.outputs.printed.issues import IssuePdf
from generator.model.common import LANGUAGES
from generator.model.directory import Entry, entries, unit_entry_id
from generator.model.opendata import PACKAGES, Field, ForeignKey, Table, Value, declared
from generator.model.yearbook import TABLE_PLACEHOLDER
from generator.outputs.directory_files import ordered
from generator.markup.markdown import plain_text
from generator.workers import cores, heaviest_first, runs

if TYPE_CHECKING:
    from generator.outputs.issuecache import IssueCache

# The declarations live in the model; the open-data output has imported them from here.
__all__ = ["PACKAGES", "Field", "ForeignKey", "Table", "Value", "tables"]


def tables(content: Content, package: str, record: ChangeRecord | None = None,
           pdfs: tuple[IssuePdf, ...] = (), texts: Mapping[str, str] | None = None) -> tuple[Table, ...]:
    """The tables of ``package`` (one of :data:`PACKAGES`) with their rows; ``record`` is the directory's change record,
    ``pdfs`` the print edition (its PDFs' addresses and the page of each notice), ``texts`` each notice's
    plain text by its id if already made (:func:`plain_texts`)."""
    makers: dict[str, Callable[[], tuple[Table, ...]]] = {
        "gazette": lambda: gazette(content, pdfs, texts),
        "directory": lambda: directory(content, record or ChangeRecord()),
        "yearbook-statistics": lambda: statistics(content),
    }
    return makers[package]()


def _url(content: Content, page: str) -> str:
    return urls.absolute(content.site.base_url, page)


def _text(value: str | None) -> str | None:
    return value or None


def _with_rows(table: Table, rows: tuple[tuple[Value, ...], ...]) -> Table:
    return dataclasses.replace(table, rows=rows)


# -- the gazette ------------------------------------------------------------------------------------

def gazette(content: Content, pdfs: tuple[IssuePdf, ...] = (), texts: Mapping[str, str] | None = None) -> tuple[Table, ...]:
    """Issues (with their PDF), notices (with their plain text and page in the PDF), attachments, the
    agencies notices refer to, the notices' relations, agencies and document numbers."""
    found = (issue_rows(content, pdfs), notice_rows(content, pdfs, texts), attachment_rows(content), agency_reference_rows(content),
             relation_rows(content), notice_agency_rows(content), notice_doc_number_rows(content))
    return tuple(_with_rows(table, rows) for table, rows in zip(declared(content.site, "gazette"), found, strict=True))


def issue_rows(content: Content, pdfs: tuple[IssuePdf, ...] = ()) -> tuple[tuple[Value, ...], ...]:
    label = content.site.gazette.label
    printed = {pdf.issue: pdf for pdf in pdfs}
    return tuple((i.id, i.year, i.number, label(i.year, i.number), i.date, i.title, i.notes, len(i.notices),
                  _url(content, urls.issue(i)), _url(content, pdf.uri) if (pdf := printed.get(i.id)) else None,
                  pdf.size if pdf else None) for i in content.gazette.issues)


def notice_rows(content: Content, pdfs: tuple[IssuePdf, ...] = (),
                texts: Mapping[str, str] | None = None) -> tuple[tuple[Value, ...], ...]:
    pages = {notice: page for pdf in pdfs for notice, page in pdf.pages.items()}
    return tuple(_notice_row(content, issue.date, notice, texts[notice.id] if texts else None) + (pages.get(notice.id),)
                 for issue in content.gazette.issues for notice in issue.notices)


class PlainTexts(Mapping[str, str]):
    """:func:`plain_texts` by notice id, each issue's read from the cache when one of its notices is
    asked for (the website makes few notices' pages on most builds). The texts of the last
    :data:`ISSUES_KEPT` issues read are kept, not of every issue: the pages are made issue by issue,
    and at 50,000 notices every text kept took 100 MB or more in each worker making them (issue 12, goal 5)."""

    #: The issues whose texts are kept (the oldest read is let go first; read again if asked for).
    ISSUES_KEPT = 4

    def __init__(self, content: Content, root: Path):
        self.content, self.root = content, root
        self.found: dict[str, dict[str, str]] = {}  # issue -> its notices' texts, the last read last

    def __getitem__(self, notice_id: str) -> str:
        issue = notice_id.rpartition("/")[0]  # a notice's id is its issue's, then its number
        texts = self.found.get(issue)
        if texts is None:
            if issue not in self.content.links.issues:
                raise KeyError(notice_id)
            texts = self.found[issue] = plain_texts(self.content, self.root, {issue})
            while len(self.found) > self.ISSUES_KEPT:
                del self.found[next(iter(self.found))]
        return texts[notice_id]

    def __iter__(self) -> Iterator[str]:
        return (notice.id for notice in self.content.gazette.notices)

    def __len__(self) -> int:
        return sum(len(issue.notices) for issue in self.content.gazette.issues)


def plain_texts(content: Content, root: Path, issues: Collection[str] | None = None) -> dict[str, str]:
    """Each notice's plain text (the ``text`` column) by its id, kept per issue in ``.cache/opendata/``
    (:class:`~generator.outputs.issuecache.IssueCache`): made again only for an issue whose notices'
    bodies changed, or when the code or libraries that make it did (the Markdown conversion is most
    of the open data's time at 10,000 notices). ``issues``: only the notices of these (ids)."""
    from generator.outputs.issuecache import GENERATOR, IssueCache, code_digest, library_versions

    cache = IssueCache(root, "opendata", "plain-text\0" + library_versions("markdown", "nh3")
                       + code_digest(GENERATOR / "markup"))
    found: dict[str, str] = {}
    wanted = [issue for issue in content.gazette.issues if issues is None or issue.id in issues]
    _texts_aside(wanted, cache)
    for issue in wanted:
        bodies = [notice.body for notice in issue.notices]
        texts = cache.get(name := f"texts-{issue.year}-{issue.number:02d}", key := cache.key(*bodies))
        if texts is None:
            texts = [plain_text(body) for body in bodies]
            cache.put(name, key, texts)
        found.update(zip((notice.id for notice in issue.notices), texts, strict=True))
    return found


#: The Markdown (bytes of the notices' bodies missing from the cache) worth a process of its own for
#: :func:`_texts_aside` (a process takes about a second to start, and converts about 1 MB a second);
#: with less, the stage makes the texts itself. Counted in bytes, not issues: the real sample's 61
#: daily issues hold 22 MB (21 s of Markdown in one process), 10,000 synthetic notices 12 MB.
SPAWN_BYTES = 4_000_000
#: One job of those processes: at most this many issues and :data:`JOB_BYTES` of Markdown, the
#: heaviest jobs first (:func:`generator.workers.heaviest_first`).
JOB = 64
JOB_BYTES = 1_000_000


def _texts_aside(issues: list[Issue], cache: IssueCache) -> None:
    """The plain texts missing from ``cache`` made into it by processes of their own, side by side
    (issue 12: 50,000 notices' Markdown, built from nothing); :func:`plain_texts` then finds them in
    the cache (and counts them as found). Spawned, not forked: the build may run threads meanwhile
    (a fork copies no thread but every lock). A job is each issue's name, key and bodies."""
    jobs = []
    for issue in issues:
        bodies = [notice.body for notice in issue.notices]
        name, key = f"texts-{issue.year}-{issue.number:02d}", cache.key(*bodies)
        if not cache.has(name, key):
            jobs.append((name, key, bodies))
    weights = [sum(len(body.encode("utf-8")) for body in bodies) for _, _, bodies in jobs]
    workers = min(cores(), sum(weights) // SPAWN_BYTES)
    if workers < 2:
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for future in [pool.submit(_texts_into_cache, cache.folder, cache.version, [jobs[index] for index in job])
                       for job in heaviest_first(runs(weights, JOB_BYTES, most=JOB), weights)]:
            future.result()  # what stops a process stops the build


def _texts_into_cache(folder: Path, version: str, jobs: list[tuple[str, str, list[str]]]) -> None:
    from generator.outputs.issuecache import IssueCache

    cache = IssueCache(folder.parent.parent, folder.name, version)
    for name, key, bodies in jobs:
        cache.put(name, key, [plain_text(body) for body in bodies])


def _notice_row(content: Content, published: dt.date, n: Notice, text: str | None = None) -> tuple[Value, ...]:
    links = content.links
    agency = links.agencies.get(n.agency)  # None only for content that slipped past check: the data's validation says so
    return (n.id, links.issue_of(n).id, n.seq, n.category, links.category_of(n).name.zh_hant, n.agency,
            agency.name.zh_hant if agency else None, n.doc_number, n.issued, published, n.title, n.title_en, n.signer,
            n.keywords or None, len(n.attachments), plain_text(n.body) if text is None else text, _url(content, urls.notice(n)))


def attachment_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    return tuple((n.id, seq, a.file, a.title, a.file.rsplit(".", 1)[-1].upper(), a.size,
                  _url(content, quote(urls.attachment(n, a.file))))  # a URI, even for a Chinese file name
                 for n in content.gazette.notices for seq, a in enumerate(n.attachments, start=1))


def notice_agency_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    agencies = content.links.agencies  # an agency missing from the directory: the data's validation says so
    return tuple((n.id, seq, a, agencies[a].name.zh_hant if a in agencies else None)
                 for n in content.gazette.notices for seq, a in enumerate(n.agencies, start=1))


def notice_doc_number_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    return tuple((n.id, seq, number) for n in content.gazette.notices for seq, number in enumerate(n.doc_numbers, start=1))


def agency_reference_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    return tuple((a.id, a.name.zh_hant, a.name.en, _url(content, urls.agency(a))) for a in content.directory.agencies)


def relation_rows(content: Content) -> tuple[tuple[Value, ...], ...]:
    return tuple((n.id, relation, target.id, _url(content, urls.notice(target)))
                 for n in content.gazette.notices for relation, target in content.links.relations(n))


# -- the directory ----------------------------------------------------------------------------------

#: The entries of each table of the directory (:attr:`Entry.kind`).
KINDS = MappingProxyType({"agencies": "agency", "units": "unit", "contacts": "contact"})


def directory(content: Content, record: ChangeRecord) -> tuple[Table, ...]:
    """Agencies, units and contacts (each pointing to what it belongs to), and the published changes."""
    tables = declared(content.site, "directory")
    lines = entries(ordered(content))
    found = [_with_rows(t, tuple(_entry_row(content, t, e) for e in lines if e.kind == KINDS[t.name])) for t in tables[:3]]
    return (*found, _with_rows(tables[3], _change_rows(content, record)))


def _entry_row(content: Content, table: Table, entry: Entry) -> tuple[Value, ...]:
    """A directory entry's values for the fields of ``table`` (names shared with :class:`Entry`)."""
    group = content.links.groups.get(entry.group)
    derived = {
        "url": _url(content, urls.agency(entry.agency_id)),
        "group_name": group.name.zh_hant if group else None,
        "unit": unit_entry_id(entry.agency_id, entry.unit_id) if entry.unit_id else None,  # units.id
    }
    values = entry.values()
    return tuple(_text(derived[f.name] if f.name in derived else values[f.name]) for f in table.fields)


def _change_rows(content: Content, record: ChangeRecord) -> tuple[tuple[Value, ...], ...]:
    """The published changes, newest first. Changes not committed yet are left out: they are a
    preview dated by the build's clock, and the data files hold no build time."""
    page = _url(content, urls.directory_changes())
    return tuple((commit, v.date, v.when, c.change, c.entry.id, c.entry.kind, c.entry.agency_id, c.fields or None,
                  f"{page}#{urls.version_anchor(commit)}") for v in record.versions if (commit := v.commit) for c in v.changes)


# -- the yearbook's statistics ----------------------------------------------------------------------

def statistics(content: Content) -> tuple[Table, ...]:
    """An index of every statistics table of every edition, then each table as its own resource."""
    (index,) = declared(content.site, "yearbook-statistics")
    found = tuple((stat_name(book, table_id), book.year, table_id, t.title.zh_hant, t.title.en, t.unit.zh_hant, t.unit.en,
                   t.source.zh_hant, t.source.en, len(t.rows), _url(content, table_page(book, table_id)))
                  for book in content.yearbooks for table_id, t in book.tables.items())
    return (_with_rows(index, found),
            *(stat_table(book, table_id, t) for book in content.yearbooks for table_id, t in book.tables.items()))


def stat_name(book: Book, table_id: str) -> str:
    """A statistics table's resource name: ``2025-population`` (:data:`generator.model.opendata.STAT_NAME`)."""
    return f"{book.year}-{table_id}"


def table_page(book: Book, table_id: str) -> str:
    """The page that shows a table: the first chapter (Chinese before English) that places it, else the edition's."""
    for language in LANGUAGES:
        for chapter in book.chapters_in(language):
            if any(match["id"] == table_id for match in TABLE_PLACEHOLDER.finditer(chapter.body)):
                return urls.chapter(book, chapter)
    return urls.book(book)


def stat_table(book: Book, table_id: str, table: StatTable) -> Table:
    """One statistics table as it is published: its columns typed (integer, number or text), its
    words (title, unit, source, column labels) from book.yml."""
    types = [table.column_type(i) for i in range(len(table.header))]
    fields = tuple(Field(name, kind, title=table.columns[name].zh_hant, description=table.columns[name].en)
                   for name, kind in zip(table.header, types, strict=True))
    data = tuple(tuple(_cell(cell, kind) for cell, kind in zip(row, types, strict=True)) for row in table.rows)
    description = (f"{table.title.zh_hant}。單位：{table.unit.zh_hant}。資料來源：{table.source.zh_hant}。"
                   f"{table.title.en}. Unit: {table.unit.en}. Source: {table.source.en}.")
    return Table(stat_name(book, table_id), fields, rows=data, title=table.title.zh_hant, description=description,
                 source=table.source.zh_hant)


def _cell(cell: str, kind: str) -> Value:
    if not cell:
        return None
    return int(cell) if kind == "integer" else Decimal(cell) if kind == "number" else cell
