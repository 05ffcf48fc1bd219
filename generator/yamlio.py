"""Strict reading of content files: size cap, UTF-8, tabs, YAML without surprises, front matter.

YAML is only *composed* (parsed into nodes), never constructed: every scalar stays the text the
editor typed (``0123``, ``NO``, ``10:30``, ``1e3``), and every node keeps its line and column.
The schema (:mod:`generator.schema`) turns nodes into typed values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import Kind, Problem, Source

#: Largest YAML or Markdown file accepted. A gazette notice of a long regulation is about 100 KB.
TEXT_LIMIT = 1024 * 1024


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


def read_text(path: Path, root: Path, problems: list[Problem], limit: int = TEXT_LIMIT) -> Text | None:
    """Read a UTF-8 file (a BOM is accepted and dropped); report and return None if it cannot be."""
    source = Source(relative(path, root))
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
    return Text(source, text.replace("\r\n", "\n"))


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


class _StrictComposer(Composer):
    """PyYAML's composer, reporting anchors and aliases instead of sharing nodes."""

    def __init__(self) -> None:
        super().__init__()
        self.alias_marks: list = []

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(AliasEvent):
            event = self.get_event()
            self.alias_marks.append(event.start_mark)
            return ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            self.alias_marks.append(event.start_mark)
            event.anchor = None
        return super().compose_node(parent, index)


class _StrictLoader(Reader, Scanner, Parser, _StrictComposer, SafeConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


def compose(text: str, source: Source, problems: list[Problem], line_offset: int = 0) -> Document | None:
    """Compose one YAML document; report syntax errors, tabs, aliases and duplicate keys."""
    doc = Document(source, None, line_offset)
    tabs = _tab_indents(text, source, line_offset)
    if tabs:
        problems.extend(tabs)
        return None
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
    finally:
        loader.dispose()
    for mark in loader.alias_marks:
        problems.append(Problem.of(Kind.ALIAS, source.at(mark.line + 1 + line_offset, mark.column + 1)))
    doc = Document(source, node, line_offset)
    if node is not None:
        _report_duplicate_keys(node, doc, problems)
    return doc


def _tab_indents(text: str, source: Source, line_offset: int) -> list[Problem]:
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            where = source.at(number + line_offset, indent.index("\t") + 1)
            found.append(Problem.of(Kind.TAB_INDENT, where))
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
    doc = compose(front_text, text.source, problems, line_offset=1)
    if doc is None:
        return None
    return FrontMatterFile(doc, "\n".join(lines[index + 1 :]), index + 2)
