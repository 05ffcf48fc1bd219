"""The website: every generated page and published file, handed to MkDocs by :mod:`generator.website.plugin`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from generator import urls
from generator.model import Content
from generator.products import Products
from generator.website.templating import Templates
from generator.website.pages import data as data_pages
from generator.outputs import directory_files as directory_data
from generator.website.pages import directory as directory_pages
from generator.outputs import feeds
from generator.outputs.opendata.tables import PlainTexts, plain_texts
from generator.website.pages import gazette as gazette_pages
from generator.website.pages.home import home
from generator.website.pages import home_other
from generator.website.pages import newsletter as newsletter_pages
from generator.website.pages import search as search_pages
from generator.website.pages import yearbook as yearbook_pages
from generator.markup.markdown import Asset, Page


def pages(made: Products, updated: dt.date, notices: bool = True, keyed: bool = False) -> Iterator[Page]:
    """Every generated page, from the content and what the stages before the website made;
    ``updated``: the day the content last changed; ``notices``: False leaves out the notices' own
    pages (``serve`` makes each when asked: :func:`generator.website.pages.gazette.notice_pages`);
    ``keyed``: the gazette's pages without their Markdown, keyed by what they show and made when
    that changed (``website/pages/shown.py``)."""
    content = made.content
    templates = Templates()  # compiled once per build, each template once
    yield home(content, updated, templates)
    yield from home_other.pages(content, templates)
    # the notices' plain text for their summaries, from the open data's cache (made there this build)
    texts: Mapping[str, str] | None = None
    if keyed:
        texts = PlainTexts(content, made.root)  # read when a notice's page is made
    elif notices and content.gazette.notices:
        texts = plain_texts(content, made.root)
    yield from gazette_pages.pages(content, templates, made.pdfs, notices, texts, keyed)
    yield from yearbook_pages.pages(content, made.ebooks, templates, made.book_pdfs)
    yield from directory_pages.pages(content, made.record, templates)
    yield from search_pages.pages(content, templates)
    yield from data_pages.pages(content, made.packages, templates)
    yield from newsletter_pages.pages(content, made.newsletters, templates, keyed)


def assets(made: Products, feeds_made: bool = True) -> Iterator[Asset]:
    """Every published file that is not a page: attachments, feeds, images, e-books, downloads, and
    the data files (which the open-data stage already wrote). ``feeds_made``: False gives the
    gazette's feeds empty (``serve`` makes them when asked: generator/preview.py)."""
    content, root = made.content, made.root
    yield from gazette_pages.assets(content, root, made.pdfs)
    if feeds_made:
        # the summaries from the notices' plain texts in the open data's cache (made there this build)
        yield from feeds.assets(content, made.pdfs, lambda issues: plain_texts(content, root, issues))
    else:
        yield from (Asset(uri, data=b"") for uri in feeds.uris(content))
    yield feeds.directory_feed(content, made.record, directory_pages.describe)
    yield from yearbook_pages.assets(content, root, made.ebooks, made.book_pdfs)
    yield from directory_data.assets(content, made.record, root)
    yield from made.data_files
    for edition in made.newsletters:
        yield from edition.assets()
    yield Asset("robots.txt", data=robots(content))


def robots(content: Content) -> bytes:
    """robots.txt: every page may be crawled (a public gazette); the sitemap, by its full address."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(content.site.base_url, 'sitemap.xml')}\n".encode()


def nav(content: Content, configured: list | None) -> list:
    """The configured nav, with the gazette's years and issues under the gazette's home page.

    Notices stay out of the nav: with ``navigation.prune`` a page then carries only its own
    section, so a notice page does not grow with the archive (DESIGN.md's measurements).
    """
    section = gazette_pages.nav_section(content)
    result = []
    for item in configured or []:
        if isinstance(item, dict) and list(item.values()) == [urls.gazette_home()]:
            (title,) = item
            result.append({title: [urls.gazette_home(), *section]})
        else:
            result.append(item)
    return result
