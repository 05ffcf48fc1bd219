"""Numbered items of legal text hang: the same classes from Python-Markdown (website) and from
pandoc's Lua filter (e-books), for the same examples."""

from __future__ import annotations

import subprocess

import markdown
import pytest
from lxml import html as lxml_html

from generator.markup.legal import marker
from generator.outputs.ebooks.epub import PANDOC_FILES, pandoc

#: paragraph -> (number, level, hang in em) or None
EXAMPLES = {
    "一、本市路邊停車場依周邊停車供需分級。": ("一、", 1, 2),
    "十一、本辦法自發布日施行。": ("十一、", 1, 3),
    "（一）甲級收費區：每小時三十元。": ("（一）", 2, 3),
    "(二)乙級收費區：每小時二十元。": ("(二)", 2, 3),
    "1.申請人應檢附身分證明文件。": ("1.", 3, 2),
    "12、逾期者不予受理。": ("12、", 3, 3),
    "３．全形數字亦同。": ("３．", 3, 2),
    "（1）第一類。": ("（1）", 4, 3),
    "主旨：公告本市道路挖掘管理事項。": None,
    "115年2月2日起實施。": None,
    "1.5公頃以上者，應辦理環評。": None,
    "一、": None,
}


@pytest.mark.parametrize("paragraph", list(EXAMPLES))
def test_marker(paragraph):
    assert marker(paragraph) == EXAMPLES[paragraph]


def _website(text: str):
    return lxml_html.fromstring(markdown.markdown(text, extensions=["generator.markup.cjk", "generator.markup.legal"]))


def _ebook(text: str):
    result = subprocess.run([pandoc(), "--from=markdown+east_asian_line_breaks", "--to=html5",
                             f"--lua-filter={PANDOC_FILES / 'legal-items.lua'}"],
                            input=text, capture_output=True, text=True, check=True, timeout=60)
    return lxml_html.fromstring(result.stdout)


def _items(doc, tag: str) -> list[tuple[str, str, str]]:
    """(classes, number, text after it) of each hanging item; "" for each other paragraph."""
    out = []
    for p in doc.iter("p"):
        holder = p if tag == "p" else p.getparent()
        if "legal-item" not in (holder.get("class") or ""):
            out.append(("", "", p.text_content()))
            continue
        number = p.find("span")
        assert number is not None and number.get("class") == "legal-marker"
        out.append((holder.get("class"), number.text, number.tail or ""))
    return out


def test_website_and_ebooks_mark_the_same_items():
    source = "\n\n".join(EXAMPLES) + "\n\n1. a Markdown list item is a list, not a paragraph\n"
    site, book = _items(_website(source), "p"), _items(_ebook(source), "div")
    assert site == book
    expected = []
    for paragraph, found in EXAMPLES.items():
        if found:
            number, level, hang = found
            expected.append((f"legal-item legal-level-{level} legal-hang-{hang}", number, paragraph[len(number):]))
        else:
            expected.append(("", "", paragraph))
    assert site == expected


def test_a_soft_wrapped_item_is_one_item():
    doc = _website("（一）甲級收費區：每小時新臺幣三十元，\n採計時收費。")
    (p,) = doc.iter("p")
    assert p.get("class") == "legal-item legal-level-2 legal-hang-3"
    assert p.text_content() == "（一）甲級收費區：每小時新臺幣三十元，採計時收費。"
