"""Walk driver of deadline extension requests (inspections.deadlineextension)."""

from __future__ import annotations

from inspections.loop import extensions
from inspections.loop.services import _today
from inspections.models import DeadlineExtension
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, order, rectifying_inspection, user

S = DeadlineExtension.Status


def make(status: str) -> DeadlineExtension:
    _inspection, hazard = rectifying_inspection()
    issued = order(hazard, "deadline")
    return DeadlineExtension.objects.create(
        order=issued, requested_on=_today(), extra_days=5, reason="走查：材料未到货",
        registered_by=user("xihu_inspector"), old_due_date=issued.due_date, status=status)


def _decide(approve: bool):  # type: ignore[no-untyped-def]
    return lambda row: extensions.decide_extension(row, actor=user("xihu_approver"),
                                                   approve=approve, reason="走查：审批意见")


DRIVER = Driver(
    key="inspections.deadlineextension",
    make=make,
    steps={S.APPROVED: _decide(True), S.REFUSED: _decide(False)},
    fixtures=PERSONAS,
)
