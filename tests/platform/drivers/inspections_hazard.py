"""Walk driver of hidden dangers (inspections.hazard): orders, reports, re-checks."""

from __future__ import annotations

from typing import Any

from inspections.loop import services as loop
from inspections.models import Hazard
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, order, rectifying_inspection, user

S = Hazard.Status


def make(status: str) -> Hazard:
    _inspection, hazard = rectifying_inspection()
    if status == S.ACCEPTED:
        order(hazard, "on_spot")
    elif status != S.OPEN:
        order(hazard, "deadline")
        if status == S.REPORTED:
            loop.report_rectified(hazard, actor=user("xihu_inspector"))
        elif status == S.ESCALATED:
            loop.record_recheck(hazard, actor=user("xihu_inspector"), passed=False,
                                note="整改未完成")
    hazard.refresh_from_db()
    return hazard


def _rectifying(row: Hazard) -> Any:
    """open → rectifying by a deadline order; reported → rectifying by withdrawing the
    report (the enterprise had not finished)."""
    if row.status == S.REPORTED:
        return loop.withdraw_report(row, actor=user("xihu_inspector"), reason="企业尚未整改完毕")
    return order(row, "deadline")


def _accepted(row: Hazard) -> Any:
    """open → accepted when fixed on the spot; otherwise a passed re-check."""
    if row.status == S.OPEN:
        return order(row, "on_spot")
    return loop.record_recheck(row, actor=user("xihu_inspector"), passed=True)


DRIVER = Driver(
    key="inspections.hazard",
    make=make,
    steps={
        S.RECTIFYING: _rectifying,
        S.REPORTED: lambda row: loop.report_rectified(row, actor=user("xihu_inspector")),
        S.ACCEPTED: _accepted,
        S.ESCALATED: lambda row: loop.record_recheck(row, actor=user("xihu_inspector"),
                                                     passed=False, note="整改未完成"),
    },
    fixtures=PERSONAS,
)
