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
    assert '<link rel="alternate" type="application/atom+xml" href="feed.atom">' in page
