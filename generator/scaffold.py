"""The ``new-issue`` command: the next gazette issue's folder, from the schedule in site.yml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.model import Content
from generator.model.gazette import MAX_NUMBER, number_width
from generator.model.schedule import Schedule


@dataclass(frozen=True)
class NextIssue:
    year: int
    number: int
    date: dt.date
    width: int = 2  # digits of the folder's name: those of the year's other folders (gazette.number_width)

    @property
    def folder(self) -> str:
        return f"content/gazette/{self.year}/{self.number:0{self.width}d}"


def next_schedule_day(after: dt.date, schedule: Schedule) -> dt.date:
    """The first schedule day strictly after ``after``."""
    day = schedule.next_day(after)
    if day is None:
        raise GeneratorError(f"the schedule in content/site.yml has no day after {after}: add dates to it, "
                             "or give the date with --date YYYY-MM-DD")
    return day


def next_issue(content: Content, date: dt.date | None, today: dt.date) -> NextIssue:
    """Number, date and folder of the issue after the last one (or of the first issue of a year).

    A year's first folder has three digits when the schedule has more than 99 days that year (a
    daily gazette: 001, 002, …), else two; later folders follow the year's first one. An issue
    past 99 in a year of two-digit folders is refused, saying how to rename them."""
    issues = content.gazette.issues
    schedule = content.site.gazette.schedule
    if date is None:
        after = issues[-1].date if issues else today - dt.timedelta(days=1)
        date = next_schedule_day(after, schedule)
    in_year = [issue for issue in issues if issue.year == date.year]
    if in_year and date <= in_year[-1].date:
        raise GeneratorError(f"{date} is not after {in_year[-1].date}, the date of issue {in_year[-1].id}")
    number = (in_year[-1].number if in_year else 0) + 1
    width = len(in_year[-1].source.path.parent.name) if in_year else number_width(schedule.days_in(date.year))
    if number > MAX_NUMBER:
        raise GeneratorError(f"{date.year} already has {MAX_NUMBER} issues, as many as three digits can number")
    if number_width(number) > width:
        raise GeneratorError(
            f"issue {number} of {date.year} needs a three-digit folder, and the year's folders have two digits: rename "
            f"them first (content/gazette/{date.year}/01 to 001, 02 to 002, …; the issues' addresses do not change)")
    return NextIssue(date.year, number, date, width)


def write_issue(root: Path, content: Content, issue: NextIssue) -> list[Path]:
    """Create the issue folder and its issue.yml; refuse if anything is already there."""
    folder = root / issue.folder
    if folder.exists():
        raise GeneratorError(f"{issue.folder} already exists; nothing was written")
    label = content.site.gazette.label(issue.year, issue.number)
    first = "01" if issue.width == 2 else "001"
    text = (
        f"# {content.site.gazette.title.zh_hant} {label}\n"
        f"# Add one file per notice beside this one: {first}-<slug>.md, … (see README.md).\n"
        f"date: {issue.date.isoformat()}\n"
    )
    folder.mkdir(parents=True)
    path = folder / "issue.yml"
    path.write_text(text, encoding="utf-8")
    return [path]
