"""The ``new-issue`` command: the next gazette issue's folder, from the schedule in site.yml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.dates import issue_label
from generator.errors import GeneratorError
from generator.model import Content
from generator.model.gazette import issue_id


@dataclass(frozen=True)
class NextIssue:
    year: int
    number: int
    date: dt.date

    @property
    def folder(self) -> str:
        return f"content/gazette/{issue_id(self.year, self.number)}"


def next_schedule_day(after: dt.date, days: tuple[int, ...]) -> dt.date:
    """The first schedule day strictly after ``after``."""
    day = after + dt.timedelta(days=1)
    while day.day not in days:
        day += dt.timedelta(days=1)
    return day


def next_issue(content: Content, date: dt.date | None, today: dt.date) -> NextIssue:
    """Number and date of the issue after the last one (or of the first issue of a year)."""
    issues = content.gazette.issues
    days = content.site.gazette.days
    if date is None:
        after = issues[-1].date if issues else today - dt.timedelta(days=1)
        date = next_schedule_day(after, days)
    in_year = [issue for issue in issues if issue.year == date.year]
    if in_year and date <= in_year[-1].date:
        raise GeneratorError(f"{date} is not after {in_year[-1].date}, the date of issue {in_year[-1].id}")
    return NextIssue(date.year, (in_year[-1].number if in_year else 0) + 1, date)


def write_issue(root: Path, content: Content, issue: NextIssue) -> list[Path]:
    """Create the issue folder and its issue.yml; refuse if anything is already there."""
    folder = root / issue.folder
    if folder.exists():
        raise GeneratorError(f"{issue.folder} already exists; nothing was written")
    label = issue_label(content.site.gazette.issue_label, issue.year, issue.number)
    text = (
        f"# {content.site.gazette.title.zh_hant} {label}\n"
        f"# Add one file per notice beside this one: 01-<slug>.md, 02-<slug>.md, … (see README.md).\n"
        f"date: {issue.date.isoformat()}\n"
    )
    folder.mkdir(parents=True)
    path = folder / "issue.yml"
    path.write_text(text, encoding="utf-8")
    return [path]
