"""Read ``content/`` into the model, reporting every problem of every file.

Files are read one by one and each is checked against its schema here; rules that need more than
one file (gaps between issues, references, translations) are in :mod:`generator.checking.rules`.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import io
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.errors import Kind, Problem, Source, errors_in
from generator.model import Agency, Book, Chapter, Content, Dataset, Directory, Gazette, Issue, Notice, Site, StatTable
from generator.model.gazette import NOTICE_NAME, NUMBER, issue_id, number_width
from generator.model.common import ATTACHMENT_TYPES, IMAGE_TYPES, LANGUAGES, is_number, is_slug
from generator.model.yearbook import CHAPTER_NAME, misspelt_number
from generator.model.schema import INVALID, Reader, formula_start, hint
from generator.reading import paths
from generator.reading.memo import Memo, keeps
from generator.reading.yamlio import (TEXT_LIMIT, Document, FrontMatterFile, Text, characters, compose, read_text, relative,
                                      split_front_matter)

log = logging.getLogger(__name__)

#: Largest attachment, image or table accepted.
ASSET_LIMIT = 20 * 1024 * 1024
#: The longest cell a table may hold: the csv module's default field limit (128 KiB), kept by us.
CELL_LIMIT = 128 * 1024
#: The folder of the open-data descriptors, beside content/ (they describe content; they are not content).
DATASETS = "datasets"
ISSUE_FOLDER_RULE = ("a year holds one folder per issue, named by its number with two digits (01, 02, … 99), "
                     "or three (001, 002, … 999) in a year of 100 issues or more")
NOTICE_FILE_RULE = ("name it <SS>-<slug>.md: the notice's position with two digits (01 … 99), or three (001 … 999) "
                    "in an issue of 100 notices or more, and lowercase ASCII words, e.g. 03-parking-fees.md")


@dataclasses.dataclass
class Loader:
    """Reads one project's ``content/`` folder; ``problems`` collects everything found."""

    root: Path  # the project: paths in messages are relative to it
    content: Path
    problems: list[Problem] = dataclasses.field(default_factory=list)
    #: what exists on disk even if it failed to load ("agency:fire", "issue:2026/02",
    #: "notices:2026/02", "chapter:2025/en/01-overview"), so that cross-file rules do not report it missing again
    present: set[str] = dataclasses.field(default_factory=set)
    #: what earlier runs read from each notice file, by its bytes (None: every file is read anew)
    memo: Memo | None = None
    categories: tuple[Site | None, Any] | None = None  # the site's categories, as a notice's key starts with them

    def source(self, path: Path) -> Source:
        return Source(relative(path, self.root))

    def report(self, kind: Kind, where: Source | Path, **params: object) -> None:
        source = where if isinstance(where, Source) else self.source(where)
        self.problems.append(Problem.of(kind, source, **params))

    # -- files ------------------------------------------------------------------------------------

    def entries(self, folder: Path) -> Iterator[Path]:
        """The entries of a folder in name order, skipping hidden ones and links leading out."""
        if not folder.is_dir():
            return
        # An entry that is no link lies where its folder lies: only links and the entries of a folder
        # outside content/ need resolving (a resolve per file was a third of check at 10,000 notices).
        folder_inside = paths.inside(folder, self.content)
        with os.scandir(folder) as scan:
            found = sorted((entry.name, entry.is_symlink()) for entry in scan)
        for name, link in found:
            if name.startswith("."):
                continue
            path = folder / name
            if (link or not folder_inside) and not paths.inside(path, self.content):
                self.report(Kind.OUTSIDE_CONTENT, path, what="file", value=path.name, reason="it is a link to a file outside")
                continue
            yield path

    def yaml(self, path: Path) -> Document | None:
        text = read_text(path, self.root, self.problems)
        return None if text is None else compose(text.text, text.source, self.problems)

    def front_matter(self, path: Path) -> FrontMatterFile | None:
        text = read_text(path, self.root, self.problems)
        return None if text is None else split_front_matter(text, self.problems)

    def reference(self, base: Path, value: str, where: Source, what: str) -> Path | None:
        """A file named in content, relative to ``base``: it must exist and stay inside content/ (:mod:`.paths`)."""
        if reason := paths.leaves_content(base, value, self.content):
            self.report(Kind.OUTSIDE_CONTENT, where, what=what, value=value, reason=reason)
            return None
        target = paths.target(base, value)
        if not target.is_file():
            self.report(Kind.MISSING_FILE, where, what=what, value=value)
            return None
        if target.stat().st_size > ASSET_LIMIT:
            self.report(Kind.FILE_TOO_LARGE, where, size=target.stat().st_size, limit=ASSET_LIMIT)
            return None
        return target

    def file_type(self, target: Path, where: Source, what: str, allowed: frozenset[str]) -> bool:
        """Whether a file named in content may be published as it is (see ATTACHMENT_TYPES)."""
        if target.suffix.lower() in allowed:
            return True
        instead = "PNG, JPEG, GIF or WebP" if allowed is IMAGE_TYPES else "PDF (or an office document)"
        self.report(Kind.FILE_TYPE, where, what=what, value=target.name, suffix=target.suffix or "suffix-less", instead=instead)
        return False

    def image_folder(self, folder: Path) -> bool:
        """Every file of an edition's images/ folder is published: each must be an image."""
        ok = True
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                ok &= self.file_type(path, self.source(path), "image", IMAGE_TYPES)
        return ok

    # -- the publications -------------------------------------------------------------------------

    def load(self) -> Content | None:
        site = self.load_site()
        directory = self.load_directory()
        gazette = self.load_gazette(site)
        yearbooks = tuple(self.load_yearbooks())
        datasets = self.load_datasets()
        if site is None:
            return None
        return Content(site=site, gazette=gazette, yearbooks=yearbooks, directory=directory, datasets=datasets)

    def load_datasets(self) -> tuple[Dataset, ...]:
        """The open-data descriptors, ``datasets/<package>.yml`` beside content/ (which packages they
        must describe, and which fields, is checked by :mod:`generator.checking.dataset_rules`)."""
        folder = self.root / DATASETS
        if not folder.is_dir():
            return ()
        self.present.add("datasets")
        datasets = []
        paths = sorted(p for p in folder.iterdir() if not p.name.startswith("."))  # datasets/ is beside content/
        for path in self.id_files(paths, "name a dataset descriptor <package>.yml, e.g. gazette.yml"):
            self.present.add(f"dataset:{path.stem}")
            doc = self.yaml(path)
            dataset = INVALID if doc is None else Reader(doc, self.problems).read(Dataset, doc.node, name=path.stem, source=doc.source)
            if dataset is not INVALID:
                datasets.append(dataset)
        return tuple(datasets)

    def id_files(self, paths: Iterable[Path], rule: str) -> Iterator[Path]:
        """The ``<id>.yml`` files among ``paths``; any other name is reported with ``rule``."""
        for path in paths:
            if path.suffix == ".yml" and is_slug(path.stem):
                yield path
            else:
                self.report(Kind.BAD_NAME, path, what="file", name=path.name, rule=rule)

    def load_site(self) -> Site | None:
        path = self.content / "site.yml"
        if not path.is_file():
            self.report(Kind.MISSING_FILE, path, what="file", value="content/site.yml")
            return None
        doc = self.yaml(path)
        if doc is None:
            return None
        site = Reader(doc, self.problems).read(Site, doc.node)
        return None if site is INVALID else site

    def load_directory(self) -> Directory:
        agencies = []
        rule = "name a directory file <agency-id>.yml with lowercase ASCII letters, digits and hyphens"
        for path in self.id_files(self.entries(self.content / "directory"), rule):
            self.present.add(f"agency:{path.stem}")
            agency = self.load_agency(path)
            if agency is not None:
                agencies.append(agency)
        return Directory(agencies=tuple(agencies))

    def load_agency(self, path: Path) -> Agency | None:
        """One directory file; its id is the file name. (Also reads earlier versions: :mod:`generator.reading.history`.)"""
        doc = self.yaml(path)
        if doc is None:
            return None
        agency = Reader(doc, self.problems).read(Agency, doc.node, id=path.stem, source=doc.source)
        return None if agency is INVALID else agency

    def load_gazette(self, site: Site | None) -> Gazette:
        issues = []
        for year_dir in self.entries(self.content / "gazette"):
            if not (year_dir.is_dir() and re.fullmatch(r"\d{4}", year_dir.name)):
                self.report(Kind.BAD_NAME, year_dir, what="entry", name=year_dir.name, rule="the gazette holds one folder per year, named YYYY")
                continue
            issue_dirs = []
            for issue_dir in self.entries(year_dir):
                if not (issue_dir.is_dir() and re.fullmatch(NUMBER, issue_dir.name)):
                    self.report(Kind.BAD_NAME, issue_dir, what="entry", name=issue_dir.name, rule=ISSUE_FOLDER_RULE)
                    continue
                issue_dirs.append(issue_dir)
                self.present.add(f"issue:{issue_id(int(year_dir.name), int(issue_dir.name))}")
            for issue_dir in self.same_width(issue_dirs, "issue folder", ISSUE_FOLDER_RULE):
                issue = self.load_issue(issue_dir, int(year_dir.name), int(issue_dir.name), site)
                if issue is not None:
                    issues.append(issue)
        return Gazette(issues=tuple(issues))

    def load_issue(self, folder: Path, year: int, number: int, site: Site | None) -> Issue | None:
        path = folder / "issue.yml"
        notices, named = [], []
        for entry in self.entries(folder):
            if entry.suffix == ".md":
                self.present.add(f"notices:{issue_id(year, number)}")
                if not re.fullmatch(NOTICE_NAME, entry.name):
                    self.report(Kind.BAD_NAME, entry, what="notice file", name=entry.name, rule=NOTICE_FILE_RULE)
                    continue
                named.append(entry)
        for entry in self.same_width(named, "notice file", NOTICE_FILE_RULE):
            notice = self.load_notice(entry, year, number, site)
            if notice is not None:
                notices.append(notice)
            else:  # reported; a reference to it (corrects: …) is not reported again as unknown
                self.present.add(f"broken-notice:{relative(entry, self.root)}")
        if not path.is_file():
            self.report(Kind.MISSING_FILE, folder, what="issue file", value=f"{relative(folder, self.root)}/issue.yml")
            return None
        doc = self.yaml(path)
        if doc is None:
            return None
        issue = Reader(doc, self.problems).read(Issue, doc.node, year=year, number=number, notices=tuple(notices), source=doc.source)
        return None if issue is INVALID else issue

    def same_width(self, entries: list[Path], what: str, rule: str) -> list[Path]:
        """The entries of one folder numbered with the same number of digits: three if any number is over
        99, else as most of them (all, normally); the others are reported, so that names sort as they
        are numbered (``099`` before ``100``)."""
        widths = Counter(len(entry.name.split("-", 1)[0]) for entry in entries)  # names match NUMBER or NOTICE_NAME
        if len(widths) < 2:
            return entries
        numbers = [int(entry.name.split("-", 1)[0]) for entry in entries]
        width = number_width(max(numbers)) if max(numbers) > 99 else max(widths, key=lambda w: (widths[w], -w))
        kept = []
        for entry in entries:
            digits = entry.name.split("-", 1)[0]
            if len(digits) == width:
                kept.append(entry)
            else:
                self.report(Kind.BAD_NAME, entry, what=what, name=entry.name,
                            rule=f"the other names in {relative(entry.parent, self.root)} have {width} digits; "
                                 f"use {width} here too ('{int(digits):0{width}d}'). {rule}")
        return kept

    def load_notice(self, path: Path, year: int, number: int, site: Site | None) -> Notice | None:
        """One notice file: what the file alone says (kept by :mod:`~generator.reading.memo` under a
        hash of its bytes, place and the site's categories), then its attachments, looked up on disk."""
        data = self.memo_bytes(path)
        if data is None:
            read = self.read_notice(path, site)
        else:
            assert self.memo is not None
            where_ = path.as_posix()
            where_ = where_[len(self.root.as_posix()) + 1:] if where_.startswith(self.root.as_posix() + "/") else where_
            if self.categories is None or self.categories[0] is not site:  # all that reading a notice uses of site.yml
                self.categories = (site, self.memo.base("notice", None if site is None else
                                                        [(c.slug, c.name.zh_hant, c.name.en) for c in site.categories]))
            key = self.memo.key(self.categories[1], where_, year, number, data)
            self.memo.keys[where_] = key
            entry = self.memo.entry(key)
            if "read" not in entry:
                mark = len(self.problems)
                found = self.read_notice(path, site, data)
                if keeps(self.problems[mark:]):
                    entry["read"] = (self.problems[mark:], None if found is None else found[:3])
            else:
                problems, kept = entry["read"]
                self.problems.extend(problems)
                found = None if kept is None else (*kept, _body(data, kept[2][1]))
            read = found
        if read is None:
            return None
        values, where, (ok, body_line, source), body = read[0], read[1], read[2], read[3]
        values = dict(values)
        attachments = []
        for attachment in values.get("attachments", ()):
            target = self.reference(path.parent, attachment.file, attachment.where["file"], "attachment")
            if target is not None and not self.file_type(target, attachment.where["file"], "attachment", ATTACHMENT_TYPES):
                target = None
            ok &= target is not None
            if target is not None:
                attachment = dataclasses.replace(attachment, path=relative(target, self.root), size=target.stat().st_size)
            attachments.append(attachment)
        values["attachments"] = tuple(attachments)
        if not ok:
            return None
        match = re.fullmatch(NOTICE_NAME, path.name)
        assert match is not None, "load_issue reads only files named like a notice"
        return Notice(**values, where=MappingProxyType(where), year=year, issue=number, seq=int(match["seq"]),
                      slug=match["slug"], body=body, body_line=body_line, source=source)

    def memo_bytes(self, path: Path) -> bytes | None:
        """The bytes of a file to read through the memo; None without a memo, or for a file the
        plain reading reports (unreadable, too large)."""
        if self.memo is None:
            return None
        try:  # one open and read, no stat of its own (issue 12: 11,000 of them at 10,000 notices)
            with open(path, "rb") as file:
                data = file.read(TEXT_LIMIT + 1)
        except OSError:
            return None
        return data if len(data) <= TEXT_LIMIT else None

    def read_notice(self, path: Path, site: Site | None, data: bytes | None = None) \
            -> tuple[dict[str, Any], dict[str, Source], tuple[bool, int, Source], str] | None:
        """What a notice file alone says: its values, their places, (whether it is valid so far, the
        line its body starts on, its source) and its body; None when it cannot be read at all."""
        text = read_text(path, self.root, self.problems, data=data)
        parsed = None if text is None else split_front_matter(text, self.problems)
        if parsed is None:
            return None
        reader = Reader(parsed.front, self.problems)
        result = reader.fields(Notice, parsed.front.node, "front matter")
        if result is None:
            return None
        values, where = result
        ok = True
        if site is not None:
            category = site.category(values["category"])
            if category is None:
                names = [c.name.zh_hant for c in site.categories] + [c.slug for c in site.categories]
                self.report(Kind.UNKNOWN_REFERENCE, where["category"], what="category", value=values["category"],
                            hint=hint(values["category"], names) or f" (one of {', '.join(c.name.zh_hant for c in site.categories)})")
                ok = False
            else:
                values["category"] = category.slug
        if not parsed.body.strip():
            self.report(Kind.EMPTY_VALUE, parsed.front.source.at(parsed.body_line), key="body (the text after the front matter)")
            ok = False
        return values, dict(where), (ok, parsed.body_line, parsed.front.source), parsed.body

    def load_yearbooks(self) -> Iterator[Book]:
        for folder in self.entries(self.content / "yearbook"):
            if not (folder.is_dir() and re.fullmatch(r"\d{4}", folder.name)):
                self.report(Kind.BAD_NAME, folder, what="entry", name=folder.name, rule="the yearbook holds one folder per edition, named YYYY")
                continue
            book = self.load_book(folder)
            if book is not None:
                yield book

    def load_book(self, folder: Path) -> Book | None:
        path = folder / "book.yml"
        if not path.is_file():
            self.report(Kind.MISSING_FILE, folder, what="file", value=f"{relative(folder, self.root)}/book.yml")
            return None
        doc = self.yaml(path)
        chapters = {language: self.load_chapters(folder / language, language) for language in LANGUAGES}
        if doc is None:
            return None
        book = Reader(doc, self.problems).read(Book, doc.node, year=int(folder.name), source=doc.source)
        if book is INVALID:
            return None
        cover = self.reference(folder, book.cover.file, book.cover.where["file"], "cover image")
        ok = cover is not None and self.file_type(cover, book.cover.where["file"], "cover image", IMAGE_TYPES)
        self.image_folder(folder / "images")  # reported; the book itself still loads
        tables = {}
        for table_id, table in book.tables.items():
            loaded = self.load_table(folder, table)
            ok &= loaded is not None
            tables[table_id] = loaded or table
        contents = {}
        for language in LANGUAGES:
            order = [entry.chapter for entry in book.chapters]
            found = chapters[language]
            contents[language] = tuple(found[name] for name in order if name in found)
            for name, chapter in found.items():
                if name not in order:
                    self.report(Kind.UNKNOWN_REFERENCE, chapter.source, what="chapter", value=name,
                                hint=f" in the chapters of {relative(path, self.root)}; add it there")
                    ok = False
        if not ok:
            return None
        return dataclasses.replace(book, tables=MappingProxyType(tables), contents=MappingProxyType(contents))

    def load_chapters(self, folder: Path, language: str) -> dict[str, Chapter]:
        chapters = {}
        for path in self.entries(folder):
            if not re.fullmatch(CHAPTER_NAME + r"\.md", path.name):
                self.report(Kind.BAD_NAME, path, what="chapter file", name=path.name,
                            rule="name it <NN>-<slug>.md, e.g. 03-population.md")
                continue
            self.present.add(f"chapter:{folder.parent.name}/{language}/{path.stem}")
            parsed = self.front_matter(path)
            if parsed is None:
                continue
            chapter = Reader(parsed.front, self.problems).read(
                Chapter, parsed.front.node, "front matter", language=language, name=path.stem,
                body=parsed.body, body_line=parsed.body_line, source=parsed.front.source)
            if chapter is not INVALID:
                chapters[path.stem] = chapter
        return chapters

    def load_table(self, folder: Path, table: StatTable) -> StatTable | None:
        where = table.where["file"]
        path = self.reference(folder, table.file, where, "table")
        if path is None:
            return None
        text = read_text(path, self.root, self.problems, limit=ASSET_LIMIT)
        if text is None:
            return None
        found = characters(text.text, text.source)  # no tabs either
        self.problems.extend(found)
        ok = not errors_in(found)
        rows: list[tuple[str, ...]] = []
        lines: list[int] = []
        line = 1
        reader = csv.reader(io.StringIO(text.text))
        try:
            for row in reader:
                if any(len(cell) > CELL_LIMIT for cell in row):
                    # Our own limit, not only the csv module's: that one is process-wide and other
                    # libraries (frictionless) raise it, so the answer would depend on what ran before.
                    raise csv.Error(f"a cell is longer than {CELL_LIMIT} characters")
                if row:
                    rows.append(tuple(cell.strip() for cell in row))
                    lines.append(line)  # the line the row starts on (a quoted cell may hold line breaks)
                line = reader.line_num + 1
        except csv.Error as exc:  # a cell over the csv module's field limit (128 KiB)
            self.report(Kind.BAD_TABLE, text.source.at(line), reason=f"cannot read the row: {exc}")
            return None
        if not rows:
            self.report(Kind.BAD_TABLE, text.source, reason="the table is empty; its first row names the columns")
            return None
        cells = _Cells(text)
        header, body = rows[0], rows[1:]
        for column, name in enumerate(header):
            if name not in table.columns:
                self.report(Kind.BAD_TABLE, cells.at(lines[0], column),
                            reason=f"column '{name}' is not described under 'columns' of the table in book.yml")
                ok = False
        for name in table.columns:
            if name not in header:
                self.report(Kind.BAD_TABLE, table.where["columns"], reason=f"column '{name}' is not in {table.file}")
                ok = False
        for line, values in zip(lines[1:], body, strict=True):
            if len(values) != len(header):
                self.report(Kind.BAD_TABLE, text.source.at(line), reason=f"row has {len(values)} cells; the header has {len(header)}")
                ok = False
        if not ok:
            return None
        loaded = dataclasses.replace(table, header=header, rows=tuple(body))
        return loaded if self.table_cells(loaded, lines[1:], cells) else None

    def table_cells(self, table: StatTable, lines: list[int], cells: _Cells) -> bool:
        """The cells of a statistics table: numbers written plain, no stray text in a number column
        (it would silently make the whole column text), no text starting like a spreadsheet formula."""
        ok = True
        for index, name in enumerate(table.header):
            numbers, text = 0, []  # text: the (row, cell) of the text cells not reported yet
            for row, cell in enumerate(table.rows):
                value = cell[index]
                if not value or is_number(value):
                    numbers += bool(value)
                elif (written := misspelt_number(value)) and not table.label_column(index):
                    numbers += 1
                    self.report(Kind.BAD_NUMBER, cells.at(lines[row], index), value=value, column=name,
                                plain=written[0], how=written[1])
                    ok = False
                elif formula := formula_start(value):
                    self.report(Kind.FORMULA_START, cells.at(lines[row], index), **formula)
                    ok = False
                else:
                    text.append((row, value))
            if text and not table.label_column(index) and numbers >= len(text):
                row, value = text[0]
                self.report(Kind.MIXED_COLUMN, cells.at(lines[row], index), value=value, column=name, count=numbers,
                            s="s" * (numbers != 1), are="are" if numbers != 1 else "is")
                ok = False
        return ok


def _body(data: bytes, body_line: int) -> str:
    """The body of a notice file read before (its lines from ``body_line`` on), as :func:`read_text`
    and :func:`split_front_matter` give it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(lines[body_line - 1:])


class _Cells:
    """Where the cells of a CSV file are: the line and column of a row's n-th cell (worked out only
    for the rows a problem is reported in)."""

    _FIELD = re.compile(r'[ \t]*+(?:"(?:[^"]|"")*+"[^,\n]*|[^,\n]*)')

    def __init__(self, text: Text):
        self.text = text
        self._starts: list[int] = []  # the offset of each line
        self._rows: dict[int, list[int]] = {}  # a row's first line -> the offset of each of its cells

    def at(self, line: int, index: int) -> Source:
        text = self.text.text
        if not self._starts:
            self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        if line not in self._rows:
            cells, pos = [], self._starts[line - 1]
            while True:
                field = self._FIELD.match(text, pos)
                assert field is not None, "the pattern matches the empty string"
                cells.append(pos + len(field[0]) - len(field[0].lstrip(" \t")))  # the cell's first character
                pos = field.end()
                if pos >= len(text) or text[pos] != ",":
                    break
                pos += 1
            self._rows[line] = cells
        pos = self._rows[line][min(index, len(self._rows[line]) - 1)]
        line = bisect.bisect_right(self._starts, pos)
        return self.text.source.at(line, pos - self._starts[line - 1] + 1)


def load(root: Path, memo: Memo | None = None) -> tuple[Content | None, list[Problem], set[str]]:
    """Read ``root/content``: the model (None without a usable site.yml), every problem, what is
    present; ``memo``: what earlier runs read from each notice file (:mod:`generator.reading.memo`)."""
    loader = Loader(root=root.resolve(), content=(root / "content").resolve(), memo=memo)
    model = loader.load()
    return model, loader.problems, loader.present
