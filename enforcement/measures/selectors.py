"""Reads of measures shared by the API and the case page."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from enforcement.cases.models import Case
from hangzhou_safety.workdays.models import Deadline

from .models import CompulsoryMeasure

OPEN_CLOCK = (Deadline.Status.RUNNING, Deadline.Status.PAUSED)


def visible_measures(user: Any) -> QuerySet[CompulsoryMeasure]:
    return (CompulsoryMeasure.objects.filter(case__in=Case.objects.visible_to(user))
            .select_related("case", "limit_clock", "report_clock", "decision_document",
                            "lifting_document")
            .prefetch_related("items", "officers", "changes").order_by("id"))


def measures_of(case: Case) -> QuerySet[CompulsoryMeasure]:
    return (CompulsoryMeasure.objects.filter(case=case)
            .select_related("limit_clock", "report_clock", "decision_document",
                            "lifting_document")
            .prefetch_related("items", "changes").order_by("id"))


def time_left(measure: CompulsoryMeasure, now: datetime.datetime | None = None
              ) -> dict[str, Any] | None:
    """What the page shows of the measure's running clock: the 24-hour report (hours
    left), the 30-day seal/seize period or the six-month limit (days left)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    report = measure.report_clock
    if report is not None and report.status in OPEN_CLOCK:
        hours = int((report.due_at - now).total_seconds() // 3600)
        return {"label": report.label, "unit": "hours", "left": hours, "due": report.due_at}
    clock = measure.limit_clock
    if clock is not None and clock.status in OPEN_CLOCK:
        due = clock.due_date or timezone.localtime(clock.due_at).date()
        return {"label": clock.label, "unit": "days", "left": (due - today).days,
                "due": clock.due_at}
    if measure.limit_until is not None and measure.in_force:
        return {"label": "措施期限", "unit": "days",
                "left": (measure.limit_until - today).days, "due": measure.limit_until}
    return None
