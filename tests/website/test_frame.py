"""The site's frame on the built shipped site: robots.txt, Open Graph tags on every page, only the
theme files a page uses, and no request that fails when a reader opens each kind of page."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from lxml import html as lxml_html

BASE = "https://publications.jiahe.gov.tw/"


def pages(site_dir: Path) -> list[Path]:
    """Every page of the website (MkDocs made it), not the e-mail versions of the newsletter."""
    return sorted(p for p in site_dir.rglob("*.html") if "pagefind" not in p.parts and b'content="mkdocs-' in p.read_bytes())


def test_robots_txt_allows_crawling_and_names_the_sitemap(site_dir):
    lines = (site_dir / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines and "Disallow: /" not in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines
    assert (site_dir / "sitemap.xml").is_file()


def test_no_lunr_search_files_are_published(site_dir):
    javascripts = site_dir / "assets" / "javascripts"
    assert not (javascripts / "lunr").exists()
    assert not list(javascripts.glob("workers/search.*"))
    assert not [p for p in site_dir.rglob("*") if "lunr" in p.name.lower()]
    (bundle,) = javascripts.glob("bundle.*.min.js")  # the theme's script stays, narrowed
    assert b'"link[rel=alternate]:not([data-no-alternate])"' in bundle.read_bytes()
    for page in pages(site_dir):
        assert b"lunr" not in page.read_bytes(), page


def test_every_page_has_open_graph_and_twitter_card_tags(site_dir):
    for path in pages(site_dir):
        if path.name == "404.html":
            continue  # no address of its own
        tree = lxml_html.fromstring(path.read_bytes())
        meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//head/meta")}
        where = path.relative_to(site_dir)
        assert meta["og:title"] and meta["og:title"] == meta["twitter:title"], where
        assert tree.xpath("string(//title)").startswith(meta["og:title"]), where
        assert meta["og:description"] and meta["twitter:description"] == meta["og:description"], where
        assert meta["og:url"] == tree.xpath("string(//link[@rel='canonical']/@href)") and meta["og:url"].startswith(BASE), where
        assert meta["og:type"] in ("website", "article") and meta["twitter:card"] == "summary", where
        assert meta["og:locale"] == ("en_US" if tree.get("lang") == "en" else "zh_TW"), where


def test_a_notice_is_shared_as_an_article_with_its_number_and_text(site_dir):
    tree = lxml_html.fromstring((site_dir / "gazette/2026/02/04/index.html").read_bytes())
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//head/meta")}
    assert meta["og:type"] == "article" and meta["og:url"] == BASE + "gazette/2026/02/04/"
    assert meta["og:description"].startswith("都市發展局 府都計字第1150002876號，中華民國115年1月16日刊登。主旨：公告")


# -- in Chromium: every request of every page kind succeeds, and none leaves the site ----------------

KINDS = ["", "gazette/", "gazette/2026/", "gazette/2026/02/", "gazette/2026/02/04/", "gazette/2026/03/08/",
         "gazette/category/", "gazette/category/notices/", "gazette/agency/", "gazette/agency/urban-development/",
         "yearbook/", "yearbook/2025/", "yearbook/2025/population/", "en/yearbook/2025/", "en/yearbook/2025/population/",
         "directory/", "directory/transportation/", "directory/changes/", "data/", "data/gazette/",
         "search/?q=停車", "en/search/?q=population", "about/", "gazette/2099/99/"]


@pytest.fixture(scope="module")
def served(site_dir):
    """The built site behind a server that answers a missing page with 404.html, as the web server would."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site_dir / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.mark.parametrize("width", [1280, 390])
def test_no_request_fails_or_leaves_the_site(browser, served, width):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    failed: list[str] = []
    # net::ERR_ABORTED is the browser cancelling a request of its own, not a failure of the site: the
    # favicon, which Chromium asks for after the page has loaded, cancelled by the next goto (CI,
    # 2026-12-02, once in 1,063 tests). A missing file is a 404 response, caught below.
    tab.on("requestfailed", lambda request: request.failure == "net::ERR_ABORTED"
           or failed.append(f"{request.url} ({request.failure})"))
    tab.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url} ({response.status})"))
    tab.on("request", lambda request: request.url.startswith(served) or request.url.startswith("data:")
           or failed.append(f"{request.url} (another site)"))
    for kind in KINDS:
        tab.goto(served + kind, wait_until="networkidle")
        missing = served + kind.split("?")[0] + " (404)"
        expected = [missing] if kind == "gazette/2099/99/" else []
        assert failed == expected, f"{kind}: {failed}"
        failed.clear()
    tab.close()


# -- the footer, the home page, the 404 page ---------------------------------------------------------

FOOTER_PAGES = {"無障礙聲明": "accessibility/", "隱私權及資訊安全政策": "privacy/", "政府網站資料開放宣告": "open-data/", "關於本站": "about/"}


def footer(tree):
    (element,) = tree.xpath("//footer//div[contains(@class, 'site-footer')]")
    return element


def test_every_page_has_the_publishers_footer_and_no_theme_credit(site_dir):
    for path in pages(site_dir):
        tree = lxml_html.fromstring(path.read_bytes())
        where = path.relative_to(site_dir)
        assert "Made with" not in tree.xpath("string(//footer)"), where
        element = footer(tree)
        links = {" ".join(a.text_content().split()): a.get("href") for a in element.xpath(".//nav//a")}
        assert list(links) == list(FOOTER_PAGES) or list(links) == ["Accessibility statement", "Privacy and security policy",
                                                                   "Open data declaration", "About this site"], where
        for href, target in zip(links.values(), FOOTER_PAGES.values(), strict=True):
            resolved = site_dir / href.lstrip("/") if href.startswith("/") else path.parent / href
            assert resolved.resolve() == (site_dir / target).resolve(), (where, href)
            assert (resolved / "index.html").is_file(), (where, href)  # the page exists
        office = {" ".join(dt.text_content().split()): " ".join(dd.text_content().split())
                  for dt, dd in zip(element.xpath(".//dt"), element.xpath(".//dd"), strict=True)}
        assert set(office) in ({"地址", "電話", "服務時間", "聯絡", "授權", "最後更新"},
                               {"Address", "Phone", "Office hours", "Contact", "Licence", "Last updated"}), where


def test_the_footer_says_what_site_yml_says(site_dir):
    element = footer(lxml_html.fromstring((site_dir / "gazette/2026/02/04/index.html").read_bytes()))
    office = {" ".join(dt.text_content().split()): dd for dt, dd in zip(element.xpath(".//dt"), element.xpath(".//dd"), strict=True)}
    assert office["地址"].text_content() == "600099 嘉和市東區府前路1號 市政大樓3樓"
    assert office["電話"].xpath("a/@href") == ["tel:+88652254321"] and office["電話"].text_content() == "(05)225-4321"
    assert office["服務時間"].text_content().startswith("週一至週五 08:30-12:30")
    assert office["聯絡"].xpath("a/@href") == ["mailto:publications@mail.jiahe.gov.tw"]
    (updated,) = office["最後更新"].xpath("time")
    assert updated.get("datetime") and updated.text.startswith("中華民國")


def footer_day(site_dir: Path, page: str) -> tuple[str, str]:
    """A page's footer's last update: its ``datetime`` and the text shown."""
    (time,) = footer(lxml_html.fromstring((site_dir / page).read_bytes())).xpath(".//dd/time")
    return time.get("datetime"), time.text


def test_each_page_shows_its_own_last_update_in_its_footer(site_dir):
    """The footer's 最後更新 is the page's own last change of content (website/pages/dated.py), in
    the page's language: a notice's is its issue's day, a corrected notice's the correction's (and
    so is the page of the issue listing it as corrected); a yearbook page's, its edition's; the
    home page's, the site's last update, which its text also states."""
    from generator.checking.check import check
    from conftest import REPO

    content = check(REPO)
    day = {issue.id: issue.date for issue in content.gazette.issues}
    assert footer_day(site_dir, "gazette/2026/02/03/index.html") == (day["2026/02"].isoformat(), "中華民國115年1月16日")
    correction = next(n for n in content.gazette.notices if n.id == "2026/03/08")  # corrects 2026/02/04
    assert correction.corrects and day["2026/03"] > day["2026/02"]
    assert footer_day(site_dir, "gazette/2026/02/04/index.html")[0] == day["2026/03"].isoformat()
    assert footer_day(site_dir, "gazette/2026/02/index.html")[0] == day["2026/03"].isoformat()
    assert footer_day(site_dir, "gazette/2026/01/index.html")[0] == day["2026/01"].isoformat()
    (book,) = [b for b in content.yearbooks if b.year == 2025]
    assert footer_day(site_dir, "yearbook/2025/index.html") == (book.date.isoformat(), "中華民國115年6月30日")
    assert footer_day(site_dir, "en/yearbook/2025/index.html") == (book.date.isoformat(), "30 June 2026")
    home = lxml_html.fromstring((site_dir / "index.html").read_bytes())
    (stated,) = home.xpath("//article//p[@class='home-updated']/time")
    assert footer_day(site_dir, "index.html") == (stated.get("datetime"), stated.text)
    assert stated.get("datetime") >= max(day.values()).isoformat()


def test_the_sitemap_dates_each_page_by_its_own_last_update(site_dir):
    """sitemap.xml's ``lastmod`` of every page is the day its footer shows (its own last change, not
    the build's: a notice's issue, a corrected notice's correction, a hand-written page's last commit),
    so a search engine re-reads only what changed; the pages without a day of their own (home,
    search) carry the site's."""
    from urllib.parse import urlsplit

    from lxml import etree

    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = etree.fromstring((site_dir / "sitemap.xml").read_bytes())
    days = {}
    for url in sitemap.xpath("//s:url", namespaces=namespace):
        page = urlsplit(url.xpath("string(s:loc)", namespaces=namespace)).path.lstrip("/") + "index.html"
        days[page] = url.xpath("string(s:lastmod)", namespaces=namespace)
    assert len(days) > 100 and "gazette/2026/02/04/index.html" in days and "about/index.html" in days
    assert {page: day for page, day in days.items() if day != footer_day(site_dir, page)[0]} == {}
    assert days["gazette/2026/01/01/index.html"] < days["gazette/2026/02/04/index.html"] < days["index.html"]
    assert len(set(days.values())) > 3


def test_the_policy_pages_are_published_and_written(site_dir):
    for title, target in FOOTER_PAGES.items():
        tree = lxml_html.fromstring((site_dir / target / "index.html").read_bytes())
        assert tree.xpath("string(//article//h1)").strip().rstrip("¶") == title
        assert len(tree.xpath("string(//article)")) > 200  # a real text, not a placeholder


def test_the_home_page_shows_the_latest_issue_a_search_box_and_the_publications(site_dir):
    from generator.checking.check import check
    from conftest import REPO

    content = check(REPO)
    latest = content.gazette.issues[-1]
    tree = lxml_html.fromstring((site_dir / "index.html").read_bytes())
    article = tree.xpath("//article")[0]
    assert article.xpath("string(.//h1)").strip() == "嘉和市政府秘書處"
    (form,) = article.xpath(".//form[@role='search']")
    assert form.get("action") == "search/" and form.xpath(".//input[@name='q']/@id") == form.xpath(".//label/@for")
    hrefs = article.xpath(".//a/@href")
    for notice in latest.notices:
        assert f"gazette/{notice.id}/" in hrefs, notice.id
    assert f"gazette/{latest.id}/" in hrefs
    assert {"gazette/", "yearbook/", "yearbook/2025/", "en/yearbook/2025/", "directory/", "data/"} <= set(hrefs)
    (updated,) = article.xpath(".//p[@class='home-updated']/time")
    assert updated.text.startswith("中華民國") and updated.get("datetime")


def test_the_404_page_is_bilingual_with_search_and_the_publications(site_dir):
    tree = lxml_html.fromstring((site_dir / "404.html").read_bytes())
    assert tree.xpath("string(//title)").startswith("找不到網頁 · Page not found")
    sections = tree.xpath("//article//section")
    assert [s.get("lang") for s in sections] == ["zh-Hant", "en"]
    assert "404 - Not found" not in tree.xpath("string(//article)")
    for section, results in zip(sections, ["/search/", "/en/search/"], strict=True):
        (form,) = section.xpath(".//form[@role='search']")
        assert form.get("action") == results  # absolute: the server shows this page at any depth
        links = section.xpath(".//ul[@class='not-found__links']//a/@href")
        assert links[:3] == ["/gazette/", "/yearbook/" if section.get("lang") == "zh-Hant" else "/en/yearbook/", "/directory/"]


def test_a_missing_page_shows_the_404_page_whole(browser, served):
    tab = browser.new_page(viewport={"width": 390, "height": 900})
    response = tab.goto(served + "gazette/2031/07/09/", wait_until="networkidle")
    assert response.status == 404
    assert tab.locator("h1").inner_text() == "找不到網頁"
    assert tab.locator("h2#not-found-en").inner_text() == "Page not found"
    # the theme's style sheet loaded (absolute links): the header is the theme's blue bar, not raw HTML
    assert tab.locator("header.md-header").evaluate("e => getComputedStyle(e).position") in ("sticky", "fixed")
    tab.get_by_label("搜尋公報、年鑑與電話號碼表").fill("停車")
    tab.get_by_role("region", name="找不到網頁").get_by_role("button", name="搜尋").click()
    tab.wait_for_url("**/search/?q=*")
    tab.close()
