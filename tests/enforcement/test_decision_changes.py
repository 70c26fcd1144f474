"""A final decision changed by reconsideration, litigation or the authority's own
correction, end to end through the real services: the change is recorded by the legal
reviewer, approved by the head, and the receivers withdraw the disclosure (within 3
working days), republish a changed decision after review, and correct or remove the
violation record."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from credit.violations.models import ViolationRecord
from enforcement.cases import services as cases
from enforcement.cases.changes import DecisionChange
from enforcement.cases.models import CaseStepRecord, PenaltyDecision
from enforcement.cases.step_documents import issue_step_document
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.arithmetic import add_working_days
from hangzhou_safety.workdays.models import ClockRule
from hangzhou_safety.workflow import IllegalTransition
from tests.conftest import make_user
from tests.enforcement.disclosure_helpers import published
from tests.enforcement.helpers import refused

DS = Disclosure.Status
PS = PenaltyDecision.Status
pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def _served_and_published(world: dict[str, Any]) -> tuple[PenaltyDecision, Disclosure]:
    row = published(world)
    assert row.decision is not None
    decision = cases.record_service(row.decision, actor=world["inspector"], method="in_person")
    assert decision.status == PS.SERVED
    assert ViolationRecord.objects.get(decision=decision).fine_amount == decision.fine_amount
    return decision, row


def _record(world: dict[str, Any], decision: PenaltyDecision, **kwargs: Any) -> DecisionChange:
    values: dict[str, Any] = {"source": "reconsideration", "outcome": "changed",
                              "reason": "复议机关认为罚款数额明显不当", "body": "杭州市应急管理局",
                              "ruling_number": "杭应急复决〔2026〕3号",
                              "ruled_on": timezone.localdate()}
    values.update(kwargs)
    return cases.record_decision_change(decision, actor=world["chief"], **values)


def test_reconsideration_changes_the_fine_and_the_public_version(
        case_world: dict[str, Any]) -> None:
    decision, row = _served_and_published(case_world)
    old_amount = decision.fine_amount
    change = _record(case_world, decision, fine_amount="3000")
    assert change.status == DecisionChange.Status.PROPOSED
    # Nothing takes effect before the head approves.
    decision.refresh_from_db()
    assert decision.fine_amount == old_amount
    assert Disclosure.objects.get(pk=row.pk).withdrawal_due is None

    change = cases.approve_decision_change(decision, actor=case_world["approver"],
                                           opinion="同意按复议决定变更")
    assert change.status == DecisionChange.Status.APPLIED
    decision.refresh_from_db()
    assert decision.fine_amount == Decimal("3000.00") and decision.status == PS.SERVED
    # The violation record shows the new amount (corrected in place, a new version).
    record = ViolationRecord.objects.get(decision=decision)
    assert record.fine_amount == Decimal("3000.00") and record.version == 2
    assert record.status == ViolationRecord.Status.ACTIVE
    # The published disclosure must be withdrawn within 3 working days.
    row.refresh_from_db()
    assert row.status == DS.PUBLISHED and row.republish_after_withdrawal
    assert row.withdrawal_clock is not None and row.withdrawal_clock.amount == 3
    assert row.withdrawal_due == add_working_days(timezone.localdate(), 3).due
    row = disclosure.withdraw(row, actor=case_world["inspector"])
    assert row.status == DS.WITHDRAWN and row.withdrawal_timeliness == "on_time"
    # A new public version goes to review and republishes with the new amount.
    row = disclosure.republish(row, actor=case_world["inspector"])
    assert row.status == DS.IN_REVIEW and row.version == 2
    assert "罚款人民币3000.00元" in row.public_text
    with refused(IllegalTransition, "未经脱敏审核"):
        disclosure.publish(row, actor=case_world["inspector"])
    row = disclosure.approve_redaction(row, actor=case_world["chief"], severity="ordinary")
    row = disclosure.publish(row, actor=case_world["inspector"])
    assert row.status == DS.PUBLISHED and "3000.00" in row.public_text
    assert f"{old_amount}" not in row.public_text
    # Recorded: the step records, the audit trail, the corrected decision document.
    steps = list(CaseStepRecord.objects.filter(case=decision.case).values_list("step",
                                                                                flat=True))
    assert "record_decision_change" in steps and "approve_decision_change" in steps
    assert AuditEvent.objects.filter(action="decision_change.recorded").count() == 1
    assert AuditEvent.objects.filter(action="decision_change.applied").count() == 1
    event = AuditEvent.objects.get(action="decision.content_changed")
    assert event.new_values["fine_amount"] == "3000.00"
    approval = CaseStepRecord.objects.get(case=decision.case, step="approve_decision_change")
    doc = issue_step_document(decision.case, approval, actor=case_world["inspector"])
    assert doc.doc_type_id == "罚变" and "3000.00" in str(doc.context)


def test_annulment_removes_the_violation_record_and_withdraws(
        case_world: dict[str, Any]) -> None:
    decision, row = _served_and_published(case_world)
    _record(case_world, decision, source="litigation", outcome="revoked",
            body="杭州市西湖区人民法院", ruling_number="（2026）浙0106行初12号")
    cases.approve_decision_change(decision, actor=case_world["approver"])
    decision.refresh_from_db()
    assert decision.status == PS.REVOKED
    record = ViolationRecord.objects.get(decision=decision)
    assert record.status == ViolationRecord.Status.REMOVED
    row.refresh_from_db()
    assert row.withdrawal_due == add_working_days(timezone.localdate(), 3).due
    assert not row.republish_after_withdrawal
    row = disclosure.withdraw(row, actor=case_world["inspector"])
    assert row.status == DS.WITHDRAWN
    with refused(IllegalTransition, "不能重新公开"):
        disclosure.republish(row, actor=case_world["inspector"])
    # The payment clock stops with the decision.
    assert decision.payment_clock is not None
    assert decision.payment_clock.status == "cancelled"
    # Nothing more can be recorded on a revoked decision.
    with refused(IllegalTransition, "处罚决定已撤销"):
        _record(case_world, decision, fine_amount="100")


def test_confirmed_unlawful_withdraws_without_republication(
        case_world: dict[str, Any]) -> None:
    decision, row = _served_and_published(case_world)
    _record(case_world, decision, source="litigation", outcome="confirmed_unlawful",
            body="杭州市西湖区人民法院")
    cases.approve_decision_change(decision, actor=case_world["approver"])
    decision.refresh_from_db()
    assert decision.status == PS.SERVED  # the ruling does not annul it
    assert ViolationRecord.objects.get(decision=decision).status == "removed"
    row = disclosure.withdraw(Disclosure.objects.get(pk=row.pk), actor=case_world["inspector"])
    with refused(IllegalTransition, "确认违法"):
        disclosure.republish(row, actor=case_world["inspector"])


def test_upheld_is_recorded_and_changes_nothing(case_world: dict[str, Any]) -> None:
    decision, row = _served_and_published(case_world)
    change = _record(case_world, decision, outcome="upheld")
    assert change.status == DecisionChange.Status.APPLIED
    row.refresh_from_db()
    assert row.status == DS.PUBLISHED and row.withdrawal_due is None
    assert ViolationRecord.objects.get(decision=decision).version == 1
    with refused(IllegalTransition, "没有待批准的变更"):
        cases.approve_decision_change(decision, actor=case_world["approver"])


def test_self_correction_of_a_paid_decision_records_the_refund(
        case_world: dict[str, Any]) -> None:
    decision, _row = _served_and_published(case_world)
    principal, fee = cases.amount_due(decision, timezone.localdate())
    decision = cases.record_payment(decision, actor=case_world["inspector"],
                                    amount=principal + fee)
    assert decision.status == PS.PAID
    with refused(InvalidInput, "自行纠正只能变更或撤销"):
        _record(case_world, decision, source="self_correction", outcome="upheld")
    with refused(IllegalTransition, "不能通过变更提高罚款数额"):
        _record(case_world, decision, source="self_correction", body="",
                fine_amount=str(decision.fine_amount + 1))
    change = _record(case_world, decision, source="self_correction", body="",
                     fine_amount="1000", reason="发现适用裁量基准错误，主动改正")
    assert change.refund_amount == decision.paid_amount - Decimal("1000")
    cases.approve_decision_change(decision, actor=case_world["approver"])
    assert ViolationRecord.objects.get(decision=decision).fine_amount == Decimal("1000.00")


def test_illegal_moves_are_refused_and_write_nothing(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    decision = row.decision
    assert decision is not None
    before = (DecisionChange.objects.count(), AuditEvent.objects.count(),
              CaseStepRecord.objects.count())
    # Not final yet: the decision was issued, not served.
    with refused(IllegalTransition, "尚未送达生效"):
        _record(case_world, decision, fine_amount="3000")
    decision = cases.record_service(decision, actor=case_world["inspector"], method="in_person")
    before = (DecisionChange.objects.count(), AuditEvent.objects.count(),
              CaseStepRecord.objects.count())
    # A case officer, or a role without the legal qualification, may not record.
    with refused(Forbidden, "法制审核人员"):
        cases.record_decision_change(decision, actor=case_world["inspector"],
                                     source="reconsideration", outcome="changed",
                                     reason="x", body="复议机关", ruled_on=timezone.localdate(),
                                     fine_amount="3000")
    unqualified = make_user("p_chief_noqual", Role.SECTION_CHIEF, "EM-330106")
    with refused(Forbidden, "法律职业资格"):
        cases.record_decision_change(decision, actor=unqualified, source="reconsideration",
                                     outcome="changed", reason="x", body="复议机关",
                                     ruled_on=timezone.localdate(), fine_amount="3000")
    with refused(InvalidInput, "新的决定内容"):
        _record(case_world, decision)
    with refused(InvalidInput, "复议机关或人民法院"):
        _record(case_world, decision, body="", fine_amount="3000")
    assert (DecisionChange.objects.count(), AuditEvent.objects.count(),
            CaseStepRecord.objects.count()) == before
    _record(case_world, decision, fine_amount="3000")
    with refused(IllegalTransition, "已有待批准的变更"):
        _record(case_world, decision, fine_amount="2000")
    # Only the head approves, and not the one who recorded it.
    with refused(Forbidden, "行政机关负责人"):
        cases.approve_decision_change(decision, actor=case_world["chief"])
    decision.refresh_from_db()
    assert decision.fine_amount != Decimal("3000")
    # The head refuses: nothing changes and a new record can be made.
    cases.reject_decision_change(decision, actor=case_world["approver"], reason="文号有误")
    assert DecisionChange.objects.filter(decision=decision, status="rejected").count() == 1
    assert Disclosure.objects.get(pk=row.pk).withdrawal_due is None


def test_a_failing_receiver_rolls_the_approval_back(case_world: dict[str, Any]) -> None:
    """No partial write: the approval, the decision's content and the receivers' writes
    commit together or not at all (the withdrawal clock's rule disabled stops it)."""
    decision, row = _served_and_published(case_world)
    _record(case_world, decision, fine_amount="3000")
    ClockRule.objects.filter(code="publication_withdrawal").update(active=False)
    with pytest.raises(DomainError):
        cases.approve_decision_change(decision, actor=case_world["approver"])
    decision.refresh_from_db()
    assert decision.fine_amount != Decimal("3000")
    assert DecisionChange.objects.get(decision=decision).status == "proposed"
    assert Disclosure.objects.get(pk=row.pk).withdrawal_due is None
    assert ViolationRecord.objects.get(decision=decision).version == 1
    assert not AuditEvent.objects.filter(action="decision.content_changed").exists()
