"""The content model: typed, immutable, every item knowing where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from .common import LANGUAGES, Bilingual, Localized, Phone
from .directory import Agency, Contact, Directory, Unit
from .gazette import Attachment, Gazette, Issue, Notice
from .site import Named, Site
from .yearbook import Book, Chapter, ChapterEntry, StatTable


@dataclass(frozen=True, kw_only=True, slots=True)
class Content:
    """Everything in ``content/``: the one model every output reads."""

    site: Site
    gazette: Gazette
    yearbooks: tuple[Book, ...]
    directory: Directory


__all__ = [
    "LANGUAGES", "Agency", "Attachment", "Bilingual", "Book", "Chapter", "ChapterEntry", "Contact", "Content",
    "Directory", "Gazette", "Issue", "Localized", "Named", "Notice", "Phone", "Site", "StatTable", "Unit",
]
