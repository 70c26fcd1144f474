"""Walk driver of compulsory measures (enforcement.compulsorymeasure): prior approval
and execution, the emergency path (report, approval after the fact or not), lifting."""

from __future__ import annotations

from typing import Any

from enforcement.measures import services as measures
from enforcement.measures.models import CompulsoryMeasure
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, officers
from tests.platform.drivers._inspections import user
from tests.platform.drivers._measures import make_measure, safe_moment

MS = CompulsoryMeasure.Status


def _executed(row: CompulsoryMeasure) -> Any:
    """approved → executed by executing it; reported → executed by the head's approval
    after the fact."""
    if row.status == MS.REPORTED:
        return measures.confirm_emergency(row, actor=user("xihu_approver"))
    return measures.execute_measure(row, actor=user("xihu_inspector"), officers=officers(),
                                    executed_at=safe_moment(), onsite_record="现场笔录",
                                    party_signed=True)


def _lifted(row: CompulsoryMeasure) -> Any:
    if row.status == MS.NOT_APPROVED:
        return measures.lift_measure(row, actor=user("xihu_inspector"), reason="not_approved")
    return measures.lift_measure(row, actor=user("xihu_approver"), reason="cause_removed",
                                 note="隐患已排除")


DRIVER = Driver(
    key="enforcement.compulsorymeasure",
    make=make_measure,
    steps={
        MS.APPROVED: lambda row: measures.approve_measure(row, actor=user("xihu_approver")),
        MS.REFUSED: lambda row: measures.refuse_measure(row, actor=user("xihu_approver"),
                                                        reason="证据不足"),
        MS.EXECUTED: _executed,
        MS.REPORTED: lambda row: measures.report_emergency(row, actor=user("xihu_inspector"),
                                                           report="已当场实施，现报告"),
        MS.NOT_APPROVED: lambda row: measures.disapprove_emergency(
            row, actor=user("xihu_approver"), reason="不应采取"),
        MS.LIFTED: _lifted,
    },
    fixtures=PERSONAS,
)
