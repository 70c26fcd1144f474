"""Walk driver of enforcement cases (enforcement.case): the general procedure, the
summary procedure's short path and the other endings."""

from __future__ import annotations

from typing import Any

from enforcement.cases import services as cases
from enforcement.cases.models import Case, PenaltyDecision
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import FINE, PERSONAS, make_case
from tests.platform.drivers._inspections import user

S = Case.Status
PARTICIPANTS = [{"name": "局长甲", "position": "局长"}, {"name": "副局长乙", "position": "副局长"},
                {"name": "法制科长丙", "position": "法制科科长"}]


def make(status: str) -> Case:
    # Served and later: a warning served (settled, revocable), so closing and revoking
    # both apply; decided: a fine issued.
    return make_case(status)


def _penalties(row: Case) -> list[dict[str, Any]]:
    return [{"party": row.parties.get().pk, "kinds": ["fine"], "fine_amount": str(FINE)}]


def _served(row: Case) -> Any:
    """decided → served by serving the last decision; pending → served on the spot."""
    issued = row.decisions.filter(status=PenaltyDecision.Status.ISSUED).first()
    if issued is not None:
        return cases.record_service(issued, actor=user("xihu_inspector"), method="in_person")
    return cases.summary_procedure_decision(
        row, actor=user("xihu_inspector"), party=row.parties.get(), kinds=["warning"],
        basis="《安全生产法》第九十七条")


def _investigating(row: Case) -> Any:
    if row.status == S.REVIEW:
        return cases.return_for_investigation(row, actor=user("xihu_chief"), reason="补充询问")
    return cases.start_investigation(row, actor=user("xihu_inspector"))


def _decided(row: Case) -> Any:
    """notified → decided once the party waived (else the periods still run); hearing →
    decided after the hearing and its legal review."""
    if row.status == S.NOTIFIED:
        cases.record_statement(row, actor=user("xihu_inspector"), waived=True)
    return cases.issue_decision(row, actor=user("xihu_approver"), penalties=_penalties(row),
                                basis="《安全生产法》第九十七条")


DRIVER = Driver(
    key="enforcement.case",
    make=make,
    steps={
        S.FILED: lambda row: cases.approve_filing(row, actor=user("xihu_approver")),
        S.DECLINED: lambda row: cases.decline_case(row, actor=user("xihu_approver"),
                                                   reason="不属于本机关管辖"),
        S.SERVED: _served,
        S.INVESTIGATING: _investigating,
        S.REVIEW: lambda row: cases.submit_investigation_report(
            row, actor=user("xihu_inspector"), report="违法事实清楚", proposed_handling="罚款"),
        S.LEGAL_REVIEW: lambda row: cases.legal_review(row, actor=user("xihu_chief"),
                                                       passed=True, opinion="同意"),
        S.COLLECTIVE: lambda row: cases.record_collective_discussion(
            row, actor=user("xihu_approver"), participants=PARTICIPANTS, conclusion="同意"),
        S.NOTIFIED: lambda row: cases.notify_party(row, actor=user("xihu_inspector"),
                                                   penalties=_penalties(row)),
        S.HEARING: lambda row: cases.request_hearing(row, actor=user("xihu_inspector")),
        S.DECIDED: _decided,
        S.EXECUTING: lambda row: cases.start_execution(row, actor=user("xihu_inspector")),
        S.CLOSED: lambda row: cases.close_case(row, actor=user("xihu_approver")),
        S.NO_PENALTY: lambda row: cases.no_penalty(row, actor=user("xihu_approver"),
                                                   ground="first_minor", reason="首次违法已改正"),
        S.TERMINATED: lambda row: cases.terminate(row, actor=user("xihu_approver"),
                                                  reason="当事人已注销"),
        S.REVOKED: lambda row: cases.revoke(row, actor=user("xihu_approver"),
                                            reason="复议决定撤销"),
    },
    fixtures=PERSONAS,
)
