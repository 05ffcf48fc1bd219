"""The content model: typed, immutable, every item knowing where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model.common import DEFAULT_LANGUAGE, LANGUAGES, Bilingual, Localized, Phone
from generator.model.dataset import Dataset
from generator.model.directory import Agency, Contact, Directory, Unit
from generator.model.links import Links
from generator.model.gazette import Attachment, Gazette, Issue, Notice
from generator.model.site import Named, Site
from generator.model.yearbook import Book, Chapter, ChapterEntry, StatTable


@dataclass(frozen=True, kw_only=True, slots=True)
class Content:
    """Everything in ``content/``: the one model every output reads."""

    site: Site
    gazette: Gazette
    yearbooks: tuple[Book, ...]
    directory: Directory
    datasets: tuple[Dataset, ...] = ()  # datasets/<package>.yml, by name: the open-data descriptors
    links: Links = field(init=False, repr=False, compare=False)  # the references, resolved once

    def __post_init__(self) -> None:
        object.__setattr__(self, "links", Links.of(self.site, self.gazette, self.directory))


__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "Agency", "Links", "Attachment", "Bilingual", "Book", "Chapter", "ChapterEntry", "Contact",
    "Content", "Dataset", "Directory", "Gazette", "Issue", "Localized", "Named", "Notice", "Phone", "Site", "StatTable", "Unit",
]
