"""Markup that could run script is refused at its place by check, and stripped from pages anyway."""

from __future__ import annotations

import pytest

from generator.errors import Kind
from generator.markup.sanitize import clean

from conftest import NOTICE
from helpers import position

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"


@pytest.mark.parametrize("markup, needle, what", [
    ("<script>alert(1)</script>", "<script", "raw HTML <script>"),
    ("<SCRIPT src=x></SCRIPT>", "<SCRIPT", "raw HTML <script>"),
    ('<iframe src="https://example.com"></iframe>', "<iframe", "raw HTML <iframe>"),
    ('<object data="x.swf"></object>', "<object", "raw HTML <object>"),
    ('<img src="x.png" alt="x" onerror="alert(1)">', "onerror", "'onerror='"),
    ("[點此](javascript:alert(1))", "javascript", "'javascript:' link"),
    ('<a href="JavaScript:alert(1)">點此</a>', "JavaScript", "'javascript:' link"),
    ("[下載](data:text/html;base64,PHNjcmlwdD4=)", "data:", "'data:' link"),
])
def test_unsafe_markup_is_refused_where_it_is(project, markup, needle, what):
    text = NOTICE + "\n說明：" + markup + "\n"
    project.write({NOTICE_PATH: text})
    problems = [p for p in project.problems() if p.kind is Kind.UNSAFE_MARKUP]
    line, column = position(text, needle)
    assert [str(p.source) for p in problems] == [f"{NOTICE_PATH}:{line}:{column}"]
    assert what in problems[0].message


def test_markup_shown_as_code_is_allowed(project):
    project.write({NOTICE_PATH: NOTICE + "\n網頁不得含有 `<script>` 標籤。\n\n```html\n<script>alert(1)</script>\n```\n"})
    assert project.problems() == []


def test_harmless_inline_html_is_allowed(project):
    project.write({NOTICE_PATH: NOTICE + "\nH<sub>2</sub>O 與 m<sup>2</sup>。\n"})
    assert project.problems() == []


def test_build_refuses_a_notice_with_a_script(project):
    project.write({NOTICE_PATH: NOTICE + '\n<script>alert("x")</script>\n[連結](javascript:alert(1))\n'})
    result = project.run("build")
    assert result.returncode == 1
    assert result.stderr.count("[unsafe-markup]") == 2
    assert not (project.root / "site").exists()


def test_sanitizer_removes_what_could_run():
    dirty = ('<p onclick="x()">文字<script>alert(1)</script><a href="javascript:alert(1)">連結</a>'
             '<iframe src="x"></iframe><img src="a.png" alt="圖" onerror="y()"></p>')
    cleaned = clean(dirty)
    for bad in ("onclick", "<script", "alert(1)", "javascript:", "<iframe", "onerror"):
        assert bad not in cleaned
    assert "文字" in cleaned and '<img src="a.png" alt="圖">' in cleaned


def test_sanitizer_keeps_what_pages_need():
    html = ('<table><caption>人口</caption><thead><tr><th scope="col" class="num">人口</th></tr></thead></table>'
            '<p><time datetime="2026-01-01">中華民國115年1月1日</time><span lang="en">Notice</span>'
            '<a href="tel:+88652254321,101">電話</a><a href="../02/" rel="next">下一則</a></p>'
            '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>')
    assert clean(html) == html
