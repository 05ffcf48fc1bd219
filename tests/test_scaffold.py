"""``new-issue``: the next issue from the schedule, never overwriting anything."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.checking.check import check
from generator.errors import GeneratorError
from generator.scaffold import NextIssue, next_issue, next_schedule_day, write_issue


def test_new_issue_takes_the_next_number_and_schedule_day(project):
    result = project.run("new-issue")
    assert result.returncode == 0, result.stderr
    assert "created content/gazette/2026/02/issue.yml" in result.stdout
    assert (project.root / "content/gazette/2026/02/issue.yml").read_text(encoding="utf-8").endswith("date: 2026-01-16\n")
    result = project.run("new-issue")
    assert "created content/gazette/2026/03/issue.yml" in result.stdout
    assert "date: 2026-02-01" in (project.root / "content/gazette/2026/03/issue.yml").read_text(encoding="utf-8")
    assert project.run("check").returncode == 0  # empty issues are warnings until notices are added


def test_new_issue_on_a_chosen_date(project):
    result = project.run("new-issue", "--date", "2026-01-20")
    assert result.returncode == 0, result.stderr
    assert "date: 2026-01-20" in (project.root / "content/gazette/2026/02/issue.yml").read_text(encoding="utf-8")


def test_new_issue_refuses_a_date_before_the_last_issue(project):
    result = project.run("new-issue", "--date", "2025-12-31")
    assert result.returncode == 0  # another year: issue 01 of 2025
    result = project.run("new-issue", "--date", "2026-01-01")
    assert result.returncode == 1
    assert "not after 2026-01-01" in result.stderr


def test_new_issue_refuses_to_overwrite(project):
    content = check(project.root)
    (project.root / "content/gazette/2026/02").mkdir()
    with pytest.raises(GeneratorError, match="already exists"):
        write_issue(project.root, content, NextIssue(2026, 2, dt.date(2026, 1, 16)))
    assert list((project.root / "content/gazette/2026/02").iterdir()) == []


def test_the_first_issue_of_a_new_year():
    assert next_schedule_day(dt.date(2026, 12, 16), (1, 16)) == dt.date(2027, 1, 1)


def test_next_issue_after_the_year_turns(project):
    content = check(project.root)
    issue = next_issue(content, dt.date(2027, 1, 1), dt.date(2026, 12, 20))
    assert (issue.year, issue.number) == (2027, 1)
