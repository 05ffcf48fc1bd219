"""The day each page last changed in what it says: the footer's 更新日期 / "Last updated".

The lead's decision (issue 12, goal 2; README, "The footer's last update: the page's own"): the
footer shows **the page's own** last change of content, as GOV.UK's "Last updated" and Taiwanese
government pages' per-page 更新日期 do, not the day of the site's last commit: a 2010 notice does
not claim it was updated today. Each page kind's day comes from the content, never the clock, by
the same rule for every build (so an incremental build equals a full one), and cheaply (no
``git log`` per file):

- a notice: its issue's day, or the day of the latest issue with a notice that corrects, amends or
  repeals it (its page then shows that notice: issue 17's banner);
- a list of notices (an issue, a category's or agency's page, a year of one): the latest day of the
  notices it lists, as above (each line shows the notice's status);
- the gazette's year: its newest issue's day; the gazette's home and its indexes: the newest issue's;
- a newsletter's web version: its issue's day; the subscribe page: the newest issue's;
- a yearbook edition's pages: the edition's date; the yearbook's home: the newest edition's;
- the directory: its last committed change (the change record's; an agency's page also counts its
  notices, so the newest issue with one); the open data: each package's ``modified``, the catalogue
  the newest of them;
- the hand-written pages of ``content/pages/``: the last commit of each file, from one ``git log``
  over that folder (``website/plugin.py``);
- the home pages, the search pages, the 404 page, and any page whose day is not known (no git
  history): the day the site's content last changed (``build.content_date``), which the home page
  also states in its text (issue 17).

Navigation alone is not a change of content: a "next notice" link appearing, an issue's "next
issue", a neighbour's new title leave the day as it was (the page's bytes change, its day does not).
An edit of an archived notice's file after its issue (a typo put right in place, not by a
correction) leaves its day too: the gazette's own record of a change is a correction notice.

The day is written in the page's front matter (``updated``: ``YYYY-MM-DD``), which keys the page
cache (``website/cache.py``), and shown by ``themes/material/partials/copyright.html``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from generator.model import Content, Issue, Notice
from generator.model.links import Links

#: The front matter's name for the page's day (read by the footer's template).
META = "updated"


def notice(links: Links, item: Notice) -> dt.date:
    """A notice's page: its issue's day, or a later notice's that corrects, amends or repeals it."""
    return max([links.issue_of(item).date, *(links.issue_of(later).date for _, later in links.related_by(item))])


def notices(links: Links, items: Iterable[Notice]) -> dt.date | None:
    """A list of notices: the latest day of any of them (:func:`notice`); None for none."""
    return max((notice(links, item) for item in items), default=None)


def issue(links: Links, item: Issue) -> dt.date:
    """An issue's page: its day, or the latest day of a notice it lists."""
    return max([item.date, *(notice(links, listed) for listed in item.notices)])


def issues(items: Iterable[Issue]) -> dt.date | None:
    """A list of issues (a year, with their numbers of notices): the newest issue's day."""
    return max((item.date for item in items), default=None)


def gazette(content: Content) -> dt.date | None:
    """The gazette's home and indexes, the subscribe page: the newest issue's day."""
    return issues(content.gazette.issues)


def meta(day: dt.date | None) -> dict[str, str]:
    """The front matter that dates a page (nothing when its day is not known: the site's is shown)."""
    return {META: day.isoformat()} if day is not None else {}
