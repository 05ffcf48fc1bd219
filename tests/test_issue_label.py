"""The issue label of site.yml, with a volume (第{volume}卷第{number}期), in every output that names an
issue: pages (titles, breadcrumbs, nav, listings, notice metadata), citations, JSON-LD, feeds, the open
data, and the newsletter. ``dates.issue_label`` refuses a {volume} label without the volume, so a
place that bypassed ``GazetteSettings.label`` would stop this build."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import feedparser
import pytest
from lxml import html as lxml_html

from conftest import REPO, Project

LABEL = "第{volume}卷第{number:02d}期"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("label") / "project"
    root.mkdir()
    for name in ("content", "datasets", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    project = Project(root)
    project.edit("content/site.yml", 'issue_label: "{roc_year}年第{number}期"', f'issue_label: "{LABEL}"\n  first_volume_year: "1994"')
    result = project.run("build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def page(site, path):
    return lxml_html.fromstring((site / path / "index.html").read_bytes())


def test_pages_name_issues_by_the_label(site):
    issue = page(site, "gazette/2026/03")
    assert issue.xpath("string(//h1)").strip() == "嘉和市政府公報 第33卷第03期"
    assert "第33卷第03期" in issue.xpath("string(//title)")
    notice = page(site, "gazette/2026/03/05")
    assert "第33卷第03期" in notice.xpath("string(//nav[@class='breadcrumbs'])")
    assert notice.xpath("string(//dl[@class='notice-meta']/dd[4])").startswith("第33卷第03期，")
    # the citation names the issue by the label, then the page in its print edition (tests/outputs/test_print.py)
    assert re.match(r"嘉和市政府公報第33卷第03期 第\d+頁（", notice.xpath("string(//div[@class='citation']//code)"))
    ld = json.loads(notice.xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["isPartOf"]["name"] == "第33卷第03期"
    assert ld["isPartOf"]["isPartOf"] == {"@type": "PublicationVolume", "volumeNumber": "33",
                                          "isPartOf": {"@type": "Periodical", "name": "嘉和市政府公報"}}
    home = page(site, "gazette")
    assert "第33卷第04期" in home.text_content()  # the latest issue
    assert "第33卷第01期" in page(site, "gazette/2026").xpath("string(//article)")  # the year's issues
    listing = page(site, "gazette/agency/transportation")
    assert "第33卷第04期" in listing.text_content()
    assert not re.search(r"115年第\d+期", issue.xpath("string(//title)") + home.xpath("string(//article)").split("近期公報")[0])


def test_open_data_feeds_and_newsletter_use_the_label(site):
    issues = list(csv.DictReader(io.StringIO((site / "data/gazette/issues.csv").read_text(encoding="utf-8"))))
    assert [row["label"] for row in issues] == ["第33卷第01期", "第33卷第02期", "第33卷第03期", "第33卷第04期"]
    feed = feedparser.parse((site / "gazette/feed.atom").read_bytes())
    related = [link.title for entry in feed.entries for link in entry.links if link.rel == "related"]
    assert any("第33卷第03期" in title for title in related)  # the corrigendum of issue 3, named on the notice it corrects
    letter = (site / "gazette/2026/04/newsletter/message.eml").read_bytes()
    import email
    import email.policy
    message = email.message_from_bytes(letter, policy=email.policy.default)
    assert "第33卷第04期" in str(message["Subject"])
    assert "第33卷第04期" in page(site, "gazette/2026/04/newsletter").xpath("string(//h1)")
