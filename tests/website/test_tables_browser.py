"""Tables as readers see them in Chromium: on a phone a wide table scrolls in a region the keyboard
reaches and its caption stays in view; notice tables at the body's text size; dates whole; the
English yearbook's tables show every column at 1280 px."""

from __future__ import annotations

import pytest

from generator.checking.check import check

from conftest import REPO

NOTICE_WITH_TABLE = "/gazette/2026/02/03/"  # a table of dates (2月15日（星期日）…)
STATISTICS = "/yearbook/2025/population/"


def test_a_wide_table_scrolls_by_keyboard_and_keeps_its_caption_in_view(browser, site_url, screenshot):
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    tab.goto(site_url + STATISTICS)
    region = tab.locator(".table-scroll").first
    sizes = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert sizes[0] > sizes[1], "the statistics table no longer needs to scroll on a phone: pick a wider one"
    region.focus()
    assert region.evaluate("r => document.activeElement === r && getComputedStyle(r).outlineStyle !== 'none'")
    for _ in range(12):
        tab.keyboard.press("ArrowRight")
    # the keyboard scrolls it: smoothly, so the region may not have moved yet when the keys are sent
    region.evaluate("r => new Promise((done) => { const t0 = performance.now();"
                    " (function wait() { r.scrollLeft > 0 || performance.now() - t0 > 5000 ? done() : requestAnimationFrame(wait); })(); })")
    assert region.evaluate("r => r.scrollLeft") > 0
    caption = tab.locator(".table-caption").first.bounding_box()
    box = region.bounding_box()
    assert caption and box and caption["x"] >= box["x"] - 1 and caption["x"] + 50 < box["x"] + box["width"]
    screenshot(tab, "table-scrolled-390")
    tab.close()


def test_notice_tables_use_the_body_text_size_and_keep_dates_whole(browser, site_url, screenshot):
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    tab.goto(site_url + NOTICE_WITH_TABLE)
    sizes = tab.evaluate("""() => [getComputedStyle(document.querySelector('article .content-table td')).fontSize,
                                    getComputedStyle(document.querySelector('article p')).fontSize]""")
    assert abs(float(sizes[0].removesuffix("px")) - float(sizes[1].removesuffix("px"))) <= 1, sizes
    dates = tab.locator("article .content-table .nowrap")
    assert dates.count() >= 3
    for i in range(dates.count()):
        rects = dates.nth(i).evaluate("e => e.getClientRects().length")
        assert rects == 1, dates.nth(i).inner_text()  # on one line
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(tab, "notice-table-390")
    tab.close()


@pytest.mark.parametrize("language", ["en", "zh-Hant"])
def test_yearbook_tables_show_every_column_at_1280(browser, site_url, language):
    content = check(REPO)
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    prefix = "/en" if language == "en" else ""
    checked = 0
    for book in content.yearbooks:
        for chapter in book.chapters_in(language):
            tab.goto(f"{site_url}{prefix}/yearbook/{book.year}/{chapter.slug}/")
            for width, client in tab.eval_on_selector_all(".table-scroll", "rs => rs.map(r => [r.scrollWidth, r.clientWidth])"):
                assert width <= client, f"{chapter.slug}: a column is cut ({width} > {client} px)"
                checked += 1
    assert checked > 0
    tab.close()
