"""What Pagefind is given: bigram words, folded variants, the document made for indexing and its summary
(no browser; the search page itself is tested in test_search.py)."""

from __future__ import annotations

import html
import json
import re

from generator.outputs import search


def test_han_runs_are_overlapping_bigrams_and_their_last_character():
    assert search.words("路邊停車場") == ["路邊", "邊停", "停車", "車場", "場"]
    assert search.words("府財產字第1150010234號") == ["府財", "財產", "產字", "字第", "第", "1150010234", "號"]
    assert search.words("稅") == ["稅"]
    assert search.words("（本府）， Open Data") == ["本府", "府", "Open", "Data"]  # punctuation alone is no word


def test_a_break_word_parts_two_runs_that_only_punctuation_or_a_space_parts():
    # so that AB two places before CD is ABCD as written (search.BREAK; search.js asks for every other bigram)
    assert search.words("相關，事項") == ["相關", "關", search.BREAK, "事項", "項"]
    assert search.words("第三條　設籍") == ["第三", "三條", "條", search.BREAK, "設籍", "籍"]  # the ideographic space
    assert search.words("相關 事項") == search.words("相關（事項）") == search.words("相關，事項")
    assert search.BREAK not in search.words("第1條") + search.words("府財產字第1150010234號")  # a number parts them already
    assert search.BREAK not in search.words("（本府）、") + search.words("本府 Open Data 公告")
    assert search.words(search.BREAK) == [] and not search.BREAK.isalnum()  # Pagefind indexes no such word


def test_variants_fold_to_one_form_and_distinct_characters_stay():
    assert search.words("新台幣") == search.words("新臺幣")
    assert search.fold("秘書處裡的群峯") == "祕書處裏的群峰"
    assert search.fold("１１５年ＡＢ") == "115年AB"
    assert search.fold("于余后征制") == "于余后征制"  # distinct words in legal text: never folded


def test_summary_starts_with_the_text_and_never_cuts_a_number():
    assert search.summary(["主旨：公告事項。", "說明：一、依據。"]) == "主旨：公告事項。說明：一、依據。"
    assert search.summary(["洽詢電話 (05)227-5119 分機 102"]) == "洽詢電話 (05)227-5119 分機 102"
    text = "主旨：" + "甲" * 90 + "金額1234567890元"
    cut = search.summary([text])
    assert cut.endswith("金額…") and len(cut) <= search.SUMMARY_LENGTH + 1
    assert search.summary(["第三條　設籍本市"]) == "第三條　設籍本市"  # the ideographic space of legal text stays


PAGE = """<html lang="zh-TW"><body><nav>選單</nav><article><div data-pagefind-body>
<span hidden data-pagefind-meta="title:公告&quot;&gt;&lt;script&gt;"></span>
<span hidden data-pagefind-filter="agency:交通局"></span>
<span hidden data-pagefind-sort="date:2026-01-01"></span>
<nav class="breadcrumbs"><a href="/">公報</a></nav>
<h1>公告調整停車費<a class="headerlink" href="#x">¶</a></h1>
<dl class="notice-meta"><dt>發文機關</dt><dd>交通局</dd><dt>發文字號</dt>
<dd><span class="doc-number" data-pagefind-weight="10">府交字第123號</span></dd></dl>
<p>主旨：公告&lt;img src=x onerror=alert(1)&gt;停車費。</p>
<div class="citation"><p>引用本則</p></div>
</div></article><footer>頁尾</footer></body></html>"""


def test_the_indexing_document_holds_the_article_only_escaped():
    document = search.indexing_document(PAGE, "zh-TW")
    assert document is not None
    assert '<html lang="und-Hani">' in document
    assert 'data-pagefind-meta="title:公告&quot;&gt;&lt;script&gt;"' in document  # escaped again, as given
    assert 'data-pagefind-sort="date:2026-01-01"' in document
    # each block ends with the break word: a bigram two places after another is in the same block
    assert f"<h1>公告 告調 調整 整停 停車 車費 費 {search.BREAK}</h1>" in document
    assert f'<p data-pagefind-weight="10">府交 交字 字第 第 123 號 {search.BREAK}</p>' in document
    for left_out in ("選單", "公報", "¶", "發文機關", "引用", "頁尾"):
        assert left_out not in document
    assert "<img" not in document and "&lt;img" in document
    summary = html.unescape(document.split('data-pagefind-meta="summary:')[1].split('"')[0])
    assert summary == "主旨：公告<img src=x onerror=alert(1)>停車費。"  # text, shown as text by search.js


def test_the_article_is_the_same_whatever_the_page_holds_before_it_as_text():
    """The article is parsed from its tag on (search._Article.read): a title, a description or JSON-LD
    that writes that tag as text before it starts nothing, since each is escaped there."""
    hostile = '<div data-pagefind-body><h1>假標題</h1></div>'
    jsonld = json.dumps({"name": hostile}, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")  # as tojson writes it
    head = (f"<head><title>{html.escape(hostile)}</title><meta name=description content=\"{html.escape(hostile)}\">"
            f'<script type="application/ld+json">{jsonld}</script></head>')
    page = PAGE.replace('<html lang="zh-TW">', f'<html lang="zh-TW">{head}', 1)
    assert search.indexing_document(page, "zh-TW") == search.indexing_document(PAGE, "zh-TW")
    assert "假標題" not in search.indexing_document(page, "zh-TW")


def test_a_page_without_an_indexed_part_is_not_given():
    assert search.indexing_document("<html><body><p>列表</p></body></html>", "zh-TW") is None


def prose_words(document: str) -> list[str]:
    """The words of the running text an indexing document gives (not the title, metadata or numbers), a
    break word inside a block counted (it takes a place, as a word does), the one that ends it not."""
    lines = [line for line in document.splitlines() if line.startswith("<p>") and not line.startswith("<p>交通")]
    blocks = [re.sub(r"<[^>]+>", "", line).split() for line in lines]
    assert all(block[-1] == search.BREAK for block in blocks)
    return [word for block in blocks for word in block[:-1]]


def test_a_long_page_gives_its_title_numbers_and_subject_whole_and_its_text_up_to_the_cap():
    names = "".join(f"<p>第{n}名陳{chr(0x4E00 + n)}明</p>" for n in range(3000))  # a list of names, 21,000 words
    page = PAGE.replace("<p>主旨", f"<p>主旨：公告名冊。</p>{names}<p>末段", 1)
    document = search.indexing_document(page, "zh-TW")
    uncapped = search.indexing_document(page, "zh-TW", max_words=None)
    assert document is not None and uncapped is not None and search.MAX_WORDS is not None
    assert f"<h1>公告 告調 調整 整停 停車 車費 費 {search.BREAK}</h1>" in document  # the title, ...
    assert f'<p data-pagefind-weight="10">府交 交字 字第 第 123 號 {search.BREAK}</p>' in document  # the document number, ...
    assert f"<p>交通 通局 局 {search.BREAK}</p>" in document  # the metadata list, ...
    assert len(prose_words(document)) == search.MAX_WORDS < len(prose_words(uncapped))  # the text up to the cap
    assert prose_words(document) == prose_words(uncapped)[:search.MAX_WORDS]
    assert "末段" not in document and "末段" in uncapped


def test_a_subject_longer_than_the_cap_is_indexed_whole_and_the_text_after_it_not():
    page = PAGE.replace("<p>主旨", f"<p>主旨：{'公告名冊' * 3000}。</p><p>末段", 1)
    document = search.indexing_document(page, "zh-TW")
    assert document is not None and search.MAX_WORDS is not None
    assert len(prose_words(document)) == 3 + 4 * 3000 > search.MAX_WORDS and "末段" not in document  # 主旨 旨 · 公告 …
