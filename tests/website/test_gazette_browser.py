"""A reader in a real browser: home, the latest issue, a notice, its agency (phone and desktop)."""

from __future__ import annotations

import pytest

from generator.checking.check import check
from generator.dates import roc_date

from conftest import REPO


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_home_to_issue_to_notice_to_agency(browser, site_url, screenshot, width, height):
    content = check(REPO)
    latest = content.gazette.issues[-1]
    notice = latest.notices[0]
    agency = content.links.agency_of(notice)
    category = next(c.name.zh_hant for c in content.site.categories if c.slug == notice.category)

    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.goto(site_url + "/")
    tab.get_by_role("link", name="115年第4期").first.click()
    tab.wait_for_url(f"**/gazette/{latest.year}/{latest.number:02d}/")
    assert tab.locator("h1").inner_text() == "嘉和市政府公報 115年第4期"

    tab.get_by_role("link", name=notice.title).click()
    tab.wait_for_url(f"**/gazette/{latest.year}/{latest.number:02d}/{notice.seq:02d}/")
    meta = tab.locator("dl.notice-meta")
    assert meta.locator("dt", has_text="發文機關").is_visible()
    text = meta.inner_text()
    for expected in (agency.name.zh_hant, notice.doc_number, roc_date(notice.issued), roc_date(latest.date), category):
        assert expected in text
    screenshot(tab, f"gazette-notice-{width}")

    meta.get_by_role("link", name=agency.name.zh_hant).click()
    tab.wait_for_url(f"**/directory/{agency.id}/")
    assert tab.locator("h1").inner_text() == agency.name.zh_hant
    screenshot(tab, f"gazette-agency-{width}")
    tab.close()
