"""Search in a real browser: Chinese phrases, document numbers and agency names find the right page
in the top five; filters narrow the results; no lunr index is shipped."""

from __future__ import annotations

import json
from urllib.parse import quote, urlparse

import pytest

from generator.checking.check import check
from generator.model import LANGUAGES
from generator.outputs import search as indexing
from generator.website.pages import search as search_pages

from conftest import REPO

# (query, the page expected among the first five results)
QUERIES = [
    ("停車場收費", "/gazette/2026/01/03/"),
    ("土地現值", "/gazette/2026/01/02/"),
    ("最低生活費", "/gazette/2026/01/04/"),
    ("零售市場", "/gazette/2026/01/01/"),
    ("電子方式發行", "/gazette/2026/01/07/"),
    ("青年創業", "/gazette/2026/02/01/"),
    ("公共自行車", "/gazette/2026/02/02/"),
    ("垃圾清運", "/gazette/2026/02/03/"),
    ("課後照顧", "/gazette/2026/02/05/"),
    ("勞資爭議", "/gazette/2026/02/07/"),
    ("火災警報器", "/gazette/2026/03/01/"),
    ("國民住宅", "/gazette/2026/03/02/"),
    ("戶政", "/gazette/2026/03/04/"),
    ("標售", "/gazette/2026/03/07/"),
    ("吸菸", "/gazette/2026/04/04/"),
    ("徵兵檢查", "/gazette/2026/04/05/"),
    ("校長", "/gazette/2026/04/06/"),
    ("訴願", "/gazette/2026/04/"),  # any notice of issue 4 (the committee rules)
    ("府財產字第1150010234號", "/gazette/2026/03/07/"),
    ("嘉市交停字第1140236418號", "/gazette/2026/01/03/"),
    ("府衛健字第1150017750號", "/gazette/2026/04/04/"),
    ("1150000876", "/gazette/2026/04/05/"),
    ("衛生局", "/gazette/2026/04/04/"),
    ("消防局", "/gazette/2026/03/01/"),
    ("停車管理處", "/directory/parking-management/"),
    ("人口", "/yearbook/2025/population/"),
]


def search(tab, site_url: str, query: str, path: str = "/search/") -> list[str]:
    """The paths of the results shown for ``query``, best first."""
    tab.goto(f"{site_url}{path}?q={quote(query)}")
    tab.wait_for_function("() => /\\d|找不到|No results/.test(document.getElementById('search-status').textContent)")
    return [urlparse(href).path for href in tab.eval_on_selector_all(".search-result__title a", "els => els.map(a => a.href)")]


@pytest.fixture(scope="module")
def tab(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.mark.parametrize("query, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_expected_page_in_the_top_five(tab, site_url, query, expected):
    paths = search(tab, site_url, query)
    assert any(path.startswith(expected) for path in paths[:5]), f"{query!r} -> {paths[:5]}"


def test_english_yearbook_has_its_own_index_and_interface(tab, site_url):
    paths = search(tab, site_url, "ridership", path="/en/search/")
    assert "/en/yearbook/2025/transport/" in paths[:5]
    # the English index holds English pages, and the gazette's notices by their English titles (issue 17)
    assert all(path.startswith(("/en/", "/gazette/")) for path in paths)
    assert tab.evaluate("document.documentElement.lang") == "en"
    assert tab.locator("#search-status").inner_text().endswith(("result", "results"))
    assert tab.locator("label[for='search-query']").inner_text().startswith("Search the yearbook")


def test_document_number_finds_its_notice_first(tab, site_url):
    assert search(tab, site_url, "嘉市秘企字第1150002468號")[0] == "/gazette/2026/03/08/"


def test_results_show_title_date_agency_and_highlighted_snippet(tab, site_url):
    search(tab, site_url, "垃圾清運")
    first = tab.locator(".search-result").first
    assert first.locator("h2 a").inner_text() == "公告115年春節期間垃圾清運及資源回收作業時間"
    meta = first.locator(".search-result__meta").inner_text()
    assert "中華民國115年1月16日" in meta and "環境保護局" in meta and "嘉市環衛字第1150004567號" in meta
    assert first.locator(".search-result__excerpt mark").count() >= 1


def test_a_filter_narrows_the_results(tab, browser, site_url):
    everything = search(tab, site_url, "修正")
    tab.select_option("#search-filter-category", "行政規則")
    tab.wait_for_function("() => new URL(location.href).searchParams.get('category') === '行政規則'")
    tab.wait_for_timeout(500)
    narrowed = [p for p in tab.eval_on_selector_all(".search-result__title a", "els => els.map(a => new URL(a.href).pathname)")]
    assert 0 < len(narrowed) < len(everything)
    assert set(narrowed) <= set(everything)
    check = browser.new_page()
    for path in narrowed:  # every result left is an administrative rule
        check.goto(site_url + path)
        assert "行政規則" in check.locator("dl.notice-meta").inner_text()
    check.close()


def test_slash_focuses_the_search_box_on_any_page(tab, site_url):
    tab.goto(site_url + "/gazette/2026/01/")
    tab.keyboard.press("/")
    assert tab.evaluate("document.activeElement.id") == "site-search-input"
    tab.keyboard.type("標售")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/search/?q=*")
    tab.wait_for_selector(".search-result")
    assert urlparse(tab.locator(".search-result__title a").first.get_attribute("href")).path.endswith("/gazette/2026/03/07/")


def test_search_on_a_phone(browser, site_url, screenshot):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(site_url + "/")
    phone.locator(".site-search__button").click()  # the box is folded into a button on a phone
    phone.wait_for_url("**/search/**")
    phone.fill("#search-query", "停車場收費")
    phone.wait_for_selector(".search-result")
    screenshot(phone, "search-390")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()


def test_without_javascript_the_page_says_so(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/search/")
    text = page.locator("article").inner_text()
    assert "需要 JavaScript" in text
    assert not page.locator("#search-app").is_visible()
    assert page.locator("article a[href$='gazette/']").count() >= 1
    context.close()


def test_no_lunr_index_and_only_content_is_indexed(site_dir):
    assert not list(site_dir.rglob("search_index.json"))
    entry = json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    listings = sum(1 for _ in (site_dir / "gazette").glob("[0-9]*/[0-9]*/[0-9]*/index.html"))
    assert entry["languages"]["zh-tw"]["page_count"] >= listings  # every notice …
    html = (site_dir / "gazette" / "2026" / "01" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in html  # … but not the listings


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menus_offer_the_publication_names_the_pages_give_pagefind(language):
    content = check(REPO)
    menus = {name: values for name, _, values in search_pages.filter_values(content, language)}
    given = {indexing.entry(language, name)["filters"]["publication"] for name in search_pages.PUBLICATIONS[language]}
    assert set(menus["publication"]) == given
    assert set(menus) == set(search_pages.FILTERS[language])
