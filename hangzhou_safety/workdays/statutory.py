"""The statutory public holidays (法定节假日) of a year, computed, for years whose
schedule the State Council has not published (or the administrator not entered).

全国年节及纪念日放假办法 (revised 2024, in force 2025-01-01; DOMAIN.md corrections)
fixes the holidays themselves: 元旦 1 day (1 January); 春节 4 days (除夕 to 正月初三);
清明节 1 day (the day of the solar term 清明); 劳动节 2 days (1–2 May); 端午节 1 day
(五月初五); 中秋节 1 day (八月十五); 国庆节 3 days (1–3 October). Only the 调休 (days
moved to make bridges, and the weekend days worked in exchange) are unknown until the
annual notice, so a deadline reaching such a year stays provisional and is recomputed
when the schedule is entered.

The lunar dates come from `lunardate` (pinned in pyproject.toml), the solar term from
`chinesecalendar`'s solar-term table.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from chinese_calendar import get_solar_terms
from lunardate import LunarDate

#: The first year the 2024 revision governs (it added 除夕 and 2 May).
FIRST_YEAR = 2025
ONE_DAY = datetime.timedelta(days=1)


def _lunar(year: int, month: int, day: int) -> datetime.date:
    solar: datetime.date = LunarDate(year, month, day).to_solar_date()
    return solar


def _qingming(year: int) -> datetime.date:
    start, end = datetime.date(year, 4, 1), datetime.date(year, 4, 10)
    return next(day for day, name in get_solar_terms(start, end) if name == "清明")


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The days off fixed by law in `year` (empty before the 2024 revision applies)."""
    if year < FIRST_YEAR:
        return frozenset()
    new_year = _lunar(year, 1, 1)
    eve = new_year - ONE_DAY  # 除夕: the last day of the previous lunar year
    days = {
        datetime.date(year, 1, 1),
        eve, new_year, new_year + ONE_DAY, new_year + 2 * ONE_DAY,
        _qingming(year),
        datetime.date(year, 5, 1), datetime.date(year, 5, 2),
        _lunar(year, 5, 5),
        _lunar(year, 8, 15),
        datetime.date(year, 10, 1), datetime.date(year, 10, 2), datetime.date(year, 10, 3),
    }
    return frozenset(day for day in days if day.year == year)
