"""Search in a real browser: Chinese phrases, document numbers and agency names find the right page
in the top five; filters narrow the results; no lunr index is shipped."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urlparse

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
    # a joint notice (issue 13) is found by either of its document numbers
    ("嘉市交工字第1150007305號", "/gazette/2026/04/08/"),
    ("嘉市警交字第1150011862號", "/gazette/2026/04/08/"),
    ("衛生局", "/gazette/2026/04/04/"),
    ("消防局", "/gazette/2026/03/01/"),
    ("停車管理處", "/directory/parking-management/"),
    ("人口", "/yearbook/2025/population/"),
]


def search(tab, site_url: str, query: str, path: str = "/search/", **options: str) -> list[str]:
    """The paths of the results shown for ``query`` (with the results page's ``options``), best first."""
    tab.goto(f"{site_url}{path}?{urlencode({'q': query, **options})}")
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


@pytest.mark.parametrize("typed", ["垃圾清運", "「垃圾清運」", "“垃圾清運”。"])
def test_results_show_title_date_agency_and_highlighted_snippet(tab, site_url, typed):
    search(tab, site_url, typed)  # quotation marks and punctuation typed around the phrase are not marked
    first = tab.locator(".search-result").first
    assert first.locator("h2 a").inner_text() == "公告115年春節期間垃圾清運及資源回收作業時間"
    meta = first.locator(".search-result__meta").inner_text()
    assert "中華民國115年1月16日" in meta and "環境保護局" in meta and "嘉市環衛字第1150004567號" in meta
    assert first.locator(".search-result__excerpt mark").all_inner_texts() == ["垃圾清運"]


def article_text(browser, url: str) -> tuple[str, str]:
    """(the notice's first paragraph after its metadata, the whole article's text) of a built page."""
    page = browser.new_page()
    page.goto(url)
    first = page.locator("article dl.notice-meta + p").first.inner_text() if page.locator("dl.notice-meta").count() else ""
    whole = page.locator("article").inner_text()
    page.close()
    return first, whole


def test_excerpt_is_the_notices_own_text_from_its_subject(tab, browser, site_url):
    search(tab, site_url, "國民住宅")
    first = tab.locator(".search-result").first
    excerpt = first.locator(".search-result__excerpt").inner_text()
    subject, _ = article_text(browser, site_url + first.locator("h2 a").get_attribute("href"))
    assert excerpt.startswith(subject)  # the subject, whole, as the notice writes it
    for label in ("發文機關", "發文字號", "署名", "關鍵詞", "英文標題", "刊登公報"):
        assert label not in excerpt
    assert not re.search(r"[\u4e00-\u9fff，。、] |[ ][\u4e00-\u9fff，。、]", excerpt), excerpt  # no stray spaces
    assert first.locator(".search-result__excerpt mark").first.inner_text() == "國民住宅"


def test_two_words_are_two_phrases_both_required(tab, browser, site_url):
    paths = search(tab, site_url, "消防局 補助")
    assert paths[0] == "/gazette/2026/03/01/"
    for path in paths:  # every result has both phrases as written, not just their characters
        _, whole = article_text(browser, site_url + path)
        assert "消防局" in whole and "補助" in whole, path


def test_no_exact_match_is_said_before_looser_results(tab, site_url):
    paths = search(tab, site_url, "收費停車")  # 收費 and 停車 are on pages, 收費停車 nowhere
    status = tab.locator("#search-status").inner_text()
    assert status.startswith("找不到完全相符的結果")
    assert paths and tab.locator(".search-result--loose").count() == len(paths)
    assert tab.locator(".search-result__badge").first.inner_text() == "相近結果"
    exact = search(tab, site_url, "停車場收費")
    assert exact and tab.locator(".search-result--loose").count() == 0
    assert tab.locator("#search-status").inner_text().startswith("找到")


@pytest.mark.parametrize("typed, indexed", [("新台幣", "新臺幣"), ("臺端", "台端"), ("秘書處", "祕書處")])
def test_variant_characters_find_the_same_pages(tab, site_url, typed, indexed):
    assert search(tab, site_url, typed) == search(tab, site_url, indexed)
    assert search(tab, site_url, typed) or typed == "臺端"


def test_newest_first_and_a_range_of_years_in_roc_years(tab, site_url):
    relevance, found = search(tab, site_url, "公告"), tab.locator("#search-status").inner_text()
    newest = search(tab, site_url, "公告", sort="newest")
    assert tab.locator("#search-status").inner_text() == found and newest != relevance  # the same results, reordered
    dates = tab.eval_on_selector_all(".search-result__meta", "els => els.map(e => e.textContent)")
    issued = [tuple(int(n) for n in re.search(r"中華民國(\d+)年(\d+)月(\d+)日", d).groups()) for d in dates if "中華民國" in d]
    assert issued == sorted(issued, reverse=True)
    assert tab.locator("#search-sort").input_value() == "newest"
    # the range is the gazette's years of publication; the yearbook's editions are their own filter
    # (the 2025 edition, published in 2026, is not "a 2025 result")
    assert "民國115年" in tab.locator("#search-from").inner_text()
    assert "民國114年" not in tab.locator("#search-from").inner_text()
    everything = search(tab, site_url, "人口")
    only_2026 = search(tab, site_url, "人口", **{"from": "2026", "to": "2026"})
    assert only_2026 and all(path.startswith("/gazette/2026/") for path in only_2026)
    edition = search(tab, site_url, "人口", edition="2025")
    assert "/yearbook/2025/population/" in edition and set(edition) < set(everything)
    assert all(path.startswith("/yearbook/2025/") for path in edition)
    tab.select_option("#search-to", "2026")
    tab.wait_for_function("() => new URL(location.href).searchParams.get('to') === '2026'")


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


def test_a_joint_notice_is_found_under_each_of_its_agencies(tab, site_url):
    """The shipped joint notice 2026/04/08 (交通局 lead, 警察局 co-issuing) is a result under either
    agency's filter; a notice of the lead agency alone is not under the co-issuing one."""
    query = "科學儀器執法"
    assert "/gazette/2026/04/08/" in search(tab, site_url, query)
    for agency in ("交通局", "警察局"):
        assert "/gazette/2026/04/08/" in search(tab, site_url, query, agency=agency), agency
    assert "/gazette/2026/01/03/" in search(tab, site_url, "停車場收費", agency="交通局")
    assert "/gazette/2026/01/03/" not in search(tab, site_url, "停車場收費", agency="警察局")


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
    chinese = indexing.INDEX_LANGUAGE["zh-tw"].lower()  # Pagefind keys languages in lower case
    assert entry["languages"][chinese]["page_count"] >= listings  # every notice …
    html = (site_dir / "gazette" / "2026" / "01" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in html  # … but not the listings


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menus_offer_the_publication_names_the_pages_give_pagefind(language):
    content = check(REPO)
    menus = {name: values for name, _, values in search_pages.filter_values(content, language)}
    given = {indexing.entry(language, name)["filters"]["publication"] for name in search_pages.PUBLICATIONS[language]}
    assert set(menus["publication"]) == given
    assert set(menus) == set(search_pages.FILTERS[language])


def seeded_queries(seed: int = 14, per_kind: int = 20) -> list[tuple[str, str, set[str], int]]:
    """(kind, query, expected pages, rank needed) computed from the shipped notices (the benchmark,
    tests/benchmarks/search.py, does the same on real gazette text): a 2-8 character run of a title
    found in at most 3 titles; a name quoted 「…」 in a title; "agency + 2-4 characters of its
    notice's title"; every document number (first place)."""
    import random

    content = check(REPO)
    rng = random.Random(seed)
    notices = [(f"/gazette/{notice.id}/", notice, content.links.agency_of(notice).name.zh_hant) for notice in content.gazette.notices]
    han = re.compile(r"[\u4e00-\u9fff]{2,}")

    def titled(text, agency=None):
        return {url for url, notice, name in notices if text in notice.title and agency in (None, name)}

    def phrase(title, longest):
        run = rng.choice(han.findall(title))
        size = rng.randint(2, min(longest, len(run)))
        start = rng.randrange(len(run) - size + 1)
        return run[start:start + size]

    queries: list[tuple[str, str, set[str], int]] = []
    for kind, longest in (("title", 8), ("agency", 4)):
        found: dict[str, set[str]] = {}
        for _ in range(2000):
            if len(found) == per_kind:
                break
            url, notice, agency = rng.choice(notices)
            if not han.search(notice.title):
                continue
            text = phrase(notice.title, longest)
            query = text if kind == "title" else f"{agency} {text}"
            expected = titled(text, None if kind == "title" else agency)
            if len(expected) <= 3:
                found[query] = expected
        queries += [(kind, query, expected, 5) for query, expected in found.items()]
    names = sorted({name for _, notice, _ in notices for name in re.findall(r"「([^」「]+)」", notice.title)})
    queries += [("regulation", name, titled(f"「{name}」"), 5) for name in names]
    queries += [("number", number, {url}, 1) for url, notice, _ in notices for number in notice.numbers]
    return queries


def test_seeded_queries_of_four_kinds_find_their_notices(tab, site_url):
    queries = seeded_queries()
    kinds = {kind for kind, *_ in queries}
    assert kinds == {"title", "agency", "regulation", "number"} and len(queries) >= 60
    misses: dict[str, list[str]] = {kind: [] for kind in kinds}
    for kind, query, expected, needed in queries:
        if not set(search(tab, site_url, query)[:needed]) & expected:
            misses[kind].append(query)
    for kind in kinds:
        total = sum(1 for k, *_ in queries if k == kind)
        assert len(misses[kind]) <= (0 if kind == "number" else 0.05 * total), f"{kind}: {misses[kind]} of {total}"
