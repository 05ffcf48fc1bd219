"""The website: every generated page and published file, handed to MkDocs by :mod:`generator.website.plugin`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator import urls
from generator.dates import roc_date
from generator.model import Content
from generator.products import Products
from generator.website.pages import data as data_pages
from generator.outputs.opendata import packages as datapackage
from generator.outputs import directory_files as directory_data
from generator.website.pages import directory as directory_pages
from generator.outputs import feeds
from generator.website.pages import gazette as gazette_pages
from generator.outputs import search
from generator.website.pages import yearbook as yearbook_pages
from generator.markup.markdown import Asset, Page, esc, link, page


def pages(made: Products) -> Iterator[Page]:
    """Every generated page, from the content and what the stages before the website made."""
    content = made.content
    yield home(content)
    yield from gazette_pages.pages(content)
    yield from yearbook_pages.pages(content, made.ebooks)
    yield from directory_pages.pages(content, made.record)
    yield from search.pages(content)
    yield from data_pages.pages(content, made.packages)


def assets(made: Products) -> Iterator[Asset]:
    """Every published file that is not a page: attachments, feeds, images, e-books, downloads, data."""
    content, root = made.content, made.root
    yield from gazette_pages.assets(content, root)
    yield from feeds.assets(content)
    yield from yearbook_pages.assets(content, root, made.ebooks)
    yield from directory_data.assets(content, made.record)
    yield from datapackage.assets(content, made.packages)


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


def home(content: Content) -> Page:
    source = urls.home()
    site = content.site
    lines = [f"{esc(site.publisher.zh_hant)}發行之市府公報、年鑑與電話號碼表。", ""]
    lines += [f"## [{esc(site.gazette.title.zh_hant)}]({link(source, urls.gazette_home())})", ""]
    if content.gazette.issues:
        latest = content.gazette.issues[-1]
        lines += [f"最新一期：[{esc(gazette_pages.label(content, latest))}]({link(source, urls.issue(latest))})"
                  f"（{roc_date(latest.date)}出刊）", ""]
    lines += [f"## [{esc(site.city.zh_hant)}年鑑]({link(source, urls.yearbook_home())})", ""]
    lines += [f"- [{esc(book.title.zh_hant)}]({link(source, urls.book(book))}) · "
              f"[{esc(book.title.en)}]({link(source, urls.book(book, 'en'))})" for book in reversed(content.yearbooks)]
    lines += ["", f"## [電話號碼表]({link(source, urls.directory_home())})", "",
              f"{len(content.directory.agencies)} 個機關的單位與聯絡窗口。"]
    if content.datasets:
        lines += ["", f"## [開放資料]({link(source, urls.data_home())})", "",
                  f"{len(content.datasets)} 個資料集（Frictionless 資料包，CSV 與 JSON）。"]
    return Page(source, page(site.publisher.zh_hant, "\n".join(lines)))
