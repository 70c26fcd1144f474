"""A final decision changed: the outcome of 行政复议 / 行政诉讼 or the authority's own
correction (see ..changes for what the texts say).

Who: the legal reviewer (法制审核: a section chief or the municipal administrator, holding
the legal qualification, as for the legal review) records the outcome, never a case
officer of the case; the head of the authority, who is neither a case officer nor the
one who recorded it, approves it, and only then does it take effect (the approval is
the new or corrected decision, 应急罚变). 维持 changes nothing and takes effect when
recorded.

What then: a change of content sends ``decision_changed`` (the disclosure is withdrawn
within 3 working days and republished after review; the violation record is
corrected); 撤销 and 确认无效 revoke the decision and send ``decision_revoked``, like the
case's own revocation (endings.revoke); 确认违法 leaves the decision's status but sends
``decision_revoked`` too (withdrawn without republication, the record removed).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import cancel_deadline
from hangzhou_safety.workflow import IllegalTransition, transition

from ..changes import (
    ANNULLING,
    CHANGE_WORKFLOW,
    OUTCOMES_BY_SOURCE,
    WITHDRAWING,
    ChangeOutcome,
    ChangeSource,
    DecisionChange,
)
from ..models import DocumentType, PenaltyDecision
from ..signals import decision_changed, decision_revoked
from .common import (
    DS,
    HEAD_ROLES,
    LEGAL_ROLES,
    _lock_decision,
    _money,
    _move_decision,
    _officer_ids,
    _pk,
    _record,
    _require_jurisdiction,
    _require_role,
    _text,
)

OC = ChangeOutcome
CS = DecisionChange.Status
#: A decision takes effect when served (or handed over on the spot): only then can it be
#: reconsidered, litigated or corrected here. Before, the head simply revokes the case.
NOT_YET_FINAL = frozenset({DS.ISSUED})
#: Paid or enforced: a higher fine cannot be collected again through this step.
SETTLED_MONEY = frozenset({DS.PAID, DS.ENFORCED, DS.COURT})


def _content(decision: PenaltyDecision) -> dict[str, str]:
    return {"fine_amount": f"{decision.fine_amount:.2f}", "basis": decision.basis}


def _require_final(decision: PenaltyDecision) -> None:
    if decision.status == DS.REVOKED:
        raise IllegalTransition("处罚决定已撤销，不能再记录变更。",
                                "The decision was revoked: no change can be recorded.")
    if decision.status in NOT_YET_FINAL:
        raise IllegalTransition(
            f"处罚决定尚未送达生效，不能记录复议、诉讼结果或自行纠正（当前状态："
            f"{decision.get_status_display()}）。",
            f"The decision has not taken effect yet (current status: {decision.status}).")


def check_ruling(*, source: str, outcome: str, reason: str, ruled_on: datetime.date | None,
                 body: str, self_correction: str) -> tuple[str, str, datetime.date]:
    """The outcome's own input, the same for a penalty decision and a measure's decision
    (enforcement.measures.change_steps): a known source, an outcome that source can
    have (``self_correction`` says why not for 自行纠正), a reason, a ruling date not in
    the future, and the body that ruled unless the authority corrects itself. Returns
    the cleaned reason, body and date."""
    if source not in ChangeSource.values:
        raise InvalidInput("变更原因无效。", "Unknown source.", fields={"source": ["无效"]})
    if outcome not in OUTCOMES_BY_SOURCE[source]:
        raise InvalidInput(self_correction if outcome in OC.values else "结果无效。",
                           "This outcome is not possible for this source.",
                           fields={"outcome": ["结果无效。"]})
    reason = _text(reason, "reason", "请填写变更理由。", "A reason is required.")
    if ruled_on is None or ruled_on > timezone.localdate():
        raise InvalidInput("请填写复议决定、裁判或纠正决定的作出日期（不晚于今天）。",
                           "The date of the ruling is required and not in the future.",
                           fields={"ruled_on": ["请填写作出日期。"]})
    body = (body or "").strip()[:200]
    if source != ChangeSource.SELF_CORRECTION and not body:
        raise InvalidInput("请填写作出决定的复议机关或人民法院。",
                           "Name the reconsideration body or the court.",
                           fields={"body": ["请填写复议机关或人民法院。"]})
    return reason, body, ruled_on


def _require_legal(decision: PenaltyDecision, actor: Any) -> None:
    _require_role(actor, LEGAL_ROLES, "只有法制审核人员（科室负责人）可以记录处罚决定的变更。",
                  "Only the legal reviewer may record a change of a decision.")
    _require_jurisdiction(actor, decision.case.authority)
    if not (actor.legal_qualification or actor.is_superuser):
        raise Forbidden("法制审核人员须具备法律职业资格。",
                        "The legal reviewer must hold the legal qualification.")
    if actor.pk in _officer_ids(decision.case):
        raise Forbidden("本案承办人不能记录本案处罚决定的变更（职能分离）。",
                        "A case officer may not record a change of the case's decision.")


def _require_approver(change: DecisionChange, decision: PenaltyDecision, actor: Any) -> None:
    _require_role(actor, HEAD_ROLES, "只有行政机关负责人可以批准处罚决定的变更。",
                  "Only the head of the authority may approve a change of a decision.")
    _require_jurisdiction(actor, decision.case.authority)
    if actor.pk in _officer_ids(decision.case):
        raise Forbidden("承办人不能审批本案事项（职能分离）。",
                        "A case officer may not approve the case's own steps.")
    if actor.pk == change.recorded_by_id:
        raise Forbidden("记录变更的人员不能批准同一变更（职能分离）。",
                        "Whoever recorded the change may not approve it.")


def _new_content(decision: PenaltyDecision, fine_amount: Any, basis: str,
                 corrected_text: str) -> tuple[dict[str, str], Decimal]:
    """The changed content; at least one element differs from the decision's."""
    new = _content(decision)
    amount = decision.fine_amount
    if fine_amount not in (None, ""):
        amount = _money(fine_amount, "fine_amount")
        new["fine_amount"] = f"{amount:.2f}"
    if (basis or "").strip():
        new["basis"] = basis.strip()[:2000]
    if (corrected_text or "").strip():
        new["corrected_text"] = corrected_text.strip()[:4000]
    if new == _content(decision):
        raise InvalidInput("变更须写明新的决定内容（罚款金额、处罚依据或更正内容）。",
                           "A change needs new content: a fine, a basis or a correction.",
                           fields={"fine_amount": ["请填写变更后的内容。"]})
    if amount > decision.fine_amount and decision.status in SETTLED_MONEY:
        raise IllegalTransition(
            "罚款已缴清或已申请强制执行，不能通过变更提高罚款数额。",
            "The fine was paid or is enforced: a change cannot raise it.")
    return new, amount


@transaction.atomic
def record_decision_change(decision: PenaltyDecision | int, *, actor: Any, source: str,
                           outcome: str, reason: str, ruled_on: datetime.date | None,
                           body: str = "", ruling_number: str = "", fine_amount: Any = None,
                           basis: str = "", corrected_text: str = "") -> DecisionChange:
    """The legal reviewer records why the decision changes. 维持 takes effect at once;
    every other outcome waits for the head's approval."""
    case, locked = _lock_decision(_pk(decision))
    _require_final(locked)
    _require_legal(locked, actor)
    reason, body, ruled_on = check_ruling(
        source=source, outcome=outcome, reason=reason, ruled_on=ruled_on, body=body,
        self_correction="自行纠正只能变更或撤销原决定（行政处罚法第七十五条第二款）。")
    if DecisionChange.objects.filter(decision=locked, status=CS.PROPOSED).exists():
        raise IllegalTransition("该处罚决定已有待批准的变更，请先审批。",
                                "The decision already has a change waiting for approval.")
    new: dict[str, str] = {}
    refund = Decimal("0")
    if outcome == OC.CHANGED:
        new, amount = _new_content(locked, fine_amount, basis, corrected_text)
        refund = max(locked.paid_amount - amount, Decimal("0"))
    elif outcome in ANNULLING:
        refund = locked.paid_amount + locked.surcharge
    upheld = outcome == OC.UPHELD
    change = DecisionChange.objects.create(
        decision=locked, case=case, source=source, outcome=outcome,
        status=CS.APPLIED if upheld else CS.PROPOSED, body=body,
        ruling_number=(ruling_number or "").strip()[:100], ruled_on=ruled_on, reason=reason,
        old_content=_content(locked), new_content=new, refund_amount=refund,
        recorded_by=actor)
    record_event("decision_change.recorded", actor=actor, obj=case, reason=reason,
                 new={"decision_change": change.pk, "decision": locked.pk, "source": source,
                      "outcome": outcome, "status": change.status, **new})
    _record(case, "record_decision_upheld" if upheld else "record_decision_change", actor,
            text=reason, data={"decision": locked.pk, "change": change.pk, "source": source,
                               "outcome": outcome})
    return change


def _open_change(decision: PenaltyDecision) -> DecisionChange:
    change = (DecisionChange.objects.select_for_update()
              .filter(decision=decision, status=CS.PROPOSED).first())
    if change is None:
        raise IllegalTransition("该处罚决定没有待批准的变更。",
                                "The decision has no change waiting for approval.")
    return change


def _cancel_decision_clocks(decision: PenaltyDecision, actor: Any, reason: str) -> None:
    ids = [decision.service_clock_id, decision.payment_clock_id, decision.demand_clock_id]
    for clock in Deadline.objects.filter(pk__in=[i for i in ids if i],
                                         status__in=[Deadline.Status.RUNNING,
                                                     Deadline.Status.PAUSED]):
        cancel_deadline(clock, actor=actor, reason=reason[:200])


def _apply(change: DecisionChange, locked: PenaltyDecision, actor: Any) -> None:
    reason = f"{change.get_source_display()}：{change.get_outcome_display()}"
    if change.outcome == OC.CHANGED:
        values = {"fine_amount": Decimal(change.new_content["fine_amount"]),
                  "basis": change.new_content["basis"]}
        old = _content(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*values, "updated_at"])
        record_event("decision.content_changed", actor=actor, obj=locked.case, reason=reason,
                     old=old, new={"decision": locked.pk, **change.new_content})
        decision_changed.send(sender=PenaltyDecision, decision=locked, actor=actor)
        return
    if change.outcome in ANNULLING:
        _move_decision(locked, DS.REVOKED, actor=actor, reason=reason)
        _cancel_decision_clocks(locked, actor, reason)
    if change.outcome in WITHDRAWING:
        decision_revoked.send(sender=PenaltyDecision, decision_ids=[locked.pk], actor=actor,
                              reason=f"{reason}（{change.reason}）"[:200])


@transaction.atomic
def approve_decision_change(decision: PenaltyDecision | int, *, actor: Any,
                            opinion: str = "") -> DecisionChange:
    """The head approves the open change: it takes effect (the decision's content is
    changed, or the decision revoked) and the receivers withdraw, correct or remove."""
    case, locked = _lock_decision(_pk(decision))
    change = _open_change(locked)
    text = (opinion or "").strip()[:2000] or "同意"

    def guard(row: DecisionChange) -> None:
        _require_approver(row, locked, actor)
        _require_final(locked)

    moved: DecisionChange = transition(
        CHANGE_WORKFLOW, change, CS.APPLIED, actor=actor, guard=guard, reason=text,
        changes={"approved_by": actor, "approved_at": timezone.now(), "approval_opinion": text},
        extra={"outcome": change.outcome, "decision": locked.pk}, locked=change)
    _apply(moved, locked, actor)
    produces = moved.outcome == OC.CHANGED or moved.source == ChangeSource.SELF_CORRECTION
    _record(case, "approve_decision_change", actor, text=text,
            document=DocumentType.DECISION_CHANGE if produces else DocumentType.NONE,
            data={"decision": locked.pk, "change": moved.pk, "outcome": moved.outcome})
    return moved


@transaction.atomic
def reject_decision_change(decision: PenaltyDecision | int, *, actor: Any,
                           reason: str) -> DecisionChange:
    """The head refuses the recorded change (wrongly recorded, or the ruling misread):
    nothing changes; a corrected record can be made again."""
    case, locked = _lock_decision(_pk(decision))
    change = _open_change(locked)
    reason = _text(reason, "reason", "请填写不予批准的理由。", "A reason is required.")
    moved: DecisionChange = transition(
        CHANGE_WORKFLOW, change, CS.REJECTED, actor=actor, reason=reason,
        guard=lambda row: _require_approver(row, locked, actor),
        changes={"approved_by": actor, "approved_at": timezone.now(),
                 "approval_opinion": reason}, locked=change)
    _record(case, "reject_decision_change", actor, text=reason,
            data={"decision": locked.pk, "change": moved.pk})
    return moved
