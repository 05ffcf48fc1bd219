"""The linked model (generator/model/links.py): every reference of the shipped content resolved once,
to the objects themselves; ids and the slug rule defined once (generator/model/gazette.py, common.py)."""

from __future__ import annotations

import re

import pytest

from generator.checking.check import check
from generator.model.common import SLUG_PATTERN, is_slug
from generator.model.gazette import NOTICE_NAME, issue_id
from generator.model.yearbook import CHAPTER_NAME

from conftest import REPO


@pytest.fixture(scope="module")
def content():
    return check(REPO)


def test_a_notice_holds_its_issue_agency_and_category(content):
    links = content.links
    for issue in content.gazette.issues:
        for notice in issue.notices:
            assert links.issue_of(notice) is issue
            assert links.agency_of(notice).id == notice.agency
            assert links.category_of(notice).slug == notice.category
            assert links.issues[issue.id] is issue


def test_neighbours_run_across_issues(content):
    notices = content.gazette.notices
    assert len(content.gazette.issues) > 1
    assert content.links.neighbours(notices[0]) == (None, notices[1])
    assert content.links.neighbours(notices[-1]) == (notices[-2], None)
    first_of_second = content.gazette.issues[1].notices[0]
    assert content.links.neighbours(first_of_second)[0] is content.gazette.issues[0].notices[-1]
    issues = content.gazette.issues
    assert content.links.issue_neighbours(issues[0]) == (None, issues[1])


def test_agencies_and_their_children_are_indexed_once(content):
    links, directory = content.links, content.directory
    assert links.agencies is directory.by_id and links.children is directory.children_of
    for agency in directory.agencies:
        assert links.agencies[agency.id] is agency
        expected = tuple(sorted((a for a in directory.agencies if a.parent == agency.id), key=lambda a: a.id))
        assert links.children[agency.id] == expected
    assert any(links.children.values()), "the shipped directory has agencies under others"
    assert links.agency("no-such-agency") is None


def test_groups_and_categories_by_slug(content):
    assert list(content.links.groups) == [group.slug for group in content.site.directory_groups]
    assert list(content.links.categories) == [category.slug for category in content.site.categories]


def test_ids_are_written_once():
    assert issue_id(2026, 3) == "2026/03"
    assert re.fullmatch(NOTICE_NAME, "05-parking-fees.md")["slug"] == "parking-fees"
    assert re.fullmatch(CHAPTER_NAME, "03-population")
    assert SLUG_PATTERN in NOTICE_NAME and CHAPTER_NAME.endswith(SLUG_PATTERN)
    assert is_slug("city-government") and not is_slug("City_Government") and not is_slug("a--b")
