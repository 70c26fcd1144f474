"""No execution at night or on a statutory holiday unless urgent (行政强制法 第四十三条)."""

from __future__ import annotations

import datetime

import pytest

from enforcement.measures.timing import NIGHT, ExecutionTimeRefused, check_execution_time
from hangzhou_safety.workdays.arithmetic import SHANGHAI, Calendar
from tests.enforcement.helpers import refused

# The 2026 schedule (DOMAIN.md B11): 国庆 10/1–7, work on Sat 10/10.
CAL = Calendar.from_days(
    scheduled_years=[2026],
    holidays=[datetime.date(2026, 10, d) for d in range(1, 8)],
    workdays=[datetime.date(2026, 10, 10)])


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize("moment", [at(9, 22), at(9, 23, 59), at(10, 0), at(10, 5, 59)])
def test_night_is_refused(moment: datetime.datetime) -> None:
    with refused(ExecutionTimeRefused, "夜间"):
        check_execution_time(moment, emergency=False, calendar=CAL)


@pytest.mark.parametrize("moment", [at(9, 6), at(9, 21, 59), at(10, 10), at(11, 10)])
def test_daytime_on_a_working_day_or_weekend_is_allowed(moment: datetime.datetime) -> None:
    check_execution_time(moment, emergency=False, calendar=CAL)


@pytest.mark.parametrize("day", [1, 4, 7])
def test_a_statutory_holiday_is_refused(day: int) -> None:
    with refused(ExecutionTimeRefused, "法定节假日"):
        check_execution_time(at(day, 10), emergency=False, calendar=CAL)


@pytest.mark.parametrize("moment", [at(1, 10), at(9, 23)])
def test_an_emergency_may_be_executed_at_any_time(moment: datetime.datetime) -> None:
    check_execution_time(moment, emergency=True, calendar=CAL)


def test_utc_moments_are_judged_in_shanghai_time() -> None:
    # 14:30 UTC is 22:30 in Shanghai.
    moment = datetime.datetime(2026, 10, 9, 14, 30, tzinfo=datetime.UTC)
    with pytest.raises(ExecutionTimeRefused):
        check_execution_time(moment, emergency=False, calendar=CAL)


def test_an_unpublished_year_uses_the_statutory_list() -> None:
    cal = Calendar.from_days(scheduled_years=[])
    with pytest.raises(ExecutionTimeRefused):
        check_execution_time(datetime.datetime(2027, 10, 2, 10, tzinfo=SHANGHAI),
                             emergency=False, calendar=cal)
    check_execution_time(datetime.datetime(2027, 10, 8, 10, tzinfo=SHANGHAI),
                         emergency=False, calendar=cal)


def test_the_night_window_names_its_source() -> None:
    assert "本局设定" in NIGHT.source
