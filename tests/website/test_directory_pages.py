"""The directory's pages: on the built shipped site, what a reader checks; rendered alone, each state
of the change record (none, unpublished changes)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import urls
from generator.checking.check import check, problems_of
from generator.reading.history import TAIPEI, ChangeRecord, Version, compare
from generator.website.pages import directory as directory_pages
from generator.website.templating import Templates

from conftest import REPO
from helpers import built_page as page, text


@pytest.fixture(scope="module")
def content():
    return check(REPO)




def row_of(tree, who: str):
    rows = [tr for tr in tree.xpath("//tr[@data-tel]") if who in text(tr.xpath("th")[0])]
    assert len(rows) == 1, f"{who}: {len(rows)} rows"
    return rows[0]


def test_the_overview_groups_agencies_as_site_yml_lists_them(site_dir, content):
    tree = page(site_dir, urls.directory_home())
    groups = tree.xpath("//section[contains(@class, 'dir-group')]")
    assert [text(g.xpath("h2")[0]) for g in groups] == [g.name.zh_hant for g in content.site.directory_groups]
    listed = {}
    for group, section in zip(content.site.directory_groups, groups, strict=True):
        names = [text(h) for h in section.xpath(".//h3")]
        listed[group.slug] = names
        assert sorted(names) == sorted(a.name.zh_hant for a in content.directory.agencies if a.group == group.slug)
    assert listed["city-hall"][0] == "嘉和市政府"  # the parent before the agencies under it
    links = tree.xpath("//section[contains(@class, 'dir-agency')]/h3/a[1]/@href")
    assert len(links) == len(content.directory.agencies)
    assert all((site_dir / "directory" / href / "index.html").is_file() for href in links)


def test_the_overview_is_the_whole_directory_without_javascript(site_dir, content):
    tree = page(site_dir, urls.directory_home())
    rows = tree.xpath("//tr[@data-tel]")
    contacts = sum(len(a.contacts) + sum(len(u.contacts) for u in a.units) for a in content.directory.agencies)
    assert len(rows) > contacts + len(content.directory.agencies)  # every contact, and every switchboard
    # nothing hidden, and no box to type into: the filter comes with its script
    assert not tree.xpath("//article//*[@hidden]") and not tree.xpath("//article//input")
    assert tree.xpath("//div[@data-dir-filter]/@data-label") == ["篩選"]


def test_a_contact_has_a_tel_link_in_e164_with_its_extension(site_dir):
    row = row_of(page(site_dir, urls.directory_home()), "張怡萱")
    link = row.xpath(".//a[starts-with(@href, 'tel:')]")[0]
    assert (link.get("href"), text(link)) == ("tel:+88652254321,3521", "(05)225-4321 分機3521")
    assert set(row.get("data-tel").split()) == {"052254321", "88652254321", "0522543213521"}
    assert row.xpath(".//a[starts-with(@href, 'mailto:')]/@href") == ["mailto:traffic3521@mail.jiahe.gov.tw"]


def test_toll_free_and_mobile_numbers_are_shown_as_people_write_them(site_dir):
    tree = page(site_dir, urls.agency("city-government"))
    link = row_of(tree, "陳情專線").xpath(".//a")[0]
    assert (link.get("href"), text(link)) == ("tel:+886800225999", "0800-225-999")


def test_the_agency_page_has_its_units_contacts_and_details(site_dir, content):
    tree = page(site_dir, urls.agency("transportation"))
    assert text(tree.xpath("//article//h1")[0]) == "交通局"
    units = content.links.agencies["transportation"].units
    assert [text(h) for h in tree.xpath("//h2")] == ["機關窗口"] + [unit.name.zh_hant for unit in units]
    details = tree.xpath("//article//dl[contains(@class, 'dir-details')]")[0]  # terms and details, no table header
    facts = {text(dt): dd for dt, dd in zip(details.xpath("dt"), details.xpath("dd"), strict=True)}
    assert text(facts["總機"]) == "(05)225-3500" and text(facts["傳真"]) == "(05)225-3599"
    assert facts["上級機關"].xpath("a/@href") == ["../city-government/"]
    assert facts["所屬機關"].xpath("a/@href") == ["../parking-management/"]
    assert facts["網站"].xpath("a/@href") == ["https://traffic.jiahe.gov.tw/"]
    assert facts["通訊錄"].xpath("a/@href") == ["transportation.vcf"]
    assert (site_dir / "directory/transportation/transportation.vcf").is_file()
    assert row_of(tree, "黃秀鳳").xpath(".//a/@href") == ["tel:+88652254321,3523"]


def test_every_agency_page_says_when_it_last_changed(site_dir, content):
    for agency in content.directory.agencies:
        tree = page(site_dir, urls.agency(agency))
        times = tree.xpath("//p[starts-with(normalize-space(.), '最後更新')]/time/@datetime")
        assert len(times) == 1 and dt.date.fromisoformat(times[0]), agency.id


def test_downloads_are_linked_from_the_overview(site_dir):
    tree = page(site_dir, urls.directory_home())
    hrefs = tree.xpath("//p[starts-with(normalize-space(.), '下載')]/a/@href")
    assert hrefs == ["directory.zh.csv", "directory.csv", "directory.json", "directory.ods", "directory.vcf"]
    assert all((site_dir / "directory" / href).stat().st_size > 1000 for href in hrefs)


def test_the_changes_page_links_the_machine_readable_record(site_dir):
    tree = page(site_dir, urls.directory_changes())
    assert text(tree.xpath("//h1")[0]) == "電話號碼表異動紀錄"
    assert tree.xpath("//a[text()='JSON']/@href") == ["../changes.json"]
    assert (site_dir / "directory/changes.json").is_file()


# -- rendered alone: the states of the change record -------------------------------------------------

def test_without_history_the_pages_say_so(project):
    content, _ = problems_of(project.root)
    record = ChangeRecord(note="no-repository")
    agency = directory_pages.agency_page(content, content.directory.agencies[0], record, Templates()).text
    assert "最後更新：無紀錄（本專案不在 git 版本庫中）" in agency
    changes = directory_pages.changes_page(content, record, Templates()).text
    assert "尚無異動紀錄：本專案不在 git 版本庫中。" in changes


def test_unpublished_changes_are_shown_as_such(project):
    before, _ = problems_of(project.root)
    project.edit("content/directory/city-government.yml", "分機 101", "分機 109")
    content, _ = problems_of(project.root)
    now = dt.datetime(2026, 3, 20, 9, 30, tzinfo=TAIPEI)
    changes = compare({a.id: a for a in before.directory.agencies}, {a.id: a for a in content.directory.agencies})
    record = ChangeRecord(versions=(Version(None, now, changes),), agency_changed={"city-government": now})
    agency = directory_pages.agency_page(content, content.directory.agencies[0], record, Templates()).text
    assert '最後更新：<time datetime="2026-03-20">中華民國115年3月20日</time>（含尚未提交的變更）' in agency
    listing = directory_pages.changes_page(content, record, Templates()).text
    assert "## 尚未提交的變更（預覽）" in listing
    assert "- **異動**：總務科 科長 王小明 (05)225-4321 分機101：分機 101 → 109" in listing


def test_a_change_is_dated_by_its_day_in_taiwan(project):
    """A commit at 17:30 UTC on 19 March is made on 20 March in Taiwan: the page says the 20th."""
    content, _ = problems_of(project.root)
    when = dt.datetime(2026, 3, 19, 17, 30, tzinfo=dt.timezone.utc)
    record = ChangeRecord(agency_changed={"city-government": when})
    agency = directory_pages.agency_page(content, content.directory.agencies[0], record, Templates()).text
    assert '最後更新：<time datetime="2026-03-20">中華民國115年3月20日</time> · [異動紀錄]' in agency


def test_changes_of_a_removed_agency_keep_its_name_without_a_link(project):
    before, _ = problems_of(project.root)
    project.write({"content/directory/harbor-office.yml": "name:\n  zh-Hant: 港務辦公室\n  en: Harbor Office\n"
                   "group: city-hall\naddress: 嘉和市港區港口路1號\nphone: (05)225-9900\n"})
    content, _ = problems_of(project.root)
    now = dt.datetime(2026, 3, 20, 9, 30, tzinfo=TAIPEI)
    changes = compare({a.id: a for a in content.directory.agencies}, {a.id: a for a in before.directory.agencies})
    record = ChangeRecord(versions=(Version(None, now, changes),))
    listing = directory_pages.changes_page(before, record, Templates()).text
    assert "### 港務辦公室\n\n- **刪除**：港務辦公室 （機關） (05)225-9900" in listing
