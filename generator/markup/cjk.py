"""Python-Markdown extension: a soft line break between two CJK characters is no space.

Editors wrap long Chinese paragraphs; HTML turns each line break into a space, which a browser
shows between two Han characters. This removes such breaks (outside code), also where the
paragraph continues in an inline element (``中文\\n**粗體**``). Pandoc's ``east_asian_line_breaks``
does the same for the e-books. Enabled in mkdocs.yml as ``generator.markup.cjk``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

#: Han characters and kana: the characters search treats as one word each (see generator/outputs/search.py).
IDEOGRAPHS = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SOFT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")
_SKIP = frozenset({"pre", "code", "kbd", "samp", "script", "style"})


def join_cjk_lines(text: str, following: str = "") -> str:
    """Remove soft breaks between CJK characters; ``following`` is the text that comes next."""
    if "\n" not in text:
        return text
    joined = _SOFT_BREAK.sub("", text + following[:1])
    return joined[: len(joined) - len(following[:1])] if following else joined


class CJKSoftBreaks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, parent: etree.Element) -> None:
        children = list(parent)
        if parent.text and parent.tag not in _SKIP:
            parent.text = join_cjk_lines(parent.text, (children[0].text or "") if children else "")
        for index, child in enumerate(children):
            if child.tail:
                after = children[index + 1].text or "" if index + 1 < len(children) else ""
                child.tail = join_cjk_lines(child.tail, after)
            if child.tag not in _SKIP:
                self._walk(child)


class CJKExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(CJKSoftBreaks(md), "cjk_soft_breaks", 5)


def makeExtension(**kwargs: Any) -> CJKExtension:  # noqa: N802 - Python-Markdown's entry point
    return CJKExtension(**kwargs)
