"""执行 and 结案: payment, deferral, demand, the court."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import (
    cancel_deadline,
    start_clock,
)

from ..guards import run_close_guards
from ..models import (
    DECISION_SETTLED,
    DECISION_WORKFLOW,
    Case,
    DocumentType,
    PenaltyDecision,
)
from ..money import surcharge
from .common import (
    DS,
    S,
    _clock_expired,
    _lock,
    _lock_decision,
    _meet,
    _money,
    _move,
    _move_decision,
    _now,
    _reason,
    _record,
    _require_case_staff,
    _require_head,
    _text,
)
from .court_window import court_window


def _into_execution(case: Case, actor: Any) -> None:
    """The first execution step moves a served case into 执行."""
    if case.status == S.SERVED:
        _move(case, S.EXECUTING, actor=actor)


@transaction.atomic
def start_execution(case: Case, *, actor: Any, note: str = "") -> Case:
    """执行 begins (for example the supervision of a suspension order)."""
    locked = _lock(case)
    _move(locked, S.EXECUTING, actor=actor, guard=lambda row: _require_case_staff(row, actor),
          reason=note)
    _record(locked, "start_execution", actor, text=note)
    return locked


def amount_due(decision: PenaltyDecision, on: datetime.date) -> tuple[Decimal, Decimal]:
    """(outstanding fine and confiscation, late fee) owed on ``on``."""
    principal = decision.fine_amount + decision.confiscation_amount - decision.paid_amount
    due_date = decision.deferred_until or decision.payment_due
    fee = surcharge(decision.fine_amount, due_date, on) if due_date else Decimal("0.00")
    return max(principal, Decimal("0.00")), fee


@transaction.atomic
def record_payment(decision: PenaltyDecision, *, actor: Any, amount: Any,
                   paid_at: datetime.datetime | None = None) -> PenaltyDecision:
    """A payment (receipt). The whole fine plus any late fee settles the decision; an
    instalment of a deferred decision is recorded without settling it."""
    case, locked = _lock_decision(decision)
    paid_at = paid_at or _now()
    value = _money(amount, "amount")
    principal, fee = amount_due(locked, local_date(paid_at))
    settles = value >= principal + fee
    if not settles:
        if locked.status != DS.DEFERRED or not locked.instalments:
            if not DECISION_WORKFLOW.allowed(locked.status, DS.PAID):
                raise DECISION_WORKFLOW.illegal(locked.status, DS.PAID)
            raise InvalidInput(f"应缴{principal + fee}元（含加处罚款{fee}元），缴款不足。",
                               "The payment does not cover the fine and the late fee.",
                               fields={"amount": ["缴款不足。"]})
        _require_case_staff(case, actor)
        locked.paid_amount += value
        locked.save(update_fields=["paid_amount", "updated_at"])
        _into_execution(case, actor)
        _record(case, "record_payment", actor, data={"decision": locked.pk, "amount": str(value)})
        return locked
    moved = _move_decision(locked, DS.PAID, actor=actor,
                           guard=lambda _row: _require_case_staff(case, actor),
                           changes={"paid_amount": locked.paid_amount + value - fee,
                                    "surcharge": fee, "paid_at": paid_at})
    _meet(moved.payment_clock_id, actor)
    _meet(moved.demand_clock_id, actor)
    _into_execution(case, actor)
    _record(case, "record_payment", actor,
            data={"decision": moved.pk, "amount": str(value), "surcharge": str(fee)})
    return moved


@transaction.atomic
def approve_deferral(decision: PenaltyDecision, *, actor: Any, until: datetime.date,
                     reason: str, instalments: Sequence[Mapping[str, Any]] = ()
                     ) -> PenaltyDecision:
    """延期或分期缴纳 on the party's application, approved by the head (Art. 66)."""
    case, locked = _lock_decision(decision)
    reason = _reason(reason)
    plan: list[dict[str, str]] = []

    def guard(row: PenaltyDecision) -> None:
        _require_head(case, actor, "延期（分期）缴纳罚款")
        if not row.fine_amount:
            raise InvalidInput("该决定没有罚款。", "The decision has no fine.")
        if row.payment_due is None or until <= row.payment_due:
            raise InvalidInput("延期后的期限须晚于原缴款期限。",
                               "The deferral must end after the payment deadline.",
                               fields={"until": ["须晚于原缴款期限。"]})
        total = Decimal("0")
        for item in instalments:
            day = datetime.date.fromisoformat(str(item.get("due")))
            money = _money(item.get("amount"), "instalments")
            if day > until:
                raise InvalidInput("分期期限不得晚于延期期限。", "An instalment falls after the "
                                   "deferral.", fields={"instalments": ["分期期限有误。"]})
            total += money
            plan.append({"due": day.isoformat(), "amount": str(money)})
        if plan and total != row.fine_amount:
            raise InvalidInput("分期金额之和须等于罚款数额。",
                               "The instalments must add up to the fine.",
                               fields={"instalments": ["分期金额之和不等于罚款。"]})

    moved = _move_decision(locked, DS.DEFERRED, actor=actor, guard=guard, reason=reason,
                           changes=lambda _row: {"deferred_until": until, "instalments": plan})
    clock = (Deadline.objects.filter(pk=moved.payment_clock_id).first()
             if moved.payment_clock_id else None)
    if clock is not None and clock.status == Deadline.Status.RUNNING:
        cancel_deadline(clock, actor=actor, reason="批准延期（分期）缴纳")
    _into_execution(case, actor)
    _record(case, "approve_deferral", actor, text=reason,
            document=DocumentType.DEFERRAL_APPROVAL,
            data={"decision": moved.pk, "until": until.isoformat(), "instalments": plan})
    return moved


@transaction.atomic
def flag_overdue(decision: PenaltyDecision, *, actor: Any = None,
                 on: datetime.date | None = None) -> PenaltyDecision:
    """Past the payment (or deferral) deadline without full payment."""
    case, locked = _lock_decision(decision)
    on = on or timezone.localdate()

    def guard(row: PenaltyDecision) -> None:
        due = row.deferred_until or row.payment_due
        if due is None or on <= due:
            raise InvalidInput("缴款期限尚未届满。", "The payment period is still running.")

    moved = _move_decision(locked, DS.OVERDUE, actor=actor, guard=guard)
    _into_execution(case, actor)
    return moved


@transaction.atomic
def send_payment_demand(decision: PenaltyDecision, *, actor: Any, note: str = ""
                        ) -> PenaltyDecision:
    """催告 in writing before any application to the court (行政强制法 Art. 35, 54)."""
    case, locked = _lock_decision(decision)
    now = _now()
    moved = _move_decision(locked, DS.DEMANDED, actor=actor,
                           guard=lambda _row: _require_case_staff(case, actor),
                           changes={"demanded_at": now})
    moved.demand_clock = start_clock("payment_demand", subject=case, started_at=now, actor=actor)
    moved.save(update_fields=["demand_clock", "updated_at"])
    _record(case, "send_payment_demand", actor, text=note, document=DocumentType.DEMAND_NOTICE,
            data={"decision": moved.pk})
    return moved


@transaction.atomic
def apply_to_court(decision: PenaltyDecision, *, actor: Any, note: str = "") -> PenaltyDecision:
    """申请人民法院强制执行, by the head, once the demand period has run out."""
    case, locked = _lock_decision(decision)
    now = _now()

    def guard(row: PenaltyDecision) -> None:
        _require_head(case, actor, "申请强制执行")
        if not _clock_expired(row.demand_clock_id, now):
            raise InvalidInput("催告书送达十日后方可申请强制执行。",
                               "The demand period has not run out yet.")
        _require_court_window(row, local_date(now))

    moved = _move_decision(locked, DS.COURT, actor=actor, guard=guard,
                           changes={"court_applied_at": now})
    _record(case, "apply_to_court", actor, text=note, document=DocumentType.COURT,
            data={"decision": moved.pk})
    return moved


def _require_court_window(row: PenaltyDecision, today: datetime.date) -> None:
    """行政强制法 第五十三条: after the review and litigation periods, within 3 months."""
    window = court_window(row)
    if window is None:
        raise InvalidInput("处罚决定尚未送达，不能申请强制执行。", "The decision is not served.")
    if today < window.opens:
        raise InvalidInput(
            f"当事人申请行政复议、提起行政诉讼的期限至 {window.remedies_end:%Y-%m-%d} 届满，"
            f"{window.opens:%Y-%m-%d} 起方可申请人民法院强制执行（行政强制法第五十三条）。",
            f"The review and litigation periods run until {window.remedies_end}; apply to "
            f"the court from {window.opens}.")
    if today > window.closes:
        raise InvalidInput(
            f"申请人民法院强制执行的期限已于 {window.closes:%Y-%m-%d} 届满（期限届满之日起"
            "三个月内，行政强制法第五十三条）。",
            f"The three months to apply to the court ended on {window.closes}.")


@transaction.atomic
def record_court_enforcement(decision: PenaltyDecision, *, actor: Any, note: str
                             ) -> PenaltyDecision:
    case, locked = _lock_decision(decision)
    note = _text(note, "note", "请填写执行情况。", "A note on the enforcement is required.")
    moved = _move_decision(locked, DS.ENFORCED, actor=actor,
                           guard=lambda _row: _require_case_staff(case, actor),
                           changes={"enforced_at": _now()}, reason=note)
    _record(case, "record_court_enforcement", actor, text=note, data={"decision": moved.pk})
    return moved


def decision_settled(decision: PenaltyDecision) -> bool:
    return decision.status in DECISION_SETTLED or (
        decision.status == DS.SERVED and not decision.has_money)


@transaction.atomic
def close_case(case: Case, *, actor: Any, note: str = "执行完毕") -> Case:
    """结案 once every decision is executed (paid, enforced, revoked, or served with
    nothing to pay)."""
    locked = _lock(case)

    def guard(row: Case) -> None:
        _require_head(row, actor, "结案")
        if any(not decision_settled(d) for d in row.decisions.all()):
            raise InvalidInput("尚有处罚决定未执行完毕。", "A decision is not executed yet.")
        run_close_guards(row, actor)  # higher sub-packages (transfers) may refuse

    _move(locked, S.CLOSED, actor=actor, guard=guard, changes={"closed_at": _now()}, reason=note)
    _record(locked, "close_case", actor, text=note, document=DocumentType.CLOSING)
    return locked
