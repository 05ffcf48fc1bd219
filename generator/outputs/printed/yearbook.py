"""The yearbook's print edition: one A4 PDF per edition and language (cover, title page, contents,
chapters with their statistics tables and captioned figures), for libraries that take no e-books.

Made by the same stage as the gazette's PDFs (:func:`generator.outputs.printed.issues.print_edition`),
from the chapter text the site and the e-books start from (:func:`~generator.markup.chapters.chapter_text`),
cached the same way under a hash of its inputs (the images' bytes included).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.dates import english_date, roc_date
from generator.labels import labels
from generator.markup.chapters import chapter_text
from generator.markup.sanitize import clean
from generator.model import Book, Content
from generator.outputs.issuecache import code_digest
from generator.outputs.printed import typeset


@dataclass(frozen=True)
class BookPdf:
    """An edition's print edition in one language, published at :attr:`uri`."""

    year: int
    language: str
    uri: str  # ebooks/yearbook-2025-zh-Hant.pdf
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def pdf_uri(book: Book, language: str) -> str:
    """Beside the e-books: ``ebooks/yearbook-2025-zh-Hant.pdf``."""
    return urls.book_pdf(book, language)


def source(content: Content, book: Book, language: str, folder: Path) -> tuple[str, dict[str, object], dict[str, Path]]:
    """The chapters as one HTML document (each in a ``part-N`` wrapper), the data the template shows,
    and the files it needs (the cover and the images, by their path in the edition's folder)."""
    import markdown

    book_words = labels("yearbook", language)
    chapters = book.chapters_in(language)
    html = []
    for index, chapter in enumerate(chapters):
        text = chapter_text(book, chapter, image=lambda path: path,
                            csv_href=lambda stat: urls.absolute(content.site.base_url, urls.book_asset(book, stat.file)))
        html.append(f'<div id="part-{index}">\n{clean(markdown.markdown(text, extensions=list(typeset.EXTENSIONS)))}\n</div>')
    files = {book.cover.file: folder / book.cover.file}
    images = folder / "images"
    if images.is_dir():
        files |= {f"images/{p.name}": p for p in sorted(images.iterdir()) if p.is_file() and not p.name.startswith(".")}
    identifier = book.identifier.get(language)
    publisher = (book.publisher or content.site.publisher).get(language)
    date = book.date
    data: dict[str, object] = {
        "title": book.title.get(language), "author": publisher,
        "subject": book.subtitle.get(language) if book.subtitle else book.title.get(language),
        "keywords": [book.title.get(language), content.site.city.get(language)],
        "date": [date.year, date.month, date.day],
        "lang": "zh" if language == "zh-Hant" else language, "region": "TW" if language == "zh-Hant" else None,
        "subtitle": book.subtitle.get(language) if book.subtitle else None,
        "publisher": publisher, "rights": book.rights.get(language),
        "date_text": roc_date(date) if language == "zh-Hant" else english_date(date),
        "identifier": identifier if identifier.lower().startswith("urn:") else f"ISBN {identifier}",
        "cover": book.cover.file, "cover_alt": book.cover.alt.get(language),
        "words": {"contents": book_words["contents"]},
        "parts": [{"title": chapter.title} for chapter in chapters],
    }
    return "<!DOCTYPE html>\n<html><body>\n" + "\n".join(html) + "\n</body></html>\n", data, files


def book_pdfs(content: Content, root: Path, version: str, program: str) -> tuple[tuple[BookPdf, ...], int]:
    """Every edition's PDF in each language it has chapters in; and how many were typeset (not cached)."""
    made, count = [], 0
    cache = root / typeset.CACHE
    for book in content.yearbooks:
        folder = root / Path(*book.source.path.parent.parts)
        for language in [lang for lang in book.contents if book.chapters_in(lang)]:
            html, data, files = source(content, book, language, folder)
            # the HTML and the data as made, and this module (how it compiles them: template, timestamp)
            digest = hashlib.sha256("\0".join([version, code_digest(Path(__file__)), html,
                                               json.dumps(data, ensure_ascii=False, sort_keys=True)]).encode())
            for name, path in sorted(files.items()):
                digest.update(name.encode() + b"\0" + path.read_bytes())
            name = f"yearbook-{book.year}-{language}"
            cached = typeset.read_cache(cache, name, digest.hexdigest())
            if cached is None:
                body = typeset.to_typst(html, program or typeset.pandoc_program(), shift_headings=0,
                                         images=sorted(files))
                result = typeset.compile_pdf("book.typ", body, data, timestamp=_epoch(book.date), files=files)
                cached = (result.pdf, result.pages)
                typeset.write_cache(cache, name, digest.hexdigest(), *cached)
                count += 1
            made.append(BookPdf(book.year, language, pdf_uri(book, language), cached[0]))
    return tuple(made), count


def _epoch(date: dt.date) -> int:
    return int(dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc).timestamp())
