"""When the gazette appears: ``gazette.schedule`` in ``content/site.yml``.

Four kinds, one per schedule:

- days of every month, written as a list (``schedule: [1, 16]``, twice monthly) or as
  ``schedule: {days_of_month: [1, 16]}``;
- ``schedule: {daily: working-days}``: Monday to Friday, except the ``holidays`` listed, plus the
  ``make_up_days`` listed (補行上班日, a Saturday worked in exchange for a bridge holiday); or
  ``daily: every-day``;
- ``schedule: {weekly: friday}``: one weekday;
- ``schedule: {dates: [2026-01-05, 2026-01-19, …]}``: the dates listed, and no others.

``new-issue`` dates the next issue on the next schedule day and ``check`` warns about an issue on
another day (``off-schedule``); neither refuses one, since an extra issue (號外) is sometimes needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from yaml.nodes import MappingNode, Node, SequenceNode

from generator.errors import Kind, Problem
from generator.model.schema import (INVALID, ChoiceType, DateType, Invalid, ListType, Reader, TextType, Type, Where, key,
                                    where_field)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
KINDS = ("days_of_month", "daily", "weekly", "dates")
#: How far ahead :meth:`Schedule.next_day` looks (a schedule with no day in a year has none).
HORIZON = 366 * 2


def _day_of_month(value: str) -> str | None:
    return None if value.isdigit() and 1 <= int(value) <= 28 else f"'{value}' is not a day of the month from 1 to 28"


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule:
    days_of_month: tuple[str, ...] = key(ListType(TextType(check=_day_of_month)), default=())
    daily: str | None = key(ChoiceType(("working-days", "every-day")))
    weekly: str | None = key(ChoiceType(WEEKDAYS))
    dates: tuple[dt.date, ...] = key(ListType(DateType()), default=())
    holidays: tuple[dt.date, ...] = key(ListType(DateType()), default=())  # days off that would be working days
    make_up_days: tuple[dt.date, ...] = key(ListType(DateType()), default=())  # worked weekend days (補行上班日)
    where: Where = where_field()

    @property
    def kind(self) -> str:
        """``days_of_month``, ``daily``, ``weekly`` or ``dates`` (exactly one is given: :class:`ScheduleType`)."""
        return next(kind for kind in KINDS if getattr(self, kind))

    @property
    def days(self) -> tuple[int, ...]:
        """The days of the month, for a schedule of days of the month (else empty)."""
        return tuple(sorted(int(day) for day in self.days_of_month))

    def is_issue_day(self, date: dt.date) -> bool:
        if self.days_of_month:
            return date.day in self.days
        if self.daily == "every-day":
            return True
        if self.daily:
            return date in self.make_up_days or (date.weekday() < 5 and date not in self.holidays)
        if self.weekly:
            return date.weekday() == WEEKDAYS.index(self.weekly)
        return date in self.dates

    def next_day(self, after: dt.date) -> dt.date | None:
        """The first schedule day strictly after ``after`` (None if there is none: a list of dates ended)."""
        if self.dates:
            return min((date for date in self.dates if date > after), default=None)
        day = after + dt.timedelta(days=1)
        for _ in range(HORIZON):
            if self.is_issue_day(day):
                return day
            day += dt.timedelta(days=1)
        return None

    def days_in(self, year: int) -> int:
        """How many schedule days ``year`` has (how many issues a year on schedule numbers)."""
        day, count = dt.date(year, 1, 1), 0
        while day.year == year:
            count += self.is_issue_day(day)
            day += dt.timedelta(days=1)
        return count

    def describe(self) -> str:
        """The schedule in a few words, for ``check``'s messages: ``day 1 or 16 of the month``."""
        if self.days_of_month:
            return "day " + " or ".join(map(str, self.days)) + " of the month"
        if self.daily == "every-day":
            return "every day"
        if self.daily:
            return "a working day: Monday to Friday except the holidays listed, or a make-up working day listed"
        if self.weekly:
            return f"a {self.weekly.capitalize()}"
        return "one of the dates listed"


class ScheduleType(Type):
    """``schedule:`` as a list of days of the month (the short form) or a mapping of one kind."""

    expected = "a list of days of the month, or a mapping with one of " + ", ".join(KINDS)

    def convert(self, node: Node, reader: Reader, key: str) -> Schedule:
        if isinstance(node, SequenceNode):
            days = reader.convert(ListType(TextType(check=_day_of_month)), node, key)
            if days is INVALID:
                raise Invalid(Kind.BAD_VALUE)  # reported
            if not days:
                raise Invalid(Kind.EMPTY_VALUE, node, key=key)
            return Schedule(days_of_month=days)
        if not isinstance(node, MappingNode):
            raise Invalid(Kind.WRONG_TYPE, node, key=key, expected=self.expected, found=f"'{getattr(node, 'value', '')}'")
        schedule = reader.read(Schedule, node, what=f"'{key}'")
        if schedule is INVALID:
            raise Invalid(Kind.BAD_VALUE)
        given = [kind for kind in KINDS if getattr(schedule, kind)]
        if len(given) != 1:
            reason = ("it names no kind of schedule" if not given else "it names " + " and ".join(given) + ": choose one")
            raise Invalid(Kind.BAD_VALUE, node, key=key, reason=f"{reason} (one of {', '.join(KINDS)})")
        if (schedule.holidays or schedule.make_up_days) and schedule.daily != "working-days":
            name = "holidays" if schedule.holidays else "make_up_days"
            reader.problems.append(Problem.of(Kind.BAD_VALUE, schedule.where[name], key=name,
                                              reason="it applies to a schedule of working days only (daily: working-days)"))
            raise Invalid(Kind.BAD_VALUE)  # reported
        return schedule


SCHEDULE = ScheduleType()
