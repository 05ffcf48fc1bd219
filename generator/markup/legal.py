"""Python-Markdown extension: numbered items of legal text hang, their text aligned after the number.

Gazette notices and rules number their items 一、 二、 …, then （一） （二） …, then 1. 2. … (or 1、),
then （1） （2） …, each item a paragraph of its own. A paragraph that starts with such a number
gets, in the website (enabled in mkdocs.yml as ``generator.markup.legal``):

- ``class="legal-item legal-level-N legal-hang-K"``: N the level (1 for 一、, 2 for （一）, 3 for 1.,
  4 for （1）), K the number's width in em (2 for 一、, 3 for （一） and 十一、, rounded up);
- the number in ``<span class="legal-marker">``.

The stylesheet (themes/material/assets/a11y.css) indents each level and hangs the first line by K em.
The e-books get the same classes from pandoc (generator/outputs/ebooks/pandoc/legal-items.lua, on a
``<div>`` around the paragraph) and the same rules (epub.css); the print edition can use them too.
:func:`marker` is the one definition of what counts as a number; the Lua filter follows it and
tests/markup/test_legal.py holds both to the same examples.
"""

from __future__ import annotations

import math
import re
import unicodedata
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

_NUMERALS = "〇一二三四五六七八九十百"
#: (level, pattern) in the order tried; a number is followed by text (never the paragraph's end)
LEVELS = (
    (1, re.compile(rf"[{_NUMERALS}]+、")),
    (2, re.compile(rf"[（(][{_NUMERALS}]+[）)]")),
    (3, re.compile(r"[0-9０-９]+[.．、]")),
    (4, re.compile(r"[（(][0-9０-９]+[）)]")),
)
CLASS = "legal-item"
MARKER_CLASS = "legal-marker"


def marker(text: str) -> tuple[str, int, int] | None:
    """The item number ``text`` starts with: (the number, its level, its width in em), or None."""
    for level, pattern in LEVELS:
        found = pattern.match(text)
        if found is None:
            continue
        after = text[found.end():found.end() + 1]
        # text must follow at once: "1. text" is a Markdown list (never a paragraph), "1.5 公頃" no number
        if not after or after.isspace() or after.isdigit():
            return None
        number = found.group(0)
        return number, level, max(1, math.ceil(sum(_width(c) for c in number)))
    return None


def _width(character: str) -> float:
    return 1.0 if unicodedata.east_asian_width(character) in "WF" else 0.55


def classes(level: int, hang: int) -> str:
    return f"{CLASS} legal-level-{level} legal-hang-{min(hang, 4)}"


class LegalItems(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for paragraph in root.iter("p"):
            text = paragraph.text or ""
            if not (found := marker(text)) or paragraph.get("class"):
                continue
            number, level, hang = found
            paragraph.set("class", classes(level, hang))
            span = etree.Element("span", {"class": MARKER_CLASS})
            span.text, span.tail = number, text[len(number):]
            paragraph.text = ""
            paragraph.insert(0, span)


class LegalExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(LegalItems(md), "legal_items", 4)  # after inline markup (20) and CJK joins


def makeExtension(**kwargs: Any) -> LegalExtension:  # noqa: N802 - Python-Markdown's entry point
    return LegalExtension(**kwargs)
