"""The calendar service on the seeded State Council schedule (DOMAIN.md B11)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hangzhou_safety.workdays.arithmetic import (
    SHANGHAI,
    Calendar,
    CalendarRangeError,
    add_calendar_days,
    add_hours,
    add_working_days,
    end_of_day,
    is_working_day,
    year_is_scheduled,
)
from hangzhou_safety.workdays.models import CalendarYear, SpecialDay

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_data")]


@pytest.mark.parametrize(("start", "n", "due"), [
    (D(2026, 2, 10), 7, D(2026, 2, 26)),    # 2/14 (Sat) is a make-up workday
    (D(2026, 2, 10), 20, D(2026, 3, 16)),   # 2/28 (Sat) too; 2/15–23 off
    (D(2026, 9, 24), 7, D(2026, 10, 12)),   # 9/25–27 中秋, 10/1–7 国庆, 10/10 (Sat) works
    (D(2026, 9, 24), 20, D(2026, 10, 29)),
])
def test_worked_examples(start: D, n: int, due: D) -> None:
    result = add_working_days(start, n)
    assert result.due == due
    assert result.provisional is False


def test_seeded_schedule_2026() -> None:
    assert year_is_scheduled(2026)
    assert not year_is_scheduled(2027)
    assert SpecialDay.objects.get(date=D(2026, 2, 14)).kind == SpecialDay.Kind.WORKDAY
    assert SpecialDay.objects.get(date=D(2026, 2, 28)).kind == SpecialDay.Kind.WORKDAY
    assert SpecialDay.objects.get(date=D(2026, 2, 17)).name == "春节"
    assert is_working_day(D(2026, 2, 14))       # Saturday, 调休
    assert not is_working_day(D(2026, 2, 16))   # Monday, 春节
    assert not is_working_day(D(2026, 3, 7))    # an ordinary Saturday
    assert CalendarYear.objects.get(year=2004).source == CalendarYear.Source.CHINESECALENDAR


def test_start_in_december_2026_running_into_2027_is_provisional() -> None:
    result = add_working_days(D(2026, 12, 20), 20)
    assert result.provisional is True
    # 2027 unscheduled: weekends and the statutory 元旦 (1 Jan) off, 调休 unknown:
    # 21 Dec … 31 Dec (9), 4 Jan … 18 Jan (11).
    assert result.due == D(2027, 1, 18)
    assert add_working_days(D(2026, 12, 20), 5).provisional is False   # ends 2026-12-25


def test_calendar_days_ending_on_a_holiday_move_to_next_working_day() -> None:
    # 9/24 + 7 = 10/1 (国庆) → 10/8, the first working day after 10/1–7.
    result = add_calendar_days(D(2026, 9, 24), 7)
    assert result == add_calendar_days(D(2026, 9, 24), 8)
    assert result.due == D(2026, 10, 8) and not result.provisional
    # Ending on an ordinary working day: no move.
    assert add_calendar_days(D(2026, 3, 2), 10).due == D(2026, 3, 12)
    # Ending on a Sunday → Monday.
    assert add_calendar_days(D(2026, 3, 2), 13).due == D(2026, 3, 16)
    # Ending on a make-up Saturday: it is a working day, so it stays.
    assert add_calendar_days(D(2026, 10, 3), 7).due == D(2026, 10, 10)


def test_zero_days_is_the_start_day_or_the_next_working_day() -> None:
    assert add_working_days(D(2026, 3, 2), 0).due == D(2026, 3, 2)
    assert add_working_days(D(2026, 2, 16), 0).due == D(2026, 2, 24)   # 春节 → first day back
    assert add_calendar_days(D(2026, 3, 7), 0).due == D(2026, 3, 9)


def test_negative_period_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 3, 2), -1)


def test_hours_run_through_holidays() -> None:
    start = datetime.datetime(2026, 2, 16, 10, 0, tzinfo=SHANGHAI)
    assert add_hours(start, 24) == datetime.datetime(2026, 2, 17, 10, 0, tzinfo=SHANGHAI)
    with pytest.raises(ValueError, match="aware"):
        add_hours(datetime.datetime(2026, 2, 16, 10), 24)  # noqa: DTZ001 (naive on purpose)


def test_end_of_day_is_2359_shanghai() -> None:
    moment = end_of_day(D(2026, 2, 26))
    assert moment.astimezone(datetime.UTC) == datetime.datetime(2026, 2, 26, 15, 59, 59,
                                                                tzinfo=datetime.UTC)


def test_unpublished_year_ignores_its_draft_days() -> None:
    CalendarYear.objects.create(year=2027, published=False)
    # A draft bridge day (not a statutory holiday) counts only once published.
    SpecialDay.objects.create(date=D(2027, 1, 4), kind=SpecialDay.Kind.HOLIDAY, name="元旦")
    assert is_working_day(D(2027, 1, 4))          # not published: the draft is ignored
    CalendarYear.objects.filter(year=2027).update(published=True)
    assert not is_working_day(D(2027, 1, 4))


def test_calendar_loads_in_one_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        calendar = Calendar.load(2025)
    assert calendar.is_scheduled(2026) and not calendar.is_scheduled(2027)
    with pytest.raises(CalendarRangeError):
        calendar.is_working_day(D(2024, 5, 1))


def test_published_year_without_special_days_still_counts_as_scheduled() -> None:
    CalendarYear.objects.create(year=2031, published=True)
    assert Calendar.load(2031).is_scheduled(2031)


def test_in_memory_calendar() -> None:
    calendar = Calendar.from_days(scheduled_years=[2030], holidays=[D(2030, 1, 1)],
                                  workdays=[D(2030, 1, 5)])
    # 2029-12-31 (Mon) + 3: 1/1 off, 1/2, 1/3, 1/4 → 1/4 ; +4 → 1/5 (make-up Saturday)
    assert calendar.add_working_days(D(2029, 12, 31), 3).due == D(2030, 1, 4)
    assert calendar.add_working_days(D(2029, 12, 31), 4).due == D(2030, 1, 5)
    # 2029 is not scheduled: touching its last day makes the result provisional
    assert calendar.add_working_days(D(2029, 12, 28), 1).provisional
    assert not calendar.add_working_days(D(2029, 12, 31), 1).provisional
    assert calendar.working_days_between(D(2029, 12, 31), D(2030, 1, 7)) == 5
