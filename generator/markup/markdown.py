"""Helpers for writing generated Markdown pages: links between pages, front matter, tables."""

from __future__ import annotations

import html
import json
import posixpath
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model import StatTable
from generator.model.common import IMAGE_LINK


@dataclass(frozen=True)
class Page:
    """A page to generate: its source path for MkDocs (``gazette/2026/01/index.md``) and Markdown."""

    uri: str
    text: str
    #: rendered by the plugin apart from MkDocs' per-page pipeline (``website/apart.py``): the notices
    apart: bool = False
    #: the hash of every value the page shows, when its Markdown is made only if that changed since
    #: the last build (the gazette's pages: ``website/pages/shown.py``); ``text`` is then empty, and
    #: ``make`` makes the page with its Markdown
    inputs: str | None = None
    make: Callable[[], Page] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Asset:
    """A file published in the site at ``uri``: a content file as is (attachment, image, table),
    or bytes made by the build (a download)."""

    uri: str
    path: Path | None = None
    data: bytes | None = None


def link(source: str, target: str) -> str:
    """A relative link from one generated page to another page or file (both source paths)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def page(title: str, body: str, **meta: object) -> str:
    """A page's Markdown with front matter; JSON strings are valid YAML, so titles need no escaping."""
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    lines += [f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in meta.items()]
    return "\n".join(lines + ["---", "", body.rstrip(), ""])


def esc(text: str) -> str:
    """Text placed inside Markdown or HTML, so that it is shown, never interpreted."""
    return html.escape(text, quote=True).replace("[", "&#91;").replace("]", "&#93;").replace("*", "&#42;").replace("_", "&#95;")


def plain_text(markdown_text: str) -> str:
    """The text of a Markdown body without markup (for summaries, feeds, data files).

    Made with one Markdown converter per thread, reset after each text, instead of a new one with
    every extension set up again per call (issue 12: at 10,000 notices that set-up was a fifth of
    the time); the text is the same (tests/markup/test_plain_text.py). The converter keeps nothing
    from one text to the next (it is reset), so it is a tool kept ready, not state: no text is
    remembered here (tests/test_pipeline.py forbids module-level caches)."""
    import nh3

    converter = _plain_converter()
    try:
        rendered = converter.convert(markdown_text)
    finally:
        converter.reset()
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return re.sub(r"[ \t]*\n\s*", "\n", text).strip()


#: The extensions :func:`plain_text` reads a body with.
PLAIN_EXTENSIONS = ("tables", "footnotes", "generator.markup.cjk", "generator.markup.plain_runs")
_converters = threading.local()


def _plain_converter() -> Any:
    """This thread's Markdown converter for :func:`plain_text`."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        import markdown

        converter = _converters.markdown = markdown.Markdown(extensions=list(PLAIN_EXTENSIONS))
    return converter


def summary(markdown_text: str, limit: int = 160) -> str:
    """The first ``limit`` characters of the plain text, on one line."""
    return shortened(plain_text(markdown_text), limit)


def shortened(plain: str, limit: int = 160) -> str:
    """:func:`summary` of a body whose plain text is ``plain`` (made already, or kept in a cache)."""
    text = " ".join(plain.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def relink_images(body: str, resolve: Callable[[str], str | None]) -> str:
    """Rewrite image targets in Markdown with ``resolve`` (which returns None to keep a target): the
    images check has read (:data:`~generator.model.common.IMAGE_LINK`)."""

    def replace(match: re.Match[str]) -> str:
        new = resolve(match["target"])
        return match[0] if new is None else f"{match['head']}{new}{match['tail']}"

    return IMAGE_LINK.sub(replace, body)


def format_number(cell: str) -> str:
    """Thousands separators and a real minus sign (U+2212) for a plain number."""
    negative, digits = cell.startswith("-"), cell.lstrip("-")
    whole, _, fraction = digits.partition(".")
    text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return ("\u2212" if negative else "") + text


def table_html(table: StatTable, language: str, csv_href: str, labels: Mapping[str, str], download: bool = True) -> str:
    """An accessible table for the site and the e-books alike: caption, header cells with scope,
    numbers aligned right, only the columns of ``language`` (:meth:`StatTable.shown_columns`); the
    words around it are the yearbook's ``labels`` in that language (caption, source, download).
    The markup is well-formed XHTML, so pandoc can put it into an EPUB as it is; there the CSV link
    goes to the website without ``download`` (``download=False``: pandoc would write it unquoted), and
    says that it needs a network (the book is read offline; the table itself is in the book)."""
    shown = table.shown_columns(language)
    numeric = {i: table.column_type(i) != "string" or not any(row[i] for row in table.rows) for i in shown}
    head = "".join(f'<th scope="col"{_NUM if numeric[i] else ""}>{esc(table.columns[table.header[i]].get(language))}</th>'
                   for i in shown)
    rows = "".join("<tr>" + "".join(_cell(row[i], numeric[i], i == shown[0]) for i in shown) + "</tr>" for row in table.rows)
    title, unit, source = (esc(text.get(language)) for text in (table.title, table.unit, table.source))
    caption = esc(labels["table_caption"]).format(title=title, unit=unit)
    source_line = esc(labels["table_source"]).format(source=source)
    return "\n".join([
        '<div class="stat-table">',
        f"<table><caption>{caption}</caption>",
        f"<thead><tr>{head}</tr></thead>",
        f"<tbody>{rows}</tbody></table>",
        f'<p class="stat-table-source">{source_line} · '
        f'<a href="{html.escape(csv_href)}"{_DOWNLOAD if download else ""}>{esc(labels["csv" if download else "csv_online"])}</a></p>',
        "</div>",
    ])


_NUM = ' class="num"'
_DOWNLOAD = ' download=""'


def _cell(cell: str, numeric: bool, first: bool) -> str:
    """One body cell: a number formatted and aligned right, or the row's header, or text."""
    if numeric:
        return f"<td{_NUM}>{format_number(cell) if cell else ''}</td>"
    if first:
        return f'<th scope="row">{esc(cell)}</th>'
    return f"<td>{esc(cell)}</td>"


def file_size(size: int) -> str:
    """A download's size as readers expect it: 838 B, 156 KB, 1.5 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"

