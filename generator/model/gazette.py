"""The official gazette (市府公報): issues, and the notices published in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.errors import Source
from generator.model.schema import DateType, ListType, StructType, TextType, Where, key, where_field
from generator.model.common import LIST_DELIMITER, PATH, SLUG, SLUG_PATTERN

#: A notice's file name: two-digit position, a hyphen, an ASCII slug.
NOTICE_NAME = rf"(?P<seq>\d{{2}})-(?P<slug>{SLUG_PATTERN})\.md"


def issue_id(year: int, number: int) -> str:
    """An issue's id, also the URL path below /gazette/ and its folder below content/gazette/: ``2026/03``."""
    return f"{year}/{number:02d}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Attachment:
    file: str = key(PATH, required=True)
    title: str | None = key(TextType())
    where: Where = where_field()
    path: PurePosixPath | None = None  # relative to the project, set by the loader once checked
    size: int = 0  # bytes


@dataclass(frozen=True, kw_only=True, slots=True)
class Notice:
    """One notice: its front matter, its Markdown body and its place in an issue."""

    title: str = key(TextType(), required=True)
    title_en: str | None = key(TextType())
    category: str = key(TextType(), required=True)  # the category's slug once loaded
    agency: str = key(SLUG, required=True)
    doc_number: str = key(TextType(), required=True)
    issued: dt.date = key(DateType(), required=True)
    signer: str | None = key(TextType())
    keywords: tuple[str, ...] = key(ListType(TextType(rf"[^{LIST_DELIMITER}]+", f"contains '{LIST_DELIMITER}', which separates "
                                                       "keywords in the open data: make two keywords", free=True)), default=())
    attachments: tuple[Attachment, ...] = key(ListType(StructType(Attachment)), default=())
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
        """Stable identifier, also the URL path below /gazette/: ``2026/03/05``."""
        return f"{issue_id(self.year, self.issue)}/{self.seq:02d}"


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
