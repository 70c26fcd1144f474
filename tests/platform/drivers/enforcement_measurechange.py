"""Walk driver of measure decision changes (enforcement.measurechange): a revocation of
an executed seal recorded by the legal reviewer, approved (applied) or refused by the
head."""

from __future__ import annotations

from django.utils import timezone

from enforcement.measures import change_steps
from enforcement.measures import services as measures
from enforcement.measures.changes import MeasureChange
from enforcement.measures.models import CompulsoryMeasure
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, officers
from tests.platform.drivers._inspections import user
from tests.platform.drivers._measures import make_measure, safe_moment

MCS = MeasureChange.Status


def make(status: str) -> MeasureChange:
    """A court's revocation of an executed seal (its decision document issued)."""
    approved = make_measure(CompulsoryMeasure.Status.APPROVED)
    measure = measures.execute_measure(approved, actor=approved.proposed_by,
                                       officers=officers(), executed_at=safe_moment(),
                                       party_signed=True, onsite_record="当场查封")
    done = status != MCS.PROPOSED
    return MeasureChange.objects.create(
        measure=measure, case=measure.case, source="litigation", outcome="revoked",
        status=status, body="杭州市西湖区人民法院", ruled_on=timezone.localdate(),
        reason="查封的设备与违法行为无关", recorded_by=user("xihu_chief"),
        approved_by=user("xihu_approver") if done else None,
        approved_at=timezone.now() if done else None)


DRIVER = Driver(
    key="enforcement.measurechange",
    make=make,
    steps={
        MCS.APPLIED: lambda row: change_steps.approve_measure_change(
            row.measure, actor=user("xihu_approver"), opinion="同意"),
        MCS.REJECTED: lambda row: change_steps.reject_measure_change(
            row.measure, actor=user("xihu_approver"), reason="记录有误"),
    },
    fixtures=PERSONAS,
)
