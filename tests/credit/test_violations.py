"""The violation base follows the decisions: recorded when a decision takes effect
(served), removed when it is revoked, both pushed through the outbox in the same
transaction; persons identified by a validated ID number, disclosure for the period
the retention rule holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from credit.outbox.models import OutboxMessage
from credit.violations.models import SubjectKind, ViolationRecord
from enforcement.cases import services as cases
from enforcement.cases.models import Case, CaseParty, PartyRole, PenaltyDecision
from enforcement.grounds.models import PartyKind
from tests.platform.drivers._cases import make_case, make_decision
from tests.platform.drivers._inspections import user

pytestmark = pytest.mark.django_db
S, DS = Case.Status, PenaltyDecision.Status


def test_served_decision_becomes_a_record_and_a_push(case_world: dict[str, Any]) -> None:
    case = make_case(S.DECIDED)
    decision = case.decisions.get()
    assert not ViolationRecord.objects.exists()
    cases.record_service(decision, actor=user("xihu_inspector"), method="in_person")
    record = ViolationRecord.objects.get(decision=decision)
    assert record.subject_kind == SubjectKind.ENTERPRISE and record.uscc == case.enterprise.uscc
    assert record.legal_basis == decision.basis and record.violation_type == case.title
    assert (record.disclose_until - record.decided_on).days in (1826, 1827)  # five years
    message = OutboxMessage.objects.get()
    assert message.topic == "violation.upsert" and message.enterprise_id == case.enterprise_id
    assert message.payload["record_id"] == record.pk


def test_failed_service_rolls_back_record_and_push(case_world: dict[str, Any]) -> None:
    decision = make_case(S.DECIDED).decisions.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        cases.record_service(decision, actor=user("xihu_inspector"), method="in_person")
        raise RuntimeError("the surrounding change fails")
    assert not ViolationRecord.objects.exists() and not OutboxMessage.objects.exists()


def test_revocation_removes_the_record_and_pushes_the_removal(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.DECIDED)
    cases.record_service(case.decisions.get(), actor=user("xihu_inspector"), method="in_person")
    cases.revoke(case, actor=user("xihu_approver"), reason="复议决定撤销")
    record = ViolationRecord.objects.get()
    assert record.status == ViolationRecord.Status.REMOVED
    assert list(OutboxMessage.objects.values_list("topic", flat=True)) == [
        "violation.upsert", "violation.remove"]


def test_responsible_person_identified_by_validated_id_number(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.DECIDED)
    person = CaseParty.objects.create(case=case, kind=PartyKind.PERSON,
                                      role=PartyRole.PRINCIPAL, name="张三",
                                      identifier="11010519491231002X")
    bad = CaseParty.objects.create(case=case, kind=PartyKind.PERSON,
                                   role=PartyRole.SAFETY_MANAGER, name="李四",
                                   identifier="110105194912310021")
    for party in (person, bad):
        decision = make_decision(case, party, DS.ISSUED, money=False)
        cases.record_service(decision, actor=user("xihu_inspector"), method="in_person")
    good = ViolationRecord.objects.get(subject_name="张三")
    assert (good.subject_kind, good.person_role, good.id_number, good.id_number_valid) == (
        SubjectKind.PERSON, "principal", "11010519491231002X", True)
    invalid = ViolationRecord.objects.get(subject_name="李四")
    assert (invalid.id_number, invalid.id_number_valid) == ("", False)
