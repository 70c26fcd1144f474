"""Compulsory and on-site measures: one service per step (issue 11).

Every step runs in a transaction, locks the case row then the measure row (the order
the case steps use), moves the status only through ``transition`` (MEASURE_WORKFLOW,
audited as ``measure.<status>``), and checks inside: the role, the jurisdiction and
the separation of duties (the head who approves is never a case officer), then the
legal conditions. An illegal move is a 409 with a Chinese and an English message.

Moves and the one service that makes each:

- (new) → proposed ``propose_measure``; proposed → approved ``approve_measure``, →
  refused ``refuse_measure``; approved → executed ``execute_measure``.
- (new) → emergency ``execute_emergency`` (行政强制法 第十九条); emergency → reported
  ``report_emergency`` (late reports are kept and flagged); reported → executed
  ``confirm_emergency``, → not_approved ``disapprove_emergency``.
- executed / not_approved → lifted ``lift_measure``.
- No move: ``extend_measure`` (查封/扣押, once, ≤ 30 days, the head),
  ``record_party_refusal`` (the unit refuses a suspension: opens 第七十条),
  ``dispose_item`` (第二十七条 handling of one seized item).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from enforcement.cases.models import Case
from enforcement.cases.steps.common import (
    OFFICER_ROLES,
    _lock,
    _record,
    _require_case_staff,
    _require_head,
    _require_officer,
    _validate_officers,
)
from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import (
    add_rule_period,
    clock_rule,
    extend_deadline,
    meet_deadline,
    start_clock,
)
from hangzhou_safety.workflow import IllegalTransition, transition

from . import documents
from .models import (
    DEFAULT_BASIS,
    IN_FORCE,
    MEASURE_WORKFLOW,
    MONTH_LIMITED_KINDS,
    SEIZURE_KINDS,
    SUPPLY_KINDS,
    SUSPENSION_KINDS,
    CompulsoryMeasure,
    Disposal,
    LiftReason,
    MeasureItem,
    MeasureKind,
)
from .signals import measure_annulled, measure_decided
from .timing import check_execution_time

MS = CompulsoryMeasure.Status
CS = Case.Status
__all__ = ["OFFICER_ROLES"]  # re-exported for the API's permission
#: A case that is over takes no new measure.
CASE_OVER = frozenset({CS.CLOSED, CS.DECLINED, CS.NO_PENALTY, CS.TERMINATED, CS.REVOKED})
SEIZURE_RULE = "seizure"
SEIZURE_EXTENSION_RULE = "seizure_extension"
STOP_MEASURE_RULE = "stop_measure_limit"
REPORT_RULE = "emergency_measure_report"
POWER_NOTICE_RULE = "power_cut_notice"
#: How far ahead of the server's clock an execution time may be (clock skew of a phone).
FUTURE_SLACK = datetime.timedelta(minutes=5)


# --- Helpers ---------------------------------------------------------------------------

def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


def _required(value: str, field: str, zh: str, en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(zh, en, fields={field: [zh]})
    return value


def _lock_measure(measure: CompulsoryMeasure | int) -> tuple[Case, CompulsoryMeasure]:
    case_id = CompulsoryMeasure.objects.values_list("case_id", flat=True).get(pk=_pk(measure))
    case = _lock(case_id)
    locked = CompulsoryMeasure.objects.select_for_update().get(pk=_pk(measure))
    locked.case = case
    return case, locked


def _illegal(measure: CompulsoryMeasure, zh: str, en: str) -> IllegalTransition:
    return IllegalTransition(f"{zh}（当前状态：{measure.get_status_display()}）。",
                             f"{en} (current status: {measure.status}).")


def _move(locked: CompulsoryMeasure, to: str, *, actor: Any, guard: Any = None,
          changes: Any = None, reason: str = "", extra: Any = None) -> CompulsoryMeasure:
    moved: CompulsoryMeasure = transition(
        MEASURE_WORKFLOW, locked, to, actor=actor, guard=guard, changes=changes,
        reason=reason, locked=locked,
        extra=extra or (lambda row: {"kind": row.kind, "case": row.case_id}))
    return moved


def _event(action: str, measure: CompulsoryMeasure, actor: Any, *, old: Mapping[str, Any]
           | None = None, new: Mapping[str, Any] | None = None, reason: str = "") -> None:
    record_event(action, actor=actor, obj=measure.case,
                 old=dict(old or {}), reason=reason,
                 new={"measure": measure.pk, "kind": measure.kind, **dict(new or {})})


def _step(case: Case, measure: CompulsoryMeasure, step: str, actor: Any, text: str = "",
          **data: Any) -> None:
    """The measure's step in the case's full-process record (行政处罚法 第四十七条)."""
    _record(case, f"measure_{step}", actor, text=text,
            data={"measure": measure.pk, "kind": measure.kind, **data})


def _require_case_open(case: Case) -> None:
    if case.status in CASE_OVER:
        raise IllegalTransition(
            f"案件已{case.get_status_display()}，不能再采取强制措施。",
            f"The case is {case.status}; no measure can be taken.")


def _aware(moment: datetime.datetime | None, field: str) -> datetime.datetime:
    if moment is None:
        return timezone.now()
    if timezone.is_naive(moment):
        raise InvalidInput("时间须带时区。", f"{field} needs a time zone.",
                           fields={field: ["时间须带时区。"]})
    if moment > timezone.now() + FUTURE_SLACK:
        raise InvalidInput("实施时间不能晚于当前时间。", f"{field} is in the future.",
                           fields={field: ["实施时间不能晚于当前时间。"]})
    return moment


def _items(kind: str, items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for raw in items:
        description = str(raw.get("description", "")).strip()
        quantity = str(raw.get("quantity", "")).strip()
        if not description or not quantity:
            raise InvalidInput("清单每一项须写明名称和数量。",
                               "Each item needs a description and a quantity.",
                               fields={"items": ["清单每一项须写明名称和数量。"]})
        rows.append({"description": description[:200], "quantity": quantity[:50],
                     "kept_at": str(raw.get("kept_at", "")).strip()[:200]})
    if kind in SEIZURE_KINDS and not rows:
        raise InvalidInput("查封、扣押须列明场所、设施或者财物的清单（行政强制法第二十四条）。",
                           "Sealing or seizure needs the list of items (Art. 24).",
                           fields={"items": ["请填写清单。"]})
    if kind not in SEIZURE_KINDS and rows:
        raise InvalidInput("只有查封、扣押有物品清单。", "Only sealing or seizure lists items.",
                           fields={"items": ["只有查封、扣押有物品清单。"]})
    return rows


def _kind(kind: str) -> str:
    if kind not in MeasureKind.values:
        raise InvalidInput("措施种类不正确。", "Unknown measure kind.",
                           fields={"kind": ["措施种类不正确。"]})
    return kind


def _check_prerequisite(case: Case, prerequisite: CompulsoryMeasure | None) -> None:
    """安全生产法 第七十条: only against a unit that refuses a suspension decision."""
    if (prerequisite is None or prerequisite.case_id != case.pk
            or prerequisite.kind not in SUSPENSION_KINDS):
        raise DomainError(
            "停止供电、停止供应民用爆炸物品须以本案已作出的停产停业、停止施工、停止使用决定为前提"
            "（安全生产法第七十条）。",
            "A power or explosives cut needs a suspension decision of this case (Art. 70).",
            code="measure_prerequisite")
    if prerequisite.status != MS.EXECUTED or prerequisite.party_refused_at is None:
        raise DomainError(
            "须在生产经营单位拒不执行停产停业等决定后方可采取（安全生产法第七十条），"
            "请先在该决定上记录拒不执行情况。",
            "Only after the unit refused the executed suspension (Art. 70): record the "
            "refusal on that measure first.", code="measure_prerequisite")


def _validate_record(party_present: bool, party_signed: bool, refusal_note: str,
                     witness: str, onsite_record: str) -> None:
    _required(onsite_record, "onsite_record", "请填写现场笔录（行政强制法第十八条第七项）。",
              "The on-site record is required (Art. 18(7)).")
    if party_present and not party_signed and not refusal_note.strip():
        raise InvalidInput("当事人未签名的，应在笔录中注明拒绝情况（行政强制法第十八条第八项）。",
                           "Note the party's refusal to sign (Art. 18(8)).",
                           fields={"refusal_note": ["请注明当事人拒绝签名的情况。"]})
    if not party_present and not witness.strip():
        raise InvalidInput("当事人不到场的，应邀请见证人到场并签名（行政强制法第十八条第九项）。",
                           "An absent party needs a witness (Art. 18(9)).",
                           fields={"witness": ["请填写见证人。"]})


def _limit_changes(measure: CompulsoryMeasure, executed_at: datetime.datetime,
                   actor: Any) -> dict[str, Any]:
    """The measure's limit: seal/seize 30 days (a clock), a temporary stop six months
    (a date; the rule counts months)."""
    values: dict[str, Any] = {}
    if measure.kind in SEIZURE_KINDS:
        values["limit_clock"] = start_clock(SEIZURE_RULE, subject=measure,
                                            started_at=executed_at, actor=actor)
    elif measure.kind in MONTH_LIMITED_KINDS:
        result = add_rule_period(STOP_MEASURE_RULE, timezone.localtime(executed_at).date())
        values.update(limit_until=result.due, limit_provisional=result.provisional)
    return values


def _issue_decision(case: Case, measure: CompulsoryMeasure, actor: Any) -> None:
    fresh = CompulsoryMeasure.objects.select_related("limit_clock").get(pk=measure.pk)
    doc = documents.issue_decision(case, fresh, actor=actor)
    CompulsoryMeasure.objects.filter(pk=measure.pk).update(decision_document=doc)
    measure.decision_document = doc
    fresh.decision_document = doc
    measure_decided.send(sender=CompulsoryMeasure, measure=fresh, actor=actor)


def _execution(actor: Any, officers: Sequence[User], executed_at: datetime.datetime,
               onsite_record: str, party_present: bool, party_signed: bool,
               refusal_note: str, witness: str) -> tuple[list[User], dict[str, Any]]:
    team = _validate_officers(actor, officers, timezone.localtime(executed_at).date())
    _validate_record(party_present, party_signed, refusal_note, witness, onsite_record)
    return team, {"executed_at": executed_at, "onsite_record": onsite_record.strip(),
                  "party_present": party_present, "party_signed": party_signed,
                  "refusal_note": refusal_note.strip()[:300], "witness": witness.strip()[:100]}


# --- Proposal and approval -------------------------------------------------------------

@transaction.atomic
def propose_measure(case: Case | int, *, actor: Any, kind: str, reason: str, place: str,
                    legal_basis: str = "", planned_at: datetime.datetime | None = None,
                    emergency: bool = False, items: Iterable[Mapping[str, Any]] = (),
                    prerequisite: CompulsoryMeasure | int | None = None, danger: str = "",
                    supplier_name: str = "") -> CompulsoryMeasure:
    """A case officer proposes a measure for the head's prior approval (第十八条第一项)."""
    locked = _lock(case)
    _require_officer(locked, actor)
    _require_case_open(locked)
    kind = _kind(kind)
    reason = _required(reason, "reason", "请填写采取措施的理由。", "A reason is required.")
    place = _required(place, "place", "请填写实施地点。", "The place is required.")
    rows = _items(kind, items)
    before: CompulsoryMeasure | None = None
    if kind in SUPPLY_KINDS:
        if prerequisite is not None:
            before = CompulsoryMeasure.objects.filter(pk=_pk(prerequisite)).first()
        _check_prerequisite(locked, before)
        danger = _required(danger, "danger",
                           "请说明有发生生产安全事故的现实危险（安全生产法第七十条）。",
                           "State the real danger of an accident (Art. 70).")
        supplier_name = _required(supplier_name, "supplier_name", "请填写供电或者供应单位。",
                                  "The supplier is required.")
    measure = CompulsoryMeasure.objects.create(
        case=locked, kind=kind, legal_basis=(legal_basis.strip() or DEFAULT_BASIS[kind])[:300],
        reason=reason, place=place[:200], emergency=bool(emergency), prerequisite=before,
        danger=danger.strip() if kind in SUPPLY_KINDS else "",
        supplier_name=supplier_name.strip()[:200] if kind in SUPPLY_KINDS else "",
        proposed_by=actor, planned_at=planned_at)
    MeasureItem.objects.bulk_create([MeasureItem(measure=measure, **row) for row in rows])
    _step(locked, measure, "proposed", actor, text=reason)
    _event("measure.proposed", measure, actor, new={"status": MS.PROPOSED,
                                                    "emergency": measure.emergency},
           reason=reason)
    return measure


def approve_measure(measure: CompulsoryMeasure | int, *, actor: Any,
                    opinion: str = "") -> CompulsoryMeasure:
    """The head approves before execution (行政强制法 第十八条第一项); for 停止供电 /
    民爆 this is 第七十条's approval of the department's principal head."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)

        def guard(row: CompulsoryMeasure) -> None:
            _require_head(case, actor, "实施强制措施")
            _require_case_open(case)
            if row.kind in SUPPLY_KINDS:
                _check_prerequisite(case, row.prerequisite)

        text = opinion.strip() or "同意实施"
        moved = _move(locked, MS.APPROVED, actor=actor, guard=guard, reason=text,
                      changes=lambda row: {"approver": actor, "approved_at": timezone.now(),
                                           "approval_opinion": text})
        _step(case, moved, "approved", actor, text=text)
    return moved


def refuse_measure(measure: CompulsoryMeasure | int, *, actor: Any,
                   reason: str) -> CompulsoryMeasure:
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        text = reason.strip()

        def guard(_row: CompulsoryMeasure) -> None:
            _require_head(case, actor, "实施强制措施")
            _required(text, "reason", "请填写不予批准的理由。", "A reason is required.")

        moved = _move(locked, MS.REFUSED, actor=actor, guard=guard, reason=text,
                      changes=lambda row: {"approver": actor, "approved_at": timezone.now(),
                                           "refusal_reason": text})
        _step(case, moved, "refused", actor, text=text)
    return moved


# --- Execution ----------------------------------------------------------------------------

def _check_supply(row: CompulsoryMeasure, case: Case, executed_at: datetime.datetime,
                  supplier_notified_at: datetime.datetime | None,
                  party_notified_at: datetime.datetime | None) -> dict[str, Any]:
    _check_prerequisite(case, row.prerequisite)
    if supplier_notified_at is None or supplier_notified_at > executed_at:
        raise InvalidInput("须先书面通知供电或者供应单位（安全生产法第七十条）。",
                           "The supplier must be notified in writing first (Art. 70).",
                           fields={"supplier_notified_at": ["请填写书面通知供应单位的时间。"]})
    values: dict[str, Any] = {"supplier_notified_at": supplier_notified_at}
    if row.kind == MeasureKind.STOP_POWER and not row.emergency:
        rule = clock_rule(POWER_NOTICE_RULE)
        ahead = datetime.timedelta(hours=rule.amount)
        if party_notified_at is None or party_notified_at + ahead > executed_at:
            raise DomainError(
                f"停止供电应当提前{rule.amount}小时通知生产经营单位，危及生产安全的紧急情形除外"
                "（安全生产法第七十条第二款）。",
                f"The unit must be told {rule.amount} hours before a power cut unless in an "
                "emergency (Art. 70(2)).", code="power_notice")
    if party_notified_at is not None:
        values["party_notified_at"] = party_notified_at
    return values


def execute_measure(measure: CompulsoryMeasure | int, *, actor: Any, officers: Sequence[User],
                    onsite_record: str, executed_at: datetime.datetime | None = None,
                    party_present: bool = True, party_signed: bool = False,
                    refusal_note: str = "", witness: str = "",
                    supplier_notified_at: datetime.datetime | None = None,
                    party_notified_at: datetime.datetime | None = None) -> CompulsoryMeasure:
    """Two certified officers execute an approved measure, never at night or on a
    statutory holiday unless urgent (第四十三条); the decision document is issued."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        state: dict[str, Any] = {}

        def guard(row: CompulsoryMeasure) -> None:
            _require_officer(case, actor)
            _require_case_open(case)
            at = _aware(executed_at, "executed_at")
            check_execution_time(at, emergency=row.emergency)
            if row.approved_at is not None and at < row.approved_at:
                raise InvalidInput("实施时间不能早于批准时间（行政强制法第十八条第一项）。",
                                   "Execution cannot precede the approval (Art. 18(1)).",
                                   fields={"executed_at": ["实施时间早于批准时间。"]})
            team, values = _execution(actor, officers, at, onsite_record, party_present,
                                      party_signed, refusal_note, witness)
            if row.kind in SUPPLY_KINDS:
                values.update(_check_supply(row, case, at, supplier_notified_at,
                                            party_notified_at))
            state.update(team=team, values=values, at=at)

        def changes(row: CompulsoryMeasure) -> dict[str, Any]:
            return {**state["values"], **_limit_changes(row, state["at"], actor)}

        moved = _move(locked, MS.EXECUTED, actor=actor, guard=guard, changes=changes)
        moved.officers.set(state["team"])
        _step(case, moved, "executed", actor, text=moved.onsite_record)
        _issue_decision(case, moved, actor)
    return moved


@transaction.atomic
def execute_emergency(case: Case | int, *, actor: Any, kind: str, reason: str, place: str,
                      officers: Sequence[User], onsite_record: str,
                      executed_at: datetime.datetime | None = None, legal_basis: str = "",
                      items: Iterable[Mapping[str, Any]] = (), party_present: bool = True,
                      party_signed: bool = False, refusal_note: str = "",
                      witness: str = "") -> CompulsoryMeasure:
    """情况紧急 (行政强制法 第十九条): executed on the spot before approval; the 24-hour
    report clock starts. Not for 停止供电 / 民爆, which need the principal head's
    approval first (安全生产法 第七十条)."""
    locked = _lock(case)
    _require_officer(locked, actor)
    _require_case_open(locked)
    kind = _kind(kind)
    if kind in SUPPLY_KINDS:
        raise DomainError("停止供电、停止供应民用爆炸物品须经本部门主要负责人事先批准"
                          "（安全生产法第七十条），不能先行实施。",
                          "A power or explosives cut needs the principal head's prior "
                          "approval (Art. 70).", code="measure_prerequisite")
    reason = _required(reason, "reason", "请填写采取措施的理由。", "A reason is required.")
    place = _required(place, "place", "请填写实施地点。", "The place is required.")
    rows = _items(kind, items)
    at = _aware(executed_at, "executed_at")
    check_execution_time(at, emergency=True)
    team, values = _execution(actor, officers, at, onsite_record, party_present, party_signed,
                              refusal_note, witness)
    measure = CompulsoryMeasure.objects.create(
        case=locked, kind=kind, status=MS.EMERGENCY,
        legal_basis=(legal_basis.strip() or DEFAULT_BASIS[kind])[:300], reason=reason,
        place=place[:200], emergency=True, proposed_by=actor, proposed_at=at, **values)
    MeasureItem.objects.bulk_create([MeasureItem(measure=measure, **row) for row in rows])
    measure.officers.set(team)
    fields = {"report_clock": start_clock(REPORT_RULE, subject=measure, started_at=at,
                                          actor=actor),
              **_limit_changes(measure, at, actor)}
    CompulsoryMeasure.objects.filter(pk=measure.pk).update(**fields)
    for name, value in fields.items():
        setattr(measure, name, value)
    _step(locked, measure, "emergency_executed", actor, text=measure.onsite_record)
    _event("measure.emergency_executed", measure, actor,
           new={"status": MS.EMERGENCY, "executed_at": at.isoformat()}, reason=reason)
    _issue_decision(locked, measure, actor)
    return measure


def report_emergency(measure: CompulsoryMeasure | int, *, actor: Any,
                     report: str) -> CompulsoryMeasure:
    """The report to the head (第十九条: within 24 hours). A late report is taken, kept
    as late (``report_late``, in the audit event) and its clock met overdue."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        now = timezone.now()
        text = report.strip()
        state: dict[str, Any] = {}

        def guard(row: CompulsoryMeasure) -> None:
            _require_officer(case, actor)
            _required(text, "report", "请填写报告内容。", "The report is required.")
            clock = Deadline.objects.get(pk=row.report_clock_id) if row.report_clock_id else None
            state["late"] = clock is not None and now > clock.due_at

        moved = _move(locked, MS.REPORTED, actor=actor, guard=guard, reason=text,
                      changes=lambda row: {"reported_at": now, "report_text": text,
                                           "report_late": state["late"]},
                      extra=lambda row: {"kind": row.kind, "case": row.case_id,
                                         "late": row.report_late})
        if moved.report_clock_id:
            clock = Deadline.objects.get(pk=moved.report_clock_id)
            if clock.status == Deadline.Status.RUNNING:
                meet_deadline(clock, actor=actor, at=now)
        _step(case, moved, "reported", actor, text=text, late=moved.report_late)
    return moved


def confirm_emergency(measure: CompulsoryMeasure | int, *, actor: Any,
                      opinion: str = "") -> CompulsoryMeasure:
    """The head approves after the fact (补办批准手续); the measure runs on."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        text = opinion.strip() or "同意补办批准"
        moved = _move(locked, MS.EXECUTED, actor=actor,
                      guard=lambda _row: _require_head(case, actor, "强制措施"), reason=text,
                      changes=lambda row: {"approver": actor, "approved_at": timezone.now(),
                                           "approval_opinion": text, "approved_after": True})
        _step(case, moved, "approved_after", actor, text=text)
    return moved


def disapprove_emergency(measure: CompulsoryMeasure | int, *, actor: Any,
                         reason: str) -> CompulsoryMeasure:
    """The head finds the measure should not have been taken: it must be lifted at once
    (第十九条); the case cannot close while it is not."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        text = reason.strip()

        def guard(_row: CompulsoryMeasure) -> None:
            _require_head(case, actor, "强制措施")
            _required(text, "reason", "请填写不予批准的理由。", "A reason is required.")

        moved = _move(locked, MS.NOT_APPROVED, actor=actor, guard=guard, reason=text,
                      changes=lambda row: {"approver": actor, "approved_at": timezone.now(),
                                           "refusal_reason": text})
        _step(case, moved, "not_approved", actor, text=text)
        measure_annulled.send(sender=CompulsoryMeasure, measure_ids=[moved.pk], actor=actor,
                              reason=f"负责人不予补办批准：{text}"[:200])
    return moved


# --- While in force ------------------------------------------------------------------------

def extend_measure(measure: CompulsoryMeasure | int, *, actor: Any, days: int,
                   reason: str) -> CompulsoryMeasure:
    """查封、扣押 extended once, by at most the rule's 30 days, by the head (第二十五条)."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        _require_head(case, actor, "延长查封、扣押期限")
        if locked.kind not in SEIZURE_KINDS:
            raise _illegal(locked, "只有查封、扣押可以延长期限",
                           "Only sealing or seizure is extended")
        if locked.status != MS.EXECUTED:
            raise _illegal(locked, "只有实施中的查封、扣押可以延长", "Only a measure in force")
        if locked.extension_days is not None:
            raise _illegal(locked, "查封、扣押期限只能延长一次（行政强制法第二十五条）",
                           "The period is extended once only (Art. 25)")
        text = _required(reason, "reason", "请说明延长的理由（情况复杂）。",
                         "A reason is required.")
        limit = clock_rule(SEIZURE_EXTENSION_RULE).amount
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
            raise InvalidInput(f"延长期限须为1至{limit}日（行政强制法第二十五条）。",
                               f"The extension is 1 to {limit} days (Art. 25).",
                               fields={"days": [f"延长期限须为1至{limit}日。"]})
        clock = Deadline.objects.filter(pk=locked.limit_clock_id).first() \
            if locked.limit_clock_id else None
        if clock is None or clock.status not in (Deadline.Status.RUNNING,
                                                 Deadline.Status.PAUSED) or \
                clock.due_at < timezone.now():
            raise _illegal(locked, "查封、扣押期限已届满，不能再延长",
                           "The period has ended; it cannot be extended")
        old_due = clock.due_at
        clock = extend_deadline(clock, by=days, actor=actor, reason=text)
        now = timezone.now()
        CompulsoryMeasure.objects.filter(pk=locked.pk).update(
            extension_days=days, extension_reason=text, extended_by=actor, extended_at=now,
            updated_at=now)
        locked.refresh_from_db()
        _step(case, locked, "extended", actor, text=text, days=days)
        _event("measure.extended", locked, actor, old={"due_at": old_due.isoformat()},
               new={"days": days, "due_at": clock.due_at.isoformat()}, reason=text)
    return locked


def record_party_refusal(measure: CompulsoryMeasure | int, *, actor: Any,
                         note: str) -> CompulsoryMeasure:
    """The unit refuses to carry out a suspension decision (安全生产法 第七十条)."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        _require_officer(case, actor)
        if locked.kind not in SUSPENSION_KINDS:
            raise _illegal(locked, "只有停产停业、停止施工、停止使用决定可以记录拒不执行",
                           "Only a suspension decision can be refused")
        if locked.status != MS.EXECUTED:
            raise _illegal(locked, "只有实施中的决定可以记录拒不执行", "Only a decision in force")
        if locked.party_refused_at is not None:
            raise _illegal(locked, "已记录拒不执行", "The refusal is already recorded")
        text = _required(note, "note", "请填写拒不执行的情况。", "Describe the refusal.")
        now = timezone.now()
        CompulsoryMeasure.objects.filter(pk=locked.pk).update(
            party_refused_at=now, party_refusal_note=text, updated_at=now)
        locked.refresh_from_db()
        _step(case, locked, "party_refused", actor, text=text)
        _event("measure.party_refused", locked, actor, new={"refused_at": now.isoformat()},
               reason=text)
    return locked


def dispose_item(item: MeasureItem | int, *, actor: Any, disposal: str,
                 disposed_on: datetime.date | None = None, note: str = "") -> MeasureItem:
    """The handling decision of one sealed or seized item (行政强制法 第二十七条)."""
    with transaction.atomic():
        measure_id = MeasureItem.objects.values_list("measure_id", flat=True).get(pk=_pk(item))
        case, locked = _lock_measure(measure_id)
        _require_case_staff(case, actor)
        row = MeasureItem.objects.select_for_update().get(pk=_pk(item))
        if locked.status != MS.EXECUTED:
            raise _illegal(locked, "只有实施中的查封、扣押可以处理物品", "Only a measure in force")
        if row.disposal:
            raise _illegal(locked, "该物品已处理", "The item was already disposed of")
        if disposal not in Disposal.values:
            raise InvalidInput("处理方式不正确。", "Unknown disposal.",
                               fields={"disposal": ["处理方式不正确。"]})
        day = disposed_on or timezone.localdate()
        row.disposal, row.disposed_on, row.disposal_note = disposal, day, note.strip()[:300]
        row.save(update_fields=["disposal", "disposed_on", "disposal_note"])
        _step(case, locked, "item_disposed", actor, text=f"{row.description}：{disposal}",
              item=row.pk, disposal=disposal)
        _event("measure.item_disposed", locked, actor,
               new={"item": row.pk, "disposal": disposal, "on": day.isoformat()}, reason=note)
    return row


# --- Lifting ----------------------------------------------------------------------------

def _period_ended(measure: CompulsoryMeasure, now: datetime.datetime) -> bool:
    if measure.limit_clock_id:
        return Deadline.objects.get(pk=measure.limit_clock_id).due_at < now
    if measure.limit_until:
        return measure.limit_until < timezone.localtime(now).date()
    return False


def lift_measure(measure: CompulsoryMeasure | int, *, actor: Any, reason: str,
                 note: str = "") -> CompulsoryMeasure:
    """Lift a measure: its cause removed (第七十条第二款, 第二十八条), its period ended,
    or not approved after the fact (第十九条: at once). The head decides, except the
    immediate lifting of a measure not approved, which the case officers carry out.
    Seized items not yet disposed of are returned (第二十八条). The reason ``annulled``
    is only the approved annulment's (change_steps), never chosen here."""
    with transaction.atomic():
        case, locked = _lock_measure(measure)
        now = timezone.now()

        def guard(row: CompulsoryMeasure) -> None:
            if reason not in LiftReason.values or reason == LiftReason.ANNULLED:
                raise InvalidInput("解除原因不正确。", "Unknown reason for lifting.",
                                   fields={"reason": ["解除原因不正确。"]})
            if row.status == MS.NOT_APPROVED:
                _require_case_staff(case, actor)
                if reason != LiftReason.NOT_APPROVED:
                    raise InvalidInput("负责人不予补批的措施应以“不予批准”为由立即解除。",
                                       "A measure not approved is lifted for that reason.",
                                       fields={"reason": ["请选择“不予批准，立即解除”。"]})
                return
            _require_head(case, actor, "解除强制措施")
            if reason == LiftReason.NOT_APPROVED:
                raise InvalidInput("该措施已经批准，不能以“不予批准”为由解除。",
                                   "The measure was approved.",
                                   fields={"reason": ["该措施已经批准。"]})
            if reason == LiftReason.PERIOD_ENDED and not _period_ended(row, now):
                raise DomainError("措施期限尚未届满。", "The measure's period has not ended.",
                                  code="period_running")

        return lift_locked(case, locked, actor=actor, reason=reason, note=note,
                           guard=guard, now=now)


def lift_locked(case: Case, locked: CompulsoryMeasure, *, actor: Any, reason: str,
                note: str, guard: Any, now: datetime.datetime) -> CompulsoryMeasure:
    """The lifting itself, for a measure already locked (``lift_measure``, and an
    approved annulment): the move, the items returned, the clocks met, the lifting
    document. ``guard`` checks who may lift and why."""
    text = note.strip()
    moved = _move(locked, MS.LIFTED, actor=actor, guard=guard, reason=text or reason,
                  changes={"lifted_at": now, "lift_reason": reason, "lift_note": text,
                           "lifted_by": actor})
    returned = MeasureItem.objects.filter(measure=moved, disposal="").update(
        disposal=Disposal.RETURNED, disposed_on=timezone.localdate(now),
        disposal_note="解除查封、扣押，退还")
    for clock_id in (moved.limit_clock_id, moved.report_clock_id):
        if clock_id:
            clock = Deadline.objects.get(pk=clock_id)
            if clock.status == Deadline.Status.RUNNING:
                meet_deadline(clock, actor=actor, at=now)
    _step(case, moved, "lifted", actor, text=text or moved.get_lift_reason_display(),
          reason=reason, returned=returned)
    doc = documents.issue_lifting(
        case, CompulsoryMeasure.objects.select_related("decision_document").get(
            pk=moved.pk), actor=actor)
    CompulsoryMeasure.objects.filter(pk=moved.pk).update(lifting_document=doc)
    moved.lifting_document = doc
    return moved


def measures_in_force(case: Case) -> list[CompulsoryMeasure]:
    return list(CompulsoryMeasure.objects.filter(case=case, status__in=IN_FORCE))
