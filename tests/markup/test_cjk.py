"""Soft-wrapped Chinese lines join without a space; English and code keep their line breaks."""

from __future__ import annotations

import markdown


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["generator.markup.cjk", "tables"])


def test_chinese_lines_join_without_a_space():
    assert render("本市人口持續成長，\n單人家戶比例逐年提高。") == "<p>本市人口持續成長，單人家戶比例逐年提高。</p>"


def test_join_across_an_inline_element():
    assert render("依據本府\n**自治條例**辦理\n公告。") == "<p>依據本府<strong>自治條例</strong>辦理公告。</p>"


def test_english_lines_keep_their_break():
    assert render("The city\ngrew.") == "<p>The city\ngrew.</p>"


def test_chinese_next_to_english_keeps_the_break():
    assert render("推動開放資料\nOpen Data 計畫") == "<p>推動開放資料\nOpen Data 計畫</p>"


def test_code_is_left_alone():
    assert "中文\n中文" in render("    中文\n    中文\n")
