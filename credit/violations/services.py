"""Writes of the violation base: record a final decision, correct it, remove it on
revocation, expire it after the disclosure period. Each write enqueues its push in the
same transaction (credit.outbox) and is audited.

These run inside the enforcement service's transaction (the receivers of
enforcement.cases.signals), never from a view: the role and jurisdiction checks were
made by the case service that sent the signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from credit.outbox.services import enqueue
from enforcement.cases.models import Case, PartyRole, PenaltyDecision
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.documents.services import issued_for
from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workflow import transition_many

from . import retention
from .models import VIOLATION_WORKFLOW, PersonRole, SubjectKind, ViolationRecord
from .payload import payload

V = ViolationRecord.Status
PERSON_ROLES: dict[str, str] = {
    PartyRole.PRINCIPAL: PersonRole.PRINCIPAL,
    PartyRole.SAFETY_MANAGER: PersonRole.SAFETY_MANAGER,
    PartyRole.DIRECTLY_RESPONSIBLE: PersonRole.DIRECTLY_RESPONSIBLE,
    PartyRole.OTHER_RESPONSIBLE: PersonRole.OTHER_RESPONSIBLE,
    PartyRole.PERSON: PersonRole.PERSON,
}
DECISION_DOCUMENTS = ("应急罚", "应急当罚")


def _decision_number(case: Case) -> str:
    for code in DECISION_DOCUMENTS:
        number = issued_for(case, code).values_list("number", flat=True).first()
        if number:
            return str(number)
    return ""


def _fields(decision: PenaltyDecision) -> dict[str, Any]:
    case, party = decision.case, decision.party
    decided_on = local_date(decision.issued_at)
    values: dict[str, Any] = {
        "case": case, "authority_id": case.authority_id, "enterprise_id": case.enterprise_id,
        "subject_name": party.name, "violation_type": case.title[:200], "facts": case.facts,
        "legal_basis": decision.basis, "penalty_kinds": list(decision.kinds),
        "fine_amount": decision.fine_amount, "decided_on": decided_on,
        "final_on": local_date(decision.served_at or decision.issued_at),
        "disclose_until": retention.disclose_until(decided_on, retention.years()),
        "decision_number": _decision_number(case),
    }
    if party.role == PartyRole.UNIT:
        values.update(subject_kind=SubjectKind.ENTERPRISE, person_role="",
                      uscc=(party.identifier or getattr(case.enterprise, "uscc", "") or "")[:18],
                      id_number="", id_number_valid=False)
    else:
        number = ric.compact(party.identifier or "").upper()
        valid = len(number) == 18 and ric.is_valid(number)
        values.update(subject_kind=SubjectKind.PERSON, uscc="",
                      person_role=PERSON_ROLES.get(party.role, PersonRole.PERSON),
                      id_number=number if valid else "", id_number_valid=valid)
    return values


def _push(record: ViolationRecord, topic: str) -> None:
    if record.enterprise_id is None:
        return  # a case against a person alone has no enterprise stream to push on
    enqueue(topic=topic, enterprise_id=record.enterprise_id, key=record.push_key,
            payload=payload(record))


@transaction.atomic
def record_final(decision: PenaltyDecision, *, actor: Any) -> ViolationRecord:
    """The record of a decision that took effect (again: a repeat corrects it)."""
    decision = PenaltyDecision.objects.select_related(
        "case__enterprise", "case__authority", "party").get(pk=decision.pk)
    existing = ViolationRecord.objects.select_for_update().filter(decision=decision).first()
    if existing is not None:
        return correct(decision, actor=actor)
    record = ViolationRecord.objects.create(decision=decision, **_fields(decision))
    _push(record, "violation.upsert")
    record_event("violation.recorded", actor=actor, obj=record,
                 new={"violation": record.pk, "decision": decision.pk,
                      "disclose_until": record.disclose_until.isoformat()})
    return record


@transaction.atomic
def correct(decision: PenaltyDecision, *, actor: Any) -> ViolationRecord:
    """A changed decision corrects its record in place (a new version, pushed again)."""
    decision = PenaltyDecision.objects.select_related(
        "case__enterprise", "case__authority", "party").get(pk=decision.pk)
    record = ViolationRecord.objects.select_for_update().get(decision=decision)
    if record.status != V.ACTIVE:
        return record
    for name, value in _fields(decision).items():
        setattr(record, name, value)
    record.version += 1
    record.save()
    _push(record, "violation.upsert")
    record_event("violation.corrected", actor=actor, obj=record,
                 new={"violation": record.pk, "version": record.version})
    return record


def _remove(queryset: Any, to: str, *, actor: Any, reason: str) -> list[ViolationRecord]:
    with transaction.atomic():
        ids = [r.pk for r in transition_many(
            VIOLATION_WORKFLOW, queryset, to, actor=actor, reason=reason,
            changes={"removed_reason": reason}, subject_related=("authority__jurisdiction",))]
        records = list(ViolationRecord.objects.filter(pk__in=ids)
                       .select_related("enterprise", "authority").order_by("pk"))
        for record in records:
            _push(record, "violation.remove")
    return records


def remove_for_decisions(decision_ids: Iterable[int], *, actor: Any,
                         reason: str) -> list[ViolationRecord]:
    """Revoked decisions: their records leave the base and the platforms."""
    return _remove(ViolationRecord.objects.filter(decision_id__in=list(decision_ids)),
                   V.REMOVED, actor=actor, reason=reason or "处罚决定被撤销")


def expire_due(today: Any = None) -> list[ViolationRecord]:
    """Records past their disclosure period are deleted from disclosure (Art. 16)."""
    today = today or timezone.localdate()
    return _remove(ViolationRecord.objects.filter(status=V.ACTIVE, disclose_until__lt=today),
                   V.EXPIRED, actor=None, reason="保存和披露期限届满")
