"""Walk driver of inspections (inspections.inspection), the task of the four-list loop."""

from __future__ import annotations

from typing import Any

from inspections.loop import services as loop
from inspections.models import Inspection
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import (
    PERSONAS,
    answer_all,
    new_inspection,
    order,
    rectifying_inspection,
    user,
)

S = Inspection.Status


def make(status: str) -> Inspection:
    if status == S.PLANNED:
        return new_inspection()
    if status == S.CANCELLED:
        row = new_inspection()
        return loop.cancel_inspection(row, actor=user("xihu_inspector"), reason="企业已停产")
    if status == S.IN_PROGRESS:
        row = new_inspection()
        loop.start_inspection(row, actor=user("xihu_inspector"))
        answer_all(row)  # every item answered, none failing: it may close at once
        row.refresh_from_db()
        return row
    # rectifying and closed: the one hidden danger fixed on the spot, so it may close.
    row, hazard = rectifying_inspection()
    order(hazard, "on_spot")
    if status == S.CLOSED:
        loop.close_inspection(row, actor=user("xihu_inspector"))
    row.refresh_from_db()
    return row


def _rectify(row: Inspection) -> Any:
    """in progress → rectifying: findings completed with a hidden danger on record."""
    if row.status == S.IN_PROGRESS:
        loop.add_hazard(row, actor=user("xihu_inspector"), description="配电箱未接地")
    return loop.complete_findings(row, actor=user("xihu_inspector"))


def _close(row: Inspection) -> Any:
    """Straight from the findings when nothing failed; after rectification otherwise."""
    if row.status == S.IN_PROGRESS:
        return loop.complete_findings(row, actor=user("xihu_inspector"))
    return loop.close_inspection(row, actor=user("xihu_inspector"))


DRIVER = Driver(
    key="inspections.inspection",
    make=make,
    steps={
        S.IN_PROGRESS: lambda row: loop.start_inspection(row, actor=user("xihu_inspector")),
        S.CANCELLED: lambda row: loop.cancel_inspection(row, actor=user("xihu_inspector"),
                                                        reason="重复派发"),
        S.RECTIFYING: _rectify,
        S.CLOSED: _close,
    },
    fixtures=PERSONAS,
)
