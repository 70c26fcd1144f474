"""The beat jobs run on a real Celery worker (Redis in CI), against committed data."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays import services
from hangzhou_safety.workdays.models import CalendarYear, Deadline, SpecialDay
from hangzhou_safety.workdays.tasks import warn_if_next_year_missing
from tests.workdays.conftest import shanghai

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_publishing_next_year_recomputes_provisional_deadlines(calendar_data,
                                                                celery_live_worker,
                                                                municipal_admin):
    clock = services.start_deadline(label="整改期限", kind=Deadline.Kind.WORKING_DAYS,
                                    amount=20, started_at=shanghai(2026, 12, 20))
    assert clock.provisional
    # 2027 unscheduled: weekends and its statutory holidays (1 January) are days off.
    assert clock.due_date == datetime.date(2027, 1, 18)

    # The administrator enters 2027's New Year holiday and publishes the year.
    year, _ = CalendarYear.objects.get_or_create(year=2027)
    SpecialDay.objects.create(date=datetime.date(2027, 1, 1), kind=SpecialDay.Kind.HOLIDAY,
                              name="元旦")
    services.publish_year(2027, actor=municipal_admin)

    # on_commit → refresh_provisional_deadlines.delay() → the worker recomputes.
    def recomputed() -> bool:
        clock.refresh_from_db()
        return not clock.provisional

    assert wait_for(recomputed), "the worker did not recompute the provisional deadline"
    assert clock.due_date == datetime.date(2027, 1, 18)  # 1 Jan is now a holiday


def test_missing_year_warning_runs_on_the_worker(calendar_data, celery_live_worker,
                                                 municipal_admin, monkeypatch):
    # Fix "today" at 2 November (the worker is a thread of this process), so the warning
    # is due whatever the real date is and the test always sees the worker act.
    real_localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: (
        datetime.date(2026, 11, 2) if value is None else real_localdate(value, tz)))
    CalendarYear.objects.filter(year__gte=2027).delete()
    warn_if_next_year_missing.delay()
    assert wait_for(lambda: AuditEvent.objects.filter(
        action="workdays.next_year_missing").exists()), "the worker did not run the warning"
    event = AuditEvent.objects.get(action="workdays.next_year_missing")
    assert event.new_values["year"] == 2027 and event.new_values["date"] == "2026-11-02"
    # The task leaves next year's (unpublished) row for the administrator when it warns.
    assert CalendarYear.objects.filter(year=2027, published=False).exists()
    assert wait_for(lambda: any(municipal_admin.email in m.to for m in mail.outbox))
