"""The Atom feeds: valid by RFC 4287's rules, readable by a feed reader, newest first."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest

from generator import urls
from generator.checking.check import check

from conftest import REPO

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def content():
    return check(REPO)


def feeds(content):
    yield urls.gazette_feed(), content.gazette.notices
    for category in content.site.categories:
        yield urls.category_feed(category.slug), tuple(n for n in content.gazette.notices if n.category == category.slug)
    for agency in content.directory.agencies:
        notices = tuple(n for n in content.gazette.notices if agency.id in n.agencies)  # a joint notice: in each
        if notices:
            yield urls.agency_feed(agency.id), notices


def rfc3339(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"{text} has no time zone"
    return value


def check_rfc4287(root: ET.Element) -> None:
    """The constraints of RFC 4287 section 4 that a generator can get wrong."""
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{name}")) == 1, f"feed needs exactly one atom:{name}"
    rfc3339(root.find(f"{A}updated").text)
    assert root.find(f"{A}author/{A}name").text
    assert [link.get("rel") for link in root.findall(f"{A}link")].count("alternate") == 1
    ids = set()
    for entry in root.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, f"entry needs exactly one atom:{name}"
        entry_id = entry.find(f"{A}id").text
        assert entry_id.startswith("https://") and entry_id not in ids
        ids.add(entry_id)
        rfc3339(entry.find(f"{A}updated").text)
        assert entry.find(f"{A}link[@rel='alternate']").get("href") == entry_id
        assert entry.find(f"{A}summary").text


def test_feeds_are_valid_atom(site_dir, content):
    for feed, notices in feeds(content):
        root = ET.parse(site_dir / feed).getroot()
        check_rfc4287(root)
        assert len(root.findall(f"{A}entry")) == min(50, len(notices))


def test_feed_readers_read_the_gazette_feed(site_dir, content):
    parsed = feedparser.parse((site_dir / urls.gazette_feed()).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    latest = content.gazette.issues[-1]
    newest = latest.notices[-1]
    assert parsed.entries[0].title == newest.title
    assert parsed.entries[0].link == urls.absolute(content.site.base_url, urls.notice(newest))
    assert parsed.entries[0].published.startswith(latest.date.isoformat())
    assert newest.doc_number in parsed.entries[0].summary
    # the newest shipped notice is a joint one: an author per agency, lead first, and every number
    assert newest.joint
    assert [author.name for author in parsed.entries[0].authors] == [a.name.zh_hant for a in content.links.agencies_of(newest)]
    assert all(number in parsed.entries[0].summary for number in newest.doc_numbers)
    published = [entry.published for entry in parsed.entries]
    assert published == sorted(published, reverse=True)


def test_category_feed_holds_only_its_category(site_dir, content):
    root = ET.parse(site_dir / urls.category_feed("regulations")).getroot()
    assert {c.get("term") for c in root.iter(f"{A}category")} == {"regulations"}


def test_pages_announce_their_feed(site_dir):
    page = (site_dir / "gazette/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="feed.atom" data-no-alternate>' in page


def test_every_agency_that_published_has_its_feed_with_only_its_notices(site_dir, content):
    agencies = {a for n in content.gazette.notices for a in n.agencies}
    assert len(agencies) > 5 and "police" in agencies
    for agency_id in agencies:
        parsed = feedparser.parse((site_dir / urls.agency_feed(agency_id)).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        name = content.links.agencies[agency_id].name.zh_hant
        assert parsed.feed.title.endswith(name)
        assert all(name in [author.name for author in entry.authors] for entry in parsed.entries)
        ours = [n for n in content.gazette.notices if agency_id in n.agencies]  # the joint notice is in both feeds
        assert len(parsed.entries) == min(len(ours), 50)
    page = (site_dir / "gazette/agency/transportation/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="feed.atom" data-no-alternate>' in page


def test_the_directory_changes_feed_has_one_entry_per_commit(project):
    """Two published versions: two entries, newest first, each saying what it changed, linked to
    its place on the changes page; changes not committed yet are left out."""
    from generator.checking.check import problems_of
    from generator.outputs.feeds import directory_feed
    from generator.reading.history import ChangeRecord, Version, compare
    from generator.website.pages.directory import describe

    before, _ = problems_of(project.root)
    project.edit("content/directory/city-government.yml", "分機 101", "分機 109")
    after, _ = problems_of(project.root)
    agencies = lambda c: {a.id: a for a in c.directory.agencies}  # noqa: E731
    changed = compare(agencies(before), agencies(after))
    added = compare({}, agencies(before))
    record = ChangeRecord(versions=(
        Version(None, dt.datetime(2026, 3, 21, 9, 0, tzinfo=dt.timezone.utc), changed),
        Version("b" * 40, dt.datetime(2026, 3, 19, 17, 30, tzinfo=dt.timezone.utc), changed),
        Version("a" * 40, dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.timezone.utc), added)))
    asset = directory_feed(after, record, describe)
    assert asset.uri == urls.directory_changes_feed()
    root = ET.fromstring(asset.data)
    parsed = feedparser.parse(asset.data)
    assert not parsed.bozo, parsed.bozo_exception
    assert [e.link for e in parsed.entries] == ["https://publications.jiahe.gov.tw/directory/changes/#v-bbbbbbbbbb",
                                                "https://publications.jiahe.gov.tw/directory/changes/#v-aaaaaaaaaa"]
    assert root.find(f"{A}updated").text == "2026-03-20T01:30:00+08:00"  # the newest commit, in Taiwan
    first = parsed.entries[0]
    assert first.title == "2026-03-20 電話號碼表異動：1 筆"
    assert first.content[0].value == "嘉和市政府：異動：總務科 科長 王小明 (05)225-4321 分機101"


def test_the_summaries_from_the_open_datas_plain_texts_equal_those_made_from_the_bodies(content, tmp_path):
    """The build gives the feeds the notices' plain texts the open data keeps (issue 12), for only
    the issues the feeds show: the same feeds, byte for byte, as converting each entry's body."""
    from generator.outputs import feeds as feed_module
    from generator.outputs.opendata.tables import plain_texts

    asked: list[set[str]] = []

    def texts(issues: set[str]) -> dict[str, str]:
        asked.append(set(issues))
        return plain_texts(content, tmp_path, issues)

    made = list(feed_module.assets(content, texts=texts))
    assert made == list(feed_module.assets(content))
    latest = {content.links.issue_of(n).id for _, notices in feeds(content) for n in notices[-feed_module.ENTRIES:]}
    assert asked == [latest]
