"""The loop's provisional due dates, recomputed once their year's schedule is entered.

A due date falling in a year whose holiday schedule is not entered yet (2027 today) is
counted with that year's statutory holidays only (全国年节及纪念日放假办法; 调休 unknown)
and flagged provisional (issue on legal accuracy). The loop keeps its due dates as
fields of its rows, not as workdays Deadline clocks, so publishing a year calls this
(registered with the workdays service from InspectionsConfig.ready()):

- an order's rectification deadline: the issue date plus the ordered days, then each
  approved extension from the deadline it moved (extensions.decide_extension);
- the last day of a limited stop measure (measure_limit.py): the issue date plus the
  months of the limit (read back from the dates: the roll past a rest day never adds a
  month);
- a pending re-check: its basis plus its period, both kept on the row (due_from, ...);
  a pending application to resume follows its re-check (they are the same review).

One transaction, rows locked SKIP LOCKED (a row a step is changing now is recomputed
by the next run), one UPDATE per model; idempotent. Rows made before the basis was kept
(due_from empty) are left as they are.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.models import ClockRule
from hangzhou_safety.workdays.services import (
    Calendar,
    add_calendar_days,
    add_calendar_months,
    add_rule_period,
)
from inspections.loop.models import (
    DeadlineExtension,
    ReCheck,
    RectificationOrder,
    ResumeApplication,
)

DAYS_PER_MONTH = 30.44


def _order_due(order: RectificationOrder, calendar: Calendar) -> tuple[datetime.date, bool]:
    approved = sorted((e for e in order.extensions.all()
                       if e.status == DeadlineExtension.Status.APPROVED),
                      key=lambda e: (e.decided_at or e.registered_at, e.pk))
    base_days = (order.deadline_days or 0) - sum(e.extra_days for e in approved)
    result = add_calendar_days(timezone.localdate(order.issued_at), base_days,
                               calendar=calendar)
    provisional = result.provisional
    for extension in approved:
        result = add_calendar_days(result.due, extension.extra_days, calendar=calendar)
        provisional = provisional or result.provisional
        extension.new_due_date = result.due
    return result.due, provisional


def _measure_until(order: RectificationOrder, calendar: Calendar
                   ) -> tuple[datetime.date, bool]:
    assert order.onsite_measure_until is not None
    issued = timezone.localdate(order.issued_at)
    months = max(1, round((order.onsite_measure_until - issued).days / DAYS_PER_MONTH))
    result = add_calendar_months(issued, months, calendar=calendar)
    return result.due, result.provisional


def _orders(calendar: Calendar) -> tuple[list[RectificationOrder], list[DeadlineExtension]]:
    orders = list(RectificationOrder.objects.select_for_update(of=("self",), skip_locked=True)
                  .filter(due_provisional=True, kind=RectificationOrder.Kind.DEADLINE)
                  .prefetch_related("extensions").order_by("pk"))
    changed, extensions = [], []
    for order in orders:
        due, provisional = _order_due(order, calendar)
        if (due, provisional) != (order.due_date, order.due_provisional):
            order.due_date, order.due_provisional = due, provisional
            changed.append(order)
            extensions += [e for e in order.extensions.all() if e.new_due_date is not None]
    return changed, extensions


def _measures(calendar: Calendar) -> list[RectificationOrder]:
    changed = []
    for order in (RectificationOrder.objects.select_for_update(of=("self",), skip_locked=True)
                  .filter(onsite_measure_until_provisional=True,
                          onsite_measure_until__isnull=False).order_by("pk")):
        until, provisional = _measure_until(order, calendar)
        if (until, provisional) != (order.onsite_measure_until,
                                    order.onsite_measure_until_provisional):
            order.onsite_measure_until = until
            order.onsite_measure_until_provisional = provisional
            changed.append(order)
    return changed


def _rechecks(calendar: Calendar) -> list[ReCheck]:
    changed = []
    for recheck in (ReCheck.objects.select_for_update(skip_locked=True)
                    .filter(due_provisional=True, result="", due_from__isnull=False,
                            due_amount__isnull=False).order_by("pk")):
        assert recheck.due_from is not None and recheck.due_amount is not None
        # The period as it was when the re-check was opened, not the rule's today.
        period = ClockRule(code="recheck", kind=recheck.due_kind, amount=recheck.due_amount)
        result = add_rule_period(period.code, recheck.due_from, calendar=calendar,
                                 rule=period)
        if (result.due, result.provisional) != (recheck.due_date, recheck.due_provisional):
            recheck.due_date, recheck.due_provisional = result.due, result.provisional
            changed.append(recheck)
    return changed


def recompute_provisional_dates() -> int:
    """Recompute the loop's provisional due dates; returns how many rows changed."""
    with transaction.atomic():
        calendar = Calendar.load()
        orders, extensions = _orders(calendar)
        RectificationOrder.objects.bulk_update(orders, ["due_date", "due_provisional"])
        DeadlineExtension.objects.bulk_update(extensions, ["new_due_date"])
        measures = _measures(calendar)
        RectificationOrder.objects.bulk_update(
            measures, ["onsite_measure_until", "onsite_measure_until_provisional"])
        rechecks = _rechecks(calendar)
        ReCheck.objects.bulk_update(rechecks, ["due_date", "due_provisional"])
        applications = _follow_rechecks(rechecks)
        total = len(orders) + len(measures) + len(rechecks)
        if total:
            record_event("inspections.provisional_dates_recomputed", new={
                "orders": [o.pk for o in orders][:1000],
                "measures": [o.pk for o in measures][:1000],
                "rechecks": [r.pk for r in rechecks][:1000],
                "resume_applications": applications})
    return total


def _follow_rechecks(rechecks: list[ReCheck]) -> int:
    by_hazard: dict[int, Any] = {r.hazard_id: r for r in rechecks}
    pending = list(ResumeApplication.objects.select_for_update(skip_locked=True).filter(
        hazard_id__in=by_hazard, status=ResumeApplication.Status.PENDING))
    for application in pending:
        recheck = by_hazard[application.hazard_id]
        application.review_due = recheck.due_date
        application.review_due_provisional = recheck.due_provisional
    ResumeApplication.objects.bulk_update(pending, ["review_due", "review_due_provisional"])
    return len(pending)
