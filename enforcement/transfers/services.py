"""Criminal transfer (移送公安机关): one service per step, 国务院令第310号 (2020).

Every step locks the case, then the transfer (always in that order, as the case steps
lock the case before a decision), moves the status through the one transition primitive
(TRANSFER_WORKFLOW, audited ``transfer.<status>``) and appends a CaseStepRecord to the
case's full-process record. Role, jurisdiction and separation of duties are checked on
the locked rows with the case steps' helpers:

- report (→ reported): a case officer (第五条第一款: a team of at least two officers;
  every case has at least two);
- approve / not approve: the head of the authority, never a case officer of the case
  (第五条第二款: 正职负责人或者主持工作的负责人);
- transfer, police decision, reconsideration, exhibits: a case officer or the head;
- accepting a decline without asking for reconsideration: the head.

Clocks (rule table, subject: the case): transfer_decision (3 days from the report),
transfer_delivery (24 hours from the approval), police_acceptance (3 days from the
transfer), transfer_reconsideration (3 days from receiving the decline), exhibit_handover
(3 days from receiving the police's filing notice). A step taken after its clock ran out
is saved with its ``*_late`` flag set and ``late`` in its step record: never refused.
Times of outside events (delivery to the police, the police's notices) are given by the
user and may lie in the past, never in the future nor before the step they follow.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from enforcement.cases.models import Case, DocumentType
from enforcement.cases.steps.common import (
    _lock,
    _now,
    _reason,
    _record,
    _require_case_staff,
    _require_head,
    _require_officer,
    _text,
)
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.documents import services as documents
from hangzhou_safety.documents.data import SERIES_CASE
from hangzhou_safety.documents.numbering import serial_for
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import cancel_deadline, meet_deadline, start_clock
from hangzhou_safety.workflow import IllegalTransition, transition

from .categories import CODES, category
from .models import (
    ENDED,
    REQUIRED_ATTACHMENTS,
    TRANSFER_WORKFLOW,
    Attachment,
    CriminalTransfer,
)

T = CriminalTransfer.Status
CS = Case.Status
#: A case in these statuses is over: nothing more is transferred from it.
CASE_ENDED = frozenset({CS.CLOSED, CS.DECLINED, CS.NO_PENALTY, CS.TERMINATED, CS.REVOKED})
LETTER_TYPE = "移"
LETTER_TITLE = "涉嫌犯罪案件移送书"
LETTER_TEMPLATE = "enforcement/documents/transfer_letter.html"
MAX_ATTACHMENTS = 50


# --- Helpers ---------------------------------------------------------------------------

def _lock_transfer(transfer: CriminalTransfer | int) -> tuple[Case, CriminalTransfer]:
    pk: int = transfer.pk if isinstance(transfer, CriminalTransfer) else transfer
    case_id = CriminalTransfer.objects.values_list("case_id", flat=True).get(pk=pk)
    case = _lock(case_id)
    locked = CriminalTransfer.objects.select_for_update().get(pk=pk)
    locked.case = case
    return case, locked


def _move(locked: CriminalTransfer, to: str, *, actor: Any, guard: Any,
          changes: Mapping[str, Any] | None = None, reason: str = "") -> CriminalTransfer:
    moved: CriminalTransfer = transition(TRANSFER_WORKFLOW, locked, to, actor=actor,
                                         guard=guard, changes=changes, reason=reason,
                                         locked=locked)
    return moved


def _moment(at: datetime.datetime | None, field: str, *, after: datetime.datetime | None,
            after_label: str) -> datetime.datetime:
    """When an outside event happened: aware, not in the future, not before ``after``."""
    now = _now()
    moment = at or now
    if timezone.is_naive(moment):
        raise InvalidInput("时间须带时区。", f"{field} must be timezone-aware.",
                           fields={field: ["时间须带时区。"]})
    if moment > now + datetime.timedelta(minutes=1):
        raise InvalidInput("时间不能晚于现在。", f"{field} cannot lie in the future.",
                           fields={field: ["时间不能晚于现在。"]})
    if after is not None and moment < after:
        message = f"时间不能早于{after_label}。"
        raise InvalidInput(message, f"{field} cannot precede the previous step.",
                           fields={field: [message]})
    return moment


def _late(clock_id: int | None, at: datetime.datetime) -> bool:
    """Was the step at ``at`` taken after its clock ran out?"""
    if clock_id is None:
        return False
    return at > Deadline.objects.get(pk=clock_id).due_at


def _close_clock(clock_id: int | None, actor: Any, at: datetime.datetime) -> bool:
    """Stop the step's clock at ``at``; True when the step came after the clock ran out.
    A clock already cancelled (the case ended meanwhile) still says whether it was late."""
    if clock_id is None:
        return False
    clock = Deadline.objects.get(pk=clock_id)
    if clock.status == Deadline.Status.RUNNING:
        meet_deadline(clock, actor=actor, at=at)
    return at > clock.due_at


def _cancel_clocks(transfer: CriminalTransfer, actor: Any, reason: str) -> None:
    ids = [transfer.decision_clock_id, transfer.delivery_clock_id,
           transfer.acceptance_clock_id, transfer.reconsideration_clock_id,
           transfer.handover_clock_id]
    for clock in Deadline.objects.filter(pk__in=[i for i in ids if i is not None],
                                         status__in=[Deadline.Status.RUNNING,
                                                     Deadline.Status.PAUSED]):
        cancel_deadline(clock, actor=actor, reason=reason[:200])


def _step_record(case: Case, step: str, actor: Any, transfer: CriminalTransfer, *,
                 text: str = "", late: bool = False, document: str = DocumentType.NONE,
                 at: datetime.datetime | None = None, **data: Any) -> None:
    _record(case, step, actor, text=text, document=document, at=at,
            data={"transfer": transfer.pk, "late": late, **data})


def _clean_attachments(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for row in rows:
        kind = str(row.get("kind", ""))
        title = str(row.get("title", "")).strip()[:200]
        if kind not in Attachment.values or not title:
            raise InvalidInput("附送材料须注明种类和名称。",
                               "Each attachment needs a kind and a title.",
                               fields={"attachments": ["附送材料须注明种类和名称。"]})
        out.append({"kind": kind, "title": title})
    if len(out) > MAX_ATTACHMENTS:
        raise InvalidInput("附送材料过多。", "Too many attachments.",
                           fields={"attachments": ["附送材料过多。"]})
    missing = [str(Attachment(k).label) for k in REQUIRED_ATTACHMENTS
               if k not in {r["kind"] for r in out}]
    if missing:
        message = f"移送须附{'、'.join(missing)}（移送规定第六条）。"
        raise InvalidInput(message, "The investigation report and the exhibit list must be "
                           "attached (Art. 6).", fields={"attachments": [message]})
    return out


def pending_transfer(case: Case) -> CriminalTransfer | None:
    return CriminalTransfer.objects.filter(case=case).exclude(status__in=ENDED).first()


# --- Steps -----------------------------------------------------------------------------

@transaction.atomic
def report_transfer(case: Case, *, actor: Any, category_code: str, report: str
                    ) -> CriminalTransfer:
    """The officers' written report proposing the transfer (第五条第一款); the head's
    3-day clock starts."""
    locked = _lock(case)
    _require_officer(locked, actor)
    if category_code not in CODES:
        raise InvalidInput("涉嫌罪名类别无效。", "Unknown transfer category.",
                           fields={"category": ["涉嫌罪名类别无效。"]})
    report = _text(report, "report", "请填写移送涉嫌犯罪案件的书面报告。",
                   "The written report is required.")
    if locked.status in CASE_ENDED:
        raise IllegalTransition(
            f"案件已{locked.get_status_display()}，不能再报告移送。",
            f"The case is {locked.status}; no transfer can be reported.")
    if pending_transfer(locked) is not None:
        raise DomainError("本案已有尚未办结的移送。", "A transfer of this case is pending.",
                          code="transfer_pending")
    now = _now()
    transfer = CriminalTransfer.objects.create(
        case=locked, category=category_code, report=report, reported_at=now,
        reported_by=actor)
    transfer.decision_clock = start_clock("transfer_decision", subject=locked, started_at=now,
                                          actor=actor)
    transfer.save(update_fields=["decision_clock"])
    record_event("transfer.reported", actor=actor, obj=locked,
                 new={"status": T.REPORTED, "transfer": transfer.pk, "case": locked.pk,
                      "category": category_code})
    _step_record(locked, "transfer_report", actor, transfer, text=report,
                 category=category(category_code).label)
    return transfer


@transaction.atomic
def decide_transfer(transfer: CriminalTransfer, *, actor: Any, approve: bool,
                    reason: str = "") -> CriminalTransfer:
    """The head approves or refuses the transfer (第五条第二款); a refusal's reason is
    recorded. Approval starts the 24-hour clock of the transfer."""
    case, locked = _lock_transfer(transfer)
    now = _now()
    if not approve:
        reason = _reason(reason)
    late = _late(locked.decision_clock_id, now)
    to = T.APPROVED if approve else T.NOT_APPROVED
    _move(locked, to, actor=actor, guard=lambda _row: _require_head(case, actor, "移送"),
          changes={"decided_at": now, "decided_by": actor, "decision_reason": reason.strip(),
                   "decision_late": late}, reason=reason or "批准移送")
    _close_clock(locked.decision_clock_id, actor, now)
    if approve:
        locked.delivery_clock = start_clock("transfer_delivery", subject=case, started_at=now,
                                            actor=actor)
        locked.save(update_fields=["delivery_clock", "updated_at"])
    else:
        _cancel_clocks(locked, actor, "不批准移送")
    _step_record(case, "transfer_approve" if approve else "transfer_not_approve", actor,
                 locked, text=reason, late=late)
    return locked


def _letter(case: Case, transfer: CriminalTransfer, *, actor: Any, police_organ: str,
            attachments: list[dict[str, str]], at: datetime.datetime) -> Any:
    labels = dict(Attachment.choices)
    context = {
        "transfer_id": transfer.pk, "police_organ": police_organ,
        "case": {"title": case.title, "facts": case.facts,
                 "parties": [p.name for p in case.parties.order_by("pk")]},
        "category": category(transfer.category).label,
        "report": transfer.report,
        "attachments": [{"kind": str(labels.get(a["kind"], a["kind"])), "title": a["title"]}
                        for a in attachments],
        "approved_at": timezone.localtime(transfer.decided_at).strftime("%Y年%-m月%-d日")
        if transfer.decided_at else "",
        "transferred_at": timezone.localtime(at).strftime("%Y年%-m月%-d日 %H:%M"),
    }
    year = timezone.localtime(case.filed_at or case.created_at).year
    allocation = serial_for(case, case.authority, year, SERIES_CASE)
    return documents.issue_document(
        actor=actor, authority=case.authority, type_code=LETTER_TYPE, subject=case, year=year,
        serial=allocation.serial, template_name=LETTER_TEMPLATE, context=context,
        title=LETTER_TITLE)


@transaction.atomic
def record_transfer(transfer: CriminalTransfer, *, actor: Any, police_organ: str,
                    attachments: Iterable[Mapping[str, Any]],
                    transferred_at: datetime.datetime | None = None) -> CriminalTransfer:
    """Transfer to the public-security organ at the same level with the numbered
    涉嫌犯罪案件移送书 and its attachments (第五条第二款, 第六条); the police's 3-day
    clock starts."""
    case, locked = _lock_transfer(transfer)
    police_organ = _text(police_organ, "police_organ", "请填写接受移送的公安机关。",
                         "The receiving public-security organ is required.")[:200]
    rows = _clean_attachments(attachments)
    at = _moment(transferred_at, "transferred_at", after=locked.decided_at,
                 after_label="批准移送的时间")

    def guard(_row: CriminalTransfer) -> None:
        _require_case_staff(case, actor)

    late = _late(locked.delivery_clock_id, at)
    _move(locked, T.TRANSFERRED, actor=actor, guard=guard,
          changes={"transferred_at": at, "police_organ": police_organ, "attachments": rows,
                   "delivery_late": late}, reason=f"移送{police_organ}")
    letter = _letter(case, locked, actor=actor, police_organ=police_organ, attachments=rows,
                     at=at)
    _close_clock(locked.delivery_clock_id, actor, at)
    locked.letter = letter
    locked.acceptance_clock = start_clock("police_acceptance", subject=case, started_at=at,
                                          actor=actor)
    locked.save(update_fields=["letter", "acceptance_clock", "updated_at"])
    _step_record(case, "transfer_deliver", actor, locked, text=police_organ, late=late,
                 letter=letter.number, attachments=rows)
    return locked


def _police_answer(transfer: CriminalTransfer, *, actor: Any, accepted: bool,
                   decision_number: str, reason: str, received_at: datetime.datetime | None,
                   reconsidered: bool) -> CriminalTransfer:
    case, locked = _lock_transfer(transfer)
    number = _text(decision_number, "decision_number", "请填写公安机关决定文号。",
                   "The police decision's number is required.")[:100]
    if not accepted:
        reason = _reason(reason)
    previous = locked.reconsideration_requested_at if reconsidered else locked.transferred_at
    at = _moment(received_at, "received_at", after=previous,
                 after_label="提请复议的时间" if reconsidered else "移送的时间")
    declined = T.DECLINED_FINAL if reconsidered else T.DECLINED
    to = T.ACCEPTED if accepted else declined
    changes: dict[str, Any]
    if reconsidered:
        changes = {"reconsideration_result_at": at, "reconsideration_number": number}
        if not accepted:
            changes["police_reason"] = reason.strip()
        late = False
    else:
        late = _late(locked.acceptance_clock_id, at)
        changes = {"police_received_at": at, "police_decision_number": number,
                   "police_reason": reason.strip(), "police_late": late}
    _move(locked, to, actor=actor, guard=lambda _row: _require_case_staff(case, actor),
          changes=changes, reason=reason or f"公安机关立案（{number}）")
    if not reconsidered:
        _close_clock(locked.acceptance_clock_id, actor, at)
    if to == T.ACCEPTED:
        locked.handover_clock = start_clock("exhibit_handover", subject=case, started_at=at,
                                            actor=actor)
        locked.save(update_fields=["handover_clock", "updated_at"])
    elif to == T.DECLINED:
        locked.reconsideration_clock = start_clock("transfer_reconsideration", subject=case,
                                                   started_at=at, actor=actor)
        locked.save(update_fields=["reconsideration_clock", "updated_at"])
    else:
        _cancel_clocks(locked, actor, "复议决定不予立案")
    step = {T.ACCEPTED: "transfer_police_filed", T.DECLINED: "transfer_police_declined",
            T.DECLINED_FINAL: "transfer_reconsideration_declined"}[to]
    _step_record(case, step, actor, locked, text=reason or number, late=late, at=at,
                 decision_number=number)
    return locked


@transaction.atomic
def record_police_decision(transfer: CriminalTransfer, *, actor: Any, accepted: bool,
                           decision_number: str, reason: str = "",
                           received_at: datetime.datetime | None = None) -> CriminalTransfer:
    """The police's written decision on the transfer (第八条), transferred → accepted |
    declined: filed (立案) starts the 3-day exhibits clock (第十二条); not filed (不予立案,
    with its reason) starts the 3-day reconsideration clock (第九条). A decision received
    after its 3 days is saved with ``police_late`` (第十七条)."""
    return _police_answer(transfer, actor=actor, accepted=accepted,
                          decision_number=decision_number, reason=reason,
                          received_at=received_at, reconsidered=False)


@transaction.atomic
def record_reconsideration_result(transfer: CriminalTransfer, *, actor: Any, accepted: bool,
                                  decision_number: str, reason: str = "",
                                  received_at: datetime.datetime | None = None
                                  ) -> CriminalTransfer:
    """The police's decision on the reconsideration (第九条第二款), reconsideration →
    accepted | declined_final (the authority may still suggest 立案监督 to the
    procuratorate; the transfer itself ends here)."""
    return _police_answer(transfer, actor=actor, accepted=accepted,
                          decision_number=decision_number, reason=reason,
                          received_at=received_at, reconsidered=True)


def record_police_answer(transfer: CriminalTransfer, *, actor: Any, accepted: bool,
                         decision_number: str, reason: str = "",
                         received_at: datetime.datetime | None = None) -> CriminalTransfer:
    """The page's and the API's one entry for a police notice: the decision on the
    transfer, or on the reconsideration when one was requested."""
    step = (record_reconsideration_result if transfer.status == T.RECONSIDERATION
            else record_police_decision)
    return step(transfer, actor=actor, accepted=accepted, decision_number=decision_number,
                reason=reason, received_at=received_at)


@transaction.atomic
def request_reconsideration(transfer: CriminalTransfer, *, actor: Any, reason: str,
                            requested_at: datetime.datetime | None = None
                            ) -> CriminalTransfer:
    """Ask the police to reconsider a decline (第九条第一款, 3 days from the notice)."""
    case, locked = _lock_transfer(transfer)
    reason = _reason(reason)
    at = _moment(requested_at, "requested_at", after=locked.police_received_at,
                 after_label="收到不予立案通知书的时间")
    late = _late(locked.reconsideration_clock_id, at)
    _move(locked, T.RECONSIDERATION, actor=actor,
          guard=lambda _row: _require_case_staff(case, actor),
          changes={"reconsideration_requested_at": at, "reconsideration_late": late},
          reason=reason)
    _close_clock(locked.reconsideration_clock_id, actor, at)
    _step_record(case, "transfer_reconsideration", actor, locked, text=reason, late=late, at=at)
    return locked


@transaction.atomic
def accept_decline(transfer: CriminalTransfer, *, actor: Any, reason: str) -> CriminalTransfer:
    """The head accepts the police's decline without asking for reconsideration: the
    transfer ends and the case is handled administratively (第十条)."""
    case, locked = _lock_transfer(transfer)
    reason = _reason(reason)
    _move(locked, T.DECLINED_FINAL, actor=actor,
          guard=lambda _row: _require_head(case, actor, "不再提请复议"), reason=reason)
    _cancel_clocks(locked, actor, "不再提请复议")
    _step_record(case, "transfer_accept_decline", actor, locked, text=reason)
    return locked


@transaction.atomic
def record_exhibit_handover(transfer: CriminalTransfer, *, actor: Any, note: str,
                            handed_at: datetime.datetime | None = None) -> CriminalTransfer:
    """Exhibits and the case's other materials handed over, with the handover record
    (第十二条, 3 days from the police's filing notice)."""
    case, locked = _lock_transfer(transfer)
    note = _text(note, "note", "请填写移交的涉案物品及交接手续。",
                 "Describe the exhibits handed over.")
    after = locked.reconsideration_result_at or locked.police_received_at
    at = _moment(handed_at, "handed_at", after=after, after_label="收到立案通知书的时间")
    late = _late(locked.handover_clock_id, at)
    _move(locked, T.EXHIBITS_HANDED, actor=actor,
          guard=lambda _row: _require_case_staff(case, actor),
          changes={"exhibits_handed_at": at, "exhibits_note": note, "handover_late": late},
          reason=note)
    _close_clock(locked.handover_clock_id, actor, at)
    _step_record(case, "transfer_exhibits", actor, locked, text=note, late=late, at=at)
    return locked
