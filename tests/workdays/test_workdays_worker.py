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
    assert clock.due_date == datetime.date(2027, 1, 15)  # weekends only

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
                                                 municipal_admin):
    CalendarYear.objects.filter(year__gte=2027).delete()
    today = timezone.localdate()
    expected = services.next_year_missing(today)
    warn_if_next_year_missing.delay()
    # The task leaves next year's (unpublished) row for the administrator when it warns.
    if expected:
        assert wait_for(lambda: AuditEvent.objects.filter(
            action="workdays.next_year_missing").exists())
        assert CalendarYear.objects.filter(year=today.year + 1, published=False).exists()
        assert any(municipal_admin.email in m.to for m in mail.outbox)
    else:
        time.sleep(3)
        assert not AuditEvent.objects.filter(action="workdays.next_year_missing").exists()
