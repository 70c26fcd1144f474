"""法制审核 and 集体讨论, before and after a hearing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from hangzhou_safety.api.errors import Forbidden, InvalidInput

from ..models import (
    Case,
    DocumentType,
)
from .common import (
    LEGAL_ROLES,
    MIN_DISCUSSION_PARTICIPANTS,
    S,
    _lock,
    _move,
    _now,
    _officer_ids,
    _record,
    _require_head,
    _require_jurisdiction,
    _require_role,
    _require_status,
    _text,
)

# --- Review, discussion, notice, hearing ---------------------------------------------

def _require_legal_reviewer(row: Case, actor: Any) -> None:
    _require_role(actor, LEGAL_ROLES, "只有法制审核人员可以进行法制审核。",
                  "Only a legal reviewer may review.")
    _require_jurisdiction(actor, row.authority)
    if not (actor.legal_qualification or actor.is_superuser):
        raise Forbidden("法制审核人员须具备法律职业资格。",
                        "The legal reviewer must hold the legal qualification.")
    if actor.pk in _officer_ids(row) or row.evidence.filter(collected_by=actor).exists():
        raise Forbidden("参与调查的人员不能进行法制审核（职能分离）。",
                        "Whoever investigated may not review the case.")


@transaction.atomic
def legal_review(case: Case, *, actor: Any, passed: bool, opinion: str) -> Case:
    """法制审核 (Art. 58) of the case under 案件审理: passed → legal_review; not passed →
    back to investigation, with the opinion."""
    locked = _lock(case)
    opinion = _text(opinion, "opinion", "请填写法制审核意见。", "An opinion is required.")
    changes = {"legal_reviewer": actor, "legal_review_opinion": opinion,
               "legal_reviewed_at": _now()}
    _move(locked, S.LEGAL_REVIEW if passed else S.INVESTIGATING, actor=actor,
          guard=lambda row: _require_legal_reviewer(row, actor),
          changes=changes if passed else None, reason=opinion)
    _record(locked, "legal_review", actor, text=opinion, document=DocumentType.LEGAL_REVIEW,
            data={"passed": passed})
    return locked


@transaction.atomic
def legal_review_after_hearing(case: Case, *, actor: Any, opinion: str) -> Case:
    """The legal review that a hearing makes mandatory (Art. 58 (二)); no status move."""
    locked = _lock(case)
    _require_status(locked, {S.HEARING}, "只有听证中的案件可以进行听证后法制审核",
                    "Only a case in hearing")
    _require_legal_reviewer(locked, actor)
    if locked.hearing_held_at is None:
        raise InvalidInput("听证尚未举行完毕。", "The hearing has not been held yet.")
    opinion = _text(opinion, "opinion", "请填写法制审核意见。", "An opinion is required.")
    locked.legal_reviewer, locked.legal_review_opinion = actor, opinion
    locked.legal_reviewed_at = _now()
    locked.save(update_fields=["legal_reviewer", "legal_review_opinion", "legal_reviewed_at",
                               "updated_at"])
    _record(locked, "legal_review_after_hearing", actor, text=opinion,
            document=DocumentType.LEGAL_REVIEW)
    return locked


def _participants(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    out = [{"name": str(r.get("name", "")).strip()[:64],
            "position": str(r.get("position", "")).strip()[:64]} for r in rows]
    if len(out) < MIN_DISCUSSION_PARTICIPANTS or any(not r["name"] for r in out):
        raise InvalidInput(f"集体讨论须记录至少{MIN_DISCUSSION_PARTICIPANTS}名参加人员的姓名。",
                           "A collective discussion records at least three participants.",
                           fields={"participants": ["参加人员不足。"]})
    return out


@transaction.atomic
def record_collective_discussion(case: Case, *, actor: Any,
                                 participants: Iterable[Mapping[str, Any]],
                                 conclusion: str) -> Case:
    """集体讨论 of a major or complex case by the authority's heads (Art. 57 ¶2), after
    the legal review."""
    locked = _lock(case)
    people = _participants(participants)
    conclusion = _text(conclusion, "conclusion", "请填写讨论结论。", "A conclusion is required.")
    _move(locked, S.COLLECTIVE, actor=actor,
          guard=lambda row: _require_head(row, actor, "集体讨论记录"),
          changes={"discussed_at": _now()}, reason=conclusion)
    _record(locked, "record_collective_discussion", actor, text=conclusion,
            participants=people, document=DocumentType.COLLECTIVE)
    return locked


@transaction.atomic
def discussion_after_hearing(case: Case, *, actor: Any,
                             participants: Iterable[Mapping[str, Any]],
                             conclusion: str) -> Case:
    """A major case is discussed again after its hearing and legal review; no move."""
    locked = _lock(case)
    _require_status(locked, {S.HEARING}, "只有听证中的案件可以进行听证后集体讨论",
                    "Only a case in hearing")
    _require_head(locked, actor, "集体讨论记录")
    people = _participants(participants)
    conclusion = _text(conclusion, "conclusion", "请填写讨论结论。", "A conclusion is required.")
    if locked.hearing_held_at is None or locked.legal_reviewed_at is None or (
            locked.legal_reviewed_at < locked.hearing_held_at):
        raise InvalidInput("听证后须先经法制审核。", "Legal review follows the hearing first.")
    locked.discussed_at = _now()
    locked.save(update_fields=["discussed_at", "updated_at"])
    _record(locked, "discussion_after_hearing", actor, text=conclusion, participants=people,
            document=DocumentType.COLLECTIVE)
    return locked
