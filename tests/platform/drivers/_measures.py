"""Shared builders of the measure driver and tests: a measure of a 西湖区 case in any
status, made directly in the database with what that status implies, and a safe
execution moment (a past daytime moment that is not a statutory holiday), so the
tests do not depend on the hour they run at."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from enforcement.cases.models import Case
from enforcement.measures.models import CompulsoryMeasure, MeasureItem, MeasureKind
from enforcement.measures.timing import is_statutory_holiday
from hangzhou_safety.workdays.arithmetic import SHANGHAI
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import start_clock
from tests.platform.drivers._cases import Staff, make_case, officers
from tests.platform.drivers._inspections import user

MS = CompulsoryMeasure.Status
K = MeasureKind


def safe_moment(now: datetime.datetime | None = None) -> datetime.datetime:
    """The latest past 10:00 or 15:00 (Asia/Shanghai) on a day that is not a statutory
    holiday, at least ten minutes before ``now``."""
    now = now or timezone.now()
    day = now.astimezone(SHANGHAI).date()
    for _ in range(40):
        if not is_statutory_holiday(day):
            for hour in (15, 10):
                moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)
                if moment <= now - datetime.timedelta(minutes=10):
                    return moment
        day -= datetime.timedelta(days=1)
    raise AssertionError("no safe moment found")


def make_measure(status: str = MS.PROPOSED, *, kind: str = K.SEAL, case: Case | None = None,
                 staff: Staff | None = None, emergency: bool | None = None,
                 at: datetime.datetime | None = None) -> CompulsoryMeasure:
    """A measure in ``status`` on an investigating case. Emergency statuses (emergency,
    reported, not_approved) are made as emergency measures executed an hour ago."""
    case = case or make_case(Case.Status.INVESTIGATING, staff=staff)
    inspector = case.officers.order_by("pk").first()
    approver = user("xihu_approver") if staff is None else staff.approver
    team = officers() if staff is None else staff.officers
    urgent = status in (MS.EMERGENCY, MS.REPORTED, MS.NOT_APPROVED) if emergency is None \
        else emergency
    now = timezone.now()
    executed = at or (now - datetime.timedelta(hours=1) if urgent else safe_moment())
    measure = CompulsoryMeasure.objects.create(
        case=case, kind=kind, status=status, legal_basis="《中华人民共和国行政强制法》第二十四条",
        reason="有根据认为不符合国家标准的设备", place="一号车间", emergency=urgent,
        proposed_by=inspector, proposed_at=executed - datetime.timedelta(hours=2))
    if kind in (K.SEAL, K.SEIZE):
        MeasureItem.objects.create(measure=measure, description="除尘器", quantity="2台",
                                   kept_at="一号车间")
    values: dict[str, Any] = {}
    if status in (MS.APPROVED, MS.EXECUTED, MS.LIFTED, MS.REFUSED) and not urgent:
        values.update(approver=approver, approved_at=executed - datetime.timedelta(hours=1),
                      approval_opinion="同意")
    if status == MS.REFUSED:
        values["refusal_reason"] = "证据不足"
    executed_statuses = (MS.EXECUTED, MS.LIFTED, MS.EMERGENCY, MS.REPORTED, MS.NOT_APPROVED)
    if status in executed_statuses:
        values.update(executed_at=executed, onsite_record="现场实施查封，当事人签名。",
                      party_signed=True)
        measure.officers.set(team)
        if kind in (K.SEAL, K.SEIZE):
            values["limit_clock"] = start_clock("seizure", subject=measure, started_at=executed)
        if urgent:
            values["report_clock"] = start_clock("emergency_measure_report", subject=measure,
                                                 started_at=executed)
    if status in (MS.REPORTED, MS.NOT_APPROVED) or (urgent and status in (MS.EXECUTED,
                                                                           MS.LIFTED)):
        values.update(reported_at=executed + datetime.timedelta(minutes=30),
                      report_text="已报告")
        if "report_clock" in values:
            Deadline.objects.filter(pk=values["report_clock"].pk).update(
                status=Deadline.Status.MET, completed_at=executed)
    if status == MS.NOT_APPROVED:
        values.update(approver=approver, approved_at=now, refusal_reason="不应采取")
    if status == MS.LIFTED:
        values.update(lifted_at=now, lift_reason="cause_removed", lifted_by=approver)
    CompulsoryMeasure.objects.filter(pk=measure.pk).update(**values)
    measure.refresh_from_db()
    return measure
