"""The yearbook (年鑑): one bilingual edition a year, chapters paired across languages, tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from yaml.nodes import Node, ScalarNode

from generator.errors import Source
from generator.model.schema import (ChoiceType, DateType, ListType, MapType, Reader, StructType, TextType, Type, Where, key,
                                    where_field)
from generator.model.common import (BILINGUAL, DEFAULT_LANGUAGE, INTEGER, LANGUAGES, LOCALIZED, NUMBER, PATH, SLUG_PATTERN,
                                    Bilingual, Localized)

#: A chapter's name, shared by its files in every language.
CHAPTER_NAME = r"\d{2}-" + SLUG_PATTERN
#: Where a chapter places a statistics table: ``{{ table: population }}`` on a line of its own (a
#: multi-line pattern: it finds placeholders in a whole body, and matches one line alike). check
#: reports an unknown id; the site and the e-books put the table there.
TABLE_PLACEHOLDER = re.compile(r"^\{\{\s*table:\s*(?P<id>[^\s}]+)\s*\}\}\s*$", re.M)


def check_identifier(value: str) -> str | None:
    """An e-book identifier: an ISBN-13 with a valid check digit, or a URN."""
    if value.lower().startswith("urn:"):
        return None if re.fullmatch(r"urn:[a-z0-9][a-z0-9-]{0,31}:\S+", value, re.I) else f"'{value}' is not a valid URN"
    digits = value.replace("-", "").replace(" ", "")
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return f"'{value}' is neither an ISBN-13 (978-…) nor a URN (urn:…)"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    if (10 - total % 10) % 10 != int(digits[12]):
        return f"'{value}' has a wrong ISBN check digit"
    return None


IDENTIFIER = TextType(check=check_identifier)


@dataclass(frozen=True, kw_only=True, slots=True)
class Identifiers(Bilingual):
    """One identifier per e-book: each language's edition is its own publication."""

    zh_hant: str = key(IDENTIFIER, required=True, name=DEFAULT_LANGUAGE)
    en: str = key(IDENTIFIER, required=True)


@dataclass(frozen=True, kw_only=True, slots=True)
class Cover:
    file: str = key(PATH, required=True)
    alt: Bilingual = key(BILINGUAL, required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class StatTable:
    """A statistics table: a CSV file in ``tables/`` and what it means."""

    file: str = key(PATH, required=True)
    title: Bilingual = key(BILINGUAL, required=True)
    unit: Bilingual = key(BILINGUAL, required=True)
    source: Bilingual = key(BILINGUAL, required=True)
    columns: MappingProxyType[str, Bilingual] = key(MapType(BILINGUAL, r"[a-z][a-z0-9_]*"), required=True)
    where: Where = where_field()
    header: tuple[str, ...] = ()  # set by the loader from the CSV
    rows: tuple[tuple[str, ...], ...] = ()

    def shown_columns(self, language: str) -> tuple[int, ...]:
        """The positions of the columns a reader in ``language`` sees: a column named ``…_zh`` holds
        Chinese text and ``…_en`` English text (each shown in its language only); others show in both."""
        other = {suffix for lang, suffix in COLUMN_SUFFIXES.items() if lang != language}
        return tuple(i for i, name in enumerate(self.header) if not name.endswith(tuple(other)))

    def label_column(self, index: int) -> bool:
        """Whether a column holds labels, text by nature: the first column (the rows' headings) and the
        columns named for a language (``…_zh``, ``…_en``). Any other column is meant for numbers."""
        return index == 0 or self.header[index].endswith(tuple(COLUMN_SUFFIXES.values()))

    def column_type(self, index: int) -> str:
        """How a column is published: see :func:`column_type`."""
        return column_type(row[index] for row in self.rows)


#: The column-name suffix of a table's text columns in each language (see StatTable.shown_columns).
COLUMN_SUFFIXES = MappingProxyType({DEFAULT_LANGUAGE: "_zh", "en": "_en"})


def column_type(cells: Iterable[str]) -> str:
    """``integer`` or ``number`` when every filled cell of a column is one (an empty cell is a missing
    value), else ``string``: the type the site (alignment, separators), the e-books and the open data
    give a statistics table's column. ``check`` refuses a number column with stray text in it."""
    filled = [cell for cell in cells if cell]
    if filled and all(INTEGER.fullmatch(cell) for cell in filled):
        return "integer"
    if filled and all(NUMBER.fullmatch(cell) for cell in filled):
        return "number"
    return "string"


_WRITTEN = re.compile(r"(?P<sign>[-+]?)(?P<whole>[0-9]{1,3}(?P<sep>[, '])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]+)"
                      r"(?P<fraction>\.[0-9]+)?")


def misspelt_number(cell: str) -> tuple[str, str] | None:
    """A number written otherwise than plain (``1,415``, ``１４１５``, ``+12``, ``−483``): its plain form and
    how it was written; None for a plain number or for text."""
    if NUMBER.fullmatch(cell):
        return None
    normal = unicodedata.normalize("NFKC", cell).replace("\u2212", "-")  # full-width forms; the real minus
    match = _WRITTEN.fullmatch(normal)
    if not match:
        return None
    plain = ("-" if match["sign"] == "-" else "") + match["whole"].replace(match["sep"] or ",", "") + (match["fraction"] or "")
    how = ("with thousands separators" if match["sep"] else "with full-width digits" if normal != cell.replace("\u2212", "-")
           else "with a plus sign" if match["sign"] == "+" else "with a minus sign that is not the hyphen-minus (-)")
    return plain, how


@dataclass(frozen=True, kw_only=True, slots=True)
class ChapterEntry:
    """A place in the reading order: the chapter's name and the languages it is missing in."""

    chapter: str = key(TextType(CHAPTER_NAME, "is not a chapter name like 03-population"), required=True)
    not_translated: tuple[str, ...] = key(ListType(ChoiceType(LANGUAGES)), default=())
    where: Where = where_field()


class ChapterEntryType(Type):
    """``- 03-population`` or ``- {chapter: 03-population, not_translated: [en]}``."""

    expected = "a chapter name or a mapping with 'chapter'"

    def convert(self, node: Node, reader: Reader, key: str) -> ChapterEntry:
        if isinstance(node, ScalarNode):
            name = ChapterEntry.__dataclass_fields__["chapter"].metadata["schema"][0].convert(node, reader, key)
            return ChapterEntry(chapter=name, where=MappingProxyType({"": reader.source(node), "chapter": reader.source(node)}))
        entry: ChapterEntry = StructType(ChapterEntry).convert(node, reader, key)
        return entry


@dataclass(frozen=True, kw_only=True, slots=True)
class Chapter:
    """One chapter in one language."""

    title: str = key(TextType(), required=True)
    where: Where = where_field()
    language: str
    name: str  # NN-slug, the same in every language
    body: str
    body_line: int
    source: Source

    @property
    def slug(self) -> str:
        return self.name.split("-", 1)[1]


@dataclass(frozen=True, kw_only=True, slots=True)
class Book:
    """One edition of the yearbook, in both languages."""

    title: Bilingual = key(BILINGUAL, required=True)
    subtitle: Localized | None = key(LOCALIZED)
    identifier: Identifiers = key(StructType(Identifiers), required=True)
    publisher: Bilingual | None = key(BILINGUAL)
    rights: Bilingual = key(BILINGUAL, required=True)
    date: dt.date = key(DateType(), required=True)
    cover: Cover = key(StructType(Cover), required=True)
    tables: MappingProxyType[str, StatTable] = key(MapType(StructType(StatTable), SLUG_PATTERN), default=MappingProxyType({}))
    chapters: tuple[ChapterEntry, ...] = key(ListType(ChapterEntryType()), required=True)
    where: Where = where_field()
    year: int
    source: Source
    # language -> the chapters in that language, in reading order (set by the loader)
    contents: MappingProxyType[str, tuple[Chapter, ...]] = dataclasses.field(default_factory=lambda: MappingProxyType({}))

    def chapters_in(self, language: str) -> tuple[Chapter, ...]:
        return self.contents.get(language, ())
