"""Walk driver of decision changes (enforcement.decisionchange): a change of a served
decision recorded by the legal reviewer, approved (applied) or refused by the head."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from enforcement.cases import services as cases
from enforcement.cases.changes import DecisionChange
from enforcement.cases.models import Case, PenaltyDecision
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, make_case
from tests.platform.drivers._inspections import user

CS = DecisionChange.Status


def make(status: str) -> DecisionChange:
    """A reconsideration lowering the fine of a served decision, in ``status``."""
    case = make_case(Case.Status.SERVED, decision_status=PenaltyDecision.Status.SERVED)
    decision = case.decisions.get()
    done = status != CS.PROPOSED
    return DecisionChange.objects.create(
        decision=decision, case=case, source="reconsideration", outcome="changed",
        status=status, body="杭州市应急管理局", ruled_on=timezone.localdate(),
        reason="罚款数额明显不当", old_content={"fine_amount": f"{decision.fine_amount:.2f}",
                                        "basis": decision.basis},
        new_content={"fine_amount": f"{decision.fine_amount / 2:.2f}",
                     "basis": decision.basis},
        refund_amount=Decimal("0"), recorded_by=user("xihu_chief"),
        approved_by=user("xihu_approver") if done else None,
        approved_at=timezone.now() if done else None)


DRIVER = Driver(
    key="enforcement.decisionchange",
    make=make,
    steps={
        CS.APPLIED: lambda row: cases.approve_decision_change(
            row.decision, actor=user("xihu_approver"), opinion="同意"),
        CS.REJECTED: lambda row: cases.reject_decision_change(
            row.decision, actor=user("xihu_approver"), reason="记录有误"),
    },
    fixtures=PERSONAS,
)
