"""Python-Markdown extension: text with no character any inline pattern starts with is left as it is,
without trying every pattern on it.

Python-Markdown tries each of its inline patterns (links, emphasis, code, HTML, entities …: 15 with
this site's extensions) on every piece of text of a document, one regular expression search after
another, again after each match. A real gazette issue is mostly tables (an issue of the national
gazette's sample has 40,000 cells: names, numbers, dates), whose cells hold none of the characters
those patterns need; searching them was about half of every conversion (issue 12: 3 µs a character
of Markdown, done for the website, the print edition and the open data's plain text). Such text is
now given back as it is, which is what the patterns would have done after trying.

Safe by construction: each inline pattern Python-Markdown and the extensions this project uses
register is listed in :data:`TRIGGERS` with the characters without which it cannot match (read from
its regular expression); if a Markdown instance has a pattern that is not listed (an extension added
to mkdocs.yml later), nothing is skipped. Patterns are known by name: an extension that registers
another pattern under a listed name (pymdownx.betterem's ``em_strong``, pymdownx.inlinehilite's
``backtick``) must be checked against :data:`TRIGGERS` when it is added to mkdocs.yml. tests/markup/test_plain_runs.py converts the shipped
content and documents full of markup with and without this, and compares the HTML.

Enabled in mkdocs.yml as ``generator.markup.plain_runs``, and in the print edition's and the plain
text's converters (``typeset.EXTENSIONS``, ``markdown.PLAIN_EXTENSIONS``).
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from markdown import Extension, Markdown, util
from markdown.treeprocessors import InlineProcessor

#: Each inline pattern (by its name in Python-Markdown's registry) and what it cannot match without:
#: a regular expression of the characters (or sequence) its own expression begins with or requires.
TRIGGERS = MappingProxyType({
    "backtick": r"`",                      # (?<!\\)` and runs of backslashes before a backtick
    "escape": r"\\",                       # \\(.)
    "footnote": r"\[",                     # \[\^…\]
    "reference": r"\[", "link": r"\[", "short_reference": r"\[",    # (?<!!)\[
    "image_link": r"\[", "image_reference": r"\[", "short_image_ref": r"\[",  # !\[
    "autolink": r"<", "automail": r"<",    # <scheme://…>, <…@…>
    "linebreak": r"  \n",                  # two spaces before a line break
    "html": r"<",                          # <tag …>, <!-- …>
    "entity": r"&",                        # &name; &#…;
    "em_strong": r"[*_]",                  # \*|_
})


class PlainRunsInline(InlineProcessor):
    """Python-Markdown's inline processor that first asks whether any pattern could match a text."""

    def __init__(self, md: Markdown):
        super().__init__(md)
        self._triggers: re.Pattern[str] | None = None

    def run(self, tree, ancestors=None):  # type: ignore[no-untyped-def]
        patterns = self.inlinePatterns
        names = [name for name in TRIGGERS if name in patterns]
        known = len(names) == len(patterns)  # every pattern registered is one of TRIGGERS
        self._triggers = re.compile("|".join(sorted({TRIGGERS[name] for name in names}))) if known and names else None
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803 - the name it overrides
        if self._triggers is not None and not isinstance(data, util.AtomicString) and not self._triggers.search(data):
            return data  # no pattern can match: what trying each of them would have given back
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


class PlainRunsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(PlainRunsInline(md), "inline", 20)  # in place of Python-Markdown's own


def makeExtension(**kwargs: Any) -> PlainRunsExtension:  # noqa: N802 - Python-Markdown's entry point
    return PlainRunsExtension(**kwargs)
