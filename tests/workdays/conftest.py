"""Fixtures of the work-calendar tests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache

from hangzhou_safety.workdays.arithmetic import SHANGHAI, Calendar
from hangzhou_safety.workdays.seeding import HOLIDAY, WORKDAY, package_days


@pytest.fixture(scope="session")
def seeded_calendar() -> Calendar:
    """The calendar the migration seeds, built once in memory from the same package data
    (property tests call the pure functions on it thousands of times, and a session
    fixture must not depend on table contents that transactional tests elsewhere flush).
    test_workdays_seed_admin checks that Calendar.load() returns exactly this."""
    return package_calendar()


def package_calendar() -> Calendar:
    known = package_days()
    return Calendar.from_days(
        scheduled_years=known,
        holidays=[day for rows in known.values() for day, kind, _ in rows if kind == HOLIDAY],
        workdays=[day for rows in known.values() for day, kind, _ in rows if kind == WORKDAY],
    )


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    # The anonymous throttle counts in the local-memory cache, which outlives a test.
    cache.clear()


def shanghai(year: int, month: int, day: int, hour: int = 10, minute: int = 0
             ) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def at() -> Any:
    """at(2026, 3, 2, 10) → an aware Asia/Shanghai datetime."""
    return shanghai
