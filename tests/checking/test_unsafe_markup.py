"""check refuses script-capable markup in every form it can take, at its line and column (the gaps of
the first rules: encoded schemes, attr_list attributes, tags over two lines, code spans that are not)."""

from __future__ import annotations

import pytest

from generator.errors import Kind

from conftest import CHAPTER_ZH, NOTICE
from helpers import position

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"
CHAPTER_PATH = "content/yearbook/2025/zh-Hant/01-overview.md"


def refused(project, text: str, path: str = NOTICE_PATH) -> list[tuple[str, str]]:
    project.write({path: text})
    return [(str(p.source), p.message) for p in project.problems() if p.kind is Kind.UNSAFE_MARKUP]


@pytest.mark.parametrize("markup, needle, what", [
    # schemes, entity-encoded, cased, spaced, broken over lines
    ("[點此](jav&#x61;script:alert(1))", "jav&#x61;", "'javascript:' link"),
    ("[點此](&#106;avascript:alert(1))", "&#106;", "'javascript:' link"),
    ("[點此](&#0000106;&#97;vascript:alert(1))", "&#0000106;", "'javascript:' link"),
    ("[點此](java&Tab;script:alert(1))", "java&Tab;", "'javascript:' link"),
    ("[點此](JaVaScRiPt:alert(1))", "JaVaScRiPt", "'javascript:' link"),
    ("[點此](javascript&colon;alert(1))", "javascript&colon;", "'javascript:' link"),
    ('<a href="java\nscript:alert(1)">點此</a>', "java\n", "'javascript:' link"),
    ('<a href=" j a v a s c r i p t :alert(1)">點此</a>', "j a v", "'javascript:' link"),
    ('<a href="java&#10;script:alert(1)">點此</a>', "java&#10;", "'javascript:' link"),
    ("[點此](vbscript:msgbox(1))", "vbscript", "'vbscript:' link"),
    ("[下載](data:text/html,<b>x</b>)", "data:", "'data:' link"),
    ("<a href='data&#58;text/html,x'>點此</a>", "data&#58;", "'data:' link"),
    ("[點此][r]\n\n[r]: javascript:alert(1)", "javascript", "'javascript:' link"),
    ("<javascript:alert(1)>", "javascript", "'javascript:' link"),
    # attr_list attributes after a paragraph, a heading, a link
    ('第一段。\n{: onclick="alert(1)" }', "onclick", "'onclick='"),
    ("## 標題 { onmouseover=alert(1) }", "onmouseover", "'onmouseover='"),
    ("[連結](https://www.jiahe.gov.tw/){onclick=alert(1)}", "onclick", "'onclick='"),
    ('[連結](https://www.jiahe.gov.tw/){: href="javascript:alert(1)" }', "javascript", "'javascript:' link"),
    # event attributes in any tag, however written
    ("<details ontoggle=alert(1) open><summary>x</summary></details>", "ontoggle", "'ontoggle='"),
    ("<img src=x onerror=alert(1)>", "onerror", "'onerror='"),
    ("<img/src=x/onerror=alert(1)>", "onerror", "'onerror='"),
    ('<img src="x"onerror=alert(1)>', "onerror", "'onerror='"),
    ("<img src=x\nonerror=alert(1)>", "onerror", "'onerror='"),
    ("<IMG SRC=x ONERROR = alert(1)>", "ONERROR", "'onerror='"),
    # comments hide nothing; nor do backticks where Markdown makes no code span of them
    ("<!-- 註解 --><img src=x onerror=alert(1)>", "onerror", "'onerror='"),
    ("``<img src=x onerror=alert(1)>`", "onerror", "'onerror='"),
    ("\\`<img src=x onerror=alert(1)>`", "onerror", "'onerror='"),
])
def test_refused_at_its_place(project, markup, needle, what):
    text = NOTICE + "\n說明：" + markup + "\n"
    problems = refused(project, text)
    line, column = position(text, needle)
    assert [where for where, _ in problems] == [f"{NOTICE_PATH}:{line}:{column}"]
    assert what in problems[0][1]


def test_svg_with_onload_is_refused_twice(project):
    text = NOTICE + "\n<svg onload=alert(1)>\n"
    assert [where for where, _ in refused(project, text)] == [
        f"{NOTICE_PATH}:{line}:{column}" for line, column in (position(text, "<svg"), position(text, "onload"))]


def test_backticks_in_a_raw_html_block_make_no_code_span(project):
    text = NOTICE + "\n<div>\n\n`<img src=x onerror=alert(1)>`\n\n</div>\n"  # Python-Markdown passes it through
    line, column = position(text, "onerror")
    assert [where for where, _ in refused(project, text)] == [f"{NOTICE_PATH}:{line}:{column}"]


def test_markup_inside_an_html_comment_is_refused(project):
    text = NOTICE + "\n<!--\n<script>alert(1)</script>\n-->\n"
    assert [where for where, _ in refused(project, text)] == [f"{NOTICE_PATH}:{position(text, '<script')[0]}:1"]


def test_a_fence_never_closed_is_no_code(project):
    text = CHAPTER_ZH + "\n```\n<script>alert(1)</script>\n"
    assert [where for where, _ in refused(project, text, CHAPTER_PATH)] == [f"{CHAPTER_PATH}:{position(text, '<script')[0]}:1"]


def test_a_line_less_indented_than_its_fence_is_no_code(project):
    text = NOTICE + "\n  ```\n<script>alert(1)</script>\n  ```\n"
    assert [where for where, _ in refused(project, text)] == [f"{NOTICE_PATH}:{position(text, '<script')[0]}:1"]


@pytest.mark.parametrize("markup", [
    "網頁不得含有 `<script>` 標籤，也不得有 `onclick=` 屬性或 `javascript:` 連結。",
    "```html\n<img src=x onerror=alert(1)>\n```",
    "~~~\n<script>\n~~~",
    "- 清單\n\n    ```\n    <script>\n    ```",
    "``程式碼 `<script>` 內``",
    "[市府網站](https://www.jiahe.gov.tw/) 與 [信箱](mailto:service@mail.jiahe.gov.tw)",
    "x = data: 5，onset = 3",  # prose, no tag before it
    "## 標題 {: #heading .note }",
    "{{ table: population }}",
])
def test_harmless_text_is_allowed(project, markup):
    project.write({NOTICE_PATH: NOTICE + "\n" + markup + "\n"})
    assert project.problems() == []
