"""The yearbook in a real browser (Debian's Chromium): the language switch, a chapter with a table
on a phone and a desktop, and a page of each e-book as an e-reader would lay it out.

Screenshots go to tests/.artifacts/ for a person to look at."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator import urls
from generator.checking.check import check
from generator.model.common import LANGUAGES

from conftest import REPO


@pytest.fixture(scope="module")
def book():
    return check(REPO).yearbooks[0]


def test_language_switch_opens_the_same_chapter_in_english_and_back(browser, site_url):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(f"{site_url}/yearbook/2025/transport/")
    assert tab.locator("html").get_attribute("lang") == "zh-TW"
    tab.get_by_role("link", name="English").click()
    tab.wait_for_url(f"{site_url}/en/yearbook/2025/transport/")
    assert tab.locator("html").get_attribute("lang") == "en"
    assert tab.locator("article h1").inner_text().startswith("Transport")
    tab.get_by_role("link", name="中文").click()
    tab.wait_for_url(f"{site_url}/yearbook/2025/transport/")
    assert tab.locator("article h1").inner_text().startswith("交通建設")
    tab.close()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_chapter_with_a_table_on_a_phone_and_a_desktop(browser, site_url, screenshot, width, height):
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.goto(f"{site_url}/yearbook/2025/population/")
    table = tab.locator(".stat-table table")
    table.scroll_into_view_if_needed()
    number = table.locator("td.num").first
    assert number.evaluate("e => getComputedStyle(e).textAlign") == "right"
    assert number.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    # A table wider than a phone scrolls by itself: the page does not scroll sideways.
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert tab.get_by_role("link", name="English").is_visible()
    downloads = tab.locator(".ebook-downloads a")  # an e-book and a print-edition PDF per language
    assert sorted(downloads.nth(i).get_attribute("type") for i in range(downloads.count())) == \
        ["application/epub+zip"] * 2 + ["application/pdf"] * 2
    screenshot(tab, f"yearbook-chapter-{width}")
    tab.close()


@pytest.fixture(scope="module")
def unzipped(site_dir, book, tmp_path_factory) -> dict[str, Path]:
    """Each EPUB unzipped, as a reading system sees its files."""
    folders = {}
    for language in LANGUAGES:
        folder = tmp_path_factory.mktemp(f"epub-{language}")
        with zipfile.ZipFile(site_dir / urls.ebook(book, language)) as archive:
            archive.extractall(folder)
        folders[language] = folder
    return folders


def rendered_fonts(tab, selector: str) -> set[str]:
    """The font families Chromium drew the first element matching ``selector`` with."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def test_english_phrases_in_the_chinese_ebook_are_set_in_a_latin_face(browser, unzipped):
    chapter = next(p for p in sorted((unzipped["zh-Hant"] / "EPUB/text").glob("ch*.xhtml")) if "JiaheBike" in p.read_text())
    tab = browser.new_page(viewport={"width": 600, "height": 900})
    tab.goto(chapter.as_uri())
    assert rendered_fonts(tab, "span[lang=en]") == {"DejaVu Serif"}
    assert rendered_fonts(tab, "h1") == {"Noto Sans CJK TC"}
    tab.close()


# DejaVu Serif: the first face of the English stack on a Debian machine (Georgia is not there).
@pytest.mark.parametrize("language, font", [("zh-Hant", "Noto Serif CJK TC"), ("en", "DejaVu Serif")])
def test_an_ebook_page_with_a_table_and_an_image(browser, unzipped, screenshot, language, font):
    """The population chapter, opened with the book's own stylesheet at an e-reader's size."""
    folder = unzipped[language]
    chapter = next(p for p in sorted((folder / "EPUB/text").glob("ch*.xhtml")) if 'id="chapter-population"' in p.read_text())
    tab = browser.new_page(viewport={"width": 600, "height": 900})
    tab.goto(chapter.as_uri())
    assert tab.evaluate("document.contentType") == "application/xhtml+xml"
    image = tab.locator("figure img")
    assert image.evaluate("e => e.complete && e.naturalWidth > 0")
    assert tab.locator("td.num").first.evaluate("e => getComputedStyle(e).textAlign") == "right"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 600
    # The fonts the text was really drawn with (not merely asked for), as Chromium reports them.
    assert rendered_fonts(tab, "section > p") == {font}
    assert rendered_fonts(tab, "td.num") <= {font, "DejaVu Serif"}
    screenshot(tab, f"yearbook-epub-{language}")
    tab.close()


def test_ebook_title_page_and_contents(browser, unzipped, screenshot):
    tab = browser.new_page(viewport={"width": 600, "height": 900})
    tab.goto((unzipped["zh-Hant"] / "EPUB/text/title_page.xhtml").as_uri())
    assert "中華民國115年6月30日" in tab.locator(".titlepage").inner_text()
    screenshot(tab, "yearbook-epub-title-zh-Hant")
    tab.goto((unzipped["zh-Hant"] / "EPUB/nav.xhtml").as_uri())
    assert tab.locator("nav#toc h1").inner_text() == "目錄"
    assert not tab.locator("nav#landmarks").is_visible()
    tab.close()
