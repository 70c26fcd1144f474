"""Deadline arithmetic on the statutory calendar.

`Calendar` is a snapshot of the published schedule read in one query; everything
else here is a pure function of it, so callers that compute many deadlines (the
provisional sweep, property tests) load it once.

Rules (DOMAIN.md B11):

- The start day is not counted; a period of N working days ends on the N-th working
  day after it, make-up workdays (调休) counting and holidays not.
- A period of N calendar days ends N days after the start day; when that day is not
  a working day the period ends on the next working day.
- N = 0 ends on the start day itself when it is a working day, otherwise on the next
  working day (the same "a period never ends on a day off" rule). So a due date is
  never a non-working day, and due(0) == due(1) when the start is a day off.
- A year without a published schedule counts weekends and the statutory holidays fixed
  by 全国年节及纪念日放假办法 (statutory.py, computed for the year) as days off; only
  its 调休 are unknown, so a result that touches such a year (any day from the start,
  exclusive, to the due day) is provisional and is recomputed once the schedule is
  entered.
- A period of N calendar months (a measure's maximum duration: the clock rule
  ``stop_measure_limit``) ends on the day with the start day's number N months later;
  a day the month lacks (31 January + 1 month) is the month's last day. Like a
  calendar-day period, it never ends on a day off: it moves to the next working day
  (the rule table's convention for calendar periods, DOMAIN.md corrections of
  2026-12-01; no text in docs/laws says otherwise for months). Provisional as above.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .statutory import statutory_holidays

#: Days are counted in Hangzhou's time zone whatever the active time zone is.
SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = datetime.timedelta(days=1)
#: A day-clock period ends at the last second of its due day.
END_OF_DAY = datetime.time(23, 59, 59)

#: A closed pause as a date interval (after, through]: the days after the pause day up
#: to and including the resume day are left out of the count.
SkipRange = tuple[datetime.date, datetime.date]


class CalendarRangeError(ValueError):
    """The calendar snapshot was loaded from a later year than the date asked about."""


@dataclass(frozen=True)
class DeadlineResult:
    due: datetime.date
    provisional: bool


@dataclass(frozen=True)
class Calendar:
    """The published schedule from `from_year` on (all years when None)."""

    scheduled_years: frozenset[int]
    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]
    from_year: int | None = None

    @classmethod
    def load(cls, from_year: int | None = None) -> Calendar:
        """Read published years and their special days in one query (a LEFT JOIN, so a
        published year without any special day still counts as scheduled)."""
        from .models import CalendarYear, SpecialDay

        rows = CalendarYear.objects.filter(published=True)
        if from_year is not None:
            rows = rows.filter(year__gte=from_year)
        years: set[int] = set()
        holidays: set[datetime.date] = set()
        workdays: set[datetime.date] = set()
        for year, day, kind in rows.values_list("year", "special_days__date",
                                                "special_days__kind"):
            years.add(year)
            if day is None:
                continue
            (holidays if kind == SpecialDay.Kind.HOLIDAY else workdays).add(day)
        return cls(frozenset(years), frozenset(holidays), frozenset(workdays), from_year)

    @classmethod
    def from_days(cls, *, scheduled_years: Iterable[int],
                  holidays: Iterable[datetime.date] = (),
                  workdays: Iterable[datetime.date] = ()) -> Calendar:
        """A calendar built in memory (tests, previews)."""
        return cls(frozenset(scheduled_years), frozenset(holidays), frozenset(workdays))

    def is_scheduled(self, year: int) -> bool:
        self._check(year)
        return year in self.scheduled_years

    def is_working_day(self, day: datetime.date) -> bool:
        self._check(day.year)
        if day.year in self.scheduled_years:
            if day in self.workdays:
                return True
            if day in self.holidays:
                return False
        elif day in statutory_holidays(day.year):
            return False
        return day.weekday() < 5

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def working_days_between(self, after: datetime.date, through: datetime.date) -> int:
        """Working days in (after, through]."""
        count, day = 0, after
        while day < through:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count

    def add_working_days(self, start: datetime.date, n: int,
                         skip: Sequence[SkipRange] = ()) -> DeadlineResult:
        return self._count(start, n, self.is_working_day, skip, roll_forward=False)

    def add_calendar_days(self, start: datetime.date, n: int,
                          skip: Sequence[SkipRange] = ()) -> DeadlineResult:
        return self._count(start, n, lambda _day: True, skip, roll_forward=True)

    def add_calendar_months(self, start: datetime.date, n: int) -> DeadlineResult:
        """N calendar months after `start`, clamped to the month's end, moved off a
        day off. Pauses are not supported: no month period here is ever paused."""
        if n < 0:
            raise ValueError("a period cannot be negative")
        day = add_months(start, n)
        years = set(range((start + ONE_DAY).year, day.year + 1)) if n else {start.year}
        while not self.is_working_day(day):
            day += ONE_DAY
            years.add(day.year)
        provisional = any(not self.is_scheduled(year) for year in years)
        return DeadlineResult(due=day, provisional=provisional)

    def _count(self, start: datetime.date, n: int, counts: Callable[[datetime.date], bool],
               skip: Sequence[SkipRange], *, roll_forward: bool) -> DeadlineResult:
        if n < 0:
            raise ValueError("a period cannot be negative")
        years: set[int] = set()
        day = start
        if n == 0:
            years.add(day.year)
        counted = 0
        while counted < n:
            day += ONE_DAY
            years.add(day.year)
            if any(after < day <= through for after, through in skip):
                continue
            if counts(day):
                counted += 1
        if roll_forward or n == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
                years.add(day.year)
        provisional = any(not self.is_scheduled(year) for year in years)
        return DeadlineResult(due=day, provisional=provisional)

    def _check(self, year: int) -> None:
        if self.from_year is not None and year < self.from_year:
            raise CalendarRangeError(
                f"calendar loaded from {self.from_year}, asked about {year}")


def add_months(start: datetime.date, n: int) -> datetime.date:
    """The date N months after `start` with the same day number, or the month's last
    day when it has no such day (pure date arithmetic, no calendar)."""
    index = start.year * 12 + start.month - 1 + n
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(start.day, last))


# --- Convenience functions: each loads the calendar it needs (one query). ---------

def is_working_day(day: datetime.date, *, calendar: Calendar | None = None) -> bool:
    return (calendar or Calendar.load(day.year)).is_working_day(day)


def add_working_days(start: datetime.date, n: int, *,
                     calendar: Calendar | None = None) -> DeadlineResult:
    """N working days after `start` (start day not counted, 调休 respected)."""
    return (calendar or Calendar.load(start.year)).add_working_days(start, n)


def add_calendar_days(start: datetime.date, n: int, *,
                      calendar: Calendar | None = None) -> DeadlineResult:
    """N calendar days after `start`; a period ending on a day off moves to the next
    working day."""
    return (calendar or Calendar.load(start.year)).add_calendar_days(start, n)


def add_calendar_months(start: datetime.date, n: int, *,
                        calendar: Calendar | None = None) -> DeadlineResult:
    """N calendar months after `start` (clamped to the month's end); a period ending
    on a day off moves to the next working day."""
    return (calendar or Calendar.load(start.year)).add_calendar_months(start, n)


def add_hours(start: datetime.datetime, n: int) -> datetime.datetime:
    """N hours after `start`, counted around the clock (holidays do not stop it)."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("add_hours needs an aware datetime")
    if n < 0:
        raise ValueError("a period cannot be negative")
    return start + datetime.timedelta(hours=n)


def year_is_scheduled(year: int) -> bool:
    from .models import CalendarYear

    return CalendarYear.objects.filter(year=year, published=True).exists()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Asia/Shanghai calendar day of an aware datetime."""
    return moment.astimezone(SHANGHAI).date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """23:59:59 of `day` in Asia/Shanghai (aware)."""
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)
