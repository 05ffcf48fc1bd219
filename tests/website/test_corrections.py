"""Corrections on the built shipped site: notice 115年第2期第4則 (2026/02/04) is corrected by the
corrigendum 2026/03/08; a reader of either finds the other, and so do machines (JSON-LD, feed, data)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

from generator import urls
from generator.checking.check import check

from conftest import REPO
from helpers import built_page as page, text

CORRECTED, CORRIGENDUM = "gazette/2026/02/04/index.md", "gazette/2026/03/08/index.md"
BASE = "https://publications.jiahe.gov.tw/"
A = "{http://www.w3.org/2005/Atom}"


def test_the_shipped_corrigendum_declares_what_it_corrects():
    content = check(REPO)
    corrigendum = next(n for n in content.gazette.notices if n.id == "2026/03/08")
    (relation, corrected), = content.links.relations(corrigendum)
    assert (relation, corrected.id) == ("corrects", "2026/02/04")


def test_the_corrected_notice_warns_at_the_top_and_links_the_correction(site_dir):
    tree = page(site_dir, CORRECTED)
    article = tree.xpath("//article")[0]
    status = article.xpath(".//div[contains(@class, 'notice-status')]")
    assert len(status) == 1
    assert text(status[0].xpath("p[@class='admonition-title']")[0]) == "本公告已於 115年第3期 更正"
    assert status[0].xpath(".//a/@href") == ["../../03/08/"]
    assert "更正本府公報115年第2期第4則公告之變更範圍筆數" in text(status[0])
    # at the top: before the metadata and the text, right under the title
    order = [e.tag + ("." + e.get("class", "")) for e in article.iter() if e.tag in ("h1", "div", "dl")]
    assert order.index("div.admonition warning notice-status") < order.index("dl.notice-meta")
    assert order.index("h1.") < order.index("div.admonition warning notice-status")


def test_the_correction_links_back_to_the_notice_it_corrects(site_dir):
    tree = page(site_dir, CORRIGENDUM)
    rows = dict(zip(map(text, tree.xpath("//dl[@class='notice-meta']/dt")), tree.xpath("//dl[@class='notice-meta']/dd"), strict=True))
    assert "115年第2期第4則" in text(rows["更正之公告"])
    assert rows["更正之公告"].xpath(".//a/@href") == ["../../02/04/"]
    assert not tree.xpath("//div[contains(@class, 'notice-status')]")  # nothing corrects the correction


def test_issue_listings_mark_the_corrected_notice(site_dir):
    items = [text(li) for li in page(site_dir, "gazette/2026/02/index.md").xpath("//article//li")]
    flagged = [item for item in items if "（已更正）" in item]
    assert len(flagged) == 1 and flagged[0].startswith("公告「變更嘉和市港區主要計畫")


def jsonld(site_dir, uri):
    return json.loads(page(site_dir, uri).xpath("//script[@type='application/ld+json']")[0].text)


def test_the_relation_is_in_json_ld_both_ways(site_dir):
    corrected, corrigendum = jsonld(site_dir, CORRECTED), jsonld(site_dir, CORRIGENDUM)
    (correction,) = corrected["correction"]
    assert correction["@type"] == "CorrectionComment" and correction["url"] == BASE + "gazette/2026/03/08/"
    (cited,) = corrigendum["citation"]
    assert cited["url"] == BASE + "gazette/2026/02/04/" and cited["description"] == "corrects"
    assert cited["identifier"] == "府都計字第1150002876號"


def test_the_relation_is_in_the_feed_both_ways(site_dir):
    root = ET.parse(site_dir / urls.gazette_feed()).getroot()
    entries = {e.findtext(f"{A}id"): e for e in root.findall(f"{A}entry")}

    def related(entry):
        return [(link.get("href"), link.get("title")) for link in entry.findall(f"{A}link[@rel='related']")]

    assert related(entries[BASE + "gazette/2026/03/08/"]) == [
        (BASE + "gazette/2026/02/04/", "更正之公告：公告「變更嘉和市港區主要計畫（部分工業區為公園用地及住宅區）案」公開展覽及說明會")]
    assert related(entries[BASE + "gazette/2026/02/04/"]) == [
        (BASE + "gazette/2026/03/08/", "本公告已於 115年第3期 更正：更正本府公報115年第2期第4則公告之變更範圍筆數")]


def test_the_relation_is_in_the_open_data(site_dir):
    with open(site_dir / "data/gazette/relations.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows == [{"notice": "2026/03/08", "relation": "corrects", "target": "2026/02/04",
                     "target_url": BASE + "gazette/2026/02/04/"}]
    package = json.loads((site_dir / "data/gazette/datapackage.json").read_text(encoding="utf-8"))
    relations = next(r for r in package["resources"] if r["name"] == "relations")
    assert {tuple(k["fields"]) for k in relations["schema"]["foreignKeys"]} == {("notice",), ("target",)}
