"""The official gazette (市府公報): issues, and the notices published in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath

from yaml.nodes import Node, SequenceNode

from generator.errors import Kind, Source
from generator.model.schema import (INVALID, DateType, Invalid, ListType, OneOrMoreType, Reader, StructType, TextType, Type,
                                    Where, key, where_field)
from generator.model.common import LIST_DELIMITER, PATH, SLUG, SLUG_PATTERN

#: An issue folder's name, or a notice file's position: two or three digits (01…99, or 001…999 when
#: a year holds 100 issues or more, or an issue 100 notices or more; see :func:`number_width`).
NUMBER = r"(?!0+$)\d{2,3}"
#: A notice's file name: position, a hyphen, an ASCII slug.
NOTICE_NAME = rf"(?P<seq>{NUMBER})-(?P<slug>{SLUG_PATTERN})\.md"
#: How many issues of a year, or notices of an issue, there may be (three digits).
MAX_NUMBER = 999


def number_width(count: int) -> int:
    """How many digits folder and file names take when numbering up to ``count``: 2 up to 99, else 3.
    All names of one folder have the same width, so they sort as they are numbered."""
    return 2 if count <= 99 else 3


def issue_id(year: int, number: int) -> str:
    """An issue's id, also the URL path below /gazette/: ``2026/03``, ``2026/123``.

    The number in ids and URLs has at least two digits whatever the folder's width (``03`` and
    ``003`` are both issue 3, at ``/gazette/2026/03/``): renaming a year's folders to three digits
    when it reaches 100 issues changes no published address."""
    return f"{year}/{number:02d}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Attachment:
    file: str = key(PATH, required=True)
    title: str | None = key(TextType())
    where: Where = where_field()
    path: PurePosixPath | None = None  # relative to the project, set by the loader once checked
    size: int = 0  # bytes


#: What a notice may declare about notices published before it, in the order pages list them:
#: the front-matter key, also the relation's name in the open data.
RELATIONS = ("corrects", "amends", "repeals")


@dataclass(frozen=True, slots=True)
class Reference:
    """A notice named by another one: its document number or its id (``2026/02/04``), as typed, and where."""

    text: str
    source: Source


class ReferencesType(Type):
    """One reference or a list of them (``corrects: 府都計字第1150002876號`` or ``corrects: [2026/02/04, …]``),
    each kept with its own place, so that check can point at the one that names nothing."""

    expected = "a document number or a notice (2026/02/04), or a list of them"
    _item = TextType(free=False)

    def convert(self, node: Node, reader: Reader, key: str) -> tuple[Reference, ...]:
        children = node.value if isinstance(node, SequenceNode) else [node]
        items, failed = [], False
        for child in children:
            value = reader.convert(self._item, child, key)
            failed |= value is INVALID
            items.append(Reference(value, reader.source(child)))
        if failed:
            raise Invalid(Kind.BAD_VALUE)  # already reported item by item
        return tuple(items)


REFERENCES = ReferencesType()


@dataclass(frozen=True, kw_only=True, slots=True)
class Notice:
    """One notice: its front matter, its Markdown body and its place in an issue."""

    title: str = key(TextType(), required=True)
    title_en: str | None = key(TextType())
    category: str = key(TextType(), required=True)  # the category's slug once loaded
    #: The issuing agencies' ids: one, or several for a joint notice (會銜), the lead agency first.
    agencies: tuple[str, ...] = key(OneOrMoreType(SLUG), required=True, name="agency")
    #: The document numbers (發文字號): one, or several (one per issuing agency, or a number and its
    #: reference numbers), each unique across the gazette; the first is the notice's primary number.
    doc_numbers: tuple[str, ...] = key(OneOrMoreType(TextType()), required=True, name="doc_number")
    issued: dt.date = key(DateType(), required=True)
    signer: str | None = key(TextType())
    keywords: tuple[str, ...] = key(ListType(TextType(rf"[^{LIST_DELIMITER}]+", f"contains '{LIST_DELIMITER}', which separates "
                                                       "keywords in the open data: make two keywords", free=True)), default=())
    attachments: tuple[Attachment, ...] = key(ListType(StructType(Attachment)), default=())
    # earlier notices this one corrects, amends or repeals (RELATIONS), by document number or id
    corrects: tuple[Reference, ...] = key(REFERENCES, default=())
    amends: tuple[Reference, ...] = key(REFERENCES, default=())
    repeals: tuple[Reference, ...] = key(REFERENCES, default=())
    where: Where = where_field()
    # from the file's place and body
    year: int
    issue: int
    seq: int
    slug: str
    body: str
    body_line: int
    source: Source

    @property
    def id(self) -> str:
        """Stable identifier, also the URL path below /gazette/: ``2026/03/05`` (at least two digits
        each, whatever the width of the file and folder names, like :func:`issue_id`)."""
        return f"{issue_id(self.year, self.issue)}/{self.seq:02d}"

    @property
    def agency(self) -> str:
        """The lead agency's id (the first of :attr:`agencies`). Show every agency wherever a reader
        sees who issued the notice; this one is for what takes one (a sort key, a primary column)."""
        return self.agencies[0]

    @property
    def doc_number(self) -> str:
        """The primary document number (the first of :attr:`doc_numbers`). Show all of them wherever a
        reader sees the number; this one is for what takes one."""
        return self.doc_numbers[0]

    @property
    def joint(self) -> bool:
        """Whether several agencies issued the notice together (會銜)."""
        return len(self.agencies) > 1

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every document number of the notice (:attr:`doc_numbers`)."""
        return self.doc_numbers

    def references(self) -> tuple[tuple[str, Reference], ...]:
        """(relation, reference) for every notice this one names, in the order of :data:`RELATIONS`."""
        return tuple((relation, reference) for relation in RELATIONS for reference in getattr(self, relation))


@dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    date: dt.date = key(DateType(), required=True)
    title: str | None = key(TextType())
    notes: str | None = key(TextType())
    where: Where = where_field()
    year: int
    number: int
    notices: tuple[Notice, ...] = ()
    source: Source

    @property
    def id(self) -> str:
        return issue_id(self.year, self.number)


@dataclass(frozen=True, kw_only=True, slots=True)
class Gazette:
    issues: tuple[Issue, ...] = ()  # by year, then number

    @property
    def notices(self) -> tuple[Notice, ...]:
        return tuple(notice for issue in self.issues for notice in issue.notices)
