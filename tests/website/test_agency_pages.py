"""The gazette's agency index follows the phone directory's groups and order; a directory agency page
has a breadcrumb trail, its details without a meaningless header, and a link to its gazette notices."""

from __future__ import annotations

import re

from generator.checking.check import check

from conftest import REPO
from helpers import built_page as page, text


def directory_order(site_dir) -> list[str]:
    """The agencies' ids in the order the directory's overview lists them."""
    hrefs = page(site_dir, "directory/index.md").xpath("//article//a/@href")
    return [m[1] for href in hrefs if (m := re.fullmatch(r"([a-z0-9-]+)/", href)) and m[1] != "changes"]


def test_the_agency_index_is_grouped_and_ordered_as_the_directory(site_dir):
    tree = page(site_dir, "gazette/agency/index.md")
    groups = [text(h) for h in tree.xpath("//article//h2")]
    assert groups == ["市府本部", "局處會", "區公所", "所屬機關"]  # site.yml's directory_groups, those with notices
    listed = [re.fullmatch(r"([a-z0-9-]+)/", href)[1] for href in tree.xpath("//article//li/a/@href")]
    order = directory_order(site_dir)
    assert listed == sorted(listed, key=order.index)  # the directory's order, not the ids'
    assert listed != sorted(listed)
    secretariat = tree.xpath("//article//h2[starts-with(normalize-space(), '市府本部')]/following-sibling::ul[1]//a/@href")
    assert "secretariat/" in secretariat


def test_a_directory_agency_page_has_a_trail_details_and_its_notices(site_dir):
    tree = page(site_dir, "directory/parking-management/index.md")
    (trail,) = tree.xpath("//article//nav[@class='breadcrumbs']")
    assert [text(a) for a in trail.xpath("a")] == ["電話號碼表", "嘉和市政府", "交通局"]
    assert trail.xpath("a/@href") == ["../", "../city-government/", "../transportation/"]
    assert text(tree.xpath("//article//h1")[0]) == "停車管理處"
    assert not [th for th in tree.xpath("//article//th") if text(th) in ("項目", "內容")]
    details = tree.xpath("//article//dl[contains(@class, 'dir-details')]")[0]
    rows = {text(dt): dd for dt, dd in zip(details.xpath("dt"), details.xpath("dd"), strict=True)}
    assert rows["上級機關"].xpath("a/@href") == ["../transportation/"]
    assert text(rows["公報公告"]) == "本機關尚未於公報發布公告。"

    transportation = page(site_dir, "directory/transportation/index.md")
    details = transportation.xpath("//article//dl[contains(@class, 'dir-details')]")[0]
    rows = {text(dt): dd for dt, dd in zip(details.xpath("dt"), details.xpath("dd"), strict=True)}
    assert rows["公報公告"].xpath("a/@href") == ["../../gazette/agency/transportation/"]
    count = sum("transportation" in notice.agencies for notice in check(REPO).gazette.notices)  # joint notices too
    assert count >= 3 and text(rows["公報公告"]) == f"本機關於公報發布之公告（{count} 則）"
