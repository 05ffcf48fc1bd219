"""The newsletter as built: the MIME message a mail client reads, its HTML and plain-text parts, its
web version, the subscribe page, and the settings check refuses."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from lxml import html as lxml_html

from generator import urls
from generator.checking.check import check
from generator.errors import Kind
from generator.outputs.newsletter import edition

from conftest import REPO
from helpers import at, built_page, only, position


@pytest.fixture(scope="module")
def content():
    return check(REPO)


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def parts(message) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    return plain.get_content(), html.get_content()


def test_each_issue_has_its_message_beside_its_web_version(site_dir, content):
    for issue in content.gazette.issues:
        for name in urls.NEWSLETTER_FILES:
            assert (site_dir / urls.newsletter_file(issue, name)).is_file()
        assert (site_dir / urls.newsletter(issue).replace("index.md", "index.html")).is_file()
        links = built_page(site_dir, urls.issue(issue)).xpath("//article//a/@href")
        assert "newsletter/" in links


def test_the_message_has_the_headers_of_a_list_message(site_dir, content):
    issue = content.gazette.issues[0]
    message = parse((site_dir / urls.newsletter_file(issue, "message.eml")).read_bytes())
    assert message["From"].addresses[0].display_name == "嘉和市政府秘書處"
    assert message["From"].addresses[0].addr_spec == "gazette@mail.jiahe.gov.tw"
    assert message["To"] is None  # added by `newsletter send --to`
    assert message["Subject"] == "嘉和市政府公報 115年第1期（中華民國115年1月1日出刊，共 7 則）"
    assert message["Date"].datetime.isoformat() == "2026-01-01T00:00:00+08:00"
    assert re.fullmatch(r"<gazette-2026-01\.[0-9a-f]{16}@mail\.jiahe\.gov\.tw>", message["Message-ID"])
    assert message["List-Id"] == "嘉和市政府公報電子報 <gazette.publications.jiahe.gov.tw>"
    assert message["List-Unsubscribe"] == "<https://lists.jiahe.gov.tw/gazette/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058
    assert message["MIME-Version"] == "1.0"
    raw = (site_dir / urls.newsletter_file(issue, "message.eml")).read_bytes()
    assert raw.isascii() and b"\r\n" in raw  # 7-bit, CRLF: what SMTP carries as is
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))


def test_both_parts_list_every_notice_with_agency_number_and_link(site_dir, content):
    issue = content.gazette.issues[1]
    plain, html = parts(parse((site_dir / urls.newsletter_file(issue, "message.eml")).read_bytes()))
    tree = lxml_html.fromstring(html)
    links = tree.xpath("//a/@href")
    for notice in issue.notices:
        url = urls.absolute(content.site.base_url, urls.notice(notice))
        agency = content.links.agency_of(notice).name.zh_hant
        for text in (notice.title, agency, notice.doc_number, url):
            assert text in plain
        assert url in links
        assert notice.title in tree.text_content() and notice.doc_number in tree.text_content()
    # notices under their categories, in the order of site.yml, in both parts
    configured = [c.name.zh_hant for c in content.site.categories if any(n.category == c.slug for n in issue.notices)]
    assert [h.text_content() for h in tree.xpath("//h2")] == configured
    assert [line.strip("【】") for line in plain.splitlines() if line.startswith("【")] == configured
    web = urls.absolute(content.site.base_url, urls.newsletter(issue))
    assert web in links and web in plain
    assert "https://lists.jiahe.gov.tw/gazette/unsubscribe" in links
    assert "publications@mail.jiahe.gov.tw" in plain and "publications@mail.jiahe.gov.tw" in html


def test_the_html_is_made_for_mail_clients(site_dir, content):
    html = (site_dir / urls.newsletter_file(content.gazette.issues[0], "email.html")).read_text(encoding="utf-8")
    tree = lxml_html.fromstring(html)
    assert not tree.xpath("//script|//link|//img|//iframe|//form")
    assert "@font-face" not in html and "@import" not in html
    assert tree.xpath("//table[@role='presentation']")
    assert "max-width: 600px" in tree.xpath("//table[@class='frame']/@style")[0]
    # every styled element carries its style inline (clients drop <style>); only @media rules stay
    for element in tree.xpath("//td|//a|//h1|//h2|//p"):
        assert element.get("style"), lxml_html.tostring(element)[:80]
    style = "".join(tree.xpath("//style/text()"))
    assert re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style).strip() == ""
    assert "prefers-color-scheme: dark" in style
    assert tree.xpath("//meta[@name='color-scheme']/@content") == ["light dark"]


def test_two_builds_give_the_same_bytes(site_dir, content):
    """The site was built in another process; the message made here again is the same, byte for byte."""
    from generator.outputs.newsletter import downloads

    for issue in content.gazette.issues:  # the issue's PDF (the print edition) is linked: it was published
        made = edition(content, issue, downloads(issue, lambda page: (site_dir / page).is_file()))
        assert made.message == (site_dir / urls.newsletter_file(issue, "message.eml")).read_bytes()
        assert made.html == (site_dir / urls.newsletter_file(issue, "email.html")).read_bytes()


def test_the_subscribe_page_lists_the_newsletter_and_every_feed(site_dir, content):
    tree = built_page(site_dir, urls.subscribe())
    text = tree.xpath("//article")[0].text_content()
    assert "嘉和市政府公報電子報" in text and content.site.newsletter.join.zh_hant in text
    assert "https://lists.jiahe.gov.tw/gazette/subscribe" in tree.xpath("//article//a/@href")
    feeds = [f.relative_to(site_dir).as_posix() for f in site_dir.rglob("*.atom")]
    assert len(feeds) > 20
    shown = tree.xpath("//article//code/text()")
    for feed in feeds:
        assert urls.absolute(content.site.base_url, feed) in shown
        assert (site_dir / "subscribe" / tree.xpath(f"//article//a[contains(@href, '{feed}')]/@href")[0]).resolve() == site_dir / feed
    latest = content.gazette.issues[-1]
    assert "../gazette/2026/04/newsletter/" in tree.xpath("//article//a/@href") and latest.number == 4


@pytest.mark.parametrize(("old", "new", "needle", "words"), [
    ("subject: \"{gazette} {issue}", "subject: \"{gazette} {isue}", "\"{gazette} {isue}", "'{isue}' is not a placeholder"),
    ("list_id: gazette.publications.jiahe.gov.tw", "list_id: gazette_list", "gazette_list", "is not a list id"),
    ("unsubscribe?token={token}", "unsubscribe", "https://lists.jiahe.gov.tw/gazette/unsubscribe\n  # How",
     "so that each recipient gets their own link"),
    ("  rate: 60", "  rate: fast", "fast", "is not a number of messages a minute"),
    ("    email: gazette@mail.jiahe.gov.tw", "    email: gazette(at)jiahe", "gazette(at)jiahe", "is not an e-mail address"),
])
def test_check_refuses_bad_newsletter_settings_at_their_place(project, old, new, needle, words):
    project.edit("content/site.yml", old, new)
    problem = only(project.errors(), Kind.BAD_VALUE)
    text = (project.root / "content/site.yml").read_text(encoding="utf-8")
    line, column = position(text, needle)
    assert at(problem) == f"content/site.yml:{line}:{column}"
    assert words in str(problem)


def test_without_newsletter_settings_no_newsletter_is_built(project):
    from generator.outputs.newsletter import newsletters

    text = (project.root / "content/site.yml").read_text(encoding="utf-8")
    project.write({"content/site.yml": text[:text.index("# The gazette e-newsletter")]})
    content = check(project.root)
    assert content.site.newsletter is None and newsletters(content) == ()


def test_the_issue_pdf_is_linked_when_the_build_published_it(content):
    """The print edition's PDF, when a stage before the newsletter made it (the send command finds
    it in the built site the same way): linked in both parts and on the web version."""
    from generator.outputs.newsletter import newsletters

    issue = content.gazette.issues[0]
    pdf = urls.issue_pdf(issue)
    assert pdf == "gazette/2026/01/gazette-2026-01.pdf"
    without, = newsletters(content)[:1]
    with_pdf, = newsletters(content, {pdf})[:1]
    url = urls.absolute(content.site.base_url, pdf)
    assert url not in without.text.decode() and url not in without.html.decode()
    assert f"- 本期公報 PDF（印刷版）：{url}" in with_pdf.text.decode()
    assert f'href="{url}"' in with_pdf.html.decode()
    assert with_pdf.letter.downloads == (("本期公報 PDF（印刷版）", url, pdf),)


def test_a_joint_notice_shows_every_agency_and_number(site_dir, content):
    joint = next(n for n in content.gazette.notices if len(n.agencies) > 1)
    issue = content.links.issue_of(joint)
    plain, html = parts(parse((site_dir / urls.newsletter_file(issue, "message.eml")).read_bytes()))
    agencies = "、".join(a.name.zh_hant for a in content.links.agencies_of(joint))
    numbers = "、".join(joint.doc_numbers)
    assert f"發文機關：{agencies}" in plain and f"發文字號：{numbers}" in plain
    assert f"{agencies} · {numbers}" in lxml_html.fromstring(html).text_content()


def test_the_built_newsletter_links_the_issue_pdf_the_print_edition_published(site_dir, content):
    for issue in content.gazette.issues:
        pdf = urls.issue_pdf(issue)
        assert (site_dir / pdf).is_file()
        url = urls.absolute(content.site.base_url, pdf)
        plain, html = parts(parse((site_dir / urls.newsletter_file(issue, "message.eml")).read_bytes()))
        assert f"本期公報 PDF（印刷版）：{url}" in plain
        assert url in lxml_html.fromstring(html).xpath("//a/@href")
        web = built_page(site_dir, urls.newsletter(issue))
        assert f"../gazette-{issue.year}-{issue.number:02d}.pdf" in web.xpath("//article//a/@href")
