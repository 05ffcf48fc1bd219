"""Issue 13's scale: a daily gazette of 250 issues in one year (three-digit folders) and an issue of
400 notices (three-digit files) both pass ``check`` and ``build``, with every page, feed and data row
at its address; the shipped issues keep theirs."""

from __future__ import annotations

import csv
import io

import pytest

from generator.checking.check import check

from archive import REPO, add_daily_year, copy_project
from conftest import Project

pytestmark = pytest.mark.slow  # one build of ~690 notices: `make test` runs it, `make test-fast` does not

YEAR, ISSUES, BIG_ISSUE, BIG = 2025, 250, 120, 400


@pytest.fixture(scope="module")
def daily(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("daily") / "project")
    project = Project(root)
    project.edit("content/site.yml", "schedule: [1, 16]", "schedule: {daily: working-days}")
    written = add_daily_year(root, YEAR, ISSUES, BIG_ISSUE, BIG)
    return project, written


def test_check_passes_with_250_issues_and_an_issue_of_400_notices(daily):
    project, written = daily
    result = project.run("check")
    assert result.returncode == 0, result.stderr[-3000:]
    content = check(project.root)
    year = [issue for issue in content.gazette.issues if issue.year == YEAR]
    assert [issue.number for issue in year] == list(range(1, ISSUES + 1))
    big = year[BIG_ISSUE - 1]
    assert len(big.notices) == BIG and [n.seq for n in big.notices] == list(range(1, BIG + 1))
    assert written == ISSUES - 1 + BIG
    # a daily schedule: the shipped issues on the 1st and 16th that fall on a weekend are off schedule
    assert "off-schedule" in result.stderr and "2026-02-01" in result.stderr


def test_build_publishes_every_issue_and_notice_at_its_address(daily):
    project, written = daily
    result = project.run("build")
    assert result.returncode == 0, result.stderr[-3000:]
    site = project.root / "site"
    assert (site / f"gazette/{YEAR}/250/index.html").is_file()  # past 99: three digits
    assert (site / f"gazette/{YEAR}/07/index.html").is_file()  # folder 007, address 07
    assert (site / f"gazette/{YEAR}/{BIG_ISSUE}/400/index.html").is_file()
    assert (site / f"gazette/{YEAR}/{BIG_ISSUE}/05/index.html").is_file()  # file 005-…, address 05
    assert (site / "gazette/2026/03/05/index.html").is_file()  # the shipped addresses are unchanged
    issue = (site / f"gazette/{YEAR}/{BIG_ISSUE}/index.html").read_text(encoding="utf-8")
    assert issue.count('href="400/"') == 1 and "115年第" not in issue.split("<article", 1)[1][:200]
    notices = list(csv.DictReader(io.StringIO((site / "data/gazette/notices.csv").read_text(encoding="utf-8"))))
    ids = {row["id"] for row in notices}
    assert f"{YEAR}/{BIG_ISSUE}/400" in ids and f"{YEAR}/250/01" in ids
    assert len(notices) == written + len(check(REPO).gazette.notices)
    issues = list(csv.DictReader(io.StringIO((site / "data/gazette/issues.csv").read_text(encoding="utf-8"))))
    assert {"id": f"{YEAR}/250", "label": "114年第250期"}.items() <= next(r for r in issues if r["id"] == f"{YEAR}/250").items()
