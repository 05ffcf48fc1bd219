"""The directory's downloads, read back with the libraries a partner system would use."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import zipfile
from types import MappingProxyType

import pytest
import vobject
from python_calamine import CalamineWorkbook

from generator import urls

from generator.reading import history
from generator.checking.check import problems_of
from generator.reading.history import TAIPEI, ChangeRecord
from generator.model.directory import COLUMNS
from generator.outputs import directory_files as directory_data

from conftest import REPO

CHANGED = dt.datetime(2026, 3, 16, 15, 20, tzinfo=TAIPEI)


@pytest.fixture(scope="module")
def content():
    model, _ = problems_of(REPO)
    return model


@pytest.fixture(scope="module")
def record(content):
    return ChangeRecord(agency_changed=MappingProxyType({a.id: CHANGED for a in content.directory.agencies}))


@pytest.fixture(scope="module")
def files(content, record) -> dict[str, bytes]:
    return {asset.uri: asset.data for asset in directory_data.assets(content, record)}


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_every_download_is_published(files, content):
    expected = {urls.directory_download(ext) for ext, *_ in directory_data.DOWNLOADS}
    expected |= {urls.agency_vcard(a) for a in content.directory.agencies} | {urls.directory_changes_data()}
    assert set(files) == expected


def test_csv_and_json_round_trip_to_the_same_entries(files, content):
    rows = csv_rows(files[urls.directory_download("csv")])
    document = json.loads(files[urls.directory_download("json")])
    assert [{name: value or None for name, value in row.items()} for row in rows] == document["entries"]
    agencies = content.directory.agencies
    assert len(rows) == sum(1 + len(a.contacts) + sum(1 + len(u.contacts) for u in a.units) for a in agencies)
    assert len({row["id"] for row in rows}) == len(rows)
    contact = next(row for row in rows if row["id"] == "transportation/transit/張怡萱")
    assert (contact["agency"], contact["unit"], contact["title"]) == ("交通局", "運輸管理科", "科長")
    assert (contact["phone"], contact["extension"], contact["phone_e164"]) == ("(05)225-4321", "3521", "+88652254321")
    assert contact["email"] == "traffic3521@mail.jiahe.gov.tw"


def test_csv_is_plain_utf8_with_a_header_of_column_names(files):
    data = files[urls.directory_download("csv")]
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.split(b"\r\n")[0].decode() == ",".join(COLUMNS)


def test_json_says_when_the_directory_was_last_updated(files):
    document = json.loads(files[urls.directory_download("json")])
    assert document["updated"] == "2026-03-16"
    assert document["columns"]["phone"] == "電話" and list(document["columns"]) == list(COLUMNS)


def cards(data: bytes) -> list:
    return list(vobject.readComponents(data.decode("utf-8")))


def test_vcards_carry_name_organization_phone_with_extension_and_email(files):
    card = next(c for c in cards(files[urls.agency_vcard("transportation")]) if c.fn.value == "張怡萱")
    assert card.version.value == "4.0"
    assert card.org.value == ["交通局", "運輸管理科"]
    assert card.title.value == "科長"
    assert card.tel.value == "tel:+88652254321;ext=3521"
    assert card.tel.params["VALUE"] == ["uri"] and "work" in card.tel.params["TYPE"]
    assert card.email.value == "traffic3521@mail.jiahe.gov.tw"
    assert card.rev.value == "20260316T072000Z"
    assert card.kind.value == "individual"


def test_a_vcard_for_a_role_is_an_organization_card_named_by_its_place(files):
    card = next(c for c in cards(files[urls.agency_vcard("city-government")]) if c.contents.get("role", [None])[0]
                and c.role.value == "服務台")
    assert card.kind.value == "org" and card.fn.value == "嘉和市政府 聯合服務中心 服務台"
    assert card.tel.value == "tel:+88652254321;ext=1012"


def test_the_agency_card_has_its_switchboard_fax_address_and_website(files):
    card = cards(files[urls.agency_vcard("transportation")])[0]
    assert card.kind.value == "org" and card.fn.value == "交通局"
    numbers = {tel.value: tel.params["TYPE"] for tel in card.contents["tel"]}
    assert numbers == {"tel:+88652253500": ["work", "voice"], "tel:+88652253599": ["work", "fax"]}
    assert card.url.value == "https://traffic.jiahe.gov.tw/"
    assert "嘉和市東區府前路1號9樓" in card.adr.value.street


def test_the_whole_vcard_file_is_every_agency_file(files, content):
    whole = files[urls.directory_download("vcf")]
    parts = {files[urls.agency_vcard(a)] for a in content.directory.agencies}
    assert len(cards(whole)) == len(csv_rows(files[urls.directory_download("csv")]))
    assert all(part in whole for part in parts)


def test_vcard_lines_are_folded_at_75_octets_without_breaking_a_character(files):
    data = files[urls.directory_download("vcf")]
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") is not None for line in lines)  # every piece is whole UTF-8
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_vcard_text_with_commas_and_semicolons_reads_back_as_written(project):
    project.edit("content/directory/city-government.yml", "      zh-Hant: 總務科", "      zh-Hant: 總務科; 文書, 檔案")
    project.edit("content/directory/city-government.yml", "title: 科長", "title: 科長\\兼主任")
    content, _ = problems_of(project.root)
    agency = content.links.agencies["city-government"]
    card = cards(directory_data.to_vcards(content, agency, ChangeRecord()))[-1]
    assert card.org.value == ["嘉和市政府", "總務科; 文書, 檔案"]
    assert card.title.value == "科長\\兼主任"
    assert "rev" not in card.contents  # no history: no revision date is made up


def test_ods_opens_in_a_spreadsheet_library_and_matches_the_csv(files):
    book = CalamineWorkbook.from_filelike(io.BytesIO(files[urls.directory_download("ods")]))
    assert book.sheet_names == [directory_data.TITLE]
    sheet = book.get_sheet_by_name(directory_data.TITLE).to_python()
    assert sheet[0] == [directory_data.COLUMN_LABELS[name] for name in COLUMNS]
    rows = csv_rows(files[urls.directory_download("csv")])
    assert [[str(cell) for cell in row] for row in sheet[1:]] == [[row[name] for name in COLUMNS] for row in rows]


def test_ods_is_a_valid_package_dated_by_the_directory(files):
    with zipfile.ZipFile(io.BytesIO(files[urls.directory_download("ods")])) as ods:
        first = ods.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert ods.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert {info.date_time for info in ods.infolist()} == {(2026, 3, 16, 7, 20, 0)}
        assert b"<dc:date>2026-03-16T07:20:00</dc:date>" in ods.read("meta.xml")


def test_the_same_directory_gives_the_same_bytes(content, record, files):
    again = {asset.uri: asset.data for asset in directory_data.assets(content, record)}
    assert again == files


def test_the_change_list_is_machine_readable(project):
    def agencies():
        return {agency.id: agency for agency in problems_of(project.root)[0].directory.agencies}

    before = agencies()
    project.edit("content/directory/city-government.yml", "分機 101", "分機 109")
    version = history.Version("abc123", CHANGED, history.compare(before, agencies()))
    content, _ = problems_of(project.root)
    document = json.loads(directory_data.changes_json(content, ChangeRecord(versions=(version,))))
    assert document["updated"] == "2026-03-16" and len(document["changes"]) == 1
    change = document["changes"][0]
    assert {key: value for key, value in change.items() if key != "entry"} == {
        "date": "2026-03-16", "committed": "2026-03-16T15:20:00+08:00", "commit": "abc123", "published": True,
        "change": "changed", "id": "city-government/general/王小明", "kind": "contact",
        "fields": ["extension"], "before": {"extension": "101"}, "after": {"extension": "109"},
    }
    assert (change["entry"]["name"], change["entry"]["extension"], change["entry"]["role"]) == ("王小明", "109", None)


def test_the_kept_spreadsheet_is_the_one_made_and_follows_every_change(content, record, files, tmp_path):
    """The ODS kept in .cache/directory/ (made once, not on every build) is the one made without the
    cache; a changed entry or date makes it again, and a damaged kept file is not published."""
    ods = urls.directory_download("ods")
    made = {asset.uri: asset.data for asset in directory_data.assets(content, record, tmp_path)}[ods]
    assert made == files[ods]
    (kept,) = (tmp_path / ".cache/directory").glob("ods-*.json")
    again = {asset.uri: asset.data for asset in directory_data.assets(content, record, tmp_path)}[ods]
    assert again == files[ods] and list((tmp_path / ".cache/directory").glob("ods-*.json")) == [kept]
    kept.write_text(kept.read_text(encoding="utf-8").replace('"ods": "UEsD', '"ods": "UEsE'), encoding="utf-8")
    assert directory_data.kept_ods(content, directory_data.entries(directory_data.ordered(content)), record, tmp_path) == files[ods]
    later = ChangeRecord(agency_changed=MappingProxyType({a.id: CHANGED + dt.timedelta(days=1) for a in content.directory.agencies}))
    lines = directory_data.entries(directory_data.ordered(content))
    assert directory_data.kept_ods(content, lines, later, tmp_path) == directory_data.to_ods(content, lines, later) != files[ods]
    other = (dataclasses.replace(lines[0], phone="(05)000-0000"), *lines[1:])  # a new phone number
    assert directory_data.kept_ods(content, other, record, tmp_path) == directory_data.to_ods(content, other, record) != files[ods]
