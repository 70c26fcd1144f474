"""The loop's due dates in a year whose schedule is not entered yet (2027) are
provisional and recomputed when the schedule is entered (issue on legal accuracy:
"deadlines stay flagged provisional and are recomputed when the schedule is entered").

The 2027 schedule below is test data (a bridge day on 2027-01-04 and 2027-06-03), not
the State Council's: it only has to differ from the statutory-holiday fallback."""
# ruff: noqa: F811

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hangzhou_safety.workdays.models import CalendarYear, SpecialDay
from hangzhou_safety.workdays.services import PROVISIONAL_RECOMPUTERS
from inspections.loop import extensions, supervision
from inspections.loop import services as loop
from inspections.loop.provisional import recompute_provisional_dates
from inspections.models import Hazard, ReCheck, RectificationOrder
from tests.inspections.test_inspection_loop import (  # noqa: F401
    answer_all,
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_rules")]
D = datetime.date


def _publish_2027(*bridge_days: datetime.date) -> None:
    year, _ = CalendarYear.objects.get_or_create(year=2027)
    for day in bridge_days:
        SpecialDay.objects.create(date=day, kind=SpecialDay.Kind.HOLIDAY, name="测试调休",
                                  calendar_year=year)
    CalendarYear.objects.filter(year=2027).update(published=True)


def _hazard(inspection, actor, *, major=False):
    loop.start_inspection(inspection, actor=actor)
    items = inspection.items.order_by("order")
    item = (items.exclude(checklist_item__major_hazard_criterion="") if major
            else items.filter(checklist_item__major_hazard_criterion="")).first()
    answer_all(inspection, actor, {item.order: "现场发现的问题"})
    loop.complete_findings(inspection, actor=actor)
    return Hazard.objects.get(item=item)


def _issued_on(order, day):
    """Date the order's issue (the service issues it today)."""
    moment = datetime.datetime.combine(day, datetime.time(10),
                                       tzinfo=timezone.get_current_timezone())
    RectificationOrder.objects.filter(pk=order.pk).update(issued_at=moment)


def test_the_recomputation_is_registered_with_the_calendar_service():
    assert recompute_provisional_dates in PROVISIONAL_RECOMPUTERS


def test_an_order_deadline_and_its_extension_are_recomputed(inspection, xihu_inspector,
                                                            xihu_chief):
    hazard = _hazard(inspection, xihu_inspector)
    order = loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=10,
                             responsible_person="王厂长", measures="整改")
    _issued_on(order, D(2026, 12, 25))
    # As issued on 12-25: 12-25 + 10 = 2027-01-04 (Mon), a working day by the statutory
    # fallback; then an approved 3-day extension: 01-07.
    RectificationOrder.objects.filter(pk=order.pk).update(
        due_date=D(2027, 1, 4), due_provisional=True)
    extension = extensions.request_extension(
        hazard, actor=xihu_inspector, requested_on=loop._today(), extra_days=3,
        reason="材料未到货")
    extensions.decide_extension(extension, actor=xihu_chief, approve=True, reason="同意")
    order.refresh_from_db()
    assert (order.due_date, order.due_provisional) == (D(2027, 1, 7), True)
    assert recompute_provisional_dates() == 0  # nothing changes while 2027 is unscheduled

    _publish_2027(D(2027, 1, 4))
    assert recompute_provisional_dates() >= 1
    order.refresh_from_db()
    extension.refresh_from_db()
    # 12-25 + 10 = 01-04, now a rest day: 01-05; + 3 = 01-08; no longer provisional.
    assert (order.due_date, order.due_provisional) == (D(2027, 1, 8), False)
    assert extension.new_due_date == D(2027, 1, 8)
    assert recompute_provisional_dates() == 0  # idempotent


def test_a_stop_measure_limit_is_recomputed(inspection, xihu_inspector):
    hazard = _hazard(inspection, xihu_inspector, major=True)
    order = loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=20,
                             responsible_person="王厂长", measures="加装泄爆片",
                             funds=Decimal("5"), emergency_plan="应急预案",
                             onsite_measure="suspend")
    _issued_on(order, D(2026, 12, 3))
    RectificationOrder.objects.filter(pk=order.pk).update(
        onsite_measure_until=D(2027, 6, 3), onsite_measure_until_provisional=True)
    _publish_2027(D(2027, 6, 3))
    recompute_provisional_dates()
    order.refresh_from_db()
    # 2026-12-03 + 6 months = 2027-06-03, now a rest day: 06-04.
    assert (order.onsite_measure_until, order.onsite_measure_until_provisional) == (
        D(2027, 6, 4), False)


def test_a_recheck_and_its_application_to_resume_follow(inspection, xihu_inspector):
    hazard = _hazard(inspection, xihu_inspector, major=True)
    order = loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=20,
                             responsible_person="王厂长", measures="加装泄爆片",
                             funds=Decimal("5"), emergency_plan="应急预案",
                             onsite_measure="suspend")
    _issued_on(order, loop._today() - datetime.timedelta(days=3))
    application = supervision.register_resume_application(
        hazard, actor=xihu_inspector, applied_on=loop._today(), self_assessment="已整改")
    # Re-date the review as counted from 2026-12-25: + 10 = 2027-01-04 (provisional).
    due = loop.recheck_due("resume_review", D(2026, 12, 25))
    assert (due["due_date"], due["due_provisional"]) == (D(2027, 1, 4), True)
    ReCheck.objects.filter(hazard=hazard, result="").update(**due)
    type(application).objects.filter(pk=application.pk).update(
        review_due=due["due_date"], review_due_provisional=True)
    _publish_2027(D(2027, 1, 4))
    recompute_provisional_dates()
    recheck = ReCheck.objects.get(hazard=hazard, result="")
    application.refresh_from_db()
    assert (recheck.due_date, recheck.due_provisional) == (D(2027, 1, 5), False)
    assert (application.review_due, application.review_due_provisional) == (
        D(2027, 1, 5), False)
