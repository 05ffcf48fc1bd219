"""Strict reading of content files: size cap, UTF-8, tabs, YAML without surprises, front matter.

YAML is only *composed* (parsed into nodes), never constructed: every scalar stays the text the
editor typed (``0123``, ``NO``, ``10:30``, ``1e3``), and every node keeps its line and column.
The schema (:mod:`generator.model.schema`) turns nodes into typed values.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from generator.errors import Kind, Problem, Source, errors_in

#: Largest YAML or Markdown file accepted. A gazette notice of a long regulation is about 100 KB.
TEXT_LIMIT = 1024 * 1024
#: Deepest nesting of mappings and lists accepted in YAML (the deepest shipped file has 5 levels);
#: PyYAML's composer recurses once per level and would fail with RecursionError at about 330.
DEPTH_LIMIT = 32


@dataclass(frozen=True)
class Text:
    """The decoded text of a content file, and where it is."""

    source: Source  # the file, at 1:1
    text: str


@dataclass(frozen=True)
class Document:
    """A composed YAML document (``None`` when empty) and the line its first line sits on."""

    source: Source
    node: Node | None
    line_offset: int = 0

    def source_of(self, node: Node) -> Source:
        mark = node.start_mark
        return self.source.at(mark.line + 1 + self.line_offset, mark.column + 1)


def relative(path: Path, root: Path) -> PurePosixPath:
    """The path as the editor sees it: relative to the project root, '/'-separated."""
    try:
        return PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        return PurePosixPath(path.as_posix())


def read_text(path: Path, root: Path, problems: list[Problem], limit: int = TEXT_LIMIT, data: bytes | None = None) -> Text | None:
    """Read a UTF-8 file (a BOM is accepted and dropped); report and return None if it cannot be.
    ``data``: the file's bytes, already read (at most ``limit`` of them)."""
    source = Source(relative(path, root))
    if data is None:
        try:
            size = os.stat(path).st_size
            if size > limit:
                problems.append(Problem.of(Kind.FILE_TOO_LARGE, source, size=size, limit=limit))
                return None
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem.of(Kind.UNREADABLE, source, reason=exc.strerror or str(exc)))
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(_not_utf8(source, data, exc.start))
        return None
    return Text(source, text.replace("\r\n", "\n").replace("\r", "\n"))  # a lone CR ends a line too, as in YAML


# -- characters --------------------------------------------------------------------------------------

#: Refused in every text file: the C0 controls but LF and tab (a CR is a line end, see read_text), DEL,
#: the C1 controls (U+0080-U+009F: a Big5 or Windows-1252 file decoded wrongly, or pasted from a PDF),
#: Unicode's line and paragraph separators (invisible, and line ends to YAML but to no editor) and the
#: noncharacters U+FFFE, U+FFFF. PyYAML refuses most of them with an error of its own, without a position.
_REFUSED = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
_CONTROL = re.compile(f"[{_REFUSED}]")
_CONTROL_OR_TAB = re.compile(f"[\t{_REFUSED}]")
#: Private-use code points: shown as an empty box by every font but the one they were made for.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
#: The names of the C0 and C1 controls (Unicode's name aliases: unicodedata names none of them).
_C0 = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE",
       "ALERT", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN",
       "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
       "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
       "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE",
       "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE")
_C1 = ("PADDING CHARACTER", "HIGH OCTET PRESET", "BREAK PERMITTED HERE", "NO BREAK HERE", "INDEX", "NEXT LINE",
       "START OF SELECTED AREA", "END OF SELECTED AREA", "CHARACTER TABULATION SET",
       "CHARACTER TABULATION WITH JUSTIFICATION", "LINE TABULATION SET", "PARTIAL LINE FORWARD",
       "PARTIAL LINE BACKWARD", "REVERSE LINE FEED", "SINGLE SHIFT TWO", "SINGLE SHIFT THREE", "DEVICE CONTROL STRING",
       "PRIVATE USE ONE", "PRIVATE USE TWO", "SET TRANSMIT STATE", "CANCEL CHARACTER", "MESSAGE WAITING",
       "START OF GUARDED AREA", "END OF GUARDED AREA", "START OF STRING", "SINGLE GRAPHIC CHARACTER INTRODUCER",
       "SINGLE CHARACTER INTRODUCER", "CONTROL SEQUENCE INTRODUCER", "STRING TERMINATOR", "OPERATING SYSTEM COMMAND",
       "PRIVACY MESSAGE", "APPLICATION PROGRAM COMMAND")


def char_name(char: str) -> str:
    """``U+001B ESCAPE``: the code point and its name, for messages."""
    code = ord(char)
    name = (_C0[code] if code < 0x20 else "DELETE" if code == 0x7F else _C1[code - 0x80] if 0x80 <= code <= 0x9F
            else unicodedata.name(char, "PRIVATE USE" if _PRIVATE_USE.match(char) else "NONCHARACTER"))
    return f"U+{code:04X} {name}"


def characters(text: str, source: Source, line_offset: int = 0, tabs: bool = False) -> list[Problem]:
    """Control characters (errors) and private-use characters (warnings) in ``text``, the first of each
    sort on each line, at its line and column. ``tabs``: whether a tab is allowed (in a Markdown body)."""
    found = []
    for pattern in (_CONTROL if tabs else _CONTROL_OR_TAB, _PRIVATE_USE):
        line, line_start, pos = 1, 0, 0
        while match := pattern.search(text, pos):
            line += text.count("\n", line_start, match.start())
            line_start = text.rfind("\n", 0, match.start()) + 1
            where = source.at(line + line_offset, match.start() - line_start + 1)
            found.append(character_problem(match[0], where))
            pos = text.find("\n", match.start())  # the next line: one problem per line is enough to find them
            if pos < 0:
                break
    return found


def refused_character(text: str, tabs: bool = False) -> str | None:
    """The first character of ``text`` refused in content (see :func:`characters`), or None."""
    match = (_CONTROL if tabs else _CONTROL_OR_TAB).search(text) or _PRIVATE_USE.search(text)
    return match[0] if match else None


def character_problem(char: str, where: Source) -> Problem:
    """The problem with a refused character: a control character (error) or a private-use one (warning)."""
    kind = Kind.PRIVATE_USE if _PRIVATE_USE.match(char) else Kind.CONTROL_CHARACTER
    if kind is Kind.PRIVATE_USE:
        return Problem.of(kind, where, char=char_name(char))
    if char == "\t":
        return Problem.of(kind, where, char=char_name(char), what="a tab",
                          hint=", or type spaces: tabs are allowed only in the text of a Markdown file")
    if char in "\u2028\u2029":
        return Problem.of(kind, where, char=char_name(char), what="an invisible line break", hint=" (press Enter for a new line)")
    if char in "\ufffe\uffff":
        return Problem.of(kind, where, char=char_name(char), what="not a character (a noncharacter)", hint="")
    return Problem.of(kind, where, char=char_name(char), what="an invisible control character",
                      hint=" (it often comes with text pasted from a PDF, a web page or another program)")


def _not_utf8(source: Source, data: bytes, offset: int) -> Problem:
    head = data[:offset]
    line = head.count(b"\n") + 1
    line_start = head.rfind(b"\n") + 1
    column = len(head[line_start:].decode("utf-8", errors="replace")) + 1
    guess = ""
    try:
        data.decode("cp950")
        guess = "; it looks like Big5/CP950"
    except UnicodeDecodeError:
        pass
    return Problem.of(Kind.NOT_UTF8, source.at(line, column), byte=data[offset], guess=guess)


class _TooDeep(Exception):
    def __init__(self, mark) -> None:  # noqa: ANN001 - a PyYAML mark
        super().__init__("too deep")
        self.mark = mark


class _StrictComposer(Composer):
    """PyYAML's composer, reporting anchors and aliases instead of sharing nodes, and refusing to nest
    deeper than :data:`DEPTH_LIMIT` (it recurses once per level; the parser below it does not)."""

    def __init__(self) -> None:
        super().__init__()
        self.alias_marks: list = []
        self.depth = 0

    if TYPE_CHECKING:  # PyYAML's Parser provides these; _StrictLoader mixes it in
        def check_event(self, *choices: type) -> bool: ...
        def get_event(self) -> Any: ...
        def peek_event(self) -> Any: ...

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]  # PyYAML's signature
        if self.check_event(AliasEvent):
            event = self.get_event()
            self.alias_marks.append(event.start_mark)
            return ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            self.alias_marks.append(event.start_mark)
            event.anchor = None
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        if self.depth == DEPTH_LIMIT:
            raise _TooDeep(event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _StrictLoader(Reader, Scanner, Parser, _StrictComposer, SafeConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml's, in PyYAML's wheels
except ImportError:  # PyYAML built without libyaml: compose() uses the Python loader only
    class CParser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class _FastLoader(_StrictComposer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
    """The same composer over libyaml's parser (PyYAML's C extension), about six times faster: the
    Python composer above it (first in the order, so its ``get_single_node`` is used) sees the same
    events, with the same lines and columns. Its marks lack the text (:func:`_with_text` puts it
    back) and its plain scalars have the style ``''`` instead of None."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _StrictComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


def _compose_fast(text: str) -> tuple[Node | None, list] | None:
    """The document's node and its aliases' marks by libyaml, or None when libyaml is missing or the
    text is not a clean document (the Python loader then says what is wrong, as it always has)."""
    if not yaml.__with_libyaml__:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, _TooDeep):
        return None
    finally:
        loader.dispose()
    if node is not None:
        _with_text(node, text)
    return node, loader.alias_marks


def _with_text(root: Node, text: str) -> None:
    """Marks as the Python reader makes them (holding the text, which the schema reads to show a value
    as typed) and plain scalars with the style None."""
    buffer = text + "\0"
    stack = [root]
    while stack:
        node = stack.pop()
        node.start_mark = yaml.Mark(node.start_mark.name, node.start_mark.index, node.start_mark.line,
                                    node.start_mark.column, buffer, node.start_mark.index)
        node.end_mark = yaml.Mark(node.end_mark.name, node.end_mark.index, node.end_mark.line,
                                  node.end_mark.column, buffer, node.end_mark.index)
        if isinstance(node, ScalarNode):
            if node.style == "":
                node.style = None
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += [key, value]
        else:
            stack += node.value


def compose(text: str, source: Source, problems: list[Problem], line_offset: int = 0) -> Document | None:
    """Compose one YAML document; report refused characters, syntax errors, tabs, too deep nesting,
    aliases and duplicate keys."""
    doc = Document(source, None, line_offset)
    found = _tabs(text, source, line_offset) + characters(text, source, line_offset, tabs=True)
    problems.extend(found)
    if errors_in(found):
        return None  # PyYAML would stop at the first of them, without a position
    if (fast := _compose_fast(text)) is not None:
        return _composed(fast[0], fast[1], doc, source, problems, line_offset)
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = source.at(mark.line + 1 + line_offset, mark.column + 1) if mark else source
        reason = exc.problem or "not valid YAML"
        if exc.context:
            reason = f"{exc.context}: {reason}"
        problems.append(Problem.of(Kind.YAML_SYNTAX, where, reason=reason))
        return None
    except _TooDeep as exc:
        where = source.at(exc.mark.line + 1 + line_offset, exc.mark.column + 1)
        problems.append(Problem.of(Kind.TOO_DEEP, where, limit=DEPTH_LIMIT))
        return None
    except yaml.YAMLError as exc:  # a character PyYAML's reader refuses (all are refused above: a safety net)
        offset = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, offset) + 1
        where = source.at(line + line_offset, offset - (text.rfind("\n", 0, offset) + 1) + 1)
        problems.append(Problem.of(Kind.YAML_SYNTAX, where, reason=str(getattr(exc, "reason", None) or exc).split("\n")[0]))
        return None
    finally:
        loader.dispose()
    return _composed(node, loader.alias_marks, doc, source, problems, line_offset)


def _composed(node: Node | None, alias_marks: list, doc: Document, source: Source, problems: list[Problem],
              line_offset: int) -> Document:
    for mark in alias_marks:
        problems.append(Problem.of(Kind.ALIAS, source.at(mark.line + 1 + line_offset, mark.column + 1)))
    doc = Document(source, node, line_offset)
    if node is not None:
        _report_duplicate_keys(node, doc, problems)
    return doc


def _tabs(text: str, source: Source, line_offset: int) -> list[Problem]:
    """The first tab of each line: in the indentation, or anywhere else (YAML is written with spaces)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "\t" in line:
            column = line.index("\t")
            where = source.at(number + line_offset, column + 1)
            if not line[:column].strip(" "):
                found.append(Problem.of(Kind.TAB_INDENT, where))
            else:
                found.append(character_problem("\t", where))
    return found


def _report_duplicate_keys(node: Node, doc: Document, problems: list[Problem]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            first: dict[str, Node] = {}
            for key, value in current.value:
                if isinstance(key, ScalarNode):
                    if key.value in first:
                        line = doc.source_of(first[key.value]).line
                        problems.append(Problem.of(Kind.DUPLICATE_KEY, doc.source_of(key), key=key.value, first=line))
                    else:
                        first[key.value] = key
                stack.append(value)
        elif isinstance(current.value, list):
            stack.extend(current.value)


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown file split into its front matter document and its body."""

    front: Document
    body: str
    body_line: int  # the line of the file on which the body starts


def split_front_matter(text: Text, problems: list[Problem]) -> FrontMatterFile | None:
    """Split ``---`` front matter from the Markdown body; compose the front matter strictly."""
    lines = text.text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.append(Problem.of(Kind.NO_FRONT_MATTER, text.source))
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        problems.append(Problem.of(Kind.UNCLOSED_FRONT_MATTER, text.source))
        return None
    front_text = "\n".join(lines[1:index]) + "\n"
    for number in (0, index):  # the '---' lines (str.rstrip drops some controls)
        problems.extend(characters(lines[number], text.source, line_offset=number))
    doc = compose(front_text, text.source, problems, line_offset=1)
    body = "\n".join(lines[index + 1 :])
    problems.extend(characters(body, text.source, line_offset=index + 1, tabs=True))  # tabs are fine in Markdown
    if doc is None:
        return None
    return FrontMatterFile(doc, body, index + 2)
