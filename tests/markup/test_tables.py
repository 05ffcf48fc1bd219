"""Tables in a focusable, named scrolling region, dates kept whole (generator/markup/tables.py)."""

from __future__ import annotations

from lxml import html as lxml_html

from generator.markup.sanitize import clean
from generator.markup.tables import scrollable

LABEL = "表格，可左右捲動"


def _region(page: str):
    doc = lxml_html.fragment_fromstring(scrollable(clean(page), LABEL), create_parent="div")
    return doc, doc.xpath("//div[@class='table-scroll']")


def test_a_table_scrolls_in_a_region_a_keyboard_reaches_named_by_its_caption():
    doc, (region,) = _region("<p>前</p><table><caption>人口 &lt;單位：人&gt;</caption><tr><td>1</td></tr></table><p>後</p>")
    assert region.get("role") == "region" and region.get("tabindex") == "0"
    (caption,) = doc.xpath("//p[@class='table-caption']")  # above the region: it does not scroll away
    assert caption.text == "人口 <單位：人>" and caption.getnext() is region
    (table,) = region
    assert table.tag == "table" and table.get("class") == "content-table" and not table.xpath(".//caption")
    assert region.get("aria-labelledby") == table.get("aria-labelledby") == caption.get("id")
    assert [p.text for p in doc.iter("p") if not p.get("class")] == ["前", "後"]


def test_a_table_without_caption_is_named_by_the_label():
    _, (region,) = _region("<table><tr><td>1</td></tr></table>")
    assert region.get("aria-label") == LABEL


def test_dates_stay_whole_in_text_never_in_attributes():
    page = ('<table><tr><td><a href="x" title="115年2月2日">115年2月2日</a>至2026-02-10；1.5公頃</td>'
            '<td>2月15日（星期日）</td></tr></table>')
    doc, (region,) = _region(page)
    kept = [span.text for span in region.iter("span") if span.get("class") == "nowrap"]
    assert kept == ["115年2月2日", "2026-02-10", "2月15日"]
    assert doc.xpath("//a/@title") == ["115年2月2日"]


def test_tables_with_a_class_and_nested_tables_are_left_as_they_are():
    _, regions = _region('<table class="dir-table"><tr><td>1</td></tr></table>')
    assert regions == []
    doc, regions = _region("<table><tr><td><table><tr><td>inner</td></tr></table></td></tr></table>")
    assert len(regions) == 1 and len(doc.xpath("//table")) == 2


def test_a_hostile_caption_stays_text():
    payload = '"><img src=x onerror=alert(1)>'
    doc, (region,) = _region(f"<table><caption>{payload.replace('<', '&lt;').replace('>', '&gt;')}</caption>"
                             "<tr><td>1</td></tr></table>")
    assert doc.xpath("string(//p[@class='table-caption'])") == payload
    assert not doc.xpath("//img")
