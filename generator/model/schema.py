"""From YAML nodes to typed, immutable model objects, reporting every problem with its place.

A model class declares its keys as dataclass fields made with :func:`key`; :class:`Reader` walks a
mapping node, converts each value with the field's :class:`Type` and collects problems (unknown key
with a "did you mean" hint, missing key, wrong type, bad value) instead of stopping at the first.

Why not pydantic: its error locations are paths, not marks, and its coercions (``"no"`` to False)
are the opposite of "text stays text"; here the position and wording of each message are the
product, so the ~200 lines are ours.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeAlias, TypeVar, cast

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import Kind, Problem, Source
from generator.spreadsheet import runs_as_formula
from generator.reading.yamlio import Document, character_problem, refused_character

T = TypeVar("T")
#: Where each key's value of a model object was written, by field name ("" for the object itself).
Where: TypeAlias = MappingProxyType[str, Source]


class Invalid(Exception):
    """A value that cannot be converted; carries the problem kind and its parameters."""

    def __init__(self, kind: Kind, node: Node | None = None, **params: object) -> None:
        super().__init__(kind.slug)
        self.kind = kind
        self.node = node
        self.params = params


#: What YAML's resolver reads as null when typed without quotes: nothing, ``~``, ``null``.
_NULL = re.compile(r"~|null|Null|NULL|")


def is_null(node: Node | None) -> bool:
    """Whether a value is YAML's null as typed: ``key:`` with nothing, ``~`` or ``null`` unquoted.
    (Values are composed, never constructed, so the text typed is all there is to look at.)"""
    return isinstance(node, ScalarNode) and node.style is None and bool(_NULL.fullmatch(node.value))


def _found(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{node.value}'"


def _typed(node: ScalarNode) -> str:
    """The text of a scalar as it stands in the file, quotes and escapes included ('' if unknown)."""
    start, end = node.start_mark, node.end_mark
    return start.buffer[start.pointer:end.pointer] if start.buffer is not None else ""


class Type:
    """How one value is converted; ``expected`` names it in messages."""

    expected = "a value"

    def convert(self, node: Node, reader: Reader, key: str) -> Any:
        raise NotImplementedError


class TextType(Type):
    """A string exactly as typed, optionally matched against a pattern.

    ``free``: whether it is free text that the open data publishes as typed (a title, a name, an
    address), which must not start like a spreadsheet formula (:func:`formula_start`).
    By default text without a pattern or a check is free; phone numbers, dates, URLs, e-mail addresses,
    ids and file paths have formats of their own and are not."""

    expected = "text"

    def __init__(self, pattern: str | None = None, rule: str = "", check: Callable[[str], str | None] | None = None,
                 free: bool | None = None):
        self.pattern = re.compile(pattern) if pattern else None
        self.rule = rule
        self.check = check
        self.free = pattern is None and check is None if free is None else free

    def convert(self, node: Node, reader: Reader, key: str) -> str:
        if not isinstance(node, ScalarNode):
            raise Invalid(Kind.WRONG_TYPE, node, key=key, expected=self.expected, found=_found(node))
        if node.style == '"' and (char := refused_character(node.value)) and char not in _typed(node):
            problem = character_problem(char, reader.source(node))  # typed as an escape: "\e", "\uE000"
            reader.problems.append(problem)
            if problem.kind is Kind.CONTROL_CHARACTER:
                raise Invalid(Kind.BAD_VALUE)  # reported
        value: str = node.value.strip()
        if not value:
            raise Invalid(Kind.EMPTY_VALUE, node, key=key)
        if self.free and (formula := formula_start(value)):
            raise Invalid(Kind.FORMULA_START, node, **formula)
        if self.pattern and not self.pattern.fullmatch(value):
            raise Invalid(Kind.BAD_VALUE, node, key=key, reason=f"'{value}' {self.rule}")
        if self.check and (reason := self.check(value)):
            raise Invalid(Kind.BAD_VALUE, node, key=key, reason=reason)
        return value


#: Text with a format of its own, read as typed: dates, choices and phone numbers go through it.
FORMATTED = TextType(free=False)


def formula_start(text: str, markdown: bool = False) -> dict[str, str] | None:
    """The parameters of a :attr:`~generator.errors.Kind.FORMULA_START` problem if free text would run
    as a formula in a spreadsheet opening the open-data CSV (:func:`generator.spreadsheet.runs_as_formula`,
    the rule the CSV writers enforce too), else None. ``markdown``: the text is the first line of a
    Markdown body, where '-' or '+' and a space (or nothing) is a list item, absent from the plain text."""
    if not runs_as_formula(text) or (markdown and text[0] in "+-" and text[1:2] in ("", " ", "\t")):
        return None
    line = text.split("\n", 1)[0]
    excerpt = line if len(line) <= 40 and line == text else line[:40].rstrip() + "…"
    return {"value": excerpt, "char": {"\t": "a tab", "\r": "a carriage return"}.get(text[0], f"'{text[0]}'")}


class DateType(Type):
    expected = "a date (YYYY-MM-DD)"

    def convert(self, node: Node, reader: Reader, key: str) -> dt.date:
        text = FORMATTED.convert(node, reader, key)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise Invalid(Kind.BAD_DATE, node, value=text, reason="write it as YYYY-MM-DD, e.g. 2026-01-16")
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise Invalid(Kind.BAD_DATE, node, value=text, reason=str(exc)) from None


class ChoiceType(Type):
    def __init__(self, choices: tuple[str, ...]):
        self.choices = choices
        self.expected = "one of " + ", ".join(choices)

    def convert(self, node: Node, reader: Reader, key: str) -> str:
        value = FORMATTED.convert(node, reader, key)
        if value not in self.choices:
            raise Invalid(Kind.BAD_VALUE, node, key=key, reason=f"'{value}' is not {self.expected}{hint(value, self.choices)}")
        return value


class ListType(Type):
    """A list of items; a single scalar is not promoted (a list is a list)."""

    def __init__(self, item: Type):
        self.item = item
        self.expected = f"a list of {item.expected}"

    def convert(self, node: Node, reader: Reader, key: str) -> tuple[Any, ...]:
        if not isinstance(node, SequenceNode):
            raise Invalid(Kind.WRONG_TYPE, node, key=key, expected=self.expected, found=_found(node))
        items, failed = [], False
        for child in node.value:
            value = reader.convert(self.item, child, key)
            failed |= value is INVALID
            items.append(value)
        if failed:
            raise Invalid(Kind.BAD_VALUE)  # already reported item by item
        return tuple(items)


class OneOrMoreType(Type):
    """One value, or a list of one or more (``agency: works`` or ``agency: [works, interior]``), always
    read as a tuple. Each item's place is kept in ``where`` as ``<field>.<index>`` (:func:`item_where`)."""

    def __init__(self, item: Type):
        self.item = item
        self.expected = f"{item.expected} or a list of them"

    def convert(self, node: Node, reader: Reader, key: str) -> tuple[Any, ...]:
        if isinstance(node, ScalarNode):
            return (self.item.convert(node, reader, key),)
        if isinstance(node, SequenceNode) and not node.value:
            raise Invalid(Kind.EMPTY_VALUE, node, key=key)
        return ListType(self.item).convert(node, reader, key)


def item_where(where: Where, field: str, index: int) -> Source:
    """Where the ``index``-th item of a :class:`OneOrMoreType` field was written (the field's place if
    it was written as one value)."""
    return where.get(f"{field}.{index}", where[field])


class StructType(Type):
    """A nested mapping read into a model class."""

    def __init__(self, cls: type):
        self.cls = cls
        self.expected = "a mapping"

    def convert(self, node: Node, reader: Reader, key: str) -> Any:
        value: Any = reader.read(self.cls, node, what=f"'{key}'")
        if value is INVALID:
            raise Invalid(Kind.BAD_VALUE)
        return value


class MapType(Type):
    """A mapping of ids (matching ``id_pattern``, e.g. :data:`.common.SLUG_PATTERN`) to values of one
    type; order is kept."""

    def __init__(self, value: Type, id_pattern: str):
        self.value = value
        self.id_pattern = re.compile(id_pattern)
        self.expected = "a mapping"

    def convert(self, node: Node, reader: Reader, key: str) -> Mapping[str, Any]:
        if not isinstance(node, MappingNode):
            raise Invalid(Kind.WRONG_TYPE, node, key=key, expected=self.expected, found=_found(node))
        items: dict[str, Any] = {}
        failed = False
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else ""
            if not self.id_pattern.fullmatch(name):
                reader.report(Kind.BAD_NAME, key_node, what="id", name=name, rule="use lowercase ASCII letters, digits and hyphens")
                failed = True
                continue
            value = reader.convert(self.value, value_node, name)
            failed |= value is INVALID
            items.setdefault(name, value)
        if failed:
            raise Invalid(Kind.BAD_VALUE)
        return MappingProxyType(items)


INVALID: Any = object()  # returned for a value already reported as wrong


def key(type_: Type, *, required: bool = False, name: str | None = None, default: Any = None) -> Any:
    """Declare a dataclass field read from the YAML key ``name`` (the field's name by default)."""
    metadata = {"schema": (type_, required, name)}
    if required:
        return dataclasses.field(metadata=metadata)
    if isinstance(default, MappingProxyType):
        return dataclasses.field(default_factory=lambda: default, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def where_field() -> Any:
    """The ``where`` field of a model class: the place of each key's value, by field name."""
    return dataclasses.field(default_factory=lambda: MappingProxyType({}), compare=False, repr=False)


def schema_of(cls: type) -> dict[str, tuple[str, Type, bool]]:
    """YAML key -> (field name, type, required) for a model class."""
    keys = {}
    for f in dataclasses.fields(cls):
        if "schema" in f.metadata:
            type_, required, name = f.metadata["schema"]
            keys[name or f.name] = (f.name, type_, required)
    return keys


def hint(value: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Reader:
    """Reads the nodes of one document into model objects, collecting problems."""

    def __init__(self, doc: Document, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    def source(self, node: Node | None) -> Source:
        return self.doc.source_of(node) if node is not None else self.doc.source

    def report(self, kind: Kind, node: Node | None, **params: object) -> None:
        self.problems.append(Problem.of(kind, self.source(node), **params))

    def convert(self, type_: Type, node: Node, key: str) -> Any:
        if is_null(node):  # "title: ~" is no title, not the text "~"
            if node.value:
                self.report(Kind.NULL_VALUE, node, key=key, typed=node.value)
            else:
                self.report(Kind.EMPTY_VALUE, node, key=key)
            return INVALID
        try:
            return type_.convert(node, self, key)
        except Invalid as exc:
            if exc.node is not None or exc.params:
                self.report(exc.kind, exc.node if exc.node is not None else node, **exc.params)
            return INVALID

    def fields(self, cls: type, node: Node | None, what: str = "this file") -> tuple[dict[str, Any], dict[str, Source]] | None:
        """Convert a mapping node to (values, where) for ``cls``; None if anything was wrong."""
        if not isinstance(node, MappingNode):
            found = "an empty file" if node is None else _found(node)
            if isinstance(node, ScalarNode) and (not node.value.strip() or is_null(node)):
                found = "empty"
            self.report(Kind.NOT_MAPPING, node, what=what, found=found)
            return None
        keys = schema_of(cls)
        values: dict[str, Any] = {}
        where: dict[str, Source] = {"": self.source(node)}
        failed, seen = False, set()
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
            if name in seen:
                failed = True  # reported by the composer
                continue
            seen.add(name)
            if name not in keys:
                self.report(Kind.UNKNOWN_KEY, key_node, key=name, hint=hint(name, keys))
                failed = True
                continue
            field_name, type_, required = keys[name]
            if not required and is_null(value_node):
                continue  # "key:" with nothing after it, or "key: ~": the optional key is absent
            value = self.convert(type_, value_node, name)
            if value is INVALID:
                failed = True
                continue
            values[field_name] = value
            where[field_name] = self.source(value_node)
            if isinstance(value_node, SequenceNode):
                where.update({f"{field_name}.{index}": self.source(item) for index, item in enumerate(value_node.value)})
        context = "" if what == "this file" else f" in {what}"
        for name, (_field, _type, required) in keys.items():
            if required and name not in seen:
                self.report(Kind.MISSING_KEY, node, key=name, context=context)
                failed = True
        return None if failed else (values, where)

    def read(self, cls: type[T], node: Node | None, what: str = "this file", **extra: Any) -> T:
        """Read a whole model object; returns INVALID (after reporting) if anything was wrong."""
        result = self.fields(cls, node, what)
        if result is None:
            return cast(T, INVALID)
        values, where = result
        make: Callable[..., T] = cls
        return make(**values, **extra, where=MappingProxyType(where))
