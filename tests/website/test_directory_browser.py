"""The directory in a real browser: the instant filter as a reader types, tel links, phone width, print."""

from __future__ import annotations

import pytest

from generator.checking.check import check

from conftest import REPO


@pytest.fixture(scope="module")
def content():
    return check(REPO)


@pytest.fixture
def phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}/directory/")
    yield page
    assert errors == []
    context.close()


def visible_people(page) -> list[str]:
    """The first cell of every row a reader can see."""
    return page.eval_on_selector_all("tr[data-tel]", "rows => rows.filter(r => r.offsetParent !== null)"
                                     ".map(r => r.querySelector('th').innerText.replace(/\\s+/g, ' ').trim())")


def visible_agencies(page) -> list[str]:
    return page.eval_on_selector_all("[data-dir-agency]", "sections => sections.filter(s => s.offsetParent !== null)"
                                     ".map(s => s.querySelector('h3 a').innerText)")


def type_into_filter(page, text: str, clear: bool = False) -> None:
    box = page.get_by_label("篩選")
    if clear:
        box.fill("")
    box.press_sequentially(text, delay=20)
    page.wait_for_timeout(350)  # the count is announced once typing pauses


def test_typing_a_unit_then_part_of_a_number_narrows_the_list(phone, content, screenshot):
    unit = next(u for u in content.links.agencies["transportation"].units if u.id == "transit")
    type_into_filter(phone, unit.name.zh_hant)
    people = visible_people(phone)
    assert people == ["單位電話"] + [" ".join(p for p in (c.role, c.title, c.name) if p) for c in unit.contacts]
    assert phone.get_by_role("status").inner_text() == f"找到 {len(people)} 筆（共 {phone.locator('tr[data-tel]').count()} 筆）"
    assert visible_agencies(phone) == ["交通局"]
    type_into_filter(phone, " 3522")
    assert visible_people(phone) == ["承辦人（市區公車路線） 股長 沈瑞麟"]
    screenshot(phone, "directory-filter-phone")


@pytest.mark.parametrize("typed", ["2253520", "225-3520", "(05)225-3520", "+886 5 225 3520"])
def test_part_of_a_number_matches_whatever_the_punctuation(phone, typed):
    type_into_filter(phone, typed)
    assert visible_people(phone) == ["單位電話"]  # 運輸管理科's own line, (05)225-3520
    assert phone.locator("tr[data-tel]:visible a[href^='tel:']").get_attribute("href") == "tel:+88652253520"


def test_an_extension_finds_the_person_and_the_tel_link_dials_it(phone):
    type_into_filter(phone, "225-4321#3521")
    assert visible_people(phone) == ["科長 張怡萱"]
    link = phone.locator("tr[data-tel]:visible a[href^='tel:']")
    assert (link.get_attribute("href"), link.inner_text()) == ("tel:+88652254321,3521", "(05)225-4321 分機3521")


def test_no_match_says_so_and_clearing_shows_everything(phone):
    total = phone.locator("tr[data-tel]").count()
    type_into_filter(phone, "沒有這個人")
    assert visible_people(phone) == [] and phone.locator("section.dir-group:visible").count() == 0
    assert phone.get_by_role("status").inner_text() == "沒有符合「沒有這個人」的項目"
    type_into_filter(phone, "", clear=True)
    assert len(visible_people(phone)) == total


def test_the_phone_width_page_does_not_scroll_sideways(phone, screenshot):
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    path = screenshot(phone, "directory-phone")
    assert path.stat().st_size > 10_000


def test_desktop_overview_and_agency_page(browser, site_url, screenshot):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_url}/directory/")
    type_into_filter(page, "環境")
    assert visible_agencies(page) == ["環境保護局"]
    screenshot(page, "directory-desktop")
    page.goto(f"{site_url}/directory/transportation/")
    assert page.locator("article").locator("text=最後更新").count() == 1  # the footer has its own (the site's)
    screenshot(page, "directory-agency-desktop")
    page.close()


def test_without_javascript_the_whole_list_is_readable_and_printable(browser, site_url, content):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_url}/directory/")
    assert page.locator("article input").count() == 0
    assert len(visible_agencies(page)) == len(content.directory.agencies)
    page.emulate_media(media="print")
    assert len(visible_people(page)) == page.locator("tr[data-tel]").count()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()


def test_printing_hides_the_filter_but_keeps_what_it_shows(phone):
    type_into_filter(phone, "運輸管理科")
    phone.emulate_media(media="print")
    assert not phone.locator("[data-dir-filter]").is_visible()
    assert visible_agencies(phone) == ["交通局"] and len(visible_people(phone)) == 5
