"""Helpers for writing generated Markdown pages: links between pages, front matter, tables."""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import StatTable

_IMAGE = re.compile(r"(!\[[^\]]*\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")


@dataclass(frozen=True)
class Page:
    """A page to generate: its source path for MkDocs (``gazette/2026/01/index.md``) and Markdown."""

    uri: str
    text: str


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
    """The text of a Markdown body without markup (for summaries, feeds, data files)."""
    import markdown
    import nh3

    rendered = markdown.markdown(markdown_text, extensions=["tables", "footnotes", "generator.render.cjk"])
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return re.sub(r"[ \t]*\n\s*", "\n", text).strip()


def summary(markdown_text: str, limit: int = 160) -> str:
    """The first ``limit`` characters of the plain text, on one line."""
    text = " ".join(plain_text(markdown_text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def relink_images(body: str, resolve: Callable[[str], str | None]) -> str:
    """Rewrite image targets in Markdown with ``resolve`` (which returns None to keep a target)."""

    def replace(match: re.Match) -> str:
        new = resolve(match[2])
        return match[0] if new is None else f"{match[1]}{new}{match[3]}"

    return _IMAGE.sub(replace, body)


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", cell))


def format_number(cell: str) -> str:
    """Thousands separators and a real minus sign (U+2212) for a plain number."""
    negative, digits = cell.startswith("-"), cell.lstrip("-")
    whole, _, fraction = digits.partition(".")
    text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return ("\u2212" if negative else "") + text


def table_html(table: StatTable, language: str, csv_href: str, download_label: str) -> str:
    """An accessible HTML table: caption, header cells with scope, numbers aligned right."""
    numeric = [all(_is_number(row[i]) for row in table.rows if row[i]) for i in range(len(table.header))]
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if numeric[i] else ""}>{esc(table.columns[name].get(language))}</th>'
        for i, name in enumerate(table.header)
    )
    rows = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            if numeric[i]:
                cells.append(f'<td class="num">{format_number(cell)}</td>')
            elif i == 0:
                cells.append(f'<th scope="row">{esc(cell)}</th>')
            else:
                cells.append(f"<td>{esc(cell)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    unit = table.unit.get(language)
    source = table.source.get(language)
    caption = f"{esc(table.title.get(language))}（{esc(unit)}）" if language == "zh-Hant" else f"{esc(table.title.get(language))} ({esc(unit)})"
    source_label = "資料來源" if language == "zh-Hant" else "Source"
    return "\n".join([
        '<div class="stat-table" markdown="0">',
        f"<table><caption>{caption}</caption>",
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>" + "".join(rows) + "</tbody></table>",
        f'<p class="stat-table-source">{source_label}：{esc(source)} · <a href="{csv_href}" download>{download_label}</a></p>'
        if language == "zh-Hant" else
        f'<p class="stat-table-source">{source_label}: {esc(source)} · <a href="{csv_href}" download>{download_label}</a></p>',
        "</div>",
    ])
