"""The frame around every page in the page's own language: the site's name (header, drawer,
``<title>``), the tabs and the mobile drawer, the skip link and the header's search box (the footer is
:mod:`generator.website.frame`'s).

MkDocs has one site name and one nav, in Chinese; the plugin hands each page this frame as the
template variable ``chrome`` (:meth:`generator.website.plugin.GeneratorPlugin.on_page_context`), and
the theme's overrides (``themes/material/``) print it. Chinese pages keep the theme's own nav
(sections, the gazette's years); English pages get the same tabs in English, where 年鑑 leads to
the English yearbook and 首頁 to the English home page. Tabs that lead to a publication that exists in
Chinese only (the gazette, the directory, open data) say so to screen readers and in a tooltip, and
carry ``hreflang``.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import urls
from generator.labels import labels
from generator.model import Content
from generator.model.common import DEFAULT_LANGUAGE

#: the tabs, in order; those in LOCALIZED exist in every language, the others in Chinese only
TABS = ("home", "gazette", "yearbook", "directory", "data", "about")
LOCALIZED = frozenset({"home", "yearbook"})


def _targets(language: str) -> dict[str, str]:
    return {"home": urls.home(language), "gazette": urls.gazette_home(), "yearbook": urls.yearbook_home(language),
            "directory": urls.directory_home(), "data": urls.data_home(), "about": urls.about()}


@dataclass(frozen=True)
class Tab:
    title: str
    url: str  # relative to the site's root, for the theme's ``url`` filter
    active: bool
    hreflang: str | None  # the target's language where it is not the page's
    note: str  # what a screen reader hears after the title ("in Chinese"), or ""


@dataclass(frozen=True)
class Chrome:
    language: str
    english: bool
    site_name: str
    home: str
    skip: str
    search: str
    search_placeholder: str
    search_url: str
    table_region: str
    tabs: tuple[Tab, ...]


def language_of(meta: dict) -> str:
    """A page's language: its front matter's ``lang``, else the site's default (as partials/language.html)."""
    return str(meta.get("lang") or DEFAULT_LANGUAGE)


def frame(content: Content, language: str, page_uri: str) -> Chrome:
    """The frame of the page at ``page_uri`` (its source path, ``en/yearbook/2025/index.md``) in ``language``."""
    words = labels("chrome", language)
    site = content.site
    publisher = site.publisher.get(language)
    targets = _targets(language)
    tabs = []
    for name in TABS:
        foreign = language != DEFAULT_LANGUAGE and name not in LOCALIZED
        tabs.append(Tab(words["tabs"][name], _href(targets[name]), _active(name, targets[name], page_uri),
                        DEFAULT_LANGUAGE if foreign else None, words["in_chinese"] if foreign else ""))
    return Chrome(
        language=language, english=language == "en",
        site_name=words["site_name"].format(publisher=publisher),
        home=_href(urls.home(language)), skip=words["skip"], search=words["search"],
        search_placeholder=words["search_placeholder"], search_url=_href(urls.search(language)),
        table_region=words["table_region"],
        tabs=tuple(tabs))


def _href(uri: str) -> str:
    """A page's source path as the theme's ``url`` filter takes it: ``en/yearbook/index.md`` -> ``en/yearbook/``."""
    return urls.url(uri).lstrip("/") or "."


def _active(name: str, uri: str, page_uri: str) -> bool:
    if name == "home":
        return page_uri == uri
    folder = uri.removesuffix("index.md")
    return bool(folder) and page_uri.startswith(folder)
