"""English pages are English: the frame (site name, tabs, drawer, skip link, search box, footer,
<title>) and everything else, except names and the language switch (marked lang="zh-Hant").
The 年鑑 tab of an English page leads to the English yearbook; /en/ is an English home page."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from generator.checking.check import check

from conftest import REPO
from helpers import built_page, text

#: Han characters and CJK punctuation (full-width forms included)
HAN = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _without_chinese_parts(doc):
    """The document less what is Chinese on purpose: elements in another language (the switch)."""
    for element in doc.xpath("//*[@lang and not(starts-with(@lang, 'en'))] | //script | //style"):
        element.drop_tree()
    return doc


def chinese_left(doc) -> list[str]:
    found = [t.strip() for t in doc.xpath("//text()") if HAN.search(t)]
    for element in doc.iter():
        if isinstance(element.tag, str):
            found += [f"{element.tag}@{name}={value}" for name, value in element.attrib.items()
                      if not name.startswith("data-") and HAN.search(value)]
    return found


def english_pages(site_dir):
    return sorted(site_dir.glob("en/**/*.html"))


def test_every_english_page_is_free_of_chinese_but_names_and_the_switch(site_dir):
    pages = english_pages(site_dir)
    assert len(pages) >= 10
    problems = {}
    for path in pages:
        doc = lxml_html.fromstring(path.read_bytes())
        assert doc.get("lang") == "en", path
        if left := chinese_left(_without_chinese_parts(doc)):
            problems[str(path.relative_to(site_dir))] = left[:5]
    assert not problems, problems


def test_the_frame_of_an_english_page_is_english(site_dir):
    doc = built_page(site_dir, "en/yearbook/2025/population/index.md")
    content = check(REPO)
    publisher = content.site.publisher.en
    assert doc.findtext(".//title").endswith(f" - {publisher}: Publications")
    assert text(doc.xpath("//header//*[contains(@class, 'md-header__topic')]")[0]) == f"{publisher}: Publications"
    tabs = doc.xpath("//nav[contains(@class, 'md-tabs')]//a")
    assert [text(a) for a in tabs] == ["Home", "Gazette (in Chinese)", "Yearbook", "Phone directory (in Chinese)",
                                       "Open data (in Chinese)", "About (in Chinese)"]
    by_name = {text(a).split(" (")[0]: a for a in tabs}
    assert by_name["Yearbook"].get("href") == "../../"  # the English yearbook, not /yearbook/
    assert by_name["Home"].get("href") == "../../../"  # /en/
    assert by_name["Gazette"].get("hreflang") == "zh-Hant"
    assert "md-tabs__item--active" in by_name["Yearbook"].getparent().get("class")
    drawer = doc.xpath("//nav[contains(@class, 'md-nav--primary')]")[0]
    assert text(drawer.xpath(".//label[contains(@class, 'md-nav__title')]")[0]) == f"{publisher}: Publications"
    assert "Yearbook" in [text(a) for a in drawer.xpath(".//a[contains(@class, 'md-nav__link')]")]
    assert text(doc.xpath("//a[@class='site-skip']")[0]) == "Skip to main content"
    assert doc.xpath("//input[@id='site-search-input']")[0].get("placeholder") == "Search (press /)"
    assert doc.xpath("//form[@role='search']")[0].get("action") == "../../../search/"
    footer = text(doc.xpath("//footer")[0])
    assert publisher in footer and content.site.licence.name.en in footer and not HAN.search(footer)


def test_chinese_pages_keep_the_chinese_frame(site_dir):
    doc = built_page(site_dir, "yearbook/2025/population/index.md")
    assert doc.findtext(".//title").endswith(" - 嘉和市政府秘書處出版品")
    assert text(doc.xpath("//a[@class='site-skip']")[0]) == "跳到主要內容"
    assert "年鑑" in [text(a) for a in doc.xpath("//nav[contains(@class, 'md-tabs')]//a")]


def test_english_home_page(site_dir):
    content = check(REPO)
    doc = built_page(site_dir, "en/index.md")
    assert text(doc.xpath("//h1")[0]) == f"{content.site.publisher.en}: Publications"
    links = {text(a): a.get("href") for a in doc.xpath("//article//a")}
    for book in content.yearbooks:
        assert links[book.title.en] == f"yearbook/{book.year}/"
    latest = content.gazette.issues[-1]
    for notice in latest.notices:
        if notice.title_en:  # each notice of the latest issue by its English title, to the Chinese page
            assert links[notice.title_en] == f"../gazette/{latest.year}/{latest.number:02d}/{notice.seq:02d}/"
    assert links["中文"] == "../"
    switch = doc.xpath("//nav[contains(@class, 'language-switch')]//a")[0]
    assert switch.get("lang") == "zh-Hant" and switch.get("hreflang") == "zh-Hant"
