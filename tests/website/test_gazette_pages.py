"""The gazette's pages on the built shipped site: every page kind, what a reader checks on each."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from generator import urls
from generator.checking.check import check
from generator.dates import roc_date

from conftest import REPO
from helpers import built_page as page


@pytest.fixture(scope="module")
def content():
    return check(REPO)



def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def test_every_page_kind_is_built(site_dir, content):
    issue = content.gazette.issues[0]
    notice = issue.notices[0]
    for uri in [urls.gazette_home(), urls.gazette_year(issue.year), urls.issue(issue), urls.notice(notice),
                urls.category_index(), urls.category(notice.category), urls.category(notice.category, notice.year),
                urls.agency_index(), urls.gazette_agency(notice.agency), urls.gazette_agency(notice.agency, notice.year)]:
        page(site_dir, uri)
    assert (site_dir / urls.gazette_feed()).is_file()
    for category in content.site.categories:
        assert (site_dir / urls.category_feed(category.slug)).is_file()


def test_permalinks_follow_the_pattern(site_dir, content):
    for notice in content.gazette.notices:
        assert (site_dir / f"gazette/{notice.year}/{notice.issue:02d}/{notice.seq:02d}/index.html").is_file()


def test_gazette_home_shows_the_latest_issue(site_dir, content):
    latest = content.gazette.issues[-1]
    tree = page(site_dir, urls.gazette_home())
    assert any("115年第4期" in t for t in texts(tree, "//h2"))
    links = tree.xpath("//article//a/@href")
    for notice in latest.notices:
        assert f"{latest.year}/{latest.number:02d}/{notice.seq:02d}/" in links
    assert "category/notices/" in links and "../subscribe/" in links  # the subscribe page lists the feeds
    assert '<link rel="alternate" type="application/atom+xml" href="feed.atom" data-no-alternate>' in (site_dir / "gazette/index.html").read_text()


def test_issue_page_groups_by_category_in_configured_order(site_dir, content):
    issue = content.gazette.issues[1]
    tree = page(site_dir, urls.issue(issue))
    headings = texts(tree, "//article//h2")
    configured = [c.name.zh_hant for c in content.site.categories]
    present = [name for name in configured if name in headings]
    assert headings[: len(present)] == present
    assert len(tree.xpath("//article//li/a[contains(@href, '/') and not(contains(@href, '..'))]")) >= len(issue.notices)
    assert tree.xpath("//nav[@class='neighbours']/a[@rel='prev']/@href") == ["../01/"]
    assert tree.xpath("//nav[@class='neighbours']/a[@rel='next']/@href") == ["../03/"]


def test_notice_page_metadata(site_dir, content):
    issue = content.gazette.issues[2]
    notice = next(n for n in issue.notices if n.attachments)
    tree = page(site_dir, urls.notice(notice))
    meta = dict(zip(texts(tree, "//dl[@class='notice-meta']/dt"), texts(tree, "//dl[@class='notice-meta']/dd"), strict=True))
    agency = content.links.agency_of(notice)
    assert meta["發文機關"].startswith(agency.name.zh_hant)
    assert meta["發文字號"] == notice.doc_number
    assert meta["發文日期"] == roc_date(notice.issued)
    assert meta["刊登公報"] == f"115年第{issue.number}期，{roc_date(issue.date)}"
    assert tree.xpath("//article//dl//time/@datetime") == [notice.issued.isoformat(), issue.date.isoformat()]
    assert f"../../../../directory/{notice.agency}/" in tree.xpath("//dl//a/@href")
    attachment = notice.attachments[0]
    assert tree.xpath(f"//a[@href='{attachment.file}']")
    assert (site_dir / urls.notice_folder(notice) / attachment.file).read_bytes() == (REPO / attachment.path).read_bytes()


def test_notice_page_navigation_and_citation(site_dir, content):
    notice = content.gazette.issues[1].notices[0]  # the first of issue 2: its previous one is in issue 1
    tree = page(site_dir, urls.notice(notice))
    category = content.links.category_of(notice).name.zh_hant
    assert texts(tree, "//nav[@class='breadcrumbs']/a") == ["嘉和市政府公報", "115年（2026）", "115年第2期", category]
    previous = content.gazette.issues[0].notices[-1]
    assert tree.xpath("//nav[@class='neighbours']/a[@rel='prev']/@href") == [f"../../01/{previous.seq:02d}/"]
    citation = texts(tree, "//div[@class='citation']//code")[0]
    assert notice.doc_number in citation and "https://publications.jiahe.gov.tw/gazette/2026/02/01/" in citation
    assert tree.xpath("//link[@rel='canonical']/@href") == ["https://publications.jiahe.gov.tw/gazette/2026/02/01/"]


def test_notice_page_json_ld(site_dir, content):
    notice = content.gazette.notices[0]
    tree = page(site_dir, urls.notice(notice))
    (script,) = tree.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(script)
    assert data["@type"] == "Article" and data["headline"] == notice.title
    assert data["identifier"] == notice.doc_number
    assert data["datePublished"] == content.gazette.issues[0].date.isoformat()
    assert data["isPartOf"]["@type"] == "PublicationIssue"
    assert data["url"] == urls.absolute(content.site.base_url, urls.notice(notice))


def test_a_joint_notice_shows_every_agency_and_number(site_dir, content):
    """The shipped joint notice (會銜): transportation leads, police joins; two document numbers."""
    notice = next(n for n in content.gazette.notices if n.joint)
    assert notice.agencies == ("transportation", "police") and len(notice.doc_numbers) == 2
    tree = page(site_dir, urls.notice(notice))
    meta = dict(zip(texts(tree, "//dl[@class='notice-meta']/dt"), texts(tree, "//dl[@class='notice-meta']/dd"), strict=True))
    assert meta["發文機關"] == "交通局（本機關公告）、警察局（本機關公告）（會銜）"
    assert meta["發文字號"] == "嘉市交工字第1150007305號、嘉市警交字第1150011862號"
    assert tree.xpath("//span[@class='doc-number']/text()") == list(notice.doc_numbers)  # what search weighs
    hrefs = tree.xpath("//dl//a/@href")
    assert {"../../../../directory/transportation/", "../../../../directory/police/",
            "../../../agency/transportation/", "../../../agency/police/"} <= set(hrefs)
    citation = texts(tree, "//div[@class='citation']//code")[0]
    # the page in the print edition: tests/outputs/test_print.py checks it against the PDF
    assert re.match(r"嘉和市政府公報115年第4期 第\d+頁（中華民國115年2月16日），交通局、警察局嘉市交工字第1150007305號、"
                    r"嘉市警交字第1150011862號「", citation), citation
    data = json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["identifier"] == list(notice.doc_numbers)
    assert [a["name"] for a in data["author"]] == ["交通局", "警察局"]
    assert tree.xpath("//meta[@name='description']/@content")[0].startswith("交通局、警察局 嘉市交工字第1150007305號、嘉市警交字第1150011862號")
    search_meta = tree.xpath("//span[@data-pagefind-meta]/@data-pagefind-meta")
    assert "doc_number:嘉市交工字第1150007305號、嘉市警交字第1150011862號" in search_meta
    # listed under each of its agencies, and in its issue with both agencies and numbers
    for agency in notice.agencies:
        assert notice.title in texts(page(site_dir, urls.gazette_agency(agency, 2026)), "//article//li/a")
    line = next(li for li in page(site_dir, urls.issue(content.links.issue_of(notice))).xpath("//article//li")
                if notice.title in li.text_content())
    assert "交通局、警察局 · 嘉市交工字第1150007305號、嘉市警交字第1150011862號" in " ".join(line.text_content().split())


def test_category_and_agency_pages_list_newest_first(site_dir, content):
    for uri, selected in [
        (urls.category("notices", 2026), [n for n in content.gazette.notices if n.category == "notices"]),
        (urls.gazette_agency("transportation", 2026), [n for n in content.gazette.notices if "transportation" in n.agencies]),
        (urls.gazette_agency("police", 2026), [n for n in content.gazette.notices if "police" in n.agencies]),
    ]:
        tree = page(site_dir, uri)
        titles = texts(tree, "//article//li/a")
        assert titles == [n.title for n in reversed(selected)]


def test_notices_stay_out_of_the_nav(site_dir, content):
    tree = page(site_dir, urls.issue(content.gazette.issues[0]))
    nav_links = tree.xpath("//nav[contains(@class, 'md-nav--primary')]//a/@href")
    assert any(re.search(r"(^|/)02/$", href) for href in nav_links)  # issues are in the nav
    assert not any(re.search(r"/\d\d/\d\d/$", href) for href in nav_links)  # notices are not


def test_sitemap_lists_every_notice(site_dir, content):
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    for notice in content.gazette.notices:
        assert f"<loc>{urls.absolute(content.site.base_url, urls.notice(notice))}</loc>" in sitemap


def test_print_stylesheet_hides_navigation(site_dir, content, browser):
    """A notice printed on A4 shows the notice, not the site's navigation."""
    notice = content.gazette.notices[0]
    tab = browser.new_page()
    tab.goto((site_dir / urls.notice(notice).replace("index.md", "index.html")).as_uri())
    tab.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", "nav.breadcrumbs"):
        assert not tab.locator(selector).first.is_visible(), selector
    assert tab.locator("h1").first.is_visible()
    tab.close()


# -- the pages' Markdown, from the templates (no build needed) ---------------------------------------

def _markdown(content) -> dict[str, str]:
    from generator.website.pages import gazette
    from generator.website.pages.home import home

    return {p.uri: p.text for p in [home(content, dt.date(2026, 2, 1)), *gazette.pages(content)]}


def test_the_templates_are_compiled_once_for_all_gazette_pages(content, monkeypatch):
    from generator.website.pages import gazette
    from generator.website.templating import Templates

    made = []

    class Counted(Templates):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(gazette, "Templates", Counted)
    pages = list(gazette.pages(content))
    assert len(pages) > len(content.gazette.notices) and len(made) == 1


#: Words only the interface says (never the shipped content), each in one place of the catalogue.
INTERFACE_WORDS = ["導覽路徑", "發文字號", "上一則", "下一期", "引用本則", "歷年公報", "訂閱最新公報", "依類別瀏覽", "由新至舊排列"]


def test_interface_words_come_from_the_labels_catalogue(content, monkeypatch):
    from generator.labels import labels
    from generator.website.pages import gazette, gazette_lists

    chinese = "\n".join(_markdown(content).values())
    assert all(word in chinese for word in INTERFACE_WORDS)
    for module in (gazette, gazette_lists):
        monkeypatch.setattr(module, "WORDS", labels("gazette", "en"))
    english = "\n".join(_markdown(content).values())
    assert [word for word in INTERFACE_WORDS if word in english] == []
    assert 'aria-label="Breadcrumbs"' in english and "Cite this notice" in english and "Previous notice:" in english


def test_text_from_content_is_shown_never_interpreted(project):
    """Titles, names and notes with Markdown and HTML characters come out as text in the Markdown."""
    from generator.checking.check import problems_of

    from conftest import NOTICE

    project.write({
        "content/gazette/2026/01/issue.yml": "date: 2026-01-01\ntitle: 特刊 <b>*x*</b>\nnotes: 本期 _說明_ & [注意]\n",
        "content/gazette/2026/01/01-road-works.md": NOTICE.replace("title: 公告本市道路挖掘管理事項", "title: 公告 [x](y) *z* <i>")
        .replace("keywords: [道路, 挖掘]", "keywords: [道路_a, '*挖掘*']\nsigner: 市長 <王>"),
    })
    content, problems = problems_of(project.root)
    assert problems == []
    pages = _markdown(content)
    issue, notice = pages["gazette/2026/01/index.md"], pages["gazette/2026/01/01/index.md"]
    assert "**特刊 &lt;b&gt;&#42;x&#42;&lt;/b&gt;**" in issue and "本期 &#95;說明&#95; &amp; &#91;注意&#93;" in issue
    assert "[公告 &#91;x&#93;(y) &#42;z&#42; &lt;i&gt;](01/index.md)" in issue
    assert "<h1>公告 &#91;x&#93;(y) &#42;z&#42; &lt;i&gt;</h1>" in notice
    assert '<dd markdown="span">道路&#95;a、&#42;挖掘&#42;</dd>' in notice and "市長 &lt;王&gt;" in notice
    # the citation is in a code block, where Markdown shows every character as it is
    assert "「公告 [x](y) *z* <i>」" in notice
