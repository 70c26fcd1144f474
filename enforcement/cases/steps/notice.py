"""告知, 陈述申辩 and 听证; the extension of the decision period."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from enforcement.grounds.models import ProcedureThreshold
from enforcement.grounds.selectors import procedure_threshold
from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import (
    add_working_days,
    clock_rule,
    extend_deadline,
    pause_deadline,
    resume_deadline,
    start_clock,
)
from hangzhou_safety.workflow import transition

from ..models import (
    CASE_WORKFLOW,
    HEARING_PENALTIES,
    Case,
    DocumentType,
    PenaltyKind,
    ReviewReason,
)
from .common import (
    S,
    _clock_expired,
    _illegal_step,
    _lock,
    _meet,
    _money,
    _move,
    _now,
    _officer_ids,
    _reason,
    _record,
    _require_head,
    _require_officer,
    _require_status,
    _text,
)


def _proposals(case: Case, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    parties = {p.pk: p for p in case.parties.all()}
    out: list[dict[str, Any]] = []
    for row in rows:
        try:
            party_id = int(row.get("party"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            party_id = -1
        if party_id not in parties:
            raise InvalidInput("拟处罚的当事人不属于本案。", "The party is not one of the case's.",
                               fields={"penalties": ["当事人不属于本案。"]})
        kinds = list(dict.fromkeys(row.get("kinds") or []))
        if not kinds or any(k not in PenaltyKind.values for k in kinds):
            raise InvalidInput("处罚种类无效。", "Unknown penalty kind.",
                               fields={"penalties": ["处罚种类无效。"]})
        fine = _money(row.get("fine_amount", 0), "fine_amount")
        if (PenaltyKind.FINE in kinds) != (fine > 0):
            raise InvalidInput("罚款须填写金额，未选罚款不得填写金额。",
                               "A fine needs an amount, and only a fine has one.",
                               fields={"penalties": ["罚款金额与处罚种类不符。"]})
        out.append({"party": party_id, "kinds": kinds, "fine_amount": str(fine),
                    "party_kind": parties[party_id].kind})
    if not out or len({r["party"] for r in out}) != len(out):
        raise InvalidInput("请为每名当事人填写一次拟处罚内容。",
                           "One proposal per party is required.",
                           fields={"penalties": ["拟处罚内容不完整。"]})
    return out


def hearing_right(proposals: Iterable[Mapping[str, Any]], on: datetime.date) -> bool:
    """The right to a hearing (Art. 63): a fine reaching the 较大数额 threshold for that
    kind of party (a rule row), or suspension, revocation, closure or a ban."""
    for row in proposals:
        if set(row["kinds"]) & HEARING_PENALTIES:
            return True
        fine = Decimal(row["fine_amount"])
        if fine > 0:
            threshold = procedure_threshold(ProcedureThreshold.Code.LARGE_FINE_MIN,
                                            party_kind=row["party_kind"], on=on)
            if fine >= threshold.amount:
                return True
    return False


@transaction.atomic
def notify_party(case: Case, *, actor: Any, penalties: Iterable[Mapping[str, Any]],
                 facts: str = "") -> Case:
    """告知 (Art. 44): the proposed penalty, facts, reasons and rights. Starts the
    statement clock and, when the party has the right, the hearing-request clock."""
    locked = _lock(case)
    now = _now()
    proposals: list[dict[str, Any]] = []

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if row.notified_at is not None:
            raise _illegal_step(row, "已经告知", "The party was notified already")
        if row.status == S.REVIEW and row.legal_review_required:
            raise InvalidInput("本案须先经法制审核。", "The case needs its legal review first.")
        if row.is_major and row.discussed_at is None:
            raise InvalidInput("重大案件须先经集体讨论。", "A major case needs its collective "
                               "discussion first.")
        proposals.extend(_proposals(row, penalties))

    def values(row: Case) -> dict[str, Any]:
        return {"notified_at": now, "proposed_penalties": proposals,
                "hearing_right": hearing_right(proposals, local_date(now))}

    # The guard fills the proposals, the changes read them: both run on the locked row.
    moved: Case = transition(CASE_WORKFLOW, locked, S.NOTIFIED, actor=actor, guard=guard,
                             changes=values, locked=locked)
    moved.statement_clock = start_clock("statement_defence", subject=moved, started_at=now,
                                        actor=actor)
    fields = ["statement_clock"]
    if moved.hearing_right:
        moved.hearing_request_clock = start_clock("hearing_request", subject=moved,
                                                  started_at=now, actor=actor)
        fields.append("hearing_request_clock")
    moved.save(update_fields=[*fields, "updated_at"])
    document = (DocumentType.HEARING_NOTICE if moved.hearing_right
                else DocumentType.PRIOR_NOTICE)
    _record(moved, "notify_party", actor, text=facts or moved.proposed_handling,
            document=document,
            data={"penalties": proposals, "hearing_right": moved.hearing_right})
    return moved


@transaction.atomic
def record_statement(case: Case, *, actor: Any, statement: str = "",
                     waived: bool = False) -> Case:
    """The party's statement and defence (陈述申辩笔录), or their explicit waiver of it
    and of the hearing."""
    locked = _lock(case)
    _require_status(locked, {S.NOTIFIED}, "只有已告知的案件可以记录陈述申辩",
                    "Only a notified case takes a statement")
    _require_officer(locked, actor)
    if not waived:
        statement = _text(statement, "statement", "请填写陈述申辩内容。", "The statement is empty.")
    locked.statement_recorded_at, locked.defence_waived = _now(), waived
    locked.save(update_fields=["statement_recorded_at", "defence_waived", "updated_at"])
    _meet(locked.statement_clock_id, actor)
    if waived:
        _meet(locked.hearing_request_clock_id, actor)
    _record(locked, "record_statement", actor, text=statement or "当事人明确放弃陈述申辩和听证",
            document=DocumentType.STATEMENT, data={"waived": waived})
    return locked


@transaction.atomic
def request_hearing(case: Case, *, actor: Any, at: datetime.datetime | None = None) -> Case:
    """The party asks for a hearing within 5 working days of the notice (Art. 64).
    The decision clock stops while the hearing runs (Art. 60)."""
    locked = _lock(case)
    at = at or _now()

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if not row.hearing_right:
            raise InvalidInput("本案拟作出的处罚不属于听证范围。",
                               "The proposed penalty carries no hearing right.")
        if row.defence_waived or _clock_expired(row.hearing_request_clock_id, at):
            raise InvalidInput("听证申请期限已过或当事人已放弃听证。",
                               "The hearing-request period is over or was waived.")

    _move(locked, S.HEARING, actor=actor, guard=guard, changes={"hearing_requested_at": at})
    _meet(locked.hearing_request_clock_id, actor)
    if locked.decision_clock_id is not None:
        pause_deadline(Deadline.objects.get(pk=locked.decision_clock_id), actor=actor,
                       reason="当事人申请听证，听证时间不计入办案期限", at=at)
    _record(locked, "request_hearing", actor, at=at)
    return locked


@transaction.atomic
def schedule_hearing(case: Case, *, actor: Any, hearing_at: datetime.datetime,
                     presider: User) -> Case:
    """The hearing notice goes out at least 7 working days ahead; the presider is not a
    case officer (Art. 64)."""
    locked = _lock(case)
    _require_status(locked, {S.HEARING}, "只有申请听证的案件可以安排听证",
                    "Only a case with a hearing request")
    _require_officer(locked, actor)
    if locked.hearing_held_at is not None:
        raise _illegal_step(locked, "听证已举行", "The hearing was held already")
    if timezone.is_naive(hearing_at):
        raise InvalidInput("听证时间须带时区。", "hearing_at must be aware.")
    ahead = clock_rule("hearing_notice_ahead").amount
    earliest = add_working_days(timezone.localdate(), ahead).due
    if local_date(hearing_at) < earliest:
        message = f"听证须在通知后至少{ahead}个工作日举行（最早{earliest:%Y-%m-%d}）。"
        raise InvalidInput(message, f"The hearing must be at least {ahead} working days ahead.",
                           fields={"hearing_at": [message]})
    if presider.pk in _officer_ids(locked) or not User.objects.visible_to(actor).filter(
            pk=presider.pk, is_active=True).exists():
        raise InvalidInput("听证主持人须为本案承办人以外的本机关人员。",
                           "The presider must be staff other than the case officers.",
                           fields={"presider": ["听证主持人不能是承办人。"]})
    locked.hearing_at, locked.hearing_presider = hearing_at, presider
    locked.save(update_fields=["hearing_at", "hearing_presider", "updated_at"])
    _record(locked, "schedule_hearing", actor, document=DocumentType.HEARING_SUMMONS,
            data={"hearing_at": hearing_at.isoformat(), "presider": presider.pk})
    return locked


@transaction.atomic
def record_hearing(case: Case, *, actor: Any, record: str,
                   participants: Iterable[Mapping[str, Any]],
                   held_at: datetime.datetime | None = None) -> Case:
    """The hearing record (听证笔录), by the presider; the decision clock runs again and
    legal review becomes mandatory."""
    locked = _lock(case)
    held_at = held_at or _now()
    _require_status(locked, {S.HEARING}, "只有听证中的案件可以记录听证", "Only a case in hearing")
    if locked.hearing_at is None or locked.hearing_held_at is not None:
        raise _illegal_step(locked, "听证尚未安排或已记录", "The hearing is not scheduled or done")
    if actor is None or getattr(actor, "pk", None) != locked.hearing_presider_id:
        raise Forbidden("听证笔录由听证主持人记录。", "The presider records the hearing.")
    record = _text(record, "record", "请填写听证笔录。", "The hearing record is empty.")
    people = [{"name": str(p.get("name", ""))[:64], "position": str(p.get("position", ""))[:64]}
              for p in participants]
    locked.hearing_held_at = held_at
    reasons = list(dict.fromkeys([*locked.review_reasons, ReviewReason.AFTER_HEARING]))
    locked.review_reasons = reasons
    locked.save(update_fields=["hearing_held_at", "review_reasons", "updated_at"])
    clock = (Deadline.objects.filter(pk=locked.decision_clock_id).first()
             if locked.decision_clock_id else None)
    if clock is not None and clock.status == Deadline.Status.PAUSED:
        resume_deadline(clock, actor=actor, reason="听证结束，恢复计算办案期限", at=held_at)
    _record(locked, "record_hearing", actor, text=record, participants=people,
            document=DocumentType.HEARING_RECORD)
    return locked


@transaction.atomic
def extend_decision_period(case: Case, *, actor: Any, days: int, reason: str) -> Case:
    """An approved extension of the decision period, recorded (案件延期审批表)."""
    locked = _lock(case)
    reason = _reason(reason)
    open_statuses = set(S.values) - {S.PENDING, S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED,
                                     S.DECLINED, S.NO_PENALTY, S.TERMINATED, S.REVOKED}
    _require_status(locked, open_statuses, "只有办理中尚未决定的案件可以延长期限",
                    "Only an open, undecided case")
    _require_head(locked, actor, "延长办案期限")
    if locked.decision_clock_id is None:
        raise _illegal_step(locked, "案件没有办案期限", "The case has no decision clock")
    clock = extend_deadline(Deadline.objects.get(pk=locked.decision_clock_id), by=days,
                            actor=actor, reason=reason)
    _record(locked, "extend_decision_period", actor, text=reason, document=DocumentType.EXTENSION,
            data={"days": days, "due_date": str(clock.due_date)})
    return locked
