"""Unscheduled years: the statutory holidays of 全国年节及纪念日放假办法 (2024 revision)
are days off, computed for the year; only the 调休 are unknown (DOMAIN.md corrections:
"for 2027, 01-01; 02-05–02-08 (除夕–初三); 04-05; 05-01–05-02; 06-09; 09-15; 10-01–10-03
[computed from the lunar calendar]")."""

from __future__ import annotations

import datetime

import pytest

from hangzhou_safety.workdays.arithmetic import Calendar, add_working_days, is_working_day
from hangzhou_safety.workdays.statutory import statutory_holidays

pytestmark = pytest.mark.django_db
D = datetime.date

HOLIDAYS_2027 = {
    D(2027, 1, 1),                                                 # 元旦
    D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8),    # 春节 除夕–初三
    D(2027, 4, 5),                                                 # 清明 (solar term)
    D(2027, 5, 1), D(2027, 5, 2),                                  # 劳动节
    D(2027, 6, 9),                                                 # 端午 五月初五
    D(2027, 9, 15),                                                # 中秋 八月十五
    D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3),               # 国庆节
}


def test_2027_statutory_holidays_are_exactly_the_law_s() -> None:
    assert statutory_holidays(2027) == HOLIDAYS_2027


def test_the_computation_agrees_with_the_published_2026_notice() -> None:
    # 国务院办公厅关于2026年部分节假日安排的通知: "春节：2月15日（农历腊月二十八、周日）至23日",
    # and every statutory day computed for 2026 is a day off in the notice.
    computed = statutory_holidays(2026)
    assert {D(2026, 2, 16), D(2026, 2, 17), D(2026, 4, 5), D(2026, 6, 19),
            D(2026, 9, 25)} <= computed
    published = Calendar.load(2026)
    assert all(not published.is_working_day(day) for day in computed)


def test_unscheduled_2027_counts_them_as_days_off() -> None:
    assert not Calendar.load(2026).is_scheduled(2027)
    for day in HOLIDAYS_2027:
        assert not is_working_day(day), day
    assert is_working_day(D(2027, 1, 4)) and is_working_day(D(2027, 2, 9))


def test_seven_working_days_from_2026_12_28_skip_new_year() -> None:
    """1 January is a holiday by law: the clock no longer ends 2027-01-06."""
    result = add_working_days(D(2026, 12, 28), 7)
    assert result.due == D(2027, 1, 7) and result.due != D(2027, 1, 6)
    assert result.provisional is True


def test_years_before_the_2024_revision_get_nothing_computed() -> None:
    assert statutory_holidays(2024) == frozenset()
