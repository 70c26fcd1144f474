"""行政处罚决定 and 送达."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workdays.services import (
    start_clock,
)

from ..models import (
    Case,
    DocumentType,
    PenaltyDecision,
)
from ..signals import decision_final, decision_issued
from .common import (
    DS,
    S,
    _clock_expired,
    _lock,
    _lock_decision,
    _meet,
    _move,
    _move_decision,
    _now,
    _record,
    _require_case_staff,
    _require_head,
    _text,
)
from .discretion import applied_benchmark
from .notice import _proposals

# --- Decision, service, execution ------------------------------------------------------

def _heavier(decided: Mapping[str, Any], proposed: Mapping[str, Any]) -> bool:
    return (not set(decided["kinds"]) <= set(proposed["kinds"])
            or Decimal(decided["fine_amount"]) > Decimal(proposed["fine_amount"]))


@transaction.atomic
def issue_decision(case: Case, *, actor: Any, penalties: Iterable[Mapping[str, Any]],
                   basis: str) -> Case:
    """行政处罚决定 by the head, one per party, never heavier than notified (Art. 45),
    only after the notice and the end of the statement (and hearing) periods, the
    mandatory legal review and, for a major case, the collective discussion."""
    locked = _lock(case)
    basis = _text(basis, "basis", "请填写处罚依据。", "The legal basis is required.")
    now = _now()
    rows: list[dict[str, Any]] = []

    def guard(row: Case) -> None:
        _require_head(row, actor, "行政处罚决定")
        if row.notified_at is None:
            raise InvalidInput("未经告知不得作出处罚决定。", "No decision without the notice.")
        if not (row.statement_recorded_at or _clock_expired(row.statement_clock_id, now)):
            raise InvalidInput("陈述申辩期尚未届满。", "The statement period is still running.")
        if row.hearing_right and not row.defence_waived and row.hearing_requested_at is None \
                and not _clock_expired(row.hearing_request_clock_id, now):
            raise InvalidInput("听证申请期尚未届满。", "The hearing-request period is running.")
        if row.hearing_requested_at and row.hearing_held_at is None:
            raise InvalidInput("听证尚未举行。", "The hearing has not been held.")
        reviewed_after = row.hearing_held_at or row.created_at
        if row.legal_review_required and (row.legal_reviewed_at is None
                                          or row.legal_reviewed_at < reviewed_after):
            raise InvalidInput("本案须经法制审核后方可决定。", "The legal review is missing.")
        if row.is_major and (row.discussed_at is None or (
                row.hearing_held_at and row.discussed_at < row.hearing_held_at)):
            raise InvalidInput("重大案件须经集体讨论后方可决定。",
                               "A major case needs its collective discussion.")
        given = list(penalties)
        rows.extend(_proposals(row, given))
        # The discretion check per party (a row naming its violation and level).
        for decided, raw in zip(rows, given, strict=True):
            decided["applied_row_snapshot"] = applied_benchmark(
                row, raw, fine=Decimal(decided["fine_amount"]),
                party_kind=decided["party_kind"])
        proposed = {p["party"]: p for p in row.proposed_penalties}
        for decided in rows:
            prior = proposed.get(decided["party"])
            if prior is None or _heavier(decided, prior):
                raise InvalidInput("处罚决定不得重于告知的拟处罚内容。",
                                   "The decision may not be heavier than notified.",
                                   fields={"penalties": ["不得重于告知内容。"]})

    _move(locked, S.DECIDED, actor=actor, guard=guard, changes={"decided_at": now})
    _meet(locked.decision_clock_id, actor)
    for row in rows:
        decision = PenaltyDecision.objects.create(
            case=locked, party_id=row["party"], kinds=row["kinds"],
            fine_amount=Decimal(row["fine_amount"]), basis=basis, approved_by=actor,
            issued_at=now, applied_row_snapshot=row["applied_row_snapshot"])
        decision.service_clock = start_clock("service", subject=locked, started_at=now,
                                             actor=actor)
        decision.save(update_fields=["service_clock", "updated_at"])
        decision_issued.send(sender=PenaltyDecision, decision=decision, actor=actor)
    _record(locked, "issue_decision", actor, text=basis, document=DocumentType.DECISION,
            data={"penalties": rows})
    return locked


def _serve(case: Case, locked: PenaltyDecision, *, actor: Any, method: str,
           served_at: datetime.datetime, note: str) -> PenaltyDecision:
    def guard(row: PenaltyDecision) -> None:
        _require_case_staff(case, actor)
        if method not in PenaltyDecision.ServiceMethod.values:
            raise InvalidInput("送达方式无效。", "Unknown service method.",
                               fields={"method": ["无效"]})
        if method in ("announcement", "left", "electronic") and not note.strip():
            raise InvalidInput("公告、留置或电子送达须写明情况（公告载体、见证人或当事人同意）。",
                               "Announcement, left or electronic service needs a note.",
                               fields={"note": ["请写明送达情况。"]})
        if timezone.is_naive(served_at) or served_at > _now() or served_at < row.issued_at:
            raise InvalidInput("送达时间须在决定之后且不晚于现在。",
                               "served_at must lie between the decision and now.",
                               fields={"served_at": ["送达时间无效。"]})

    moved = _move_decision(locked, DS.SERVED, actor=actor, guard=guard, changes={
        "served_at": served_at, "service_method": method, "service_note": note.strip()[:200]})
    _meet(moved.service_clock_id, actor)
    if moved.has_money:
        clock = start_clock("payment", subject=case, started_at=served_at, actor=actor)
        moved.payment_clock, moved.payment_due = clock, clock.due_date
        moved.save(update_fields=["payment_clock", "payment_due", "updated_at"])
    # 行政处罚决定书 takes effect on service (送达): the violation base records it.
    decision_final.send(sender=PenaltyDecision, decision=moved, actor=actor)
    return moved


@transaction.atomic
def record_service(decision: PenaltyDecision, *, actor: Any, method: str,
                   served_at: datetime.datetime | None = None, note: str = "") -> PenaltyDecision:
    """送达回执: the payment period runs from service; the case is served once every
    decision is."""
    case, locked = _lock_decision(decision)
    moved = _serve(case, locked, actor=actor, method=method, served_at=served_at or _now(),
                   note=note)
    if case.status == S.DECIDED and not case.decisions.filter(status=DS.ISSUED).exists():
        _move(case, S.SERVED, actor=actor)
    _record(case, "record_service", actor, text=note, document=DocumentType.SERVICE,
            data={"decision": moved.pk, "method": method})
    return moved
