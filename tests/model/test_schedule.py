"""Schedules in site.yml (twice monthly, working days with holidays and make-up days, weekly, a
list of dates), the off-schedule warning that follows them, and the issue label with a volume."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.checking.check import check
from generator.errors import Kind, Severity
from generator.model.schedule import Schedule

from conftest import NOTICE
from helpers import at, only, position

D = dt.date


def test_days_of_the_month():
    schedule = Schedule(days_of_month=("16", "1"))
    assert schedule.kind == "days_of_month" and schedule.days == (1, 16)
    assert schedule.next_day(D(2026, 1, 1)) == D(2026, 1, 16)
    assert schedule.next_day(D(2026, 12, 16)) == D(2027, 1, 1)
    assert schedule.days_in(2026) == 24


def test_working_days_with_holidays_and_make_up_days():
    # 2026-02-14 to 2026-02-22: a Lunar New Year holiday week; Saturday 2026-02-07 worked in exchange
    holidays = tuple(D(2026, 2, day) for day in (16, 17, 18, 19, 20))
    schedule = Schedule(daily="working-days", holidays=holidays, make_up_days=(D(2026, 2, 7),))
    assert schedule.is_issue_day(D(2026, 2, 6)) and schedule.is_issue_day(D(2026, 2, 7))  # Friday; make-up Saturday
    assert not schedule.is_issue_day(D(2026, 2, 8))  # Sunday
    assert schedule.next_day(D(2026, 2, 13)) == D(2026, 2, 23)  # over the weekend and the holidays
    assert schedule.days_in(2026) == 261 - 5 + 1  # 261 weekdays in 2026
    assert "working day" in schedule.describe()


def test_every_day_weekly_and_dates():
    assert Schedule(daily="every-day").days_in(2028) == 366
    friday = Schedule(weekly="friday")
    assert friday.next_day(D(2026, 1, 2)) == D(2026, 1, 9) and friday.days_in(2026) == 52
    assert friday.describe() == "a Friday"
    dates = Schedule(dates=(D(2026, 3, 2), D(2026, 1, 5)))
    assert dates.next_day(D(2026, 1, 1)) == D(2026, 1, 5) and dates.next_day(D(2026, 1, 5)) == D(2026, 3, 2)
    assert dates.next_day(D(2026, 3, 2)) is None and dates.days_in(2026) == 2


@pytest.mark.parametrize("written, kind", [
    ("[1, 16]", "days_of_month"), ("{days_of_month: [1, 16]}", "days_of_month"),
    ("{daily: working-days, holidays: [2026-01-02]}", "daily"), ("{daily: every-day}", "daily"),
    ("{weekly: monday}", "weekly"), ("{dates: [2026-01-01, 2026-02-02]}", "dates"),
])
def test_every_kind_is_read_from_site_yml(project, written, kind):
    project.edit("content/site.yml", "schedule: [1, 16]", f"schedule: {written}")
    assert [p for p in project.problems() if p.severity is Severity.ERROR] == []
    assert check(project.root).site.gazette.schedule.kind == kind


@pytest.mark.parametrize("written, needle, words", [
    ("{weekly: friday, daily: working-days}", "{weekly", "names daily and weekly: choose one"),
    ("{holidays: [2026-01-02]}", "{holidays", "names no kind of schedule"),
    ("{weekly: friday, holidays: [2026-01-02]}", "[2026-01-02]", "working days only"),
    ("{weekly: fryday}", "fryday", "did you mean 'friday'"),
    ("{dayly: working-days}", "dayly", "did you mean 'daily'"),
    ("[1, 31]", "31", "not a day of the month from 1 to 28"),
    ("[]", "[]", "must not be empty"),
])
def test_a_wrong_schedule_is_reported_at_its_place(project, written, needle, words):
    project.edit("content/site.yml", "schedule: [1, 16]", f"schedule: {written}")
    text = (project.root / "content/site.yml").read_text(encoding="utf-8")
    errors = [p for p in project.problems() if p.severity is Severity.ERROR]
    assert len(errors) == 1, errors
    line, column = position(text, needle, text.count(needle))  # the last: site.yml's comments show examples
    assert at(errors[0]) == f"content/site.yml:{line}:{column}" and words in errors[0].message


def test_off_schedule_follows_a_daily_schedule(project):
    project.edit("content/site.yml", "schedule: [1, 16]", "schedule: {daily: working-days, holidays: [2026-01-06]}")
    project.write({"content/gazette/2026/02/issue.yml": "date: 2026-01-05\n",  # a Monday
                   "content/gazette/2026/02/01-n.md": NOTICE.replace("1150000001", "1150000002"),
                   "content/gazette/2026/03/issue.yml": "date: 2026-01-06\n",  # a holiday
                   "content/gazette/2026/03/01-n.md": NOTICE.replace("1150000001", "1150000003")})
    problem = only(project.problems(), Kind.OFF_SCHEDULE)
    assert at(problem) == "content/gazette/2026/03/issue.yml:1:7"
    assert "2026-01-06 is not on the schedule in site.yml (a working day" in problem.message


def test_issue_label_with_a_volume(project):
    project.edit("content/site.yml", 'issue_label: "{roc_year}年第{number}期"',
                 'issue_label: "第{volume}卷第{number:02d}期"\n  first_volume_year: "1994"')
    assert project.problems() == []
    assert check(project.root).site.gazette.label(2026, 3) == "第33卷第03期"


@pytest.mark.parametrize("label, extra, words", [
    ("第{volume}卷第{number}期", "", "set gazette.first_volume_year"),
    ("{roc_year}年第{numbr}期", "", "'{numbr}' is not a placeholder here"),
    ("{roc_year}年", "", "does not name the issue's number"),
    ("{roc_year}年第{number期", "", "is not a template"),
    ("第{volume}卷第{number}期", '\n  first_volume_year: "2027"', "before volume 1"),
])
def test_a_wrong_label_is_an_error(project, label, extra, words):
    project.edit("content/site.yml", 'issue_label: "{roc_year}年第{number}期"', f'issue_label: "{label}"{extra}')
    errors = [p for p in project.problems() if p.severity is Severity.ERROR]
    assert len(errors) == 1 and words in errors[0].message, errors


@pytest.mark.parametrize("written, sentence", [
    ("[1, 16]", "嘉和市政府秘書處發行，每月 1、16 日出刊。"),
    ("{daily: working-days}", "嘉和市政府秘書處發行，每逢上班日出刊。"),
    ("{daily: every-day}", "嘉和市政府秘書處發行，每日出刊。"),
    ("{weekly: friday}", "嘉和市政府秘書處發行，每星期五出刊。"),
    ("{dates: [2026-01-01]}", "嘉和市政府秘書處發行，依預定日期出刊。"),
])
def test_the_gazette_home_says_when_it_appears(project, written, sentence):
    from generator.website.pages.gazette import gazette_home, context
    from generator.website.templating import Templates

    project.edit("content/site.yml", "schedule: [1, 16]", f"schedule: {written}")
    content = check(project.root)
    page = gazette_home(content, Templates(), context(content))
    assert sentence in page.text
