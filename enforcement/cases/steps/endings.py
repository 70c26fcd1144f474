"""Other endings: 不予处罚, 终止, 撤销."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workflow import transition_many

from ..models import (
    DECISION_WORKFLOW,
    Case,
    DocumentType,
    PenaltyDecision,
)
from ..signals import decision_revoked
from .common import (
    DS,
    S,
    _cancel_running_clocks,
    _lock,
    _move,
    _now,
    _reason,
    _record,
    _require_head,
)

# --- Other endings ---------------------------------------------------------------------

@transaction.atomic
def no_penalty(case: Case, *, actor: Any, ground: str, reason: str) -> Case:
    """不予处罚 (Art. 33, 57): 首违不罚, minor and corrected, no fault, not established."""
    locked = _lock(case)
    reason = _reason(reason)

    def guard(row: Case) -> None:
        _require_head(row, actor, "不予处罚")
        if ground not in Case.NoPenaltyGround.values:
            raise InvalidInput("不予处罚理由无效。", "Unknown ground.", fields={"ground": ["无效"]})

    _move(locked, S.NO_PENALTY, actor=actor, guard=guard, reason=reason,
          changes={"no_penalty_ground": ground, "outcome_reason": reason, "closed_at": _now()})
    _cancel_running_clocks(locked, actor, reason)
    _record(locked, "no_penalty", actor, text=reason, document=DocumentType.HANDLING,
            data={"ground": ground})
    return locked


@transaction.atomic
def terminate(case: Case, *, actor: Any, reason: str) -> Case:
    """终止 (the party died or was dissolved with nothing left to enforce, ...)."""
    locked = _lock(case)
    reason = _reason(reason)
    _move(locked, S.TERMINATED, actor=actor, guard=lambda row: _require_head(row, actor, "终止"),
          changes={"outcome_reason": reason, "closed_at": _now()}, reason=reason)
    _cancel_running_clocks(locked, actor, reason)
    _record(locked, "terminate", actor, text=reason, document=DocumentType.TERMINATION)
    return locked


@transaction.atomic
def revoke(case: Case, *, actor: Any, reason: str) -> Case:
    """撤销 a decided case and all its decisions (a decision that can no longer be
    revoked, such as one enforced by the court, refuses the whole step)."""
    locked = _lock(case)
    reason = _reason(reason)

    def guard(row: Case) -> None:
        _require_head(row, actor, "撤销")
        for decision in row.decisions.all():
            if decision.status != DS.REVOKED and not DECISION_WORKFLOW.allowed(
                    decision.status, DS.REVOKED):
                raise DECISION_WORKFLOW.illegal(decision.status, DS.REVOKED)

    _move(locked, S.REVOKED, actor=actor, guard=guard,
          changes={"outcome_reason": reason, "closed_at": _now()}, reason=reason)
    revoked = transition_many(DECISION_WORKFLOW, PenaltyDecision.objects.filter(case=locked),
                              DS.REVOKED, actor=actor, reason=reason,
                              subject_related=("case__authority__jurisdiction",))
    decision_revoked.send(sender=PenaltyDecision, decision_ids=[d.pk for d in revoked],
                          actor=actor, reason=reason)
    _cancel_running_clocks(locked, actor, reason)
    _record(locked, "revoke", actor, text=reason, document=DocumentType.TERMINATION)
    return locked
