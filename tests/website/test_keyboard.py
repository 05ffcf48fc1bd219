"""A keyboard user in Chromium: the skip link, the header's search box, the directory's filter."""

from __future__ import annotations

import pytest

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def focused(tab) -> dict:
    return tab.evaluate("""() => { const e = document.activeElement;
        return {id: e.id, tag: e.tagName, text: (e.innerText || '').trim(), cls: e.className,
                inArticle: !!e.closest('article'), inMain: !!e.closest('#main-content')}; }""")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_skip_link_is_first_and_goes_to_the_main_content(browser, site_url, screenshot, width):
    tab = browser.new_page(viewport=WIDTHS[width])
    tab.goto(site_url + "/gazette/2026/01/03/")  # a notice whose first heading (附件) is below its text
    tab.keyboard.press("Tab")
    assert focused(tab)["text"] == "跳到主要內容"
    link = tab.locator("a.site-skip")
    box = link.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0 and box["width"] > 50  # shown where it can be seen
    screenshot(tab, f"skip-link-{width}")
    tab.keyboard.press("Enter")
    assert tab.url.endswith("#main-content")
    assert focused(tab)["id"] == "main-content"
    tab.keyboard.press("Tab")  # the next stop is in the page's own content: the breadcrumbs, not the menu
    now = focused(tab)
    assert now["inMain"] and now["tag"] == "A", now
    assert tab.locator("#main-content h1").is_visible()
    tab.close()


def test_english_skip_link(browser, site_url):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_url + "/en/yearbook/2025/population/")
    tab.keyboard.press("Tab")
    assert focused(tab)["text"] == "Skip to main content"
    tab.close()


def test_directory_filter_is_three_keys_away(browser, site_url):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_url + "/directory/")
    tab.wait_for_selector("#dir-filter-input")
    for key in ("Tab", "Enter", "Tab"):  # the skip link, then the filter first in the content
        tab.keyboard.press(key)
    assert focused(tab)["id"] == "dir-filter-input"
    tab.close()


def test_header_search_box_shows_its_focus(browser, site_url, screenshot):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_url + "/gazette/")
    box = tab.locator("#site-search-input")
    before = box.evaluate("e => getComputedStyle(e).outlineStyle + getComputedStyle(e).boxShadow")
    tab.keyboard.press("/")
    assert focused(tab)["id"] == "site-search-input"
    style = box.evaluate("e => ({o: getComputedStyle(e).outlineStyle, w: parseFloat(getComputedStyle(e).outlineWidth),"
                         " s: getComputedStyle(e).boxShadow})")
    assert style["o"] == "solid" and style["w"] >= 2 and style["s"] != "none", style
    assert before != style["o"] + style["s"]
    screenshot(tab, "search-focus-1280")
    tab.close()


def test_slash_opens_the_search_box_on_a_phone(browser, site_url, screenshot):
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    tab.goto(site_url + "/gazette/")
    box = tab.locator("#site-search-input")
    assert not box.is_visible()  # folded away on a phone
    tab.keyboard.press("/")
    assert focused(tab)["id"] == "site-search-input"
    assert box.is_visible() and box.bounding_box()["width"] > 200
    screenshot(tab, "search-slash-390")
    tab.keyboard.type("停車")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/search/?q=*")
    tab.close()
