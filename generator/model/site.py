"""The publisher and the site: ``content/site.yml``."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.schema import ListType, StructType, TextType, Where, key, where_field
from generator.model.common import BILINGUAL, EMAIL, PHONE, SLUG, URL, Bilingual, Phone


def _days(value: str) -> str | None:
    return None if value.isdigit() and 1 <= int(value) <= 28 else f"'{value}' is not a day of the month from 1 to 28"


@dataclass(frozen=True, kw_only=True, slots=True)
class Named:
    """An entry of a configured list (a category, a directory group): a slug and names."""

    slug: str = key(SLUG, required=True)
    name: Bilingual = key(BILINGUAL, required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class Licence:
    name: Bilingual = key(BILINGUAL, required=True)
    url: str = key(URL, required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class PublisherContact:
    name: str = key(TextType(), required=True)
    phone: Phone = key(PHONE, required=True)
    email: str = key(EMAIL, required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class Office:
    """Where readers reach the publisher, in the footer of every page."""

    address: Bilingual = key(BILINGUAL, required=True)
    phone: Phone = key(PHONE, required=True)
    hours: Bilingual = key(BILINGUAL, required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class GazetteSettings:
    title: Bilingual = key(BILINGUAL, required=True)
    schedule: tuple[str, ...] = key(ListType(TextType(check=_days)), required=True)
    issue_label: str = key(TextType(), default="{roc_year}年第{number}期")
    where: Where = where_field()

    @property
    def days(self) -> tuple[int, ...]:
        return tuple(sorted(int(day) for day in self.schedule))


@dataclass(frozen=True, kw_only=True, slots=True)
class Site:
    publisher: Bilingual = key(BILINGUAL, required=True)
    city: Bilingual = key(BILINGUAL, required=True)
    base_url: str = key(URL, required=True)
    licence: Licence = key(StructType(Licence), required=True)
    contact: PublisherContact = key(StructType(PublisherContact), required=True)
    gazette: GazetteSettings = key(StructType(GazetteSettings), required=True)
    categories: tuple[Named, ...] = key(ListType(StructType(Named)), required=True)
    directory_groups: tuple[Named, ...] = key(ListType(StructType(Named)), required=True)
    office: Office | None = key(StructType(Office))  # the footer's address, phone and hours
    where: Where = where_field()

    def category(self, name_or_slug: str) -> Named | None:
        """The category a notice names, by slug or by its name in either language."""
        for category in self.categories:
            if name_or_slug in (category.slug, category.name.zh_hant, category.name.en):
                return category
        return None
