"""Reading the national Executive Yuan gazette's daily open-data XML (行政院公報資訊網).

Each file is one publication day, named ``YYY-MM-DD.xml`` by its ROC date (``095-01-02.xml``), and
holds a ``<Gazette>`` of ``<Record>``s whose fields are CDATA: ``MetaId``, ``Chapter``, ``PubGov``,
``PubGovName``, ``Officer_name``, ``Date_Created`` (``中華民國94年12月26日``), ``GazetteId``, ``Title``,
``TitleEnglish``, ``Keyword``, ``Explain``, ``HTMLContent``, …

:func:`read_day` turns a file into :class:`Record`\\ s: every value as the project's content holds it
(dates as dates, lists split, text folded to one line, the body as Markdown), or a problem naming the
file, the record's line and its MetaId. What it had to change to make a value acceptable to ``check``
is reported as a warning (``import-changed``), never silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from lxml import etree

from generator.errors import Kind, Problem, Source
from generator.importing.htmltext import escape_line, fold, one_line, to_markdown
from generator.reading.yamlio import _CONTROL_OR_TAB, _PRIVATE_USE, char_name
from generator.spreadsheet import runs_as_formula

#: A day's file name: its ROC date.
DAY_FILE = re.compile(r"(?P<year>\d{2,3})-(?P<month>\d{2})-(?P<day>\d{2})\.xml")
_ROC_DATE = re.compile(r"\s*(?:中華民國|民國)?\s*(?P<year>\d{1,3})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*")
#: Lists inside a field (agencies, numbers, keywords): ';' as documented, and the full-width '；' too.
_LIST = re.compile(r"[;；]")
#: The full-width twins of the characters a spreadsheet runs as a formula (what check suggests).
_FULL_WIDTH = MappingProxyType({"=": "＝", "+": "＋", "-": "－", "@": "＠"})
ROC_OFFSET = 1911


def substitute_number(meta_id: str) -> str:
    """The document number given to a record published without one: stable (from its MetaId, which the
    source never reuses), unique, and saying what it is on every page and in the data."""
    return f"無發文字號（行政院公報資料編號 {meta_id}）"


@dataclass
class Record:
    """One notice of the national gazette, its values as the project's content holds them."""

    source: Source  # the file and the line of its <Record>
    meta_id: str
    day: dt.date  # publication day: the file's
    title: str
    title_en: str | None
    chapter: str
    agencies: tuple[str, ...]  # names, the lead first
    doc_numbers: tuple[str, ...]
    issued: dt.date
    signer: str | None
    keywords: tuple[str, ...]
    body: str
    notes: list[str] = field(default_factory=list)  # what was changed to fit, reported as warnings


def roc_date(text: str) -> dt.date | None:
    """``中華民國94年12月26日`` -> 2005-12-26 (None if it is not such a date)."""
    match = _ROC_DATE.fullmatch(text)
    if not match:
        return None
    try:
        return dt.date(int(match["year"]) + ROC_OFFSET, int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def file_day(path: Path) -> dt.date | None:
    match = DAY_FILE.fullmatch(path.name)
    if not match:
        return None
    try:
        return dt.date(int(match["year"]) + ROC_OFFSET, int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def display(path: Path) -> PurePosixPath:
    """A file named on the command line, as messages show it (relative to the working folder if inside)."""
    try:
        return PurePosixPath(path.resolve().relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return PurePosixPath(path.resolve().as_posix())


class _Cleaner:
    """Takes out what check refuses (control characters), keeps what it only warns about (private-use
    characters: only an editor can tell the standard character), and notes both."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def text(self, value: str, name: str) -> str:
        removed = sorted({char_name(m[0]) for m in _CONTROL_OR_TAB.finditer(value) if m[0] != "\t"})
        if removed:
            self.notes.append(f"{name}: removed {', '.join(removed)} (check refuses control characters)")
            value = _CONTROL_OR_TAB.sub(lambda m: " " if m[0] in "\t\u2028\u2029" else "", value)
        kept = sorted({char_name(m[0]) for m in _PRIVATE_USE.finditer(value)})
        if kept:
            self.notes.append(f"{name}: kept {', '.join(kept)}: a private-use character, shown only with the font it was made "
                              "for; check warns until an editor types the standard character")
        return value

    def line(self, value: str | None, name: str) -> str:
        """A one-line value (a title, a name, a number): cleaned, folded, not starting like a formula."""
        text = one_line(self.text(value or "", name))
        if text and runs_as_formula(text) and text[0] in _FULL_WIDTH:
            self.notes.append(f"{name}: the leading '{text[0]}' is written full-width '{_FULL_WIDTH[text[0]]}' "
                              "(a spreadsheet would run it as a formula)")
            text = _FULL_WIDTH[text[0]] + text[1:]
        return text

    def items(self, value: str | None, name: str) -> tuple[str, ...]:
        """A ``;``-separated list: each item cleaned, empty ones and repeats left out, in order."""
        items = (self.line(item, name) for item in _LIST.split(value or ""))
        return tuple(dict.fromkeys(item for item in items if item))


def _body(record: dict[str, str], cleaner: _Cleaner) -> str:
    converted = to_markdown(cleaner.text(record.get("HTMLContent", ""), "HTMLContent"))
    body = converted.markdown
    if converted.images:
        names = ", ".join(dict.fromkeys(converted.images))
        cleaner.notes.append(f"HTMLContent: {len(converted.images)} image(s) not imported ({names}): the text marks "
                             "where each was; attach the file if the notice needs it")
    if not body.strip() and (explain := cleaner.text(record.get("Explain", ""), "Explain").strip()):
        cleaner.notes.append("HTMLContent has no text: the body is the record's summary (Explain)")
        body = "\n\n".join(escape_line(p) for p in (fold(line).strip(" \u3000") for line in explain.splitlines()) if p) + "\n"
    for char, full in _FULL_WIDTH.items():  # escape_line wrote it as a character reference; the plain text
        if body.startswith(f"&#{ord(char)};"):  # of the open data would still start a formula
            cleaner.notes.append(f"HTMLContent: the leading '{char}' is written full-width '{full}' (a spreadsheet would run it as a formula)")
            body = full + body[len(f"&#{ord(char)};"):]
    return body


def convert(fields: dict[str, str], day: dt.date, source: Source) -> Record | Problem:
    """One ``<Record>``'s fields as a :class:`Record`, or the problem that prevents it."""
    meta_id = one_line(fields.get("MetaId", ""))

    def problem(reason: str) -> Problem:
        return Problem.of(Kind.IMPORT_RECORD, source, meta_id=meta_id or "(none)", reason=reason)

    if not re.fullmatch(r"\d{1,12}", meta_id):
        return problem("MetaId must be a number: it names the notice's file and makes the import repeatable")
    cleaner = _Cleaner()
    title = cleaner.line(fields.get("Title"), "Title")
    if not title:
        return problem("Title is empty")
    chapter = cleaner.line(fields.get("Chapter"), "Chapter")
    if not chapter:
        return problem("Chapter is empty: it gives the notice's category")
    agencies = cleaner.items(fields.get("PubGovName"), "PubGovName") or cleaner.items(fields.get("PubGov"), "PubGov")
    if not agencies:
        return problem("neither PubGovName nor PubGov names the issuing agency")
    issued = roc_date(fields.get("Date_Created", ""))
    if issued is None:
        return problem(f"Date_Created '{fold(fields.get('Date_Created', '')).strip()}' is not a date such as 中華民國95年1月2日")
    if issued > day:
        return problem(f"Date_Created {issued} is after the day the file publishes it, {day}")
    numbers = cleaner.items(fields.get("GazetteId"), "GazetteId")
    if not numbers:
        numbers = (substitute_number(meta_id),)
        cleaner.notes.append(f"GazetteId is empty: the document number is '{numbers[0]}'")
    body = _body(fields, cleaner)
    if not body.strip():
        return problem("HTMLContent and Explain hold no text")
    return Record(source=source, meta_id=meta_id, day=day, title=title,
                  title_en=cleaner.line(fields.get("TitleEnglish"), "TitleEnglish") or None, chapter=chapter,
                  agencies=agencies, doc_numbers=numbers, issued=issued,
                  signer=cleaner.line(fields.get("Officer_name"), "Officer_name") or None,
                  keywords=cleaner.items(fields.get("Keyword"), "Keyword"), body=body, notes=cleaner.notes)


def read_day(path: Path) -> tuple[list[Record], list[Problem]]:
    """Every record of one day's file, or the problems: a file that is not a day's gazette XML is one
    problem at its line and column; a record that cannot be converted is one problem at its line."""
    where = Source(display(path))
    day = file_day(path)
    if day is None:
        return [], [Problem.of(Kind.IMPORT_FILE, where, reason="name the file by its day, as the gazette does: "
                                                                "YYY-MM-DD.xml in the ROC calendar, e.g. 095-01-02.xml")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Problem.of(Kind.IMPORT_FILE, where, reason=f"cannot read it: {exc.strerror or exc}")]
    data, removed = _without_c0(data, where)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False, strip_cdata=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 1)
        reason = re.sub(r", line \d+, column \d+$", "", exc.msg or str(exc))
        return [], [Problem.of(Kind.IMPORT_FILE, where.at(line or 1, column or 1), reason=f"not well-formed XML: {reason}")]
    if root.tag != "Gazette":
        return [], [Problem.of(Kind.IMPORT_FILE, where.at(root.sourceline or 1),
                               reason=f"the root element is <{root.tag}>, not <Gazette>: not a day of the gazette's open data")]
    records: list[Record] = []
    problems: list[Problem] = removed
    for element in _records(root):
        fields = {child.tag: child.text or "" for child in element if isinstance(child.tag, str)}
        result = convert(fields, day, where.at(element.sourceline or 1))
        if isinstance(result, Problem):
            problems.append(result)
        else:
            records.append(result)
    return records, problems


_C0 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _without_c0(data: bytes, where: Source) -> tuple[bytes, list[Problem]]:
    """The file without the C0 control characters that XML 1.0 does not allow (not even in CDATA) and
    content refuses: they come with text pasted from other programs; each line's first is reported."""
    found: list[Problem] = []
    last_line = 0
    for match in _C0.finditer(data):
        line = data.count(b"\n", 0, match.start()) + 1
        if line != last_line:
            column = len(data[data.rfind(b"\n", 0, match.start()) + 1:match.start()].decode("utf-8", "replace")) + 1
            found.append(Problem.of(Kind.IMPORT_FILE_CHANGED, where.at(line, column), note=f"removed {char_name(chr(match[0][0]))} (XML and content refuse control characters)"))
            last_line = line
    return (_C0.sub(b"", data), found) if found else (data, found)


def _records(root: etree._Element) -> Iterator[etree._Element]:
    for element in root:
        if element.tag == "Record":
            yield element
