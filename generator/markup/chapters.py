"""What the yearbook says around its chapters, in each language, and the chapter text both the site
and the e-books start from: one source for the labels, the table placeholders and the image paths."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from generator.model import Book, Chapter, StatTable
from generator.model.common import URL_SCHEME
from generator.model.yearbook import TABLE_PLACEHOLDER
from generator.labels import labels
from generator.markup.markdown import relink_images, table_html


def book_path(chapter: Chapter, target: str) -> str | None:
    """An image target of a chapter (``../images/x.png``) as a path in the edition's folder
    (``images/x.png``); None for a web address."""
    if URL_SCHEME.match(target):
        return None
    return posixpath.normpath(posixpath.join(chapter.language, target))


def chapter_text(book: Book, chapter: Chapter, image: Callable[[str], str], csv_href: Callable[[StatTable], str],
                 raw_fence: bool = False) -> str:
    """The chapter's Markdown with each image target rewritten by ``image`` (given its path in the
    edition's folder) and each table placeholder replaced by the table (see markdown.table_html);
    ``raw_fence`` puts each table in pandoc's raw HTML fence, so that pandoc copies it as it is."""
    language = chapter.language

    def resolve(target: str) -> str | None:
        path = book_path(chapter, target)
        return None if path is None else image(path)

    def table(match: re.Match[str]) -> str:
        stat = book.tables[match["id"]]
        markup = table_html(stat, language, csv_href(stat), labels("yearbook", language), download=not raw_fence)
        return f"\n```{{=html}}\n{markup}\n```\n" if raw_fence else f"\n{markup}\n"

    return TABLE_PLACEHOLDER.sub(table, relink_images(chapter.body, resolve))


def counterpart(book: Book, chapter: Chapter, language: str) -> Chapter | None:
    """The same chapter in ``language``, if it has been written."""
    return next((other for other in book.chapters_in(language) if other.name == chapter.name), None)


def reading_order(book: Book) -> list[tuple[str, dict[str, Chapter]]]:
    """Every chapter of the edition in order, with its versions by language."""
    versions = {language: {ch.name: ch for ch in book.chapters_in(language)} for language in book.contents}
    return [(entry.chapter, {lang: found[entry.chapter] for lang, found in versions.items() if entry.chapter in found})
            for entry in book.chapters]
