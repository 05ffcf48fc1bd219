"""Dates as readers of a Taiwanese government expect them (民國 years), and ISO 8601 for machines."""

from __future__ import annotations

import datetime as dt

ROC_EPOCH = 1911  # 民國元年 = 1912
#: Taiwan's time zone (UTC+8, no daylight saving time): a day of the gazette, the directory's changes
#: and the site's last change is a day in Taiwan.
TAIPEI = dt.timezone(dt.timedelta(hours=8), "Asia/Taipei")


def roc_year(year: int) -> int:
    return year - ROC_EPOCH


def roc_date(date: dt.date) -> str:
    """``中華民國115年1月16日``."""
    return f"中華民國{roc_year(date.year)}年{date.month}月{date.day}日"


def english_date(date: dt.date) -> str:
    """``16 January 2026``."""
    return f"{date.day} {date:%B %Y}"


def issue_label(template: str, year: int, number: int, volume: int | None = None) -> str:
    """The issue's name from the label template in site.yml, e.g. ``115年第3期`` or (``{volume}``, with
    ``first_volume_year`` set) ``第33卷第3期``. Prefer ``GazetteSettings.label``, which knows the volume."""
    if volume is None and "{volume" in template:
        raise ValueError(f"the issue label '{template}' names the volume, but no first_volume_year is set")
    return template.format(roc_year=roc_year(year), year=year, number=number, volume=volume)
