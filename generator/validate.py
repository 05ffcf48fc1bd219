"""Rules across files: issue numbering and dates, references, translations, images in Markdown.

Each rule is a generator of problems over the loaded model; :func:`validate` runs them all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .errors import Kind, Problem, Source
from .model import Book, Content, Notice
from .model.common import LANGUAGES
from .schema import hint
from .validate_datasets import dataset_rules
from .validate_directory import directory_rules

_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_TABLE = re.compile(r"^\{\{\s*table:\s*(?P<id>[^\s}]+)\s*\}\}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
#: Markup that can run script, with what the message calls it.
_UNSAFE = [
    (re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|applet|base|form|meta|link|style|svg|math)\b", re.I),
     lambda m: f"raw HTML <{m[1].lower()}>", 0),
    (re.compile(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.I), lambda m: f"the event attribute '{m[1].lower()}='", 1),
    (re.compile(r"(?:\]\(|=\s*[\"']?|<)\s*((?:java|vb)script|data)\s*:", re.I), lambda m: f"a '{m[1].lower()}:' link", 1),
]  # (pattern, what it is, the group whose position is reported)


def validate(content: Content, root: Path, present: set[str] = frozenset()) -> list[Problem]:
    """Every cross-file problem. ``present`` names items that exist but failed to load (already
    reported): they are not reported missing again."""
    rules = (issue_numbers, issue_dates, notice_rules, directory_rules, yearbook_rules, dataset_rules)
    return [problem for rule in rules for problem in rule(content, root, present)]


def issue_numbers(content: Content, root: Path, present: set[str]) -> Iterator[Problem]:
    previous: dict[int, int] = {}
    for issue in content.gazette.issues:  # sorted by year then number: folder names sort
        expected = previous.get(issue.year, 0) + 1
        while expected < issue.number and f"issue:{issue.year}/{expected:02d}" in present:
            expected += 1  # that issue exists but failed to load
        if issue.number != expected:
            yield Problem.of(Kind.ISSUE_GAP, issue.source, number=issue.number, year=issue.year, previous=expected - 1)
        previous[issue.year] = issue.number
        if not issue.notices and f"notices:{issue.id}" not in present:
            yield Problem.of(Kind.EMPTY_ISSUE, issue.source, year=issue.year, number=issue.number)


def issue_dates(content: Content, root: Path, present: set[str]) -> Iterator[Problem]:
    days = content.site.gazette.days
    last: dict[int, dt.date] = {}
    for issue in content.gazette.issues:
        where = issue.where["date"]
        if issue.date.year != issue.year:
            yield Problem.of(Kind.ISSUE_DATE, where, reason=f"publication date {issue.date} is not in {issue.year}, the year of the folder")
        elif issue.year in last and issue.date <= last[issue.year]:
            yield Problem.of(Kind.ISSUE_DATE, where, reason=f"publication date {issue.date} is not after {last[issue.year]}, the date of the issue before")
        if issue.date.day not in days:
            yield Problem.of(Kind.OFF_SCHEDULE, where, date=issue.date, days=" or ".join(map(str, days)))
        last[issue.year] = issue.date
        for notice in issue.notices:
            if notice.issued > issue.date:
                yield Problem.of(Kind.ISSUE_DATE, notice.where["issued"],
                                 reason=f"issued {notice.issued}, after the issue's publication date {issue.date}")


def notice_rules(content: Content, root: Path, present: set[str]) -> Iterator[Problem]:
    agencies = {agency.id for agency in content.directory.agencies}
    doc_numbers: dict[str, Notice] = {}
    for issue in content.gazette.issues:
        positions: dict[int, Notice] = {}
        for notice in issue.notices:
            if notice.seq in positions:
                yield Problem.of(Kind.DUPLICATE, notice.source, what="position", value=f"{notice.seq:02d}",
                                 first=positions[notice.seq].source.path)
            positions.setdefault(notice.seq, notice)
            key = re.sub(r"\s+", "", notice.doc_number)
            if key in doc_numbers:
                yield Problem.of(Kind.DUPLICATE, notice.where["doc_number"], what="document number",
                                 value=notice.doc_number, first=doc_numbers[key].where["doc_number"])
            doc_numbers.setdefault(key, notice)
            if notice.agency not in agencies and f"agency:{notice.agency}" not in present:
                yield Problem.of(Kind.UNKNOWN_REFERENCE, notice.where["agency"], what="agency", value=notice.agency,
                                 hint=hint(notice.agency, agencies) or " in content/directory/")
            yield from markdown_images(notice.body, notice.source, notice.body_line, root)
            yield from unsafe_markup(notice.body, notice.source, notice.body_line)


def yearbook_rules(content: Content, root: Path, present: set[str]) -> Iterator[Problem]:
    for book in content.yearbooks:
        for entry in book.chapters:
            for language in LANGUAGES:
                names = {chapter.name for chapter in book.chapters_in(language)}
                missing = entry.chapter not in names and f"chapter:{book.year}/{language}/{entry.chapter}" not in present
                if missing and language not in entry.not_translated:
                    expected = PurePosixPath(book.source.path.parent, language, entry.chapter + ".md")
                    yield Problem.of(Kind.MISSING_TRANSLATION, entry.where["chapter"], chapter=entry.chapter,
                                     language=language, expected=str(expected))
        for language in LANGUAGES:
            for chapter in book.chapters_in(language):
                yield from markdown_images(chapter.body, chapter.source, chapter.body_line, root)
                yield from unsafe_markup(chapter.body, chapter.source, chapter.body_line)
                yield from table_references(book, chapter.body, chapter.source, chapter.body_line)


def _body_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Numbered lines of a Markdown body, skipping fenced code blocks."""
    fenced = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def unsafe_markup(body: str, source: Source, first_line: int) -> Iterator[Problem]:
    """Raw HTML or links that could run script: refused where they are, outside code."""
    for number, line in _body_lines(body, first_line):
        text = _CODE_SPAN.sub(lambda m: " " * len(m[0]), line)  # code spans show markup, they don't run it
        for pattern, what, group in _UNSAFE:
            for match in pattern.finditer(text):
                yield Problem.of(Kind.UNSAFE_MARKUP, source.at(number, match.start(group) + 1), what=what(match))


def markdown_images(body: str, source: Source, first_line: int, root: Path) -> Iterator[Problem]:
    """Every image has alt text and a file inside content/ (relative to the Markdown file)."""
    content_root = (root / "content").resolve()
    folder = root / Path(*source.path.parent.parts)
    for number, line in _body_lines(body, first_line):
        for match in _IMAGE.finditer(line):
            where = source.at(number, match.start() + 1)
            target = match["target"]
            if not match["alt"].strip():
                yield Problem.of(Kind.MISSING_ALT, where, value=target)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                yield Problem.of(Kind.OUTSIDE_CONTENT, where, what="image", value=target,
                                 reason="an image from the web can change or vanish, and e-books are built offline; "
                                        "put the file in content/ and link it relative to this file")
                continue
            path = folder / target
            if PurePosixPath(target).is_absolute() or not Path(_normal(path)).is_relative_to(content_root):
                yield Problem.of(Kind.OUTSIDE_CONTENT, where, what="image", value=target, reason="write a path inside content/, relative to this file")
            elif not path.resolve().is_relative_to(content_root):
                yield Problem.of(Kind.OUTSIDE_CONTENT, where, what="image", value=target, reason="it is a link to a file outside")
            elif not path.is_file():
                yield Problem.of(Kind.MISSING_FILE, where, what="image", value=target)


def _normal(path: Path) -> str:
    return os.path.normpath(path.absolute())


def table_references(book: Book, body: str, source: Source, first_line: int) -> Iterator[Problem]:
    for number, line in _body_lines(body, first_line):
        if match := _TABLE.match(line):
            if match["id"] not in book.tables:
                yield Problem.of(Kind.UNKNOWN_REFERENCE, source.at(number, line.index(match["id"]) + 1), what="table",
                                 value=match["id"], hint=hint(match["id"], book.tables) or " under 'tables' in book.yml")
