"""A synthetic gazette archive for scale checks and benchmarks: N valid notices in earlier years.

The notices reuse the shipped ones' bodies (so page sizes are realistic) with new titles and
document numbers; issues appear on the schedule, 20 notices each, 24 issues a year, in the years
before the shipped content.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PER_ISSUE = 20


def copy_project(target: Path) -> Path:
    """A copy of the shipped project (content, datasets, themes, mkdocs.yml) to add an archive to."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "datasets", "themes"):
        shutil.copytree(REPO / name, target / name, dirs_exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def add_archive(project: Path, notices: int, first_year: int | None = None) -> int:
    """Write ``notices`` notices into years before the shipped gazette; returns how many issues."""
    gazette = project / "content" / "gazette"
    templates = sorted(gazette.glob("*/*/*.md"))
    shipped_first = min(int(p.name) for p in gazette.iterdir())
    issues = -(-notices // PER_ISSUE)
    years = -(-issues // 24)
    year = first_year or shipped_first - years
    written, number, serial = 0, 0, 0
    while written < notices:
        number += 1
        if number > 24:
            year, number = year + 1, 1
        month, day = (number + 1) // 2, 1 if number % 2 else 16
        date = dt.date(year, month, day)
        folder = gazette / str(year) / f"{number:02d}"
        folder.mkdir(parents=True)
        (folder / "issue.yml").write_text(f"date: {date.isoformat()}\n", encoding="utf-8")
        for seq in range(1, min(PER_ISSUE, notices - written) + 1):
            serial += 1
            template = templates[serial % len(templates)].read_text(encoding="utf-8")
            (folder / f"{seq:02d}-archived.md").write_text(_variant(template, serial, date), encoding="utf-8")
            written += 1
    return number + (year - (first_year or shipped_first - years)) * 24


def _variant(template: str, serial: int, date: dt.date) -> str:
    text = re.sub(r"^title: (.*)$", lambda m: f"title: {m[1]}（第{serial}號檔案）", template, count=1, flags=re.M)
    text = re.sub(r"^doc_number: .*$", f"doc_number: 府檔字第{date.year - 1911:03d}{serial:07d}號", text, count=1, flags=re.M)
    text = re.sub(r"^issued: .*$", f"issued: {(date - dt.timedelta(days=5)).isoformat()}", text, count=1, flags=re.M)
    text = re.sub(r"^attachments:\n(?:  .*\n)+", "", text, flags=re.M)
    # what a shipped notice corrects, amends or repeals is a later notice than the archived copy
    text = re.sub(r"^(?:corrects|amends|repeals):.*\n(?:  .*\n)*", "", text, flags=re.M)
    return text


def add_next_issue(project: Path, notices: int = PER_ISSUE, serial: int = 9_000_000) -> Path:
    """The next issue after the latest one (a new publication), with ``notices`` notices made like
    the archive's (document numbers from ``serial`` on, so they do not collide); its folder."""
    gazette = project / "content" / "gazette"
    latest = max(gazette.glob("[0-9]*/[0-9]*/issue.yml"), key=lambda p: (int(p.parent.parent.name), int(p.parent.name)))
    last_date = dt.date.fromisoformat(re.search(r"^date: (\S+)", latest.read_text(encoding="utf-8"), re.M)[1])
    date = last_date.replace(day=16) if last_date.day < 16 else (last_date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    year = date.year
    number = int(latest.parent.name) + 1 if year == int(latest.parent.parent.name) else 1
    folder = gazette / str(year) / f"{number:02d}"
    folder.mkdir(parents=True)
    (folder / "issue.yml").write_text(f"date: {date.isoformat()}\n", encoding="utf-8")
    templates = sorted(p for p in gazette.glob("*/*/*.md") if "archived" not in p.name)
    for seq in range(1, notices + 1):
        template = templates[(serial + seq) % len(templates)].read_text(encoding="utf-8")
        (folder / f"{seq:02d}-new.md").write_text(_variant(template, serial + seq, date), encoding="utf-8")
    return folder


def add_daily_year(project: Path, year: int, issues: int, big_issue: int = 0, big: int = 0) -> int:
    """``issues`` issues of ``year`` on its working days (Monday to Friday), as a daily gazette names
    them (folders ``001``, ``002``, …), one notice each, except issue ``big_issue``, which holds ``big``
    notices (files ``001-…`` … when 100 or more). Returns how many notices were written."""
    gazette = project / "content" / "gazette"
    templates = sorted(gazette.glob("*/*/*.md"))
    day, serial = dt.date(year, 1, 1), 0
    for number in range(1, issues + 1):
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        folder = gazette / str(year) / f"{number:03d}"
        folder.mkdir(parents=True)
        (folder / "issue.yml").write_text(f"date: {day.isoformat()}\n", encoding="utf-8")
        count = big if number == big_issue else 1
        width = 3 if count > 99 else 2
        for seq in range(1, count + 1):
            serial += 1
            template = templates[serial % len(templates)].read_text(encoding="utf-8")
            (folder / f"{seq:0{width}d}-daily.md").write_text(_variant(template, serial, day), encoding="utf-8")
        day += dt.timedelta(days=1)
    return serial


def add_daily_archive(project: Path, notices: int, per_issue: int = 10, per_year: int = 250) -> int:
    """A daily gazette's archive (issue 12, goal 5): ``notices`` notices in issues of ``per_issue``, on
    the first ``per_year`` working days (Monday to Friday) of each year, in the years before the
    shipped gazette (20 years for 50,000 notices); sets ``site.yml``'s schedule to working days.
    Folders are named as a daily gazette's (``001``, ``002``, …). Returns how many issues."""
    site = project / "content" / "site.yml"
    text = site.read_text(encoding="utf-8")
    if "schedule: [1, 16]" in text:
        site.write_text(text.replace("schedule: [1, 16]", "schedule: {daily: working-days}", 1), encoding="utf-8")
    gazette = project / "content" / "gazette"
    templates = sorted(gazette.glob("*/*/*.md"))
    shipped_first = min(int(p.name) for p in gazette.iterdir())
    issues = -(-notices // per_issue)
    years = -(-issues // per_year)
    written = serial = made = 0
    for year in range(shipped_first - years, shipped_first):
        day = dt.date(year, 1, 1)
        for number in range(1, per_year + 1):
            if written >= notices:
                return made
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            folder = gazette / str(year) / f"{number:03d}"
            folder.mkdir(parents=True)
            (folder / "issue.yml").write_text(f"date: {day.isoformat()}\n", encoding="utf-8")
            for seq in range(1, min(per_issue, notices - written) + 1):
                serial += 1
                template = templates[serial % len(templates)].read_text(encoding="utf-8")
                (folder / f"{seq:02d}-daily.md").write_text(_variant(template, serial, day), encoding="utf-8")
                written += 1
            made += 1
            day += dt.timedelta(days=1)
    return made
