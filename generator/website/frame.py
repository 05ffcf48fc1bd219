"""The frame of every page that the theme's templates draw: the footer (the publisher's office, the
policy pages, the last update), and the words of the home page's search box and of the 404 page.

Everything comes from ``content/site.yml``, the pages of ``content/pages/`` and the labels
catalogue (``labels/site.yml``), in each language of :data:`LANGUAGES`: a template takes the one of
its page (``page.meta.lang``, else Chinese). Values are text; the templates escape them (autoescape).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from generator import urls
from generator.dates import english_date, roc_date
from generator.labels import labels
from generator.model import LANGUAGES, Content

#: The pages of content/pages/ the footer links, in this order, where they exist (the policies a
#: Taiwanese government site carries, then "about").
FOOTER_PAGES = ("accessibility", "privacy", "open-data", "about")


def page_uri(name: str) -> str:
    """A hand-written page of ``content/pages/``: ``accessibility.md`` (published at ``/accessibility/``)."""
    return f"{name}.md"


def frame(content: Content, updated: dt.date | None, pages: Collection[str]) -> Mapping[str, Mapping[str, Any]]:
    """What the theme's templates show around every page, by language. ``pages``: the source paths
    of content/pages/ that exist; ``updated``: the day the content last changed (None: not shown,
    every page showing its own, website/pages/dated.py)."""
    site, office = content.site, content.site.office
    result = {}
    for language in LANGUAGES:
        words = labels("site", language)
        result[language] = {
            "language": language,
            "labels": words,
            "publisher": site.publisher.get(language),
            "address": office.address.get(language) if office else None,
            "phone": office.phone.national if office else None,
            "tel": office.phone.tel_uri if office else None,
            "hours": office.hours.get(language) if office else None,
            "email": site.contact.email,
            "licence": site.licence.name.get(language),
            "licence_url": site.licence.url,
            "pages": [(words["footer"]["pages"][name], f"{name}/")
                      for name in FOOTER_PAGES if page_uri(name) in pages],
            # the site's last update: shown by the pages that have no day of their own (the home
            # pages, search, 404); None for the pages rendered apart, which all have one (website/plugin.py)
            "updated_iso": updated.isoformat() if updated else None,
            "gazette": urls.url(urls.gazette_home()).lstrip("/"),
            "yearbook": urls.url(urls.yearbook_home(language)).lstrip("/"),
            "directory": urls.url(urls.directory_home()).lstrip("/"),
            "search": urls.url(urls.search(language)).lstrip("/"),
            "home": "",
        }
    return result


def page_date(value: object, form: str) -> str:
    """A page's day (``updated`` of its front matter, ``YYYY-MM-DD``, or a date) as the footer shows
    it: ``form`` is a language (中華民國115年3月2日, 2 March 2026) or ``iso`` (``<time datetime>``).
    A value that is not a day raises: a page must not print a wrong one."""
    day = value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if form == "iso":
        return day.isoformat()
    return roc_date(day) if form == "zh-Hant" else english_date(day)
