"""The publisher and the site: ``content/site.yml``."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass

from generator.dates import issue_label
from generator.model.schedule import SCHEDULE, Schedule
from generator.model.schema import ListType, StructType, TextType, Where, key, where_field
from generator.model.common import BILINGUAL, EMAIL, LOCALIZED, PHONE, SLUG, URL, Bilingual, Localized, Phone


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


#: The placeholders a newsletter's subject may hold (site.yml ``newsletter.subject``).
SUBJECT_FIELDS = ("gazette", "issue", "date", "count")
#: The placeholders of the per-recipient unsubscribe address (``newsletter.unsubscribe_recipient``).
RECIPIENT_FIELDS = ("address", "token")


def _placeholders(allowed: tuple[str, ...], needed: bool = False) -> Callable[[str], str | None]:
    """A check that a template uses only ``allowed`` placeholders (and one at least, if ``needed``)."""
    def check(value: str) -> str | None:
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
        except ValueError as exc:
            return f"'{value}' is not a template: {exc} (write {{ and }} only around a placeholder)"
        unknown = [name for name in names if name not in allowed]
        if unknown:
            return f"'{{{unknown[0]}}}' is not a placeholder here: use " + ", ".join(f"{{{n}}}" for n in allowed)
        if needed and not names:
            return "it must hold " + " or ".join(f"{{{n}}}" for n in allowed) + ", so that each recipient gets their own link"
        return None
    return check


def _label(value: str) -> str | None:
    if reason := _placeholders(LABEL_FIELDS)(value):
        return reason
    if "{number" not in value:
        return f"'{value}' does not name the issue's number: write {{number}} in it, e.g. {{roc_year}}年第{{number}}期"
    try:
        issue_label(value, 2026, 3, 1)
    except (ValueError, TypeError) as exc:
        return f"'{value}' is not a template: {exc}"
    return None


#: The placeholders of the issue label (site.yml ``gazette.issue_label``); format specs work too
#: (``{number:03d}``).
LABEL_FIELDS = ("roc_year", "year", "number", "volume")


def _year(value: str) -> str | None:
    return None if value.isdigit() and 1800 <= int(value) <= 2999 else f"'{value}' is not a year (YYYY)"


@dataclass(frozen=True, kw_only=True, slots=True)
class GazetteSettings:
    title: Bilingual = key(BILINGUAL, required=True)
    schedule: Schedule = key(SCHEDULE, required=True)
    issue_label: str = key(TextType(check=_label, free=True), default="{roc_year}年第{number}期")
    # the year (YYYY) of volume 1 (第1卷), if the label names the volume: a volume a year
    first_volume_year: str | None = key(TextType(check=_year))
    where: Where = where_field()

    @property
    def days(self) -> tuple[int, ...]:
        """The days of the month of a schedule of days of the month (else empty)."""
        return self.schedule.days

    def volume(self, year: int) -> int | None:
        """The volume (卷) of the issues of ``year``: one a year from ``first_volume_year``, if set."""
        return year - int(self.first_volume_year) + 1 if self.first_volume_year else None

    def label(self, year: int, number: int) -> str:
        """What readers call an issue, from ``issue_label``: ``115年第3期``, ``第33卷第3期``. Every page,
        feed, data file, citation and message names an issue with this."""
        return issue_label(self.issue_label, year, number, self.volume(year))


def _rate(value: str) -> str | None:
    return None if value.isdigit() and 1 <= int(value) <= 6000 else f"'{value}' is not a number of messages a minute from 1 to 6000"


@dataclass(frozen=True, kw_only=True, slots=True)
class Sender:
    """Who the newsletter comes from: the From header."""

    name: str = key(TextType(), required=True)
    email: str = key(EMAIL, required=True)
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class NewsletterSettings:
    """The gazette e-newsletter (公報電子報): one message per issue, built with the site
    (generator/outputs/newsletter/) and sent by ``python -m generator newsletter send``."""

    name: Localized = key(LOCALIZED, required=True)
    sender: Sender = key(StructType(Sender), required=True)
    list_id: str = key(TextType(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
                                "is not a list id: a name like a domain, e.g. gazette.publications.jiahe.gov.tw"), required=True)
    subject: str = key(TextType(check=_placeholders(SUBJECT_FIELDS)), default="{gazette} {issue}")
    unsubscribe: str = key(URL, required=True)
    unsubscribe_recipient: str | None = key(TextType(r"https?://[^\s]+", "is not a web address starting with https:// or http://",
                                                     check=_placeholders(RECIPIENT_FIELDS, needed=True)))
    join: Localized = key(LOCALIZED, required=True)
    join_url: str | None = key(URL)
    rate: str = key(TextType(check=_rate), default="60")
    where: Where = where_field()

    @property
    def per_minute(self) -> int:
        return int(self.rate)


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
    newsletter: NewsletterSettings | None = key(StructType(NewsletterSettings))
    where: Where = where_field()

    def category(self, name_or_slug: str) -> Named | None:
        """The category a notice names, by slug or by its name in either language."""
        for category in self.categories:
            if name_or_slug in (category.slug, category.name.zh_hant, category.name.en):
                return category
        return None
