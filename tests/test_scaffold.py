"""``new-issue``: the next issue from the schedule, never overwriting anything."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.checking.check import check
from generator.errors import GeneratorError
from generator.model.schedule import Schedule
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
    assert next_schedule_day(dt.date(2026, 12, 16), Schedule(days_of_month=("1", "16"))) == dt.date(2027, 1, 1)


DAILY = "schedule: {daily: working-days, holidays: [2026-01-02], make_up_days: [2026-01-10]}"


def test_new_issue_follows_a_daily_schedule_with_three_digit_folders(project):
    """A working-day schedule has ~250 days a year: the year's folders get three digits from the first."""
    project.edit("content/site.yml", "schedule: [1, 16]", DAILY)
    (project.root / "content/gazette/2026/01").rename(project.root / "content/gazette/2026/001")
    (project.root / "content/gazette/2026/001/01-road-works.md").rename(project.root / "content/gazette/2026/001/001-road-works.md")
    assert project.run("check").returncode == 0
    dates = []
    for _ in range(4):
        result = project.run("new-issue")
        assert result.returncode == 0, result.stderr
        dates.append(result.stdout)
    # 2026-01-01 is a Thursday; the 2nd a holiday; the 3rd and 4th a weekend; the 10th a make-up Saturday
    folders = sorted(p.name for p in (project.root / "content/gazette/2026").iterdir())
    assert folders == ["001", "002", "003", "004", "005"]
    texts = [(project.root / f"content/gazette/2026/{f}/issue.yml").read_text(encoding="utf-8") for f in folders[1:]]
    assert [t.splitlines()[-1] for t in texts] == ["date: 2026-01-05", "date: 2026-01-06", "date: 2026-01-07", "date: 2026-01-08"]
    assert "001-<slug>.md" in texts[0] and "嘉和市政府公報 115年第2期" in texts[0]


def test_a_new_year_of_a_daily_gazette_starts_with_three_digits(project):
    project.edit("content/site.yml", "schedule: [1, 16]", DAILY)
    content = check(project.root)
    issue = next_issue(content, dt.date(2027, 1, 4), dt.date(2027, 1, 1))
    assert (issue.number, issue.folder) == (1, "content/gazette/2027/001")
    # the shipped twice-monthly year keeps two digits
    assert next_issue(content, dt.date(2026, 1, 5), dt.date(2026, 1, 2)).folder == "content/gazette/2026/02"


def test_the_hundredth_issue_of_a_two_digit_year_says_how_to_rename(project):
    project.write({f"content/gazette/2026/{n:02d}/issue.yml": f"date: {dt.date(2026, 1, 1) + dt.timedelta(days=n - 1)}\n"
                   for n in range(2, 100)})
    project.edit("content/site.yml", "schedule: [1, 16]", "schedule: {daily: every-day}")
    content = check(project.root)
    with pytest.raises(GeneratorError, match="rename them first .*01 to 001"):
        next_issue(content, None, dt.date(2026, 1, 1))


def test_new_issue_after_the_last_listed_date_says_so(project):
    project.edit("content/site.yml", "schedule: [1, 16]", "schedule: {dates: [2026-01-01, 2026-03-02]}")
    content = check(project.root)
    assert next_issue(content, None, dt.date(2026, 1, 1)).date == dt.date(2026, 3, 2)
    project.write({"content/gazette/2026/01/issue.yml": "date: 2026-03-02\n"})
    with pytest.raises(GeneratorError, match="no day after 2026-03-02"):
        next_issue(check(project.root), None, dt.date(2026, 1, 1))


def test_next_issue_after_the_year_turns(project):
    content = check(project.root)
    issue = next_issue(content, dt.date(2027, 1, 1), dt.date(2026, 12, 20))
    assert (issue.year, issue.number) == (2027, 1)
