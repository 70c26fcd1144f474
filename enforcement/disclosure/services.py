"""The disclosure pipeline's steps (issue 12): one service per step, each checking role
and jurisdiction itself; every status move goes through the transition primitive.

- ``create_for_decision``: the record is opened the moment a decision is issued (the
  ``decision_issued`` signal, receivers.py), with its due clock from the rule table;
  ``create_for_measure`` likewise for a compulsory measure's decision (``measure_decided``);
- ``submit_for_review`` → ``approve_redaction`` → ``publish``: the public version is
  produced by the masking service and reviewed by a chief before it can be published;
- ``hold_back``: cases that must not be published (a minor as party, secrets,
  privacy, security);
- ``request_withdrawal`` (decision revoked or changed: 3 working days) → ``withdraw``
  → ``republish`` (a changed decision);
- ``end_by_credit_repair``: publication ended early by decision; expiry by period is
  the sweep's (sweep.py);
- ``submit_objection`` / ``answer_objection``: public error reports, 5 working days.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.cn import ric

from enforcement.cases.models import Case, CaseParty, PenaltyDecision
from enforcement.cases.steps.common import (
    CHIEF_ROLES,
    OFFICER_ROLES,
    _officer_ids,
    _require_jurisdiction,
    _require_role,
)
from enforcement.grounds.models import PartyKind
from enforcement.measures.models import ON_SITE_KINDS as MEASURE_ON_SITE_KINDS
from enforcement.measures.models import SEIZURE_KINDS, CompulsoryMeasure
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.masking import is_resident_id, mask_with_spans
from hangzhou_safety.workdays.arithmetic import add_calendar_months, local_date
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import cancel_deadline, meet_deadline, start_clock
from hangzhou_safety.workflow import IllegalTransition, lock, transition

from .models import (
    DISCLOSURE_WORKFLOW,
    Disclosure,
    DisclosureObjection,
    HoldBackReason,
    PublicationPeriod,
    Severity,
    Timeliness,
)
from .public_columns import public_columns
from .rules import CLOCK_RULE_BY_TYPE, DecisionType, seed_publication_periods

DS = Disclosure.Status
#: Who reviews the redaction, holds a case back, ends publication early: a chief or
#: the head of the authority, never one of the case officers.
REVIEWER_ROLES = CHIEF_ROLES
WITHDRAWAL_RULE = "publication_withdrawal"
OBJECTION_RULE = "disclosure_objection"
MAX_MARKS = 50


def _today() -> datetime.date:
    return timezone.localdate()


def _reason(value: str, field: str = "reason") -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput("请填写理由。", "A reason is required.",
                           fields={field: ["请填写理由。"]})
    return value


def _require_staff(row: Disclosure, actor: Any) -> None:
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理信息公开。",
                  "Your role may not handle disclosures.")
    _require_jurisdiction(actor, row.authority)


def _require_reviewer(row: Disclosure, actor: Any, what: str) -> None:
    _require_role(actor, REVIEWER_ROLES, f"只有科室负责人或负责人可以{what}。",
                  "Only a chief or the head may take this step.")
    _require_jurisdiction(actor, row.authority)
    if actor.pk in _officer_ids(row.case):
        raise Forbidden("本案承办人不能审核本案的公开内容（职能分离）。",
                        "A case officer may not review the case's own disclosure.")


def _lock_row(disclosure: Disclosure | int) -> Disclosure:
    row: Disclosure = (Disclosure.objects.select_for_update(of=("self",))
                       .select_related("authority__jurisdiction", "case")
                       .get(pk=getattr(disclosure, "pk", disclosure)))
    return row


# --- The decision's text and its public version ----------------------------------------

def decision_text(decision: PenaltyDecision) -> str:
    """The original text snapshot of a decision: the party with its identifier and
    address, the facts, the legal basis and the penalty (行政处罚决定书's content)."""
    party, case = decision.party, decision.case
    lines = [f"案由：{case.title}",
             f"当事人：{party.name}（{party.get_role_display()}）"]
    if party.identifier:
        label = "身份证号" if party.kind == PartyKind.PERSON else "统一社会信用代码"
        lines.append(f"{label}：{party.identifier}")
    if party.address:
        lines.append(f"地址：{party.address}")
    if party.phone:
        lines.append(f"联系电话：{party.phone}")
    if case.facts:
        lines.append(f"违法事实：{case.facts}")
    lines.append(f"处罚依据：{decision.basis}")
    penalty = "、".join(decision.kind_labels)
    if decision.fine_amount:
        penalty += f"，罚款人民币{decision.fine_amount}元"
    lines.append(f"处罚决定：{penalty}")
    lines.append(f"决定日期：{local_date(decision.issued_at):%Y-%m-%d}")
    return "\n".join(lines)


def measure_text(measure: CompulsoryMeasure) -> str:
    """The original text snapshot of a measure's decision: the unit, the measure, its
    reason, basis and place, the list of sealed or seized items (行政强制法 第二十四条),
    the decision date and the period."""
    case = measure.case
    unit = case.parties.filter(role="unit").order_by("pk").first()
    name = unit.name if unit else (case.enterprise.name if case.enterprise else case.title)
    lines = [f"案由：{case.title}", f"当事人：{name}"]
    if unit is not None and unit.identifier:
        lines.append(f"统一社会信用代码：{unit.identifier}")
    lines += [f"措施：{measure.get_kind_display()}", f"理由：{measure.reason}",
              f"依据：{measure.legal_basis}", f"地点：{measure.place}"]
    items = [f"{i.description}（{i.quantity}）" for i in measure.items.order_by("pk")]
    if items:
        lines.append(f"查封、扣押清单：{'；'.join(items)}")
    assert measure.executed_at is not None
    lines.append(f"决定日期：{local_date(measure.executed_at):%Y-%m-%d}")
    if measure.limit_clock_id and measure.limit_clock is not None:
        lines.append(f"期限至：{local_date(measure.limit_clock.due_at):%Y-%m-%d}")
    elif measure.limit_until:
        lines.append(f"期限至：{measure.limit_until:%Y-%m-%d}")
    return "\n".join(lines)


def measure_decision_type(measure: CompulsoryMeasure) -> str:
    """查封、扣押 are 行政强制措施 (行政强制法); the stop and withdrawal orders of 安全生产法
    第六十五条第一款第三项 are on-site measures; 第七十条's decisions are the other ones.
    All three run on the same 20-working-day rule (rules.py)."""
    if measure.kind in SEIZURE_KINDS:
        return DecisionType.COMPULSORY_MEASURE
    if measure.kind in MEASURE_ON_SITE_KINDS:
        return DecisionType.ONSITE_MEASURE
    return DecisionType.OTHER


def _marks(values: Iterable[str], field: str) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))
    if len(cleaned) > MAX_MARKS or any(len(v) > 200 for v in cleaned):
        raise InvalidInput("标注内容过多或过长。", f"Too many or too long entries in {field}.",
                           fields={field: ["标注内容过多或过长。"]})
    return cleaned


def public_version(row: Disclosure) -> tuple[str, list[dict[str, Any]]]:
    """The masked text and its spans: personal numbers by pattern and check digit, the
    names of natural persons other than the punished party (the case's other parties and
    the names the reviewer marks), natural persons' addresses and identifiers, and the
    phrases the reviewer marks."""
    punished_id = row.decision.party_id if row.decision_id and row.decision else None
    names: list[str] = list(row.marked_names)
    phrases: list[tuple[str, str]] = [("marked", p) for p in row.marked_phrases]
    for party in CaseParty.objects.filter(case_id=row.case_id).order_by("pk"):
        if party.kind != PartyKind.PERSON:
            continue
        if party.pk != punished_id:
            names.append(party.name)
        if party.address:
            phrases.append(("address", party.address))
        if party.identifier:
            phrases.append(("id_number", party.identifier))
        if party.phone:
            phrases.append(("phone", party.phone))
    result = mask_with_spans(row.original_text, names=names, phrases=phrases)
    return result.text, [span.as_dict() for span in result.spans]


# --- Opening the record ----------------------------------------------------------------

@transaction.atomic
def create_for_decision(decision: PenaltyDecision, *, actor: Any = None,
                        decision_type: str = DecisionType.PENALTY) -> Disclosure:
    """The disclosure of ``decision``, opened when it is issued (idempotent: a second
    call returns the record already there). Its due clock copies the rule of its
    decision type, so a later correction of the rule does not move it."""
    existing = Disclosure.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    case: Case = Case.objects.select_related("authority__jurisdiction").get(pk=decision.case_id)
    row = Disclosure(decision=decision, case=case, authority=case.authority,
                     decision_type=decision_type, decided_on=local_date(decision.issued_at),
                     party_name=decision.party.name, original_text=decision_text(decision),
                     due_date=local_date(decision.issued_at),
                     **public_columns(decision, case))
    row.save()
    clock = start_clock(CLOCK_RULE_BY_TYPE[decision_type], subject=row,
                        started_at=decision.issued_at, actor=actor)
    assert clock.due_date is not None
    row.due_clock, row.due_date = clock, clock.due_date
    row.public_text, row.masks = public_version(row)
    row.save(update_fields=["due_clock", "due_date", "public_text", "masks", "updated_at"])
    record_event("disclosure.opened", actor=actor, obj=row,
                 new={"disclosure": row.pk, "decision": decision.pk, "due": row.due_date,
                      "rule": CLOCK_RULE_BY_TYPE[decision_type]})
    if _is_minor(decision.party, row.decided_on):
        # A minor as party is never published: held back at once, by rule, not by hand.
        row = transition(DISCLOSURE_WORKFLOW, row, DS.HELD_BACK, actor=actor,
                         reason="当事人为未成年人",
                         changes={"hold_back_reason": HoldBackReason.MINOR_PARTY,
                                  "hold_back_note": "据身份证号出生日期自动判定"},
                         extra={"hold_back_reason": HoldBackReason.MINOR_PARTY})
        assert row.due_clock is not None
        cancel_deadline(row.due_clock, actor=actor, reason="当事人为未成年人，不予公开")
    return row


@transaction.atomic
def create_for_measure(measure: CompulsoryMeasure, *, actor: Any = None) -> Disclosure:
    """The disclosure of a measure's decision, opened when its decision document is
    issued (idempotent). The decision day is the day it was executed and its document
    handed over (行政强制法 第二十四条: 当场交付); the due clock copies the rule of its
    decision type. Lifting the measure later does not withdraw it."""
    existing = Disclosure.objects.filter(measure=measure).first()
    if existing is not None:
        return existing
    measure = (CompulsoryMeasure.objects
               .select_related("case__authority__jurisdiction", "case__enterprise",
                               "limit_clock", "decision_document").get(pk=measure.pk))
    assert measure.executed_at is not None
    case = measure.case
    decision_type = measure_decision_type(measure)
    decided = local_date(measure.executed_at)
    unit = case.parties.filter(role="unit").order_by("pk").first()
    row = Disclosure(measure=measure, case=case, authority=case.authority,
                     decision_type=decision_type, decided_on=decided,
                     party_name=(unit.name if unit else case.title)[:200],
                     original_text=measure_text(measure), due_date=decided,
                     **public_columns(None, case, measure))
    row.save()
    clock = start_clock(CLOCK_RULE_BY_TYPE[decision_type], subject=row,
                        started_at=measure.executed_at, actor=actor)
    assert clock.due_date is not None
    row.due_clock, row.due_date = clock, clock.due_date
    row.public_text, row.masks = public_version(row)
    row.save(update_fields=["due_clock", "due_date", "public_text", "masks", "updated_at"])
    record_event("disclosure.opened", actor=actor, obj=row,
                 new={"disclosure": row.pk, "measure": measure.pk, "due": row.due_date,
                      "rule": CLOCK_RULE_BY_TYPE[decision_type]})
    return row


def _is_minor(party: CaseParty, on: datetime.date) -> bool:
    """A natural person under 18 on the decision day, by the birth date of a valid
    resident ID number (GB 11643)."""
    if party.kind != PartyKind.PERSON or not is_resident_id(party.identifier or ""):
        return False
    born = ric.get_birth_date(party.identifier)
    try:
        adult = born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February
        adult = datetime.date(born.year + 18, 3, 1)
    return on < adult


def recompute_due(disclosure: Disclosure, *, actor: Any, reason: str) -> Disclosure:
    """Move an open disclosure's deadline to the rule as it is now (asked for
    explicitly: a rule change never moves a deadline by itself)."""
    reason = _reason(reason)
    with transaction.atomic():
        row = _lock_row(disclosure)
        _require_role(actor, CHIEF_ROLES, "只有科室负责人或负责人可以重算公开期限。",
                      "Only a chief may recompute a disclosure deadline.")
        _require_jurisdiction(actor, row.authority)
        if row.status not in (DS.PENDING, DS.IN_REVIEW):
            raise IllegalTransition("已公开或已结束的公开记录不能重算期限。",
                                    "Only an open disclosure's deadline can be recomputed.")
        old = row.due_date
        if row.due_clock_id:
            cancel_deadline(Deadline.objects.get(pk=row.due_clock_id), actor=actor,
                            reason=reason[:200])
        started = datetime.datetime.combine(row.decided_on, datetime.time(12),
                                            tzinfo=timezone.get_current_timezone())
        clock = start_clock(CLOCK_RULE_BY_TYPE[row.decision_type], subject=row,
                            started_at=started, actor=actor)
        assert clock.due_date is not None
        row.due_clock, row.due_date = clock, clock.due_date
        row.save(update_fields=["due_clock", "due_date", "updated_at"])
        record_event("disclosure.due_recomputed", actor=actor, obj=row, reason=reason,
                     old={"due": old}, new={"disclosure": row.pk, "due": row.due_date})
    return row


# --- Review and publication --------------------------------------------------------------

@transaction.atomic
def submit_for_review(disclosure: Disclosure, *, actor: Any, names: Sequence[str] = (),
                      phrases: Sequence[str] = ()) -> Disclosure:
    """Produce the public version (with the names and phrases the officer marks) and
    send it to a chief for review."""
    marked_names, marked_phrases = _marks(names, "names"), _marks(phrases, "phrases")

    def guard(row: Disclosure) -> None:
        _require_staff(row, actor)
        row.marked_names = list(dict.fromkeys([*row.marked_names, *marked_names]))
        row.marked_phrases = list(dict.fromkeys([*row.marked_phrases, *marked_phrases]))

    def changes(row: Disclosure) -> dict[str, Any]:
        text, masks = public_version(row)
        return {"public_text": text, "masks": masks, "marked_names": row.marked_names,
                "marked_phrases": row.marked_phrases, "submitted_by": actor,
                "reviewer": None, "reviewed_at": None}

    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.IN_REVIEW, actor=actor, guard=guard,
        changes=changes, extra=lambda row: {"masks": len(row.masks)})
    return moved


def _period(severity: str) -> PublicationPeriod:
    period = PublicationPeriod.objects.filter(severity=severity).first()
    if period is None and severity in Severity.values:
        # A table emptied (a restore) falls back to the seed; edited rows are kept.
        seed_publication_periods()
        period = PublicationPeriod.objects.filter(severity=severity).first()
    if period is None:
        raise InvalidInput("严重程度无效。", "Unknown severity.",
                           fields={"severity": ["严重程度无效。"]})
    return period


@transaction.atomic
def approve_redaction(disclosure: Disclosure, *, actor: Any, severity: str,
                      months: int | None = None, names: Sequence[str] = (),
                      phrases: Sequence[str] = ()) -> Disclosure:
    """The reviewer's logged step: the masked version (with anything more the reviewer
    marks) is accepted, with the severity and publication period (within the
    configured bounds). Only then can it be published."""
    row = _lock_row(disclosure)
    if row.status != DS.IN_REVIEW:
        raise DISCLOSURE_WORKFLOW.illegal(row.status, DS.PUBLISHED,
                                          ("只有审核中的公开记录可以审核", "Only a disclosure "
                                           "in review can be reviewed"))
    _require_reviewer(row, actor, "审核公开内容")
    if severity not in Severity.values:
        raise InvalidInput("严重程度无效。", "Unknown severity.",
                           fields={"severity": ["严重程度无效。"]})
    period = _period(severity)
    if not period.publish:
        raise InvalidInput("该类决定按规定不予公示，请选择“不予公开”。",
                           "Decisions of this severity are not published: hold it back.",
                           fields={"severity": ["该类决定不予公示。"]})
    chosen = period.min_months if months is None else int(months)
    if not max(period.min_months, 1) <= chosen <= period.max_months:
        message = f"公示期须在{max(period.min_months, 1)}至{period.max_months}个月之间。"
        raise InvalidInput(message, "The publication period is outside its bounds.",
                           fields={"months": [message]})
    row.marked_names = list(dict.fromkeys([*row.marked_names, *_marks(names, "names")]))
    row.marked_phrases = list(dict.fromkeys([*row.marked_phrases,
                                             *_marks(phrases, "phrases")]))
    row.public_text, row.masks = public_version(row)
    row.severity, row.publication_months = severity, chosen
    row.reviewer, row.reviewed_at = actor, timezone.now()
    row.save(update_fields=["marked_names", "marked_phrases", "public_text", "masks",
                            "severity", "publication_months", "reviewer", "reviewed_at",
                            "updated_at"])
    record_event("disclosure.redaction_approved", actor=actor, obj=row,
                 new={"disclosure": row.pk, "severity": severity, "months": chosen,
                      "masked": [{"kind": m["kind"], "start": m["start"], "end": m["end"]}
                                 for m in row.masks]})
    return row


@transaction.atomic
def send_back(disclosure: Disclosure, *, actor: Any, reason: str) -> Disclosure:
    """The reviewer returns the public version for more masking."""
    reason = _reason(reason)
    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.PENDING, actor=actor, reason=reason,
        guard=lambda row: _require_reviewer(row, actor, "退回公开内容"),
        changes={"reviewer": None, "reviewed_at": None})
    return moved


@transaction.atomic
def publish(disclosure: Disclosure, *, actor: Any) -> Disclosure:
    """Publish the reviewed public version (refused before the review: 409). The
    publication ends the reviewed period after the decision date; timeliness against
    the due date is recorded for the reports."""
    now = timezone.now()
    today = local_date(now)

    def guard(row: Disclosure) -> None:
        _require_staff(row, actor)
        if row.reviewed_at is None or row.publication_months is None:
            raise IllegalTransition("公开内容未经脱敏审核，不能公开。",
                                    "The redaction has not been reviewed: it cannot be "
                                    "published yet.")

    def changes(row: Disclosure) -> dict[str, Any]:
        assert row.publication_months is not None
        # The period runs from the date of the decision (信用修复管理办法, credit-data.md
        # §3.3), not from the day it is published.
        return {"published_at": now, **public_columns(row.decision, row.case, row.measure),
                "publication_ends_on": add_calendar_months(
                    row.decided_on, row.publication_months).due,
                "timeliness": Timeliness.ON_TIME if today <= row.due_date else Timeliness.LATE}

    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.PUBLISHED, actor=actor, guard=guard,
        changes=changes, extra=lambda row: {"timeliness": row.timeliness,
                                            "ends_on": row.publication_ends_on})
    if moved.due_clock_id:
        clock = Deadline.objects.get(pk=moved.due_clock_id)
        if clock.status == Deadline.Status.RUNNING:
            meet_deadline(clock, actor=actor, at=now)
    return moved


@transaction.atomic
def hold_back(disclosure: Disclosure, *, actor: Any, reason: str, note: str = "") -> Disclosure:
    """不予公开: a minor as party, state or commercial secrets, privacy, security, or a
    minor violation not published by the rules; decided by a chief, with its reason."""
    if reason not in HoldBackReason.values:
        raise InvalidInput("不予公开理由无效。", "Unknown hold-back reason.",
                           fields={"reason": ["不予公开理由无效。"]})
    note = (note or "").strip()[:2000]

    def guard(row: Disclosure) -> None:
        _require_reviewer(row, actor, "决定不予公开")

    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.HELD_BACK, actor=actor, guard=guard,
        changes={"hold_back_reason": reason, "hold_back_note": note}, reason=note,
        extra={"hold_back_reason": reason})
    if moved.due_clock_id:
        clock = Deadline.objects.get(pk=moved.due_clock_id)
        if clock.status in (Deadline.Status.RUNNING, Deadline.Status.PAUSED):
            cancel_deadline(clock, actor=actor, reason="不予公开")
    return moved


@transaction.atomic
def release_hold(disclosure: Disclosure, *, actor: Any, reason: str) -> Disclosure:
    """A hold-back reversed on review (the ground no longer applies): back to pending,
    with a new due clock from today under the rule of its decision type."""
    reason = _reason(reason)

    def guard(row: Disclosure) -> None:
        _require_reviewer(row, actor, "撤销不予公开决定")

    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.PENDING, actor=actor, guard=guard, reason=reason,
        changes={"hold_back_reason": "", "reviewer": None, "reviewed_at": None})
    clock = start_clock(CLOCK_RULE_BY_TYPE[moved.decision_type], subject=moved,
                        started_at=timezone.now(), actor=actor)
    assert clock.due_date is not None
    moved.due_clock, moved.due_date = clock, clock.due_date
    moved.save(update_fields=["due_clock", "due_date", "updated_at"])
    return moved


# --- Withdrawal, republication, end of publication ------------------------------------

@transaction.atomic
def request_withdrawal(decision_ids: Iterable[int], *, actor: Any, reason: str,
                       republish: bool = False, measure_ids: Iterable[int] = ()) -> int:
    """The decisions (or measures' decisions) were revoked (or changed, ``republish``):
    a published disclosure must be withdrawn within 3 working days (rule
    ``publication_withdrawal``); one not yet published is withdrawn at once (nothing
    public to take down). Idempotent."""
    reason = (reason or "决定已变更或撤销").strip()[:200]
    now = timezone.now()
    count = 0
    rows = list(Disclosure.objects.filter(Q(decision_id__in=list(decision_ids))
                                          | Q(measure_id__in=list(measure_ids)))
                .select_related("authority__jurisdiction").order_by("pk"))
    for row in rows:
        if row.status == DS.PUBLISHED and row.withdrawal_due is None:
            locked = _lock_row(row)
            clock = start_clock(WITHDRAWAL_RULE, subject=locked, started_at=now, actor=actor)
            locked.withdrawal_clock, locked.withdrawal_due = clock, clock.due_date
            locked.withdrawal_reason = reason
            locked.republish_after_withdrawal = republish
            locked.save(update_fields=["withdrawal_clock", "withdrawal_due",
                                       "withdrawal_reason", "republish_after_withdrawal",
                                       "updated_at"])
            record_event("disclosure.withdrawal_requested", actor=actor, obj=locked,
                         reason=reason, new={"disclosure": locked.pk,
                                             "due": locked.withdrawal_due,
                                             "republish": republish})
            count += 1
        elif row.status in (DS.PENDING, DS.IN_REVIEW):
            _withdraw_unpublished(row, actor=actor, reason=reason, republish=republish)
            count += 1
        elif (not republish and row.republish_after_withdrawal
              and row.status in (DS.PUBLISHED, DS.WITHDRAWN)):
            # A changed decision later annulled: no republication any more.
            locked = _lock_row(row)
            locked.republish_after_withdrawal = False
            locked.withdrawal_reason = reason
            locked.save(update_fields=["republish_after_withdrawal", "withdrawal_reason",
                                       "updated_at"])
            record_event("disclosure.republication_cancelled", actor=actor, obj=locked,
                         reason=reason, new={"disclosure": locked.pk})
            count += 1
    return count


def _withdraw_unpublished(row: Disclosure, *, actor: Any, reason: str,
                          republish: bool = False) -> Disclosure:
    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, row, DS.WITHDRAWN, actor=actor, reason=reason,
        changes={"withdrawn_at": timezone.now(), "withdrawal_reason": reason,
                 "republish_after_withdrawal": republish,
                 "withdrawal_timeliness": Timeliness.ON_TIME})
    if moved.due_clock_id:
        clock = Deadline.objects.get(pk=moved.due_clock_id)
        if clock.status in (Deadline.Status.RUNNING, Deadline.Status.PAUSED):
            cancel_deadline(clock, actor=actor, reason=reason)
    return moved


def withdraw_unpublished(disclosure: Disclosure, *, actor: Any, reason: str) -> Disclosure:
    """A disclosure not yet published whose decision was revoked, withdrawn by staff
    (the revocation signal does it by itself; this is the manual step)."""
    reason = _reason(reason)[:200]
    with transaction.atomic():
        row = _lock_row(disclosure)
        if row.status not in (DS.PENDING, DS.IN_REVIEW):
            raise DISCLOSURE_WORKFLOW.illegal(row.status, DS.WITHDRAWN)
        _require_staff(row, actor)
        return _withdraw_unpublished(row, actor=actor, reason=reason)


@transaction.atomic
def withdraw(disclosure: Disclosure, *, actor: Any, reason: str = "") -> Disclosure:
    """Take a published disclosure down; on time when within its withdrawal period."""
    now = timezone.now()
    today = local_date(now)

    def guard(row: Disclosure) -> None:
        _require_staff(row, actor)
        if not (row.withdrawal_reason or reason.strip()):
            raise InvalidInput("请填写撤回理由。", "A reason is required.",
                               fields={"reason": ["请填写撤回理由。"]})

    def changes(row: Disclosure) -> dict[str, Any]:
        late = row.withdrawal_due is not None and today > row.withdrawal_due
        return {"withdrawn_at": now,
                "withdrawal_reason": (row.withdrawal_reason or reason.strip())[:200],
                "withdrawal_timeliness": Timeliness.LATE if late else Timeliness.ON_TIME}

    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.WITHDRAWN, actor=actor, guard=guard,
        changes=changes, reason=reason.strip(),
        extra=lambda row: {"withdrawal_timeliness": row.withdrawal_timeliness})
    if moved.withdrawal_clock_id:
        clock = Deadline.objects.get(pk=moved.withdrawal_clock_id)
        if clock.status == Deadline.Status.RUNNING:
            meet_deadline(clock, actor=actor, at=now)
    return moved


@transaction.atomic
def republish(disclosure: Disclosure, *, actor: Any) -> Disclosure:
    """A changed decision (or measure's decision) republishes: the original snapshot is
    taken again from the decision as it is now (a new version; the old text stays in
    the audit trail), the public version is produced again and goes back to review."""

    def guard(row: Disclosure) -> None:
        _require_staff(row, actor)
        if not row.republish_after_withdrawal:
            # Withdrawn because the decision no longer stands (撤销, 确认违法, 确认无效):
            # only a changed decision is published again.
            raise IllegalTransition("该决定因撤销、确认违法或确认无效而撤回，不能重新公开。",
                                    "Withdrawn because the decision no longer stands: "
                                    "only a changed decision is republished.")
        if row.measure is not None:
            # An annulment after the change cancelled the republication above; the
            # measure's own status (lifted or not) does not decide.
            return
        if row.decision is None or row.decision.status == PenaltyDecision.Status.REVOKED:
            raise IllegalTransition("决定已撤销，不能重新公开。",
                                    "The decision was revoked: nothing to republish.")

    def changes(row: Disclosure) -> dict[str, Any]:
        if row.measure is not None:
            measure = (CompulsoryMeasure.objects
                       .select_related("case__enterprise", "limit_clock")
                       .get(pk=row.measure.pk))
            row.original_text = measure_text(measure)
        else:
            assert row.decision is not None
            row.original_text = decision_text(row.decision)
        text, masks = public_version(row)
        return {"original_text": row.original_text, "public_text": text, "masks": masks,
                "version": row.version + 1, "reviewer": None, "reviewed_at": None,
                "published_at": None, "publication_ends_on": None, "withdrawal_due": None,
                "withdrawal_clock": None, "submitted_by": actor,
                "republish_after_withdrawal": False,
                **public_columns(row.decision, row.case, row.measure)}

    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.IN_REVIEW, actor=actor, guard=guard,
        changes=changes, event="disclosure.republished",
        extra=lambda row: {"version": row.version})
    return moved


@transaction.atomic
def end_by_credit_repair(disclosure: Disclosure, *, actor: Any, reason: str) -> Disclosure:
    """信用修复: the enterprise applied after the minimum period (counted from the
    decision date) with its correction and commitment; a chief decides to end the
    publication early (recorded with reason)."""
    reason = _reason(reason)
    today = _today()

    def guard(row: Disclosure) -> None:
        _require_reviewer(row, actor, "作出信用修复决定")
        period = _period(row.severity or Severity.ORDINARY)
        earliest = add_calendar_months(row.decided_on, period.min_months).due
        if today < earliest:
            raise InvalidInput(f"最短公示期未满（{earliest:%Y-%m-%d}后方可申请信用修复）。",
                               "The minimum publication period has not passed.",
                               fields={"reason": ["最短公示期未满。"]})

    moved: Disclosure = transition(
        DISCLOSURE_WORKFLOW, disclosure, DS.EXPIRED, actor=actor, guard=guard, reason=reason,
        changes={"repaired_by": actor, "repair_reason": reason, "ended_at": timezone.now()},
        event="disclosure.credit_repaired")
    return moved


# --- Objections from the public ----------------------------------------------------------

@transaction.atomic
def submit_objection(disclosure: Disclosure, *, text: str, contact_name: str = "",
                     contact: str = "", actor: Any = None) -> DisclosureObjection:
    """"This record is wrong": accepted from anyone about a published disclosure, to be
    answered within 5 working days (rule ``disclosure_objection``)."""
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise InvalidInput("请填写异议内容（不超过2000字）。", "The objection text is required "
                           "(at most 2000 characters).", fields={"text": ["请填写异议内容。"]})
    row = lock(DISCLOSURE_WORKFLOW, disclosure)
    if row.status != DS.PUBLISHED:
        raise IllegalTransition("只能对已公开的信息提出异议。",
                                "Objections are taken on published disclosures only.")
    now = timezone.now()
    objection = DisclosureObjection(disclosure=row, text=text,
                                    contact_name=(contact_name or "").strip()[:64],
                                    contact=(contact or "").strip()[:64], submitted_at=now,
                                    due_date=local_date(now))
    objection.save()
    clock = start_clock(OBJECTION_RULE, subject=row, started_at=now, actor=None)
    assert clock.due_date is not None
    objection.clock, objection.due_date = clock, clock.due_date
    objection.save(update_fields=["clock", "due_date"])
    record_event("disclosure.objection_received", actor=actor, obj=row,
                 new={"disclosure": row.pk, "objection": objection.pk,
                      "due": objection.due_date})
    return objection


@transaction.atomic
def answer_objection(objection: DisclosureObjection, *, actor: Any,
                     answer: str) -> DisclosureObjection:
    answer = _reason(answer, "answer")
    row = (DisclosureObjection.objects.select_for_update(of=("self",))
           .select_related("disclosure__authority__jurisdiction").get(pk=objection.pk))
    _require_staff(row.disclosure, actor)
    if row.answered_at is not None:
        raise IllegalTransition("该异议已答复。", "The objection has been answered already.")
    now = timezone.now()
    row.answer, row.answered_by, row.answered_at = answer[:4000], actor, now
    row.timeliness = Timeliness.ON_TIME if local_date(now) <= row.due_date else Timeliness.LATE
    row.save(update_fields=["answer", "answered_by", "answered_at", "timeliness"])
    if row.clock_id:
        clock = Deadline.objects.get(pk=row.clock_id)
        if clock.status == Deadline.Status.RUNNING:
            meet_deadline(clock, actor=actor, at=now)
    record_event("disclosure.objection_answered", actor=actor, obj=row.disclosure,
                 new={"disclosure": row.disclosure_id, "objection": row.pk,
                      "timeliness": row.timeliness})
    return row
