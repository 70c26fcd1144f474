"""Property tests on the seeded calendar (2004–2026 published, 2027 not).

The calendar is read from the database once per session (`seeded_calendar`); the
properties exercise the pure functions, so no example touches the database.
"""

from __future__ import annotations

import datetime

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hangzhou_safety.workdays.arithmetic import ONE_DAY, Calendar

D = datetime.date
starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 31))
periods = st.integers(min_value=0, max_value=400)
fast = settings(max_examples=300, deadline=None)


@fast
@given(start=starts, n=periods)
def test_working_day_deadline_never_lands_on_a_day_off(seeded_calendar: Calendar,
                                                      start: D, n: int) -> None:
    result = seeded_calendar.add_working_days(start, n)
    assert seeded_calendar.is_working_day(result.due)
    # N = 0 is documented as "the start day, or the next working day".
    assert result.due >= start
    if n:
        assert result.due > start
        assert seeded_calendar.working_days_between(start, result.due) == n


@fast
@given(start=starts, n=periods)
def test_working_day_deadline_is_monotonic_in_n(seeded_calendar: Calendar,
                                                start: D, n: int) -> None:
    this = seeded_calendar.add_working_days(start, n).due
    following = seeded_calendar.add_working_days(start, n + 1).due
    if n == 0:
        # Equal exactly when the start day itself is a day off.
        assert following >= this
        assert (following == this) == (not seeded_calendar.is_working_day(start))
    else:
        assert following > this


@fast
@given(start=starts, n=periods)
def test_provisional_exactly_when_the_period_reaches_2027(seeded_calendar: Calendar,
                                                         start: D, n: int) -> None:
    result = seeded_calendar.add_working_days(start, n)
    assert result.provisional == (result.due.year >= 2027)


@fast
@given(start=starts, n=periods)
def test_calendar_day_deadline_moves_only_over_days_off(seeded_calendar: Calendar,
                                                       start: D, n: int) -> None:
    result = seeded_calendar.add_calendar_days(start, n)
    nominal = start + datetime.timedelta(days=n)
    assert seeded_calendar.is_working_day(result.due)
    assert result.due >= nominal
    day = nominal
    while day < result.due:
        assert not seeded_calendar.is_working_day(day)
        day += ONE_DAY


@fast
@given(start=starts, n=st.integers(min_value=1, max_value=200),
       pause_offset=st.integers(min_value=0, max_value=60),
       pause_length=st.integers(min_value=0, max_value=60))
def test_a_pause_gives_back_exactly_its_working_days(
        seeded_calendar: Calendar, start: D, n: int, pause_offset: int,
        pause_length: int) -> None:
    paused = start + datetime.timedelta(days=pause_offset)
    resumed = paused + datetime.timedelta(days=pause_length)
    plain = seeded_calendar.add_working_days(start, n).due
    # A pause after the due day is not a case the skip rule is about.
    assume(paused < plain)
    given_back = seeded_calendar.working_days_between(paused, resumed)
    skipped = seeded_calendar.add_working_days(start, n, [(paused, resumed)]).due
    assert skipped == seeded_calendar.add_working_days(start, n + given_back).due
    assert not (paused < skipped <= resumed)
