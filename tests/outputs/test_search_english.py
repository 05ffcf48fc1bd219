"""English search covers the gazette's notices by their English titles and metadata
(generator/outputs/search_english.py); each result leads to the notice's (Chinese) page."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from generator.checking.check import check
from generator.outputs import search_english

from conftest import REPO


def results(tab, site_url: str, query: str) -> list[tuple[str, str, str]]:
    tab.goto(f"{site_url}/en/search/?q={quote(query)}")
    tab.wait_for_function("() => /\\d|No results/.test(document.getElementById('search-status').textContent)")
    return tab.eval_on_selector_all(".search-result", """items => items.map(li => [
        new URL(li.querySelector('.search-result__title a').href).pathname,
        li.querySelector('.search-result__title').innerText,
        (li.querySelector('.search-result__meta') || {innerText: ''}).innerText])""")


@pytest.fixture(scope="module")
def tab(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def test_an_english_title_finds_its_notice(tab, site_url):
    content = check(REPO)
    notice = next(n for n in content.gazette.notices if n.title_en and "Parking" in n.title_en)
    found = results(tab, site_url, "parking fees")
    path = f"/gazette/{notice.id}/"
    assert path in [p for p, _, _ in found[:5]], found
    title, meta = next((t, m) for p, t, m in found if p == path)
    assert title == notice.title_en
    agency = content.links.agency_of(notice).name.en
    assert agency in meta and notice.doc_number in meta and "Gazette issue" in meta


def test_an_agency_in_english_finds_its_notices(tab, site_url):
    content = check(REPO)
    by = [n for n in content.gazette.notices if n.title_en and content.links.agency_of(n).name.en == "Public Health Bureau"]
    assert by
    found = [p for p, _, _ in results(tab, site_url, "Public Health Bureau")]
    assert f"/gazette/{by[0].id}/" in found


def test_records_are_english_and_lead_to_the_notices():
    content = check(REPO)
    records = list(search_english.records(content))
    assert len(records) == sum(1 for n in content.gazette.notices if n.title_en) > 0
    for path, html, url in records:
        doc = lxml_html.fromstring(html)
        assert doc.get("lang") == "en" and path.startswith("en/gazette/") and url.startswith("/gazette/")
