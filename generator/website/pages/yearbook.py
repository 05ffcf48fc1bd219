"""Pages of the yearbook, in both languages: the editions, each edition's cover page and its chapters.

Every page knows its counterpart in the other language: a visible switch near the title and
``hreflang`` alternates in the head (themes/material/main.html). English pages say ``lang: en`` in
their front matter, which gives them ``<html lang="en">`` and the theme's English interface
(themes/material/partials/language.html). A chapter missing in one language is shown as such,
with a link to the language it exists in. The e-books (:mod:`.epub`) are published beside the
pages and offered for download, with their size, on every cover and chapter page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator import urls
from generator.dates import english_date, roc_date
from generator.model import Book, Chapter, Content
from generator.model.common import LANGUAGES
from generator.outputs.ebooks.epub import Ebook
from generator.outputs import search
from generator.markup.markdown import Asset, Page, esc, file_size, link, page
from generator.labels import CATALOGUE
from generator.markup.chapters import chapter_text, counterpart, reading_order

LABELS = CATALOGUE["yearbook"]  # by language

EPUB_TYPE = "application/epub+zip"


def pages(content: Content, ebooks: tuple[Ebook, ...] = ()) -> Iterator[Page]:
    """Every yearbook page; each offers the edition's ``ebooks`` (the e-book stage's) for download."""
    sizes = {(e.book.year, e.language): len(e.data) for e in ebooks}
    for language in LANGUAGES:
        yield yearbook_home(content, language)
        for book in content.yearbooks:
            yield book_page(content, book, language, sizes)
            chapters = book.chapters_in(language)
            for index, chapter in enumerate(chapters):
                neighbours = (chapters[index - 1] if index else None, chapters[index + 1] if index + 1 < len(chapters) else None)
                yield chapter_page(book, chapter, neighbours, sizes)


def assets(content: Content, root: Path, ebooks: tuple[Ebook, ...]) -> Iterator[Asset]:
    """The editions' images and tables (shared by both languages), and the e-books."""
    for book in content.yearbooks:
        folder = root / Path(*book.source.path.parent.parts)
        names = {book.cover.file} | {table.file for table in book.tables.values()}
        images = folder / "images"
        if images.is_dir():
            names |= {f"images/{p.name}" for p in images.iterdir() if p.is_file() and not p.name.startswith(".")}
        for name in sorted(names):
            yield Asset(urls.book_asset(book, name), folder / name)
    for ebook in ebooks:
        yield Asset(ebook.uri, data=ebook.data)


def _other(language: str) -> str:
    return next(other for other in LANGUAGES if other != language)


def _meta(language: str, versions: dict[str, str]) -> dict:
    """Front matter shared by every yearbook page: the page's language, its versions (hreflang)."""
    meta: dict = {"alternates": [{"lang": lang, "href": urls.url(uri).lstrip("/")} for lang, uri in versions.items()]}
    if language != LANGUAGES[0]:
        meta["lang"] = language  # read by themes/material/partials/language.html
    return meta


def switch(source: str, language: str, target: str | None, fallback: str) -> str:
    """The link to this page in the other language; where there is none, a note and a link to
    the other language's contents (``fallback``)."""
    other = _other(language)
    aria = f' aria-label="{LABELS[language]["language"]}"'
    if target:
        body = f'[{LABELS[language]["endonyms"][other]}]({link(source, target)}){{ hreflang="{other}" lang="{other}" }}'
    else:
        body = (f'<span lang="{other}">{esc(LABELS[other]["untranslated"])}</span> '
                f'[{esc(LABELS[other]["other_edition"])}]({link(source, fallback)}){{ hreflang="{other}" lang="{other}" }}')
    return f'<nav class="language-switch"{aria} markdown="span">{body}</nav>'


def top(source: str, language: str, trail: list[tuple[str, str]], language_switch: str, title: str) -> str:
    """Breadcrumbs and the language switch above the page's title (the page's h1)."""
    crumbs = " › ".join(f"[{esc(name)}]({link(source, target)})" for name, target in trail)
    return "\n".join([
        '<div class="yearbook-top" markdown="1">',
        f'<nav class="breadcrumbs" aria-label="{LABELS[language]["trail"]}" markdown="span">{crumbs}</nav>' if crumbs else "",
        language_switch,
        "</div>", "", f"# {esc(title)}", "",
    ])


def downloads(source: str, book: Book, language: str, sizes: dict) -> str:
    """Links to the edition's e-books in both languages, with their size."""
    labels = LABELS[language]
    items = []
    for edition in (language, _other(language)):  # the page's own language first
        if (book.year, edition) not in sizes:
            continue
        text = labels["edition"].format(name=labels["language_names"][edition], size=file_size(sizes[(book.year, edition)]))
        items.append(f'- [{esc(text)}]({link(source, urls.ebook(book, edition))})'
                     f'{{ download="" type="{EPUB_TYPE}" hreflang="{edition}" }}')
    if not items:
        return ""
    # data-pagefind-ignore: the same links on every chapter are not its text for search.
    return "\n".join(['<div class="ebook-downloads" data-pagefind-ignore="all" markdown="1">', "",
                      f"**{labels['downloads']}**", "", *items, "", "</div>"])


def yearbook_home(content: Content, language: str) -> Page:
    source = urls.yearbook_home(language)
    other = urls.yearbook_home(_other(language))
    name = content.site.city.get(language) + ("年鑑" if language == "zh-Hant" else " Yearbook")
    lines = [top(source, language, [], switch(source, language, other, other), name)]
    lines += [f"- [{esc(book.title.get(language))}]({link(source, urls.book(book, language))})"
              for book in reversed(content.yearbooks)]
    versions = {lang: urls.yearbook_home(lang) for lang in LANGUAGES}
    return Page(source, page(name, "\n".join(lines) or "—", **_meta(language, versions)))


def book_page(content: Content, book: Book, language: str, sizes: dict) -> Page:
    """An edition's cover page: title, publication data, cover, downloads, the chapters."""
    source = urls.book(book, language)
    other = urls.book(book, _other(language))
    title = book.title.get(language)
    lines = [top(source, language, [(LABELS[language]["yearbook"], urls.yearbook_home(language))],
                 switch(source, language, other, other), title)]
    if book.subtitle:
        lines += [f'<p class="yearbook-subtitle">{esc(book.subtitle.get(language))}</p>', ""]
    lines += [f'<p class="yearbook-imprint">{esc(imprint(content, book, language))}</p>', ""]
    cover = link(source, urls.book_asset(book, book.cover.file))
    lines += [f"![{esc(book.cover.alt.get(language))}]({cover}){{ .yearbook-cover }}", ""]
    lines += [downloads(source, book, language, sizes), "", f"## {LABELS[language]['contents']}", ""]
    lines += contents_list(source, book, language)
    versions = {lang: urls.book(book, lang) for lang in LANGUAGES}
    # The contents are in the page itself: no table of contents in the sidebar.
    return Page(source, page(title, "\n".join(lines), hide=["toc"], **_meta(language, versions)))


def imprint(content: Content, book: Book, language: str) -> str:
    """Publisher, date and identifier, as on a book's imprint page."""
    publisher = (book.publisher or content.site.publisher).get(language)
    identifier = book.identifier.get(language)
    ident = identifier if identifier.lower().startswith("urn:") else f"ISBN {identifier}"
    if language == "zh-Hant":
        return f"{publisher} · {roc_date(book.date)}出版 · {ident}"
    return f"{publisher} · Published {english_date(book.date)} · {ident}"


def contents_list(source: str, book: Book, language: str) -> list[str]:
    """The chapters in order; one missing in this language is listed in the language it exists in."""
    lines = []
    for _name, versions in reading_order(book):
        if language in versions:
            chapter = versions[language]
            lines.append(f"1. [{esc(chapter.title)}]({link(source, urls.chapter(book, chapter))})")
            continue
        other = _other(language)
        if other in versions:
            chapter = versions[other]
            note = LABELS[language]["only_in"].format(name=LABELS[language]["language_names"][other])
            lines.append(f'1. [{esc(chapter.title)}]({link(source, urls.chapter(book, chapter))})'
                         f'{{ lang="{other}" hreflang="{other}" }}'
                         f'<span class="untranslated">{esc(note)}</span>')
    return lines


def chapter_page(book: Book, chapter: Chapter, around: tuple[Chapter | None, Chapter | None], sizes: dict) -> Page:
    """One chapter: breadcrumbs, language switch, the text with its tables and images, neighbours, downloads."""
    language = chapter.language
    source = urls.chapter(book, chapter)
    twin = counterpart(book, chapter, _other(language))
    trail = [(LABELS[language]["yearbook"], urls.yearbook_home(language)), (book.title.get(language), urls.book(book, language))]
    language_switch = switch(source, language, twin and urls.chapter(book, twin), urls.book(book, _other(language)))
    body = chapter_text(book, chapter, lambda path: link(source, urls.book_asset(book, path)),
                        lambda stat: link(source, urls.book_asset(book, stat.file)))
    lines = [top(source, language, trail, language_switch, chapter.title), body.strip(), ""]
    if "[^" in body:
        lines += ["///Footnotes Go Here///", ""]  # Python-Markdown's footnotes marker: notes before the links below
    lines += [neighbours(source, book, *around), "", downloads(source, book, language, sizes)]
    versions = {ch.language: urls.chapter(book, ch) for ch in (chapter, twin) if ch}
    meta = _meta(language, dict(sorted(versions.items(), key=lambda item: LANGUAGES.index(item[0]))))
    meta["search"] = search.entry(language, "yearbook", filters={"year": str(book.year)})
    return Page(source, page(chapter.title, "\n".join(lines), **meta))


def neighbours(source: str, book: Book, before: Chapter | None, after: Chapter | None) -> str:
    """Links to the previous and the next chapter in the same language."""
    if not (before or after):
        return ""
    labels = LABELS[(before or after).language]
    parts = []
    for chapter, label, kind in ((before, "previous", "prev"), (after, "next", "next")):
        if chapter:
            text = esc(labels[label].format(title=chapter.title))
            parts.append(f"[{text}]({link(source, urls.chapter(book, chapter))}){{ .{kind} rel={kind} }}")
    return f'<nav class="neighbours" aria-label="{labels["neighbours"]}" markdown="span">' + " ".join(parts) + "</nav>"
