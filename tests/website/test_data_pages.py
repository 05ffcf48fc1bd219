"""The open-data pages of the built shipped site: the catalogue at /data/ and one page per package."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path


from opendata import descriptor, packages, page_file
from helpers import built_page as page

BASE = "https://publications.jiahe.gov.tw/"



def resolve(site_dir: Path, page_path: str, href: str) -> Path:
    """The built file a relative link of a page leads to."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), href))
    return site_dir / target / "index.html" if href.endswith("/") else site_dir / target


def test_the_catalogue_lists_every_package_with_its_resources_and_downloads(site_dir):
    tree = page(site_dir, "data/index.html")
    article = tree.xpath("//article")[0]
    titles = [" ".join(h.text_content().split()).rstrip("¶") for h in article.xpath(".//h2")]
    for package in packages(site_dir):
        found = descriptor(site_dir, package)
        assert found["title"] in titles
        assert f"{package}/" in article.xpath(".//h2/a/@href")
        for resource in found["resources"]:
            path = resource["path"]
            links = article.xpath(f'.//a[@href="{package}/{path}"]')
            assert links, f"no download of {package}/{path}"
            size = " ".join(links[0].getparent().text_content().split())
            assert ("KB）" in size or " B）" in size), size
    summaries = [" ".join(s.text_content().split()) for s in article.xpath(".//details/summary")]
    assert len(summaries) == sum(len({r["path"].rsplit(".", 1)[0] for r in descriptor(site_dir, p)["resources"]})
                                 for p in packages(site_dir))
    assert all(s.startswith("欄位說明") for s in summaries)


def test_every_link_of_the_data_pages_resolves(site_dir):
    paths = ["data/index.html"] + [f"data/{p}/index.html" for p in packages(site_dir)]
    checked = 0
    for path in paths:
        for href in page(site_dir, path).xpath("//article//a/@href"):
            if href.startswith(("http", "mailto:", "tel:", "#")):
                continue
            assert resolve(site_dir, path, href.split("#")[0]).is_file(), f"{path}: {href}"
            checked += 1
    assert checked > 40


def test_the_catalogue_links_the_portal_files_and_checksums(site_dir):
    hrefs = page(site_dir, "data/index.html").xpath("//article//a/@href")
    assert {"catalog.csv", "catalog.jsonld", "SHA256SUMS"} <= set(hrefs)


def test_the_field_dictionary_shows_every_field_with_its_type_and_constraints(site_dir):
    tree = page(site_dir, "data/gazette/index.html")
    rows = {}
    for tr in tree.xpath("//article//table//tr[td]"):
        cells = [" ".join(td.text_content().split()) for td in tr.xpath("td")]
        rows.setdefault(cells[0], cells)
    assert rows["doc_number"] == ["doc_number", "發文字號", "文字", "必填、不重複", rows["doc_number"][4]]
    assert "參照 agencies.id" in rows["agency_id"][3]
    fields = {f["name"] for r in descriptor(site_dir, "gazette")["resources"] for f in r["schema"]["fields"]}
    assert fields <= set(rows)


def test_package_page_has_schema_org_dataset(site_dir):
    for package in packages(site_dir):
        tree = page(site_dir, f"data/{package}/index.html")
        (script,) = tree.xpath('//script[@type="application/ld+json"]/text()')
        data = json.loads(script)
        found = descriptor(site_dir, package)
        assert data["@type"] == "Dataset" and data["name"] == found["title"]
        assert data["url"] == f"{BASE}data/{package}/" and data["license"] == "https://data.gov.tw/license"
        assert data["publisher"]["name"] == "嘉和市政府秘書處" and data["dateModified"]
        urls = [d["contentUrl"] for d in data["distribution"]]
        assert f"{BASE}data/{package}/datapackage.json" in urls
        assert all(page_file(site_dir, url, BASE).is_file() for url in urls)


def test_package_page_states_licence_frequency_and_contact(site_dir):
    text = " ".join(page(site_dir, "data/directory/index.html").xpath("//article")[0].text_content().split())
    for expected in ("政府資料開放授權條款-第1版", "不定期", "秘書處綜合企劃科", "(05)225-4321 分機2105", "datapackage.json"):
        assert expected in text


def test_open_data_is_in_the_site_navigation(site_dir):
    tabs = page(site_dir, "index.html").xpath('//nav[contains(@class, "md-tabs")]//a')
    assert any(" ".join(a.text_content().split()) == "開放資料" for a in tabs)


def test_patterns_are_shown_exactly_as_the_descriptor_states_them(site_dir):
    """A pattern's backslashes are regular-expression syntax, not Markdown escapes: \\+886 stays."""
    tree = page(site_dir, "data/directory/index.html")
    shown = {code.text for code in tree.xpath("//article//table//td/code")}
    patterns = {f["constraints"]["pattern"] for r in descriptor(site_dir, "directory")["resources"]
                for f in r["schema"]["fields"] if "pattern" in f.get("constraints", {})}
    assert patterns and patterns <= shown
    assert r"\+886\d{8,9}" in shown
