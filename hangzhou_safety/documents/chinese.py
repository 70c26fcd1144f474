"""Dates as official documents write them: 二〇二六年十二月二日. Pure: no Django import."""

from __future__ import annotations

import datetime

_DIGITS = "〇一二三四五六七八九"


def _number(value: int) -> str:
    """1..31 → 一 … 三十一 (day and month numbers)."""
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def chinese_date(day: datetime.date) -> str:
    year = "".join(_DIGITS[int(c)] for c in f"{day.year:04d}")
    return f"{year}年{_number(day.month)}月{_number(day.day)}日"
