"""Pages of the yearbook, in both languages: editions, cover pages, chapters with tables."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from .. import urls
from ..model import Book, Chapter, Content
from ..model.common import LANGUAGES
from .markdown import Asset, Page, esc, link, page, relink_images, table_html

_TABLE = re.compile(r"^\{\{\s*table:\s*(?P<id>[^\s}]+)\s*\}\}\s*$", re.M)
LABELS = {
    "zh-Hant": {"yearbook": "年鑑", "contents": "目錄", "csv": "下載 CSV"},
    "en": {"yearbook": "Yearbook", "contents": "Contents", "csv": "Download CSV"},
}


def pages(content: Content) -> Iterator[Page]:
    for language in LANGUAGES:
        yield yearbook_home(content, language)
        for book in content.yearbooks:
            yield book_page(book, language)
            for chapter in book.chapters_in(language):
                yield chapter_page(book, chapter)


def assets(content: Content, root: Path) -> Iterator[Asset]:
    for book in content.yearbooks:
        folder = root / Path(*book.source.path.parent.parts)
        names = {book.cover.file} | {table.file for table in book.tables.values()}
        images = folder / "images"
        if images.is_dir():
            names |= {f"images/{p.name}" for p in images.iterdir() if p.is_file() and not p.name.startswith(".")}
        for name in sorted(names):
            yield Asset(urls.book_asset(book, name), folder / name)


def yearbook_home(content: Content, language: str) -> Page:
    source = urls.yearbook_home(language)
    lines = [f"- [{esc(book.title.get(language))}]({link(source, urls.book(book, language))})" for book in reversed(content.yearbooks)]
    name = content.site.city.get(language) + ("年鑑" if language == "zh-Hant" else " Yearbook")
    return Page(source, page(name, "\n".join(lines) or "—"))


def book_page(book: Book, language: str) -> Page:
    source = urls.book(book, language)
    cover = link(source, urls.book_asset(book, book.cover.file))
    lines = []
    if book.subtitle:
        lines += [f"*{esc(book.subtitle.get(language))}*", ""]
    lines += [f"![{esc(book.cover.alt.get(language))}]({cover}){{ .yearbook-cover }}", "", f"## {LABELS[language]['contents']}", ""]
    lines += [f"1. [{esc(ch.title)}]({link(source, urls.chapter(book, ch))})" for ch in book.chapters_in(language)]
    return Page(source, page(book.title.get(language), "\n".join(lines)))


def chapter_page(book: Book, chapter: Chapter) -> Page:
    source = urls.chapter(book, chapter)
    base = posixpath.dirname(str(book.source.path.relative_to("content")))  # yearbook/2025

    def resolve(target: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            return None
        published = posixpath.normpath(posixpath.join(base, chapter.language, target))
        return link(source, published)

    def table(match: re.Match) -> str:
        stat = book.tables[match["id"]]
        href = link(source, urls.book_asset(book, stat.file))
        return "\n" + table_html(stat, chapter.language, href, LABELS[chapter.language]["csv"]) + "\n"

    body = _TABLE.sub(table, relink_images(chapter.body, resolve))
    return Page(source, page(chapter.title, body))
