"""A measure's decision changed: the outcome of 行政复议 / 行政诉讼 or the authority's own
correction (see .changes for what the texts say). The steps mirror those of a penalty
decision (enforcement.cases.steps.changes).

Who: the legal reviewer (法制审核: a section chief or the municipal administrator with
the legal qualification), never a case officer of the case, records the outcome; the
head of the authority, who is neither a case officer nor the one who recorded it,
approves it, and only then does it take effect. 维持 changes nothing and takes effect
when recorded.

What then:
- 变更: the measure's basis, reason or place are changed; ``measure_changed`` is sent
  (its disclosure is withdrawn within 3 working days and republished after review).
- 撤销, 确认无效: a measure still in force is lifted (reason ``annulled``: items returned,
  clocks met, the lifting document issued); ``measure_annulled`` is sent (withdrawn,
  never republished). No later change can be recorded.
- 确认违法: the measure's status is left as it is, ``measure_annulled`` is sent all the
  same (its disclosure no longer stands).

Only a measure whose decision was issued and stands can change: executed (in force) or
lifted after it was. An emergency measure waiting for the head's approval after the
fact is decided by that approval first (行政强制法 第十九条).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from enforcement.cases.changes import (
    ANNULLING,
    WITHDRAWING,
    ChangeOutcome,
)
from enforcement.cases.steps.changes import check_ruling
from enforcement.cases.steps.common import (
    HEAD_ROLES,
    LEGAL_ROLES,
    _officer_ids,
    _record,
    _require_jurisdiction,
    _require_role,
)
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import IllegalTransition, transition

from .changes import CHANGEABLE, MEASURE_CHANGE_WORKFLOW, MeasureChange
from .models import CompulsoryMeasure, LiftReason
from .services import _lock_measure, _pk, lift_locked
from .signals import measure_annulled, measure_changed

OC = ChangeOutcome
MCS = MeasureChange.Status
MS = CompulsoryMeasure.Status
#: The measure's decision was issued and took effect.
DECIDED = frozenset({MS.EXECUTED, MS.LIFTED})
#: Field limits of the content a 变更 may set (the model's).
LIMITS = {"legal_basis": 300, "reason": 4000, "place": 200}


def _content(measure: CompulsoryMeasure) -> dict[str, str]:
    return {name: str(getattr(measure, name)) for name in CHANGEABLE}


def _annulled(measure: CompulsoryMeasure) -> bool:
    return MeasureChange.objects.filter(measure=measure, status=MCS.APPLIED,
                                        outcome__in=ANNULLING).exists()


def _require_decided(measure: CompulsoryMeasure) -> None:
    if measure.status in (MS.EMERGENCY, MS.REPORTED):
        raise IllegalTransition(
            "紧急实施的措施须先由负责人补办批准或不予批准（行政强制法第十九条）。",
            "An emergency measure is first approved after the fact or not (Art. 19).")
    if (measure.status not in DECIDED or measure.decision_document_id is None
            or measure.lift_reason == LiftReason.NOT_APPROVED):
        raise IllegalTransition(
            f"该措施的决定尚未作出或已不成立，不能记录复议、诉讼结果或自行纠正（当前状态："
            f"{measure.get_status_display()}）。",
            f"The measure's decision was not issued or no longer stands "
            f"(current status: {measure.status}).")
    if _annulled(measure):
        raise IllegalTransition("该措施的决定已被撤销或确认无效，不能再记录变更。",
                                "The measure's decision was revoked or found void.")


def _require_legal(measure: CompulsoryMeasure, actor: Any) -> None:
    case = measure.case
    _require_role(actor, LEGAL_ROLES, "只有法制审核人员（科室负责人）可以记录强制措施决定的变更。",
                  "Only the legal reviewer may record a change of a measure's decision.")
    _require_jurisdiction(actor, case.authority)
    if not (actor.legal_qualification or actor.is_superuser):
        raise Forbidden("法制审核人员须具备法律职业资格。",
                        "The legal reviewer must hold the legal qualification.")
    if actor.pk in _officer_ids(case) or actor.pk == measure.proposed_by_id:
        raise Forbidden("本案承办人不能记录本案强制措施决定的变更（职能分离）。",
                        "A case officer may not record a change of the case's measure.")


def _require_approver(change: MeasureChange, measure: CompulsoryMeasure, actor: Any) -> None:
    case = measure.case
    _require_role(actor, HEAD_ROLES, "只有行政机关负责人可以批准强制措施决定的变更。",
                  "Only the head of the authority may approve a change of a measure.")
    _require_jurisdiction(actor, case.authority)
    if actor.pk in _officer_ids(case):
        raise Forbidden("承办人不能审批本案事项（职能分离）。",
                        "A case officer may not approve the case's own steps.")
    if actor.pk == change.recorded_by_id:
        raise Forbidden("记录变更的人员不能批准同一变更（职能分离）。",
                        "Whoever recorded the change may not approve it.")


def _new_content(measure: CompulsoryMeasure, given: dict[str, str]) -> dict[str, str]:
    new = _content(measure)
    for name in CHANGEABLE:
        value = (given.get(name) or "").strip()
        if value:
            new[name] = value[:LIMITS[name]]
    if new == _content(measure):
        raise InvalidInput("变更须写明新的决定内容（依据、理由或实施地点）。",
                           "A change needs new content: a basis, a reason or a place.",
                           fields={"legal_basis": ["请填写变更后的内容。"]})
    return new


def _text(value: str, field: str, zh: str, en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(zh, en, fields={field: [zh]})
    return value[:2000]


@transaction.atomic
def record_measure_change(measure: CompulsoryMeasure | int, *, actor: Any, source: str,
                          outcome: str, reason: str, ruled_on: datetime.date | None,
                          body: str = "", ruling_number: str = "", legal_basis: str = "",
                          measure_reason: str = "", place: str = "") -> MeasureChange:
    """The legal reviewer records why the measure's decision changes. 维持 takes effect
    at once; every other outcome waits for the head's approval."""
    case, locked = _lock_measure(_pk(measure))
    _require_legal(locked, actor)
    _require_decided(locked)
    reason, body, ruled_on = check_ruling(source=source, outcome=outcome, reason=reason,
                                          ruled_on=ruled_on, body=body,
                                          self_correction="自行纠正只能变更或撤销原决定。")
    assert locked.executed_at is not None  # DECIDED
    if ruled_on < timezone.localdate(locked.executed_at):
        raise InvalidInput("作出日期不能早于措施实施之日。",
                           "The ruling cannot precede the measure.",
                           fields={"ruled_on": ["作出日期不能早于措施实施之日。"]})
    if MeasureChange.objects.filter(measure=locked, status=MCS.PROPOSED).exists():
        raise IllegalTransition("该措施已有待批准的变更，请先审批。",
                                "The measure already has a change waiting for approval.")
    new: dict[str, str] = {}
    if outcome == OC.CHANGED:
        new = _new_content(locked, {"legal_basis": legal_basis, "reason": measure_reason,
                                    "place": place})
    upheld = outcome == OC.UPHELD
    change = MeasureChange.objects.create(
        measure=locked, case=case, source=source, outcome=outcome,
        status=MCS.APPLIED if upheld else MCS.PROPOSED, body=body,
        ruling_number=(ruling_number or "").strip()[:100], ruled_on=ruled_on, reason=reason,
        old_content=_content(locked), new_content=new, recorded_by=actor)
    record_event("measure_change.recorded", actor=actor, obj=case, reason=reason,
                 new={"measure_change": change.pk, "measure": locked.pk, "source": source,
                      "outcome": outcome, "status": change.status, **new})
    _record(case, "measure_upheld" if upheld else "measure_change_recorded", actor,
            text=reason, data={"measure": locked.pk, "change": change.pk, "source": source,
                               "outcome": outcome})
    return change


def _open_change(measure: CompulsoryMeasure) -> MeasureChange:
    change = (MeasureChange.objects.select_for_update()
              .filter(measure=measure, status=MCS.PROPOSED).first())
    if change is None:
        raise IllegalTransition("该措施没有待批准的变更。",
                                "The measure has no change waiting for approval.")
    return change


def _apply(change: MeasureChange, locked: CompulsoryMeasure, actor: Any) -> None:
    case = locked.case
    label = f"{change.get_source_display()}：{change.get_outcome_display()}"
    if change.outcome == OC.CHANGED:
        old = _content(locked)
        for name in CHANGEABLE:
            setattr(locked, name, change.new_content[name])
        locked.save(update_fields=[*CHANGEABLE, "updated_at"])
        record_event("measure.content_changed", actor=actor, obj=case, reason=label,
                     old=old, new={"measure": locked.pk, **change.new_content})
        measure_changed.send(sender=CompulsoryMeasure, measure=locked, actor=actor)
        return
    if change.outcome in ANNULLING and locked.status == MS.EXECUTED:
        lift_locked(case, locked, actor=actor, reason=LiftReason.ANNULLED,
                    note=f"{label}（{change.reason}）"[:2000], guard=None, now=timezone.now())
    if change.outcome in WITHDRAWING:
        measure_annulled.send(sender=CompulsoryMeasure, measure_ids=[locked.pk], actor=actor,
                              reason=f"{label}（{change.reason}）"[:200])


@transaction.atomic
def approve_measure_change(measure: CompulsoryMeasure | int, *, actor: Any,
                           opinion: str = "") -> MeasureChange:
    """The head approves the open change: it takes effect (the content changed, or the
    measure lifted as annulled) and the disclosure receivers withdraw."""
    _case, locked = _lock_measure(_pk(measure))
    change = _open_change(locked)
    text = (opinion or "").strip()[:2000] or "同意"

    def guard(row: MeasureChange) -> None:
        _require_approver(row, locked, actor)
        _require_decided(locked)

    moved: MeasureChange = transition(
        MEASURE_CHANGE_WORKFLOW, change, MCS.APPLIED, actor=actor, guard=guard, reason=text,
        changes={"approved_by": actor, "approved_at": timezone.now(), "approval_opinion": text},
        extra={"outcome": change.outcome, "measure": locked.pk}, locked=change)
    _apply(moved, locked, actor)
    _record(locked.case, "measure_change_approved", actor, text=text,
            data={"measure": locked.pk, "change": moved.pk, "outcome": moved.outcome})
    return moved


@transaction.atomic
def reject_measure_change(measure: CompulsoryMeasure | int, *, actor: Any,
                          reason: str) -> MeasureChange:
    """The head refuses the recorded change (wrongly recorded, the ruling misread):
    nothing changes; a corrected record can be made again."""
    _case, locked = _lock_measure(_pk(measure))
    change = _open_change(locked)
    reason = _text(reason, "reason", "请填写不予批准的理由。", "A reason is required.")
    moved: MeasureChange = transition(
        MEASURE_CHANGE_WORKFLOW, change, MCS.REJECTED, actor=actor, reason=reason,
        guard=lambda row: _require_approver(row, locked, actor),
        changes={"approved_by": actor, "approved_at": timezone.now(),
                 "approval_opinion": reason}, locked=change)
    _record(locked.case, "measure_change_rejected", actor, text=reason,
            data={"measure": locked.pk, "change": moved.pk})
    return moved
