"""Tables that stay readable on a phone: each table of a page's body in a scrolling region that a
keyboard can reach and a screen reader can name, dates that never break inside.

A table wider than the screen scrolls sideways inside ``<div class="table-scroll" role="region"
tabindex="0" aria-label="…">`` (WCAG 2.1.1: a region that scrolls must be reachable by keyboard,
axe's ``scrollable-region-focusable``); the region is named by the table's caption, or by a label
of the page's language ("表格，可左右捲動"). The caption is moved above the region (``<p
class="table-caption">``, naming the table and the region through ``aria-labelledby``): inside the
table it scrolled away with the columns. Tables get the class ``content-table``: the theme's
script would otherwise wrap class-less tables in a scrolling box of its own, which no keyboard can
reach (themes/material/assets/a11y.css styles them instead). A date such as 115年2月2日 or
2026-02-02 is kept on one line (``<span class="nowrap">``): a narrow column broke it after 2月2.

Tables that already have a class are laid out by their own stylesheet (the directory's stack into
lines on a phone) and are left alone. Runs on the page's HTML after it was sanitized
(:mod:`generator.markup.sanitize`): every attribute is then double-quoted, and every text is escaped.
"""

from __future__ import annotations

import html
import re

#: a tag, its double-quoted attributes read whole (a ">" inside one does not end the tag)
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>')
_CLASS = re.compile(r'\sclass="')
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>\s*", re.S)
#: 民國 and Western dates in a table's text (2月15日 too)
_DATE = re.compile(r"(?:(?:中華民國)?\d{2,4}\s?年\s?)?\d{1,2}\s?月\s?\d{1,2}\s?日|\d{4}-\d{2}-\d{2}|\d{2,3}[./]\d{1,2}[./]\d{1,2}")


def scrollable(page_html: str, label: str) -> str:
    """``page_html`` with each outermost class-less table in a focusable, named scrolling region."""
    out: list[str] = []
    depth, start, pos, count = 0, 0, 0, 0
    for tag in _TAG.finditer(page_html):
        if tag.group(2).lower() != "table":
            continue
        if not tag.group(1):
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                count += 1
                out.append(page_html[pos:start])
                out.append(_wrap(page_html[start:tag.end()], label, f"table-caption-{count}"))
                pos = tag.end()
    out.append(page_html[pos:])
    return "".join(out)


def _wrap(table: str, label: str, caption_id: str) -> str:
    opening = _TAG.match(table)
    assert opening is not None
    if _CLASS.search(opening.group(3)):
        return table
    body = table[opening.end():]
    caption = _CAPTION.match(body.lstrip())
    if caption is None:
        return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(label)}">'
                f'<table class="content-table"{opening.group(3)}>{_dates(body)}</div>')
    # the caption above the region, so that it stays in view while the table scrolls sideways; it still
    # names the table and the region (a <caption> scrolls with its table, and sticky does not hold it)
    body = body.lstrip()[caption.end():]
    return (f'<div class="table-block"><p class="table-caption" id="{caption_id}">{caption.group(1)}</p>'
            f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{caption_id}">'
            f'<table class="content-table" aria-labelledby="{caption_id}"{opening.group(3)}>{_dates(body)}</div></div>')


def _dates(fragment: str) -> str:
    """Each date in the fragment's text (never in its tags) in ``<span class="nowrap">``."""
    pieces, pos = [], 0
    for tag in _TAG.finditer(fragment):
        pieces.append(_DATE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', fragment[pos:tag.start()]))
        pieces.append(tag.group(0))
        pos = tag.end()
    pieces.append(_DATE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', fragment[pos:]))
    return "".join(pieces)
