"""HTMLContent as Markdown: what a reader of the converted notice sees, through the site's own Markdown."""

from __future__ import annotations

import markdown
from lxml import html as lxml_html

from generator.importing.htmltext import to_markdown

EXTENSIONS = ["tables", "attr_list", "footnotes", "abbr", "def_list", "admonition", "md_in_html", "generator.markup.cjk",
              "generator.markup.legal"]


def rendered(source: str):
    """The converted Markdown as the site renders it, parsed."""
    converted = to_markdown(source)
    return converted, lxml_html.fragment_fromstring(markdown.markdown(converted.markdown, extensions=EXTENSIONS),
                                                    create_parent="div")


LAYOUT = """<table><tr><td><b>內政部</b></td><td rowspan="2">令</td><td>中華民國94年12月26日</td></tr>
<tr><td>台內警字第0940101731號</td></tr>
<tr><td colspan="3"><p>修正「警察人員管理條例施行細則」
   部分條文。</p><p>　　部　　長　蘇嘉全</p>
<p>第十七條　　所稱殉職者，指有下列情事之一者：</p><p>一、執行搶救災害。</p><p>（一）遭受暴力。</p><p>1. 以致死亡。</p><p>2.奮不顧身。</p>
<table><tr><td><p>項目</p></td><td>收費</td></tr><tr><td rowspan="2">紙張</td><td>每張二元</td></tr><tr><td>每張三元</td></tr></table>
</td></tr></table>"""


def test_the_layout_heading_goes_the_paragraphs_and_numbered_items_stay():
    converted, tree = rendered(LAYOUT)
    paragraphs = [p.text_content() for p in tree.findall("p")]
    assert paragraphs[:2] == ["修正「警察人員管理條例施行細則」部分條文。", "部　　長　蘇嘉全"]  # source wrapping folded, inner U+3000 kept
    assert "一、執行搶救災害。" in paragraphs and "（一）遭受暴力。" in paragraphs
    assert "1. 以致死亡。" in paragraphs  # a paragraph, not a list renumbered by Markdown
    assert not tree.findall(".//ol") and not tree.findall(".//li")
    # the site hangs numbered items: the numbers reach generator.markup.legal as typed
    assert [(p.get("class").rsplit(" ", 1)[0], p.findtext("span")) for p in tree.findall("p") if p.get("class")] == [
        ("legal-item legal-level-1", "一、"), ("legal-item legal-level-2", "（一）"), ("legal-item legal-level-3", "2.")]
    assert "台內警字第0940101731號" not in tree.text_content() and "內政部" not in tree.text_content()  # front matter holds them


def test_a_data_table_becomes_a_table_with_merged_cells_spread():
    converted, tree = rendered(LAYOUT)
    assert converted.tables == 1
    rows = [[cell.text_content() for cell in row] for row in tree.iter("tr")]
    assert rows == [["項目", "收費"], ["紙張", "每張二元"], ["", "每張三元"]]


def test_markup_in_the_text_is_shown_as_text():
    hostile = ("<p>&lt;script&gt;alert(1)&lt;/script&gt; *強調* _底線_ [連結](javascript:alert(2)) {: onclick=\"x\" } a|b</p>"
               "<p># 不是標題</p><p>&gt; 不是引文</p><p>- 不是清單</p><p>=SUM(A1)</p><p>!!! note</p><p>[^1]: 不是註腳</p>"
               "<script>alert(3)</script><img src=x onerror=alert(4)>")
    converted, tree = rendered(hostile)
    text = tree.text_content()
    for shown in ("<script>alert(1)</script>", "*強調*", "_底線_", "[連結](javascript:alert(2))", "{: onclick=\"x\" }", "a|b",
                  "# 不是標題", "> 不是引文", "- 不是清單", "=SUM(A1)", "!!! note", "[^1]: 不是註腳"):
        assert shown in text
    assert "alert(3)" not in text  # a script element is not text
    assert not tree.xpath("//script|//h1|//blockquote|//ul|//em|//a|//table|//div[@class]|//*[@onclick]|//*[@onerror]")
    assert converted.images == ["x"] and "〔圖片未匯入：x〕" in text


def test_spacers_are_dropped_and_other_images_marked():
    converted, tree = rendered('<p>甲<img src="http://gazette.nat.gov.tw/Gazette/images/1_1.gif">乙'
                               '<img src="images/images001.gif" alt="">丙</p>')
    assert tree.text_content() == "甲乙〔圖片未匯入：images001.gif〕丙"
    assert converted.images == ["images001.gif"]


def test_word_markup_and_white_space():
    converted, tree = rendered('<p class=MsoNormal><span style="font-family:新細明體">中華民國<o:p></o:p>\n  九十五年</span> '
                               '<span lang=EN-US>Act No. 5</span><br>下一行</p><p>&nbsp;</p><!-- comment -->')
    assert [p.text_content() for p in tree.findall("p")] == ["中華民國九十五年 Act No. 5", "下一行"]


def test_nothing_from_an_empty_record():
    assert to_markdown("").markdown == "" and to_markdown("<p> </p><table><tr><td>&nbsp;</td></tr></table>").markdown == ""
