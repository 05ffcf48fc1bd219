"""Pages of the yearbook, in both languages: the editions, each edition's cover page and its chapters.

Every page knows its counterpart in the other language: a visible switch near the title and
``hreflang`` alternates in the head (themes/material/main.html). English pages say ``lang: en`` in
their front matter, which gives them ``<html lang="en">`` and the theme's English interface
(themes/material/partials/language.html). A chapter missing in one language is shown as such,
with a link to the language it exists in. The e-books (the e-book stage's) are published beside the
pages and offered for download, with their size, on every cover and chapter page.

The pages are laid out by templates/yearbook/; the words are in generator/labels/yearbook.yml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

from markupsafe import Markup

from generator import urls
from generator.dates import english_date, roc_date
from generator.labels import labels
from generator.markup.chapters import chapter_text, counterpart, reading_order
from generator.markup.markdown import Asset, Page, file_size, link, page
from generator.model import Book, Chapter, Content
from generator.model.common import DEFAULT_LANGUAGE, LANGUAGES
from generator.outputs import search
from generator.outputs.ebooks.epub import Ebook
from generator.outputs.printed.yearbook import BookPdf
from generator.spreadsheet import excel_csv
from generator.website.pages import dated
from generator.website.templating import Templates

#: How each language writes a date in an imprint.
DATES: Mapping[str, Callable[[dt.date], str]] = MappingProxyType({DEFAULT_LANGUAGE: roc_date, "en": english_date})

#: (edition's year, language) -> the sizes in bytes of the e-book and of the PDF (the print edition; None without it)
Sizes = Mapping[tuple[int, str], tuple[int, int | None]]


def pages(content: Content, ebooks: tuple[Ebook, ...] = (), templates: Templates | None = None,
          pdfs: tuple[BookPdf, ...] = ()) -> Iterator[Page]:
    """Every yearbook page; each offers the edition's ``ebooks`` (the e-book stage's) and ``pdfs`` (the
    print edition's) for download."""
    templates = templates or Templates()
    printed = {(p.year, p.language): p.size for p in pdfs}
    sizes = {(e.book.year, e.language): (len(e.data), printed.get((e.book.year, e.language))) for e in ebooks}
    for language in LANGUAGES:
        yield yearbook_home(content, language, templates)
        for book in content.yearbooks:
            yield book_page(content, book, language, sizes, templates)
            chapters = book.chapters_in(language)
            for index, chapter in enumerate(chapters):
                around = (chapters[index - 1] if index else None, chapters[index + 1] if index + 1 < len(chapters) else None)
                yield chapter_page(book, chapter, around, sizes, templates)


def assets(content: Content, root: Path, ebooks: tuple[Ebook, ...], pdfs: tuple[BookPdf, ...] = ()) -> Iterator[Asset]:
    """The editions' images and tables (shared by both languages), the e-books and their print editions."""
    for book in content.yearbooks:
        folder = root / Path(*book.source.path.parent.parts)
        names = {book.cover.file} | {table.file for table in book.tables.values()}
        images = folder / "images"
        if images.is_dir():
            names |= {f"images/{p.name}" for p in images.iterdir() if p.is_file() and not p.name.startswith(".")}
        for name in sorted(names):
            yield Asset(urls.book_asset(book, name), folder / name)
        for table in book.tables.values():  # for citizens: Excel's CSV, headed in each language
            for language in LANGUAGES:
                shown = table.shown_columns(language)
                yield Asset(urls.table_download(book, table.file, language), data=excel_csv(
                    urls.table_download(book, table.file, language),
                    [table.columns[table.header[i]].get(language) for i in shown],
                    ([row[i] for i in shown] for row in table.rows)))
    for ebook in ebooks:
        yield Asset(ebook.uri, data=ebook.data)
    for pdf in pdfs:
        yield Asset(pdf.uri, data=pdf.data)


def _other(language: str) -> str:
    return next(other for other in LANGUAGES if other != language)


def _words(language: str) -> dict[str, object]:
    """What every yearbook template knows: the page's language and its words, the other language and its words."""
    other = _other(language)
    return {"language": language, "labels": labels("yearbook", language), "other": other,
            "other_labels": labels("yearbook", other)}


def _meta(language: str, versions: dict[str, str]) -> dict[str, object]:
    """Front matter shared by every yearbook page: the page's language, its versions (hreflang)."""
    meta: dict[str, object] = {"alternates": [{"lang": lang, "href": urls.url(uri).lstrip("/")} for lang, uri in versions.items()]}
    if language != DEFAULT_LANGUAGE:
        meta["lang"] = language  # read by themes/material/partials/language.html
    return meta


def _ebooks(book: Book, language: str, sizes: Sizes) -> list[tuple[str, str, str | None]]:
    """The edition's e-books as (language, size, the PDF's size or None), the page's own language first."""
    found = [(edition, sizes[(book.year, edition)]) for edition in (language, _other(language)) if (book.year, edition) in sizes]
    return [(edition, file_size(epub), file_size(pdf) if pdf is not None else None) for edition, (epub, pdf) in found]


def yearbook_home(content: Content, language: str, templates: Templates) -> Page:
    source = urls.yearbook_home(language)
    title = labels("yearbook", language)["title"].format(city=content.site.city.get(language))
    body = templates.render("yearbook/home.md", source, **_words(language), title=title,
                            other_home=urls.yearbook_home(_other(language)), books=list(reversed(content.yearbooks)))
    versions = {lang: urls.yearbook_home(lang) for lang in LANGUAGES}
    return Page(source, page(title, body, **_meta(language, versions),
                             **dated.meta(max((book.date for book in content.yearbooks), default=None))))


def book_page(content: Content, book: Book, language: str, sizes: Sizes, templates: Templates) -> Page:
    """An edition's cover page: title, publication data, cover, downloads, the chapters."""
    source = urls.book(book, language)
    title = book.title.get(language)
    identifier = book.identifier.get(language)
    body = templates.render(
        "yearbook/book.md", source, **_words(language), book=book, title=title,
        other_book=urls.book(book, _other(language)), ebooks=_ebooks(book, language, sizes),
        publisher=(book.publisher or content.site.publisher).get(language), date=DATES[language](book.date),
        identifier=identifier if identifier.lower().startswith("urn:") else f"ISBN {identifier}",
        chapters=contents(book, language))
    versions = {lang: urls.book(book, lang) for lang in LANGUAGES}
    # The contents are in the page itself: no table of contents in the sidebar.
    return Page(source, page(title, body, hide=["toc"], **_meta(language, versions), **dated.meta(book.date)))


def contents(book: Book, language: str) -> list[Chapter]:
    """The chapters in order, each in ``language`` or else in the language it exists in."""
    found = (versions.get(language) or versions.get(_other(language)) for _name, versions in reading_order(book))
    return [chapter for chapter in found if chapter]


def chapter_page(book: Book, chapter: Chapter, around: tuple[Chapter | None, Chapter | None], sizes: Sizes,
                 templates: Templates) -> Page:
    """One chapter: breadcrumbs, language switch, the text with its tables and images, neighbours, downloads."""
    language = chapter.language
    source = urls.chapter(book, chapter)
    twin = counterpart(book, chapter, _other(language))
    text = chapter_text(book, chapter, lambda path: link(source, urls.book_asset(book, path)),
                        lambda stat: link(source, urls.table_download(book, stat.file, language)))
    # The chapter's Markdown is the page's text, to be read as Markdown (check refused what could
    # run in it, and the page's HTML is sanitized): the one value the template prints as it is.
    body = templates.render("yearbook/chapter.md", source, **_words(language), book=book, chapter=chapter, twin=twin,
                            text=Markup(text.strip()), footnotes="[^" in text, before=around[0], after=around[1],
                            ebooks=_ebooks(book, language, sizes))
    versions = {ch.language: urls.chapter(book, ch) for ch in (chapter, twin) if ch}
    meta = _meta(language, dict(sorted(versions.items(), key=lambda item: LANGUAGES.index(item[0]))))
    # "edition", not "year": the 2025 edition is published in 2026, and the search's year range is the
    # gazette's years of publication; the two must not mix in one filter
    meta["search"] = search.entry(language, "yearbook", filters={"edition": str(book.year)},
                                  sort={"date": f"{book.year}-12-31"})  # "newest first": a yearbook dates from its year's end
    return Page(source, page(chapter.title, body, **meta, **dated.meta(book.date)))
