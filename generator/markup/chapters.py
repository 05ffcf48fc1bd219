"""What the yearbook says around its chapters, in each language, and the chapter text both the site
and the e-books start from: one source for the labels, the table placeholders and the image paths."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from generator.model import Book, Chapter, StatTable
from generator.markup.markdown import relink_images, table_html

#: ``{{ table: population }}`` on a line of its own (validate.py checks the id).
TABLE = re.compile(r"^\{\{\s*table:\s*(?P<id>[^\s}]+)\s*\}\}\s*$", re.M)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)

#: Each language's name in that language: what a language switch shows.
ENDONYMS = {"zh-Hant": "中文", "en": "English"}

LABELS = {
    "zh-Hant": {
        "yearbook": "年鑑", "contents": "目錄", "csv": "下載 CSV", "downloads": "下載電子書",
        "edition": "{name}版（EPUB，{size}）", "language_names": {"zh-Hant": "中文", "en": "英文"},
        "previous": "‹ 上一章：{title}", "next": "下一章：{title} ›", "neighbours": "上一章與下一章",
        "trail": "導覽路徑", "language": "語言",
        "untranslated": "本章尚無中文版。", "other_edition": "中文版目錄",
        "only_in": "（僅有{name}版）",
        "cover": "封面", "titlepage": "書名頁", "bodymatter": "正文", "toc": "目錄",
        "summary": "本書為可重排版面之 EPUB 3 電子書，有目錄、章節標題及頁面導覽；所有圖片均附替代文字，"
                   "統計表附標題、欄列標頭及資料來源，完整數據另以 CSV 開放資料提供。無閃爍、動態或聲音等危害。",
    },
    "en": {
        "yearbook": "Yearbook", "contents": "Contents", "csv": "Download CSV", "downloads": "Download the e-book",
        "edition": "{name} (EPUB, {size})", "language_names": {"zh-Hant": "Chinese", "en": "English"},
        "previous": "‹ Previous: {title}", "next": "Next: {title} ›", "neighbours": "Previous and next chapter",
        "trail": "Breadcrumbs", "language": "Language",
        "untranslated": "This chapter has not been translated into English.",
        "other_edition": "Contents of the English edition", "only_in": " ({name} only)",
        "cover": "Cover", "titlepage": "Title page", "bodymatter": "Start of content", "toc": "Contents",
        "summary": "A reflowable EPUB 3 e-book with a table of contents, chapter headings and landmarks for "
                   "navigation. Every image has a text alternative; statistical tables have captions, column "
                   "and row headers and their sources, and their full data is published as open data in CSV. "
                   "No flashing, motion or sound hazards.",
    },
}


def book_path(chapter: Chapter, target: str) -> str | None:
    """An image target of a chapter (``../images/x.png``) as a path in the edition's folder
    (``images/x.png``); None for a web address."""
    if _URL.match(target):
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

    def table(match: re.Match) -> str:
        stat = book.tables[match["id"]]
        markup = table_html(stat, language, csv_href(stat), LABELS[language]["csv"], download=not raw_fence)
        return f"\n```{{=html}}\n{markup}\n```\n" if raw_fence else f"\n{markup}\n"

    return TABLE.sub(table, relink_images(chapter.body, resolve))


def counterpart(book: Book, chapter: Chapter, language: str) -> Chapter | None:
    """The same chapter in ``language``, if it has been written."""
    return next((other for other in book.chapters_in(language) if other.name == chapter.name), None)


def reading_order(book: Book) -> list[tuple[str, dict[str, Chapter]]]:
    """Every chapter of the edition in order, with its versions by language."""
    versions = {language: {ch.name: ch for ch in book.chapters_in(language)} for language in book.contents}
    return [(entry.chapter, {lang: found[entry.chapter] for lang, found in versions.items() if entry.chapter in found})
            for entry in book.chapters]
