"""Calendar-month periods (the clock rule unit ``calendar_months``, used by the rule
``stop_measure_limit``: the six-month limit of 责令暂时停产停业 / 停止使用, issue 10).

N months after a day ends on the same day number N months later, or on that month's
last day when it has none; like a calendar-day period it never ends on a day off and is
provisional when it touches a year whose holiday schedule is not published (2027)."""

from __future__ import annotations

import datetime

import pytest

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.workdays.arithmetic import Calendar, add_calendar_months, add_months
from hangzhou_safety.workdays.clock_rules import CLOCK_RULES
from hangzhou_safety.workdays.models import ClockRule
from hangzhou_safety.workdays.services import add_rule_period, start_clock

D = datetime.date


@pytest.mark.parametrize(("start", "n", "end"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),    # February 2026 has no 31st (nor 29th)
    (D(2028, 1, 31), 1, D(2028, 2, 29)),    # leap year
    (D(2024, 2, 29), 12, D(2025, 2, 28)),   # a leap day a year on
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2026, 3, 31), 6, D(2026, 9, 30)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),    # across the year boundary, clamped
    (D(2026, 12, 15), 1, D(2027, 1, 15)),
    (D(2026, 7, 15), 6, D(2027, 1, 15)),
    (D(2026, 5, 10), 0, D(2026, 5, 10)),
    (D(2026, 5, 10), 18, D(2027, 11, 10)),
])
def test_month_arithmetic_clamps_to_the_months_last_day(start: D, n: int, end: D) -> None:
    assert add_months(start, n) == end


def test_a_leap_day_on_an_in_memory_calendar() -> None:
    calendar = Calendar.from_days(scheduled_years=[2028])
    result = calendar.add_calendar_months(D(2028, 1, 31), 1)
    assert (result.due, result.provisional) == (D(2028, 2, 29), False)   # a Tuesday


def test_a_negative_period_is_refused() -> None:
    with pytest.raises(ValueError):
        Calendar.from_days(scheduled_years=[2026]).add_calendar_months(D(2026, 1, 1), -1)


@pytest.mark.django_db
@pytest.mark.usefixtures("calendar_data")
class TestOnTheSeededCalendar:
    def test_the_clamped_day_is_a_make_up_workday(self) -> None:
        # 31 Jan 2026 + 1 month = 28 Feb 2026, a Saturday worked as 调休: it stays.
        result = add_calendar_months(D(2026, 1, 31), 1)
        assert (result.due, result.provisional) == (D(2026, 2, 28), False)

    def test_a_period_ending_in_a_holiday_moves_to_the_next_working_day(self) -> None:
        # 7 Apr + 6 months = 7 Oct 2026 (国庆): the period ends on Thursday 8 Oct.
        result = add_calendar_months(D(2026, 4, 7), 6)
        assert (result.due, result.provisional) == (D(2026, 10, 8), False)

    def test_a_period_ending_on_a_weekend_moves_to_monday(self) -> None:
        # 2026-05-31 + 6 months = 2026-11-30, a Monday: stays. 2026-04-18 + 3 months =
        # 2026-07-18, a Saturday: Monday the 20th.
        assert add_calendar_months(D(2026, 5, 31), 6).due == D(2026, 11, 30)
        assert add_calendar_months(D(2026, 4, 18), 3).due == D(2026, 7, 20)

    def test_a_period_inside_published_years_is_final(self) -> None:
        result = add_calendar_months(D(2026, 6, 30), 6)
        assert (result.due, result.provisional) == (D(2026, 12, 30), False)
        # From a published 2025 into a published 2026.
        assert add_calendar_months(D(2025, 8, 29), 6).provisional is False

    def test_a_period_reaching_an_unscheduled_year_is_provisional(self) -> None:
        # 2027's schedule is not published: weekends and the fixed holidays only.
        result = add_calendar_months(D(2026, 7, 15), 6)
        assert (result.due, result.provisional) == (D(2027, 1, 15), True)   # a Friday
        # 2026-08-31 + 6 months = 2027-02-28, a Sunday → Monday 1 March, provisional.
        result = add_calendar_months(D(2026, 8, 31), 6)
        assert (result.due, result.provisional) == (D(2027, 3, 1), True)
        # Ending on 2027's statutory 元旦 (known even unscheduled) moves off it.
        result = add_calendar_months(D(2026, 12, 1), 1)
        assert (result.due, result.provisional) == (D(2027, 1, 4), True)


@pytest.mark.django_db
@pytest.mark.usefixtures("clock_rules")
class TestTheStopMeasureRule:
    def test_the_rule_is_seeded_as_data_with_its_source(self) -> None:
        rule = ClockRule.objects.get(code="stop_measure_limit")
        assert (rule.kind, rule.amount, rule.evidence) == ("calendar_months", 6, "P")
        assert "第六十五条" in rule.legal_basis and "待核对" in rule.legal_basis
        assert "DOMAIN.md B3" in rule.source
        assert str(rule) == "责令暂时停产停业、停止使用相关设施设备的期限（6个月）"
        assert "stop_measure_limit" in {row[0] for row in CLOCK_RULES}

    def test_add_rule_period_counts_the_rules_months(self) -> None:
        result = add_rule_period("stop_measure_limit", D(2026, 4, 7))
        assert (result.due, result.provisional) == (D(2026, 10, 8), False)

    def test_an_administrators_correction_changes_the_period(self) -> None:
        ClockRule.objects.filter(code="stop_measure_limit").update(amount=3)
        assert add_rule_period("stop_measure_limit", D(2026, 4, 7)).due == D(2026, 7, 7)
        ClockRule.objects.filter(code="stop_measure_limit").update(
            amount=180, kind="calendar_days")
        assert add_rule_period("stop_measure_limit", D(2026, 4, 7)).due == D(2026, 10, 8)

    def test_a_month_rule_does_not_start_a_tracked_clock(self) -> None:
        with pytest.raises(DomainError) as caught:
            start_clock("stop_measure_limit", subject=None,
                        started_at=datetime.datetime(2026, 4, 7, 10, tzinfo=datetime.UTC))
        assert caught.value.code == "clock_rule_unit"

    def test_the_admin_offers_the_month_unit(self) -> None:
        rule = ClockRule.objects.get(code="stop_measure_limit")
        rule.full_clean()
        assert ("calendar_months", "个月") in [(k, str(v)) for k, v in
                                               ClockRule._meta.get_field("kind").choices]
