"""The open-data packages of the shipped site: valid Frictionless packages (v2), CSV and JSON that
agree, checksums, the portal catalogue, byte-identical rebuilds, everything on the site in a package,
and broken content that slips past the loader stopped by package validation."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import build as build_module
from generator.checking.check import check
from generator.errors import BuildError
from generator.reading.history import record
from generator.model.directory import entries
from generator.outputs.opendata import catalog
from generator.outputs.opendata import packages as datapackage
from generator.outputs.opendata.validation import build_data
from generator.outputs.directory_files import ordered

from conftest import NOTICE, REPO
from gitrepo import FIRE, TRANSPORTATION, commit, init
from opendata import FRICTIONLESS, descriptor, packages, page_file, with_datasets

PACKAGES = ["directory", "gazette", "yearbook-statistics"]
V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


@pytest.fixture(scope="module")
def content():
    return check(REPO)


def rows(site: Path, package: str, resource: str) -> list[dict[str, str]]:
    text = (site / "data" / package / f"{resource}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_every_package_is_published(site_dir):
    assert packages(site_dir) == PACKAGES


@pytest.mark.parametrize("package", PACKAGES)
def test_frictionless_validates_the_package(site_dir, package):
    result = subprocess.run([str(FRICTIONLESS), "validate", str(site_dir / "data" / package / "datapackage.json")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout


@pytest.mark.parametrize("package", PACKAGES)
def test_descriptor_is_v2_with_typed_constrained_described_fields(site_dir, package):
    found = descriptor(site_dir, package)
    assert found["$schema"] == V2
    assert found["licenses"][0]["title"] == "政府資料開放授權條款-第1版"
    for resource in found["resources"]:
        assert resource["type"] == "table" and resource["encoding"] == "utf-8"
        if resource["format"] == "csv":
            assert resource["dialect"] == {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"',
                                           "doubleQuote": True}
            assert resource["hash"].startswith("sha256:")
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"string", "integer", "number", "date", "datetime", "list"}
            assert field["title"] and "description" in field


def test_keys_and_constraints_of_the_gazette_and_the_directory(site_dir):
    gazette = {r["name"]: r["schema"] for r in descriptor(site_dir, "gazette")["resources"]}
    notices = gazette["notices"]
    assert notices["primaryKey"] == ["id"]
    assert {"fields": ["agency_id"], "reference": {"resource": "agencies", "fields": ["id"]}} in notices["foreignKeys"]
    to_json = {"fields": ["agency_id"], "reference": {"resource": "agencies-json", "fields": ["id"]}}
    assert to_json in gazette["notices-json"]["foreignKeys"]
    fields = {f["name"]: f for f in notices["fields"]}
    assert fields["doc_number"]["constraints"] == {"required": True, "unique": True}
    assert fields["category"]["constraints"]["enum"] == ["regulations", "administrative-rules", "notices", "personnel", "other"]
    assert fields["id"]["constraints"]["pattern"] == r"\d{4}/\d{2,3}/\d{2,3}"  # 2026/03/05, 2026/123/250
    directory = {r["name"]: r["schema"] for r in descriptor(site_dir, "directory")["resources"]}
    assert {"fields": ["parent_id"], "reference": {"fields": ["id"]}} in directory["agencies"]["foreignKeys"]
    assert {"fields": ["unit"], "reference": {"resource": "units", "fields": ["id"]}} in directory["contacts"]["foreignKeys"]


@pytest.mark.parametrize("package", PACKAGES)
def test_csv_is_utf8_without_bom_with_lf_line_ends(site_dir, package):
    for resource in descriptor(site_dir, package)["resources"]:
        if resource["format"] == "csv":
            data = (site_dir / "data" / package / resource["path"]).read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
            header = data.decode("utf-8").split("\n", 1)[0]
            assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]


@pytest.mark.parametrize("package", PACKAGES)
def test_json_and_csv_of_each_table_hold_the_same_rows(site_dir, package):
    from frictionless import Package

    found = Package(str(site_dir / "data" / package / "datapackage.json"))
    names = [r.name for r in found.resources]
    for name in (n for n in names if not n.endswith("-json")):
        from_csv = [row.to_dict() for row in found.get_resource(name).read_rows()]
        if f"{name}-json" in names:
            from_json = [row.to_dict() for row in found.get_resource(f"{name}-json").read_rows()]
        else:  # an empty table: frictionless reads no table from "[]", so only the CSV is declared
            assert json.loads((site_dir / "data" / package / f"{name}.json").read_text(encoding="utf-8")) == []
            from_json = []
        assert from_json == from_csv, name


def test_the_data_files_are_byte_identical_when_rebuilt(site_dir, content, tmp_path):
    """A second build of the same content, in another process at another time, writes the same bytes."""
    from generator.outputs.printed.issues import issue_pdfs

    pdfs = issue_pdfs(content, REPO, tmp_path)  # the print edition: each issue's PDF address and size, each notice's page
    rebuilt = dict(catalog.published(content, datapackage.packages(content, record(REPO, content.directory), pdfs)))
    published = {path.relative_to(site_dir).as_posix(): path.read_bytes() for path in (site_dir / "data").rglob("*")
                 if path.is_file() and path.suffix != ".html"}
    assert sorted(rebuilt) == sorted(published)
    assert [uri for uri in rebuilt if rebuilt[uri] != published[uri]] == []


def test_sha256sums_lists_and_verifies_every_data_file(site_dir):
    data = site_dir / "data"
    listed = {}
    for line in (data / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file() and p.suffix != ".html"} - {"SHA256SUMS"}
    assert set(listed) == files
    assert all(hashlib.sha256((data / name).read_bytes()).hexdigest() == digest for name, digest in listed.items())
    if shutil.which("sha256sum"):
        result = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=data, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_catalogue_csv_has_the_portal_columns_and_one_row_per_package(site_dir):
    text = (site_dir / "data" / "catalog.csv").read_bytes()
    assert not text.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(text.decode("utf-8"))))
    required = ["資料集名稱", "資料集描述", "主要欄位說明", "提供機關", "更新頻率", "授權方式", "檔案格式", "編碼格式",
                "資料下載網址", "提供機關聯絡人姓名", "提供機關聯絡人電話", "詮釋資料更新時間"]
    assert set(required) <= set(table[0])
    assert [row["資料集識別碼"] for row in table] == ["gazette", "directory", "yearbook-statistics"]
    for row in table:
        assert all(row[column] for column in required), row
        for url in row["資料下載網址"].split(";"):
            assert page_file(site_dir, url, "https://publications.jiahe.gov.tw/").is_file(), url
    gazette = table[0]
    assert gazette["更新頻率"] == "每半月" and gazette["詮釋資料更新時間"] == "2026-02-16"
    assert "發文字號(doc_number)" in gazette["主要欄位說明"]


def test_dcat_catalogue(site_dir):
    catalog = json.loads((site_dir / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    assert catalog["@type"] == "dcat:Catalog" and catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert [d["dct:identifier"] for d in catalog["dcat:dataset"]] == ["gazette", "directory", "yearbook-statistics"]
    for dataset in catalog["dcat:dataset"]:
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:license"] == {"@id": "https://data.gov.tw/license"}
        assert dataset["dct:publisher"]["foaf:name"][0]["@value"] == "嘉和市政府秘書處"
        assert dataset["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:publications@mail.jiahe.gov.tw"}
        assert dataset["dct:modified"]["@type"] == "xsd:date"
        formats = set()
        for item in dataset["dcat:distribution"]:
            path = page_file(site_dir, item["dcat:downloadURL"]["@id"], "https://publications.jiahe.gov.tw/")
            assert hashlib.sha256(path.read_bytes()).hexdigest() == item["spdx:checksum"]["spdx:checksumValue"]
            assert int(item["dcat:byteSize"]["@value"]) == path.stat().st_size
            formats.add(item["dct:format"])
        assert formats == {"CSV", "JSON"}


def test_everything_published_on_the_site_is_in_a_package(site_dir, content):
    notices = {row["url"] for row in rows(site_dir, "gazette", "notices")}
    pages = {f"https://publications.jiahe.gov.tw/{p.parent.relative_to(site_dir).as_posix()}/"
             for p in site_dir.glob("gazette/[0-9]*/[0-9]*/[0-9]*/index.html")}
    assert len(pages) == len(content.gazette.notices) and notices == pages
    agencies = {row["id"] for row in rows(site_dir, "directory", "agencies")}
    assert agencies == {p.parent.name for p in site_dir.glob("directory/*/index.html")} - {"changes"}
    lines = entries(ordered(content))
    assert [row["id"] for row in rows(site_dir, "directory", "units")] == [e.id for e in lines if e.kind == "unit"]
    assert [row["id"] for row in rows(site_dir, "directory", "contacts")] == [e.id for e in lines if e.kind == "contact"]
    tables = {f"{book.year}-{table_id}": table for book in content.yearbooks for table_id, table in book.tables.items()}
    assert {row["id"] for row in rows(site_dir, "yearbook-statistics", "tables")} == set(tables)
    for name, table in tables.items():
        assert [tuple(row.values()) for row in rows(site_dir, "yearbook-statistics", name)] == list(table.rows)


def test_every_row_links_to_a_built_page(site_dir):
    """Every ``url`` of every table resolves to a page or file of the build (a statistics row
    belongs to its table, whose row in ``tables`` links the chapter that shows it)."""
    checked = 0
    for package in PACKAGES:
        for resource in descriptor(site_dir, package)["resources"]:
            if resource["format"] != "csv" or "url" not in [f["name"] for f in resource["schema"]["fields"]]:
                continue
            for row in rows(site_dir, package, resource["name"]):
                assert page_file(site_dir, row["url"], "https://publications.jiahe.gov.tw/").is_file(), row["url"]
                checked += 1
    assert checked > 500


def test_a_statistics_table_links_the_chapter_that_shows_it(site_dir):
    table = {row["id"]: row for row in rows(site_dir, "yearbook-statistics", "tables")}["2025-population"]
    page = page_file(site_dir, table["url"], "https://publications.jiahe.gov.tw/").read_text(encoding="utf-8")
    assert '<p class="table-caption" id="table-caption-1">' + table['title'] in page  # above its table (markup/tables.py)


def test_a_joint_notice_has_a_row_per_agency_and_per_number(site_dir, content):
    """Issue 13: notice-agencies and notice-doc-numbers, one-to-many, keyed to notices (and agencies)."""
    gazette = {r["name"]: r["schema"] for r in descriptor(site_dir, "gazette")["resources"]}
    assert gazette["notice-agencies"]["primaryKey"] == ["notice", "seq"]
    assert {"fields": ["notice"], "reference": {"resource": "notices", "fields": ["id"]}} in gazette["notice-agencies"]["foreignKeys"]
    assert {"fields": ["agency_id"], "reference": {"resource": "agencies", "fields": ["id"]}} in gazette["notice-agencies"]["foreignKeys"]
    assert {"fields": ["notice"], "reference": {"resource": "notices", "fields": ["id"]}} in gazette["notice-doc-numbers"]["foreignKeys"]
    numbers = {f["name"]: f for f in gazette["notice-doc-numbers"]["fields"]}
    assert numbers["doc_number"]["constraints"] == {"required": True, "unique": True}
    joint = [row for row in rows(site_dir, "gazette", "notice-agencies") if row["notice"] == "2026/04/08"]
    assert [(r["seq"], r["agency_id"], r["agency_name"]) for r in joint] == [("1", "transportation", "交通局"), ("2", "police", "警察局")]
    doc = [row for row in rows(site_dir, "gazette", "notice-doc-numbers") if row["notice"] == "2026/04/08"]
    assert [(r["seq"], r["doc_number"]) for r in doc] == [("1", "嘉市交工字第1150007305號"), ("2", "嘉市警交字第1150011862號")]
    notice = {row["id"]: row for row in rows(site_dir, "gazette", "notices")}["2026/04/08"]
    assert (notice["agency_id"], notice["doc_number"]) == ("transportation", "嘉市交工字第1150007305號")  # the lead, the first
    # every notice has its rows: as many as its agencies and numbers
    assert len(rows(site_dir, "gazette", "notice-agencies")) == sum(len(n.agencies) for n in content.gazette.notices)
    assert len(rows(site_dir, "gazette", "notice-doc-numbers")) == sum(len(n.doc_numbers) for n in content.gazette.notices)


def test_gazette_agencies_are_the_directory_agencies(site_dir):
    """The gazette's own agencies table, which its foreign key checks, copies the directory's."""
    gazette = {row["id"]: row["name"] for row in rows(site_dir, "gazette", "agencies")}
    directory = {row["id"]: row["name"] for row in rows(site_dir, "directory", "agencies")}
    assert gazette == directory


# -- broken content, slipped past the loader --------------------------------------------------------

@pytest.fixture
def unchecked(project, monkeypatch):
    """A project with open data whose cross-file rules are switched off: what a gap in them would let through."""
    with_datasets(project)
    monkeypatch.setattr("generator.checking.check.validate", lambda content, root, present, *more: [])
    (project.root / "site").mkdir()
    (project.root / "site" / "index.html").write_text("the site as it was", encoding="utf-8")
    return project


def failed_build(project) -> str:
    with pytest.raises(BuildError) as failure:
        build_module.build(project.root)
    assert [p.name for p in (project.root / "site").iterdir()] == ["index.html"]
    assert (project.root / "site" / "index.html").read_text(encoding="utf-8") == "the site as it was"
    # no staging folder is left; the failed tree is kept only as the spare whose folders the next
    # build reuses, emptied of every file (build._reuse_spare)
    assert [p.name for p in project.root.glob(".site-*")] == [".site-spare"]
    return str(failure.value)


def test_a_notice_of_an_agency_not_in_the_directory_fails_the_build(unchecked):
    unchecked.edit("content/gazette/2026/01/01-road-works.md", "agency: city-government", "agency: nowhere")
    report = failed_build(unchecked)
    assert report.startswith("open-data package 'gazette' does not validate (data/gazette/datapackage.json); "
                             "nothing was published:")
    assert "  notices.csv row 2 (id 2026/01/01), field 'agency_id' = 'nowhere': foreign-key:" in report
    assert "  notices.json row 2 (id 2026/01/01), field 'agency_id' = 'nowhere': foreign-key:" in report
    assert "directory" not in report.split("\n", 1)[1]  # the directory package is valid


def test_a_duplicated_document_number_fails_the_build(unchecked):
    unchecked.write({"content/gazette/2026/01/02-again.md": NOTICE.replace("title: 公告本市", "title: 再次公告本市")})
    report = failed_build(unchecked)
    assert "notices.csv row 3 (id 2026/01/02), field 'doc_number' = '府工字第1150000001號': unique-error:" in report
    assert "notice-doc-numbers.csv row 3 (notice 2026/01/02, seq 1), field 'doc_number' = '府工字第1150000001號': unique-error:" in report
    assert len(report.splitlines()) == 5  # the heading, the CSV and the JSON of notices and of notice-doc-numbers


# -- the directory's change list, from git ----------------------------------------------------------

def test_the_change_list_holds_committed_changes_dated_by_their_commit(project, tmp_path):
    with_datasets(project)
    project.write({"content/directory/transportation.yml": TRANSPORTATION})
    init(project.root)
    commit(project.root, "Directory: first version", "2026-03-02T10:00:00+08:00")
    project.write({"content/directory/fire.yml": FIRE})
    project.edit("content/directory/transportation.yml", "title: 科長", "title: 專門委員")
    changed = commit(project.root, "Directory: March changes", "2026-03-16T15:20:00+08:00")
    project.edit("content/directory/transportation.yml", "title: 股長", "title: 科員")  # not committed: a preview
    content = check(project.root)
    found = record(project.root, content.directory)
    assert found.pending == {"transportation"}
    out = tmp_path / "out"
    build_data(content, found, out)  # raises if frictionless finds anything wrong
    changes = rows(out, "directory", "changes")
    assert {(row["change"], row["id"], row["fields"]) for row in changes} == {
        ("added", "fire", ""), ("added", "fire//值班台", ""), ("changed", "transportation/transit/張怡萱", "title")}
    assert {row["commit"] for row in changes} == {changed} and {row["date"] for row in changes} == {"2026-03-16"}
    assert changes[0]["url"] == f"https://publications.jiahe.gov.tw/directory/changes/#v-{changed[:10]}"
    assert "changes-json" in [r["name"] for r in descriptor(out, "directory")["resources"]]
    catalog = csv.DictReader(io.StringIO((out / "data/catalog.csv").read_text(encoding="utf-8")))
    catalog = {row["資料集識別碼"]: row for row in catalog}
    assert catalog["directory"]["詮釋資料更新時間"] == "2026-03-16"  # the last commit, not the preview's clock
