"""The e-mail's HTML as a mail client's web view shows it: Chromium at 600 px (a desktop client's
reading pane) and 390 px (a phone), light and dark. The screenshots are in tests/.artifacts/."""

from __future__ import annotations

import pytest

from generator import urls
from generator.checking.check import check

from conftest import REPO


@pytest.mark.parametrize("width", [600, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_email_reads_at_600_and_390_px(browser, site_url, screenshot, width, scheme):
    content = check(REPO)
    issue = content.gazette.issues[1]
    tab = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme, java_script_enabled=False)
    tab.goto(site_url + "/" + urls.newsletter_file(issue, "email.html"))
    # nothing wider than the window: no sideways scrolling on a phone
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    frame = tab.locator("table.frame").bounding_box()
    assert frame["width"] <= 600 and frame["width"] >= width - 40
    for notice in issue.notices:
        link = tab.get_by_role("link", name=notice.title, exact=True)
        assert link.is_visible()
        assert link.get_attribute("href") == urls.absolute(content.site.base_url, urls.notice(notice))
    # the text is readable against its background in either scheme
    colours = tab.evaluate("""() => {
        const cell = document.querySelector('td.item'), style = getComputedStyle(cell);
        return [style.color, style.backgroundColor];
    }""")
    text, background = colours
    light_text = text in ("rgb(230, 233, 238)",)
    dark_background = background in ("rgb(26, 30, 36)",)
    assert (light_text and dark_background) if scheme == "dark" else (text == "rgb(27, 31, 36)" and background in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"))
    screenshot(tab, f"newsletter-email-{width}-{scheme}")
    tab.close()
