"""Rules across files: issue numbering and dates, references, translations, images in Markdown.

Each rule is a generator of problems over the loaded model; :func:`validate` runs them all.
"""

from __future__ import annotations

import bisect
import functools
import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path, PurePosixPath

from generator.errors import Kind, Problem, Source
from generator.model import Book, Content, Notice
from generator.model.common import IMAGE_LINK, IMAGE_TYPES, LANGUAGES, URL_SCHEME
from generator.model.gazette import issue_id
from generator.model.yearbook import TABLE_PLACEHOLDER
from generator.model.schema import formula_start, hint, item_where
from generator.checking.dataset_rules import dataset_rules
from generator.checking.directory_rules import directory_rules
from generator.reading import paths
from generator.reading.memo import Memo

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_CLOSING_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*$")
_TICKS = re.compile(r"`+")
#: A line starting with an HTML tag: Python-Markdown may pass it, and what follows, through as raw HTML,
#: where backticks make no code span.
_HTML_LINE = re.compile(r"^ {0,3}<[a-zA-Z]")

# -- markup that could run script (every pattern linear in the text: see unsafe_markup) --------------

#: Elements that run or load script or restyle the page, refused wherever they appear.
_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|applet|base|form|meta|link|style|svg|math"
                         r"|noscript|template|portal)\b", re.I)
#: URL schemes that run script or carry a page of their own.
_UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
#: Text that may be a scheme followed by ':' (letters, digits, entities, spaces; ':' itself or encoded).
#: Possessive spaces: backtracking into a long run of them would be quadratic.
_SCHEMEISH = r"""\s*+["'<]?\s*+[a-zA-Z&][a-zA-Z0-9&#;\s]*?(?::|&colon;?|&\#0*58;?|&\#[xX]0*3[aA];?)"""
_MARKUP = re.compile(rf"""
    (?P<url>\]\(|\]:|<|=)(?={_SCHEMEISH})         # where a link target or an attribute value starts
  | (?P<tag><[a-zA-Z])                             # an HTML tag may start here
  | (?P<open>\{{) | (?P<close>\}}) | (?P<nl>\n)    # attr_list's {{: key=value }} lies within a line
  | (?<=[\s"'/{{:])(?P<event>[oO][nN][a-zA-Z]+)\s*=      # an event attribute, if inside a tag or {{…}}
""", re.X)
#: One piece of a URL's scheme: spaces, an entity (decoded), or a character.
_SCHEME_PART = re.compile(r"\s+|&\#[xX]0*([0-9a-fA-F]{1,6});?|&\#0*([0-9]{1,7});?|&([a-zA-Z][a-zA-Z0-9]{0,31});?|(.)", re.S)
_URL_START = re.compile(r"""\s*["'<]?""")


def validate(content: Content, root: Path, present: AbstractSet[str] = frozenset(), memo: Memo | None = None) -> list[Problem]:
    """Every cross-file problem. ``present`` names items that exist but failed to load (already
    reported): they are not reported missing again. ``memo``: what the rules on one notice's body
    alone found in an earlier run, kept by the file's bytes (see :func:`notice_rules`)."""
    rules = (issue_numbers, issue_dates, functools.partial(notice_rules, memo=memo), notice_relations, directory_rules,
             yearbook_rules, dataset_rules)
    return [problem for rule in rules for problem in rule(content, root, present)]


def issue_numbers(content: Content, root: Path, present: AbstractSet[str]) -> Iterator[Problem]:
    previous: dict[int, int] = {}
    for issue in content.gazette.issues:  # sorted by year then number: folder names sort
        expected = previous.get(issue.year, 0) + 1
        while expected < issue.number and f"issue:{issue_id(issue.year, expected)}" in present:
            expected += 1  # that issue exists but failed to load
        if issue.number != expected:
            yield Problem.of(Kind.ISSUE_GAP, issue.source, number=issue.number, year=issue.year, previous=expected - 1)
        previous[issue.year] = issue.number
        if not issue.notices and f"notices:{issue.id}" not in present:
            yield Problem.of(Kind.EMPTY_ISSUE, issue.source, year=issue.year, number=issue.number)


def issue_dates(content: Content, root: Path, present: AbstractSet[str]) -> Iterator[Problem]:
    settings = content.site.gazette
    schedule = settings.schedule
    last: dict[int, dt.date] = {}
    if "{volume" in settings.issue_label and not settings.first_volume_year:
        yield Problem.of(Kind.BAD_VALUE, settings.where["issue_label"], key="issue_label",
                         reason="it names the {volume}: set gazette.first_volume_year, the year of volume 1")
    for issue in content.gazette.issues:
        where = issue.where["date"]
        if issue.date.year != issue.year:
            yield Problem.of(Kind.ISSUE_DATE, where, reason=f"publication date {issue.date} is not in {issue.year}, the year of the folder")
        elif issue.year in last and issue.date <= last[issue.year]:
            yield Problem.of(Kind.ISSUE_DATE, where, reason=f"publication date {issue.date} is not after {last[issue.year]}, the date of the issue before")
        if not schedule.is_issue_day(issue.date):
            yield Problem.of(Kind.OFF_SCHEDULE, where, date=issue.date, schedule=schedule.describe())
        if (volume := settings.volume(issue.year)) is not None and volume < 1 and "{volume" in settings.issue_label:
            yield Problem.of(Kind.ISSUE_DATE, issue.source, reason=f"issue of {issue.year}, before volume 1 "
                             f"(first_volume_year {settings.first_volume_year} in site.yml): its label would name volume {volume}")
        last[issue.year] = issue.date
        for notice in issue.notices:
            if notice.issued > issue.date:
                yield Problem.of(Kind.ISSUE_DATE, notice.where["issued"],
                                 reason=f"issued {notice.issued}, after the issue's publication date {issue.date}")


def notice_rules(content: Content, root: Path, present: AbstractSet[str], memo: Memo | None = None) -> Iterator[Problem]:
    """Positions, document numbers and agencies across notices; and each body's markup. What a body
    alone gives (its unsafe markup, its start, the images it names) is kept in ``memo`` by the file's
    bytes; whether each image exists is looked up every time."""
    memo = memo or Memo.none()
    agencies = content.links.agencies
    doc_numbers: dict[str, Source] = {}  # where each number was first given
    for issue in content.gazette.issues:
        positions: dict[int, Notice] = {}
        for notice in issue.notices:
            if notice.seq in positions:
                yield Problem.of(Kind.DUPLICATE, notice.source, what="position", value=notice.source.path.name.split("-", 1)[0],
                                 first=positions[notice.seq].source.path)
            positions.setdefault(notice.seq, notice)
            for index, number in enumerate(notice.doc_numbers):
                # one key per number: the same number may not appear twice, in two notices or in one
                key = re.sub(r"\s+", "", number)
                if key in doc_numbers:
                    yield Problem.of(Kind.DUPLICATE, item_where(notice.where, "doc_numbers", index), what="document number",
                                     value=number, first=doc_numbers[key])
                doc_numbers.setdefault(key, item_where(notice.where, "doc_numbers", index))
            named: dict[str, Source] = {}
            for index, agency in enumerate(notice.agencies):
                where = item_where(notice.where, "agencies", index)
                if agency in named:
                    yield Problem.of(Kind.DUPLICATE, where, what="agency", value=agency, first=named[agency])
                named.setdefault(agency, where)
                if agency not in agencies and f"agency:{agency}" not in present:
                    yield Problem.of(Kind.UNKNOWN_REFERENCE, where, what="agency", value=agency,
                                     hint=hint(agency, agencies) or " in content/directory/")
            path = str(notice.source.path)
            images = memo.part(path, "images", lambda n=notice: list(image_links(n.body, n.source, n.body_line)))
            yield from image_files(images, notice.source, root)
            yield from memo.part(path, "markup", lambda n=notice: [*unsafe_markup(n.body, n.source, n.body_line),
                                                                    *body_start(n.body, n.source, n.body_line)])


def notice_relations(content: Content, root: Path, present: AbstractSet[str]) -> Iterator[Problem]:
    """What a notice corrects, amends or repeals (``corrects:`` …) names one notice published before it,
    by one of its document numbers or its id (2026/02/04)."""
    links = content.links
    order = {notice.id: index for index, notice in enumerate(content.gazette.notices)}
    failed = any(item.startswith("broken-notice:") for item in present)  # a notice that failed to load may be the one named
    numbers = [number for notice in content.gazette.notices for number in notice.numbers]
    for notice in content.gazette.notices:
        seen: set[str] = set()
        for relation, reference in notice.references():
            target = links.named(reference)
            if target is None:
                if not failed:
                    yield Problem.of(Kind.UNKNOWN_REFERENCE, reference.source, what=f"notice named in '{relation}'", value=reference.text,
                                     hint=hint(reference.text, numbers) or ": give a document number of the gazette, or a notice as 2026/02/04")
            elif target.id == notice.id:
                yield Problem.of(Kind.BAD_RELATION, reference.source, value=reference.text, reason="is this notice itself")
            elif order[target.id] > order[notice.id]:
                yield Problem.of(Kind.BAD_RELATION, reference.source, value=reference.text,
                                 reason=f"is notice {target.id}, published after this one: a notice can only {relation[:-1]} an earlier one")
            elif target.id in seen:
                yield Problem.of(Kind.BAD_RELATION, reference.source, value=reference.text, reason=f"names notice {target.id} a second time")
            else:
                seen.add(target.id)


def yearbook_rules(content: Content, root: Path, present: AbstractSet[str]) -> Iterator[Problem]:
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
                yield from body_start(chapter.body, chapter.source, chapter.body_line)
                yield from table_references(book, chapter.body, chapter.source, chapter.body_line)


def _code_lines(lines: list[str]) -> list[bool]:
    """Which lines are fenced code (the fences included), shown as written, never run. A fence counts
    only once closed, and ends at the first closing line of its character (the renderer may end it
    later, never earlier); inside, a line indented less than its fence is not code to the renderer."""
    after: dict[str, list[int | None]] = {"`": [None] * len(lines), "~": [None] * len(lines)}
    following: dict[str, int | None] = {"`": None, "~": None}  # the next closing line of each sort
    for index in range(len(lines) - 1, -1, -1):
        after["`"][index], after["~"][index] = following["`"], following["~"]
        if match := _CLOSING_FENCE.match(lines[index]):
            following[match[1][0]] = index
    code = [False] * len(lines)
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        end = after[match["fence"][0]][index] if match else None
        if match is None or end is None or (match["fence"][0] == "`" and "`" in lines[index][match.end():]):
            index += 1
            continue
        indent = len(match["indent"])
        for inside in range(index, end + 1):
            line = lines[inside]
            code[inside] = not line.strip() or len(line) - len(line.lstrip(" \t")) >= indent
        index = end + 1
    return code


def _body_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Numbered lines of a Markdown body, skipping fenced code blocks."""
    lines = body.split("\n")
    for number, (line, code) in enumerate(zip(lines, _code_lines(lines), strict=True), start=first_line):
        if not code:
            yield number, line


def _without_code(body: str) -> str:
    """The body with what shows as code blanked out (fenced blocks, code spans), positions kept. From
    the first line starting with an HTML tag on, code spans are kept: Python-Markdown may pass such a
    block through raw, backticks and all. A span is closed by as many backticks as opened it."""
    lines = body.split("\n")
    raw_html = False
    shown = []
    for line, code in zip(lines, _code_lines(lines), strict=True):
        if code:
            shown.append("")
            continue
        raw_html = raw_html or bool(_HTML_LINE.match(line))
        shown.append(line if raw_html or "`" not in line else _blank_code_spans(line))
    return "\n".join(shown)


def _blank_code_spans(line: str) -> str:
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    passed = dict.fromkeys(by_length, 0)  # how many runs of each length lie at or before the current one
    pieces, done, index = [], 0, 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        while passed[end - start] < len(same) and same[passed[end - start]] <= index:
            passed[end - start] += 1
        if (start and line[start - 1] == "\\") or passed[end - start] == len(same):
            index += 1  # escaped, or never closed: literal backticks
            continue
        closing = same[passed[end - start]]
        pieces += [line[done:start], " " * (runs[closing][1] - start)]
        done, index = runs[closing][1], closing + 1
    return "".join(pieces) + line[done:]


def unsafe_markup(body: str, source: Source, first_line: int) -> Iterator[Problem]:
    """Raw HTML, attributes and links that could run script, each where it is, outside code.

    Linear in the body: one regex finds the tags, one the places that matter, each reading on from
    where the last stopped. Event attributes (``on…=``) count after any HTML tag in the body or inside
    attr_list's ``{…}`` on a line (conservatively: prose never needs them); a link target or attribute
    value has its scheme read with entities decoded and white space dropped, at most a scheme's length."""
    text = _without_code(body)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(pos: int) -> Source:
        line = bisect.bisect_right(starts, pos)
        return source.at(first_line + line - 1, pos - starts[line - 1] + 1)

    for match in _UNSAFE_TAG.finditer(text):
        yield Problem.of(Kind.UNSAFE_MARKUP, where(match.start()), what=f"raw HTML <{match[1].lower()}>")
    seen_tag = in_braces = False
    for match in _MARKUP.finditer(text):
        token = match.lastgroup
        if token == "tag":
            seen_tag = True
        elif token in ("open", "close", "nl"):
            in_braces = token == "open"
        elif token == "event":
            if seen_tag or in_braces:
                yield Problem.of(Kind.UNSAFE_MARKUP, where(match.start("event")),
                                 what=f"the event attribute '{match['event'].lower()}='")
        elif match["url"] != "=" or seen_tag or in_braces:
            seen_tag = seen_tag or match["url"] == "<"
            if found := _scheme(text, match.end()):
                yield Problem.of(Kind.UNSAFE_MARKUP, where(found[1]), what=f"a '{found[0]}:' link")


def _scheme(text: str, pos: int) -> tuple[str, int] | None:
    """The refused scheme of a URL starting at ``pos``, and where it starts: entities decoded, white
    space dropped (browsers drop tabs and line breaks inside a URL), letters compared without case."""
    pos = _URL_START.match(text, pos).end()  # type: ignore[union-attr]  # it matches the empty string
    letters: list[str] = []
    start = None
    while len(letters) <= max(map(len, _UNSAFE_SCHEMES)):
        match = _SCHEME_PART.match(text, pos)
        if match is None:
            return None
        pos = match.end()
        if match[0][0].isspace():
            continue
        start = match.start() if start is None else start
        if match[1] or match[2]:
            code = int(match[1], 16) if match[1] else int(match[2])
            char = chr(code) if code <= 0x10FFFF else ""
        elif match[3]:
            char = html.unescape(f"&{match[3]};")
        else:
            char = match[4]
        if len(char) != 1:
            return None
        if char == ":":
            scheme = "".join(letters).lower()
            return (scheme, start) if scheme in _UNSAFE_SCHEMES else None
        if char.isspace() or ord(char) < 0x20:
            continue  # an encoded tab or line break (&Tab; &NewLine; &#10;)
        if not (char.isascii() and char.isalpha()):
            return None
        letters.append(char)
    return None


def body_start(body: str, source: Source, first_line: int) -> Iterator[Problem]:
    """The first line of a body must not start a spreadsheet formula: the open data's CSV gives the
    plain text of notices (a Markdown list item '- …' is fine: the plain text has no dash)."""
    for number, line in enumerate(body.split("\n"), start=first_line):
        if text := line.lstrip():
            if formula := formula_start(text, markdown=True):
                yield Problem.of(Kind.FORMULA_START, source.at(number, len(line) - len(text) + 1), **formula)
            return


def markdown_images(body: str, source: Source, first_line: int, root: Path) -> Iterator[Problem]:
    """Every image has alt text and a file inside content/ (relative to the Markdown file)."""
    return image_files(image_links(body, source, first_line), source, root)


def image_links(body: str, source: Source, first_line: int) -> Iterator[tuple[Source, str, str]]:
    """The images a Markdown body shows (outside code): where, alt text, target."""
    for number, line in _body_lines(body, first_line):
        for match in IMAGE_LINK.finditer(line):
            yield source.at(number, match.start() + 1), match["alt"], match["target"]


def image_files(images: Iterable[tuple[Source, str, str]], source: Source, root: Path) -> Iterator[Problem]:
    """Each image of :func:`image_links` has alt text and a file inside content/ (relative to the Markdown file)."""
    images = list(images)
    if not images:
        return
    content_root = (root / "content").resolve()
    folder = root / Path(*source.path.parent.parts)
    for where, alt, target in images:
        if not alt.strip():
            yield Problem.of(Kind.MISSING_ALT, where, value=target)
        if URL_SCHEME.match(target):
            yield Problem.of(Kind.OUTSIDE_CONTENT, where, what="image", value=target,
                             reason="an image from the web can change or vanish, and e-books are built offline; "
                                    "put the file in content/ and link it relative to this file")
            continue
        path = paths.target(folder, target)
        if reason := paths.leaves_content(folder, target, content_root):
            yield Problem.of(Kind.OUTSIDE_CONTENT, where, what="image", value=target, reason=reason)
        elif not path.is_file():
            yield Problem.of(Kind.MISSING_FILE, where, what="image", value=target)
        elif path.suffix.lower() not in IMAGE_TYPES:
            yield Problem.of(Kind.FILE_TYPE, where, what="image", value=target, suffix=path.suffix or "suffix-less",
                             instead="PNG, JPEG, GIF or WebP")


def table_references(book: Book, body: str, source: Source, first_line: int) -> Iterator[Problem]:
    for number, line in _body_lines(body, first_line):
        if match := TABLE_PLACEHOLDER.match(line):
            if match["id"] not in book.tables:
                yield Problem.of(Kind.UNKNOWN_REFERENCE, source.at(number, line.index(match["id"]) + 1), what="table",
                                 value=match["id"], hint=hint(match["id"], book.tables) or " under 'tables' in book.yml")
