"""Open-data descriptors (``datasets/<package>.yml``): what people write about each data package.

The data itself comes from the content model at build time (:mod:`generator.outputs.opendata.tables`);
a descriptor gives it its words: title, description, update frequency, keywords, service category,
and a title and description for every field of every resource. The licence and the contact default
to those of ``content/site.yml``.

The update frequency and the service category use the vocabulary of the national open-data portal
(data.gov.tw), so that the catalogue can be handed to it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from yaml.nodes import Node, ScalarNode

from generator.errors import Source
from generator.model.schema import ChoiceType, ListType, MapType, Reader, StructType, TextType, Where, key, where_field
from generator.model.common import BILINGUAL, DEFAULT_LANGUAGE, SLUG_PATTERN, Bilingual, Localized
from generator.model.site import Licence, PublisherContact

#: data.gov.tw's 更新頻率, and the matching term of the Dublin Core frequency vocabulary (for DCAT).
FREQUENCIES: Mapping[str, str] = MappingProxyType({
    "即時": "continuous", "每日": "daily", "每週": "weekly", "每半月": "semimonthly", "每月": "monthly",
    "每季": "quarterly", "每半年": "semiannual", "每年": "annual", "不定期": "irregular",
})

#: data.gov.tw's 服務分類: the life events the portal files datasets under.
SERVICE_CATEGORIES = (
    "生育保健", "出生及收養", "求學及進修", "服兵役", "求職及就業", "開創事業", "婚姻", "投資理財", "休閒旅遊",
    "交通及通訊", "就醫", "購屋及遷徙", "選舉及投票", "生活安全及品質", "退休", "老年安養", "生命禮儀",
    "公共資訊", "環境及氣象",
)

#: Han characters, CJK punctuation and full-width forms: where a wrapped line joins another without a space.
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


class ProseType(TextType):
    """A description, on one line or wrapped over several (plain, ``>`` or ``|``). Wrapped lines are
    joined with a space, but with none where both sides are Chinese: YAML's own folding would put a
    space there, so the lines are taken from the file as typed."""

    def convert(self, node: Node, reader: Reader, key: str) -> str:
        text = super().convert(node, reader, key)
        lines = _typed_lines(node) if isinstance(node, ScalarNode) else None  # TextType refused anything else
        return _join(lines) if lines else " ".join(text.split())


def _typed_lines(node: ScalarNode) -> list[str] | None:
    """The lines of a wrapped plain or block scalar as typed (None for one line, or a quoted one)."""
    start, end = node.start_mark, node.end_mark
    if start.buffer is None or start.line == end.line or node.style not in (None, ">", "|"):
        return None
    lines = start.buffer[start.pointer:end.pointer].split("\n")
    return [line.strip() for line in (lines[1:] if node.style else lines) if line.strip()]


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        cjk = text and _CJK.match(text[-1]) and _CJK.match(line[0])
        text += line if cjk or not text else " " + line
    return text


PROSE = ProseType()


@dataclass(frozen=True, kw_only=True, slots=True)
class Prose(Localized):
    """A description in Chinese, and optionally in English."""

    zh_hant: str = key(PROSE, required=True, name=DEFAULT_LANGUAGE)
    en: str | None = key(PROSE)


#: A field's name as the generator writes it: lowercase ASCII, digits and underscores.
FIELD_NAME = r"[a-z][a-z0-9_]*"


class Keyed(Mapping[str, Any]):
    """A mapping of names to values that remembers where each name was written (``where``), so
    that a description of a field that does not exist is reported at the field's name."""

    def __init__(self, items: Mapping[str, Any], where: Mapping[str, Source]):
        self._items = MappingProxyType(dict(items))
        self.where = MappingProxyType(dict(where))

    def __getitem__(self, name: str) -> Any:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class KeyedType(MapType):
    """:class:`MapType` giving a :class:`Keyed` mapping."""

    def convert(self, node: Node, reader: Reader, key: str) -> Keyed:
        items = super().convert(node, reader, key)
        where = {k.value: reader.source(k) for k, _v in node.value if isinstance(k, ScalarNode)}
        return Keyed(items, where)


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldText:
    """What one field means: a short title (a column heading) and a description."""

    title: str = key(TextType(), required=True)
    description: str = key(PROSE, required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class ResourceText:
    """What one resource (one table) holds, and each of its fields."""

    title: str = key(TextType(), required=True)
    description: str = key(PROSE, required=True)
    fields: Keyed = key(KeyedType(StructType(FieldText), FIELD_NAME), required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class Dataset:
    """One data package's descriptor; ``name`` (the file name) is the package's name."""

    title: Bilingual = key(BILINGUAL, required=True)
    description: Prose = key(StructType(Prose), required=True)
    frequency: str = key(ChoiceType(tuple(FREQUENCIES)), required=True)
    category: str = key(ChoiceType(SERVICE_CATEGORIES), required=True)
    keywords: tuple[str, ...] = key(ListType(TextType()), required=True)
    licence: Licence | None = key(StructType(Licence))
    contact: PublisherContact | None = key(StructType(PublisherContact))
    notes: str | None = key(PROSE)
    resources: Keyed = key(KeyedType(StructType(ResourceText), SLUG_PATTERN), required=True)
    where: Where = where_field()
    name: str
    source: Source
