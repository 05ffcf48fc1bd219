"""generator.markup.plain_runs: text no inline pattern can match is given back without trying each
pattern, and the HTML is the same as Python-Markdown's own, for markup of every kind and the shipped
content, with each set of extensions the project converts with."""

from __future__ import annotations

import markdown
import pytest
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import InlineProcessor
from mkdocs.config import load_config

from conftest import REPO
from generator.checking.check import check
from generator.markup.markdown import PLAIN_EXTENSIONS
from generator.outputs.printed import typeset

#: Every inline pattern at work, in paragraphs, lists, tables, footnotes and blocks; then each alone in a
#: paragraph, with no other pattern's character beside it.
MARKUP = """\
主旨：公告**本市**路邊停車場收費，自*115年*2月1日起實施，詳見[附表](../attachments/fees.pdf "費率")與[第3條][law]。
依據：`停車場法`第31條、\\*非強調\\*、<https://www.jiahe.gov.tw/>、<service@mail.jiahe.gov.tw>、&copy; &#12354; &amp;、
第一行後有兩個空格  
第二行<span class="x">行內HTML</span>，___粗斜體___、__粗體__、_斜體_、snake_case_name、2*3*4。

![市政大樓](../images/hall.png) ![圖][pic]

[law]: https://law.example/3 "法規"
[pic]: ../images/pic.png

| 區別 | 人口數 | 備註 |
|---|--:|---|
| 東區 | 120,345 | 無 |
| 西區 | 98,765 | 見[說明](#note)與**附註**[^1] |
| 南區 | −12 | `code` |

一、第一項：甲、乙、丙。
（一）細目：1. 丁 2. 戊

- 清單：無標記
- 清單：*有*標記

*[HTML]: HyperText Markup Language
HTML 與 CSS 的說明。

!!! note "注意"
    提醒：**期限**為115年3月31日。

<div markdown>
區塊內 *Markdown* 與純文字。
</div>

```text
程式碼 *不* 轉換 [連結](x)
```

術語
:   定義：_斜體_與純文字。

[^1]: 附註：依**本府**公告辦理。

只有反引號`程式`。

只有跳脫\\*字元。

只有註腳[^1]。

只有連結[附表](fees.pdf)。

只有圖片![圖](pic.png)。

只有自動連結<https://a.example/>。

只有信箱<service@mail.jiahe.gov.tw>。

只有換行  
下一行。

只有HTML<br>。

只有實體&amp;。

只有星號*斜體*。

只有底線 _斜體_ 。
"""


def extension_sets() -> dict[str, tuple[list[str], dict]]:
    """The site's (mkdocs.yml's, with their configuration), the print edition's and the plain text's."""
    config = load_config(str(REPO / "mkdocs.yml"))
    return {"site": (list(config["markdown_extensions"]), dict(config["mdx_configs"])),
            "print": (list(typeset.EXTENSIONS), {}), "plain": (list(PLAIN_EXTENSIONS), {})}


def without(extensions: list[str]) -> list[str]:
    assert "generator.markup.plain_runs" in extensions  # each set converts with it
    return [name for name in extensions if name != "generator.markup.plain_runs"]


@pytest.fixture(scope="module")
def shipped_texts() -> list[str]:
    content = check(REPO)
    return ([notice.body for notice in content.gazette.notices]
            + [(REPO / "content" / "pages" / "about.md").read_text(encoding="utf-8"), MARKUP])


@pytest.mark.parametrize("kind", ["site", "print", "plain"])
def test_the_html_is_python_markdowns_own(kind, shipped_texts):
    extensions, configs = extension_sets()[kind]
    fast = markdown.Markdown(extensions=extensions, extension_configs=configs)
    own = markdown.Markdown(extensions=without(extensions), extension_configs=configs)
    assert isinstance(fast.treeprocessors["inline"], InlineProcessor)
    for text in shipped_texts:
        assert fast.convert(text) == own.convert(text)
        fast.reset()
        own.reset()
    assert "<strong>本市</strong>" in markdown.markdown(MARKUP, extensions=extensions, extension_configs=configs)


def test_a_table_of_plain_cells_tries_no_pattern(monkeypatch):
    tried: list[str] = []
    apply = InlineProcessor._InlineProcessor__applyPattern  # type: ignore[attr-defined]

    def counted(self, pattern, data, *args):
        tried.append(data)
        return apply(self, pattern, data, *args)

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__applyPattern", counted)
    rows = "".join(f"| 第{n}區 | {n * 1234:,} | 115年{n}月 |\n" for n in range(1, 50))
    html = markdown.markdown("| 區別 | 人口數 | 日期 |\n|---|--:|---|\n" + rows, extensions=list(typeset.EXTENSIONS))
    assert html.count("<td") == 49 * 3
    assert tried == []
    markdown.markdown("| 區別 |\n|---|\n| **東區** |\n", extensions=list(typeset.EXTENSIONS))
    assert tried  # a cell with markup is processed as always


def test_a_pattern_it_does_not_know_turns_it_off():
    """An inline pattern not in TRIGGERS (an extension added later, here ~~deleted~~): every text is
    tried again by every pattern, so nothing is missed."""
    class Deleted(markdown.Extension):
        def extendMarkdown(self, md):  # noqa: N802
            md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "del", 65)

    html = markdown.markdown("刪除~~這段~~文字。", extensions=["generator.markup.plain_runs", Deleted()])
    assert html == "<p>刪除<del>這段</del>文字。</p>"
