"""The disclosure pipeline of issue 12: opened when a decision is issued, due by the
rule table across holidays, reviewed before publication, withdrawn within 3 working
days, expired by period, ended early by credit repair, objections answered."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from enforcement.cases import services as cases
from enforcement.cases.models import Case, CaseParty
from enforcement.cases.signals import decision_changed
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure, PublicationPeriod
from enforcement.disclosure.rules import DecisionType, seed_publication_periods
from enforcement.disclosure.sweep import sweep
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.arithmetic import add_working_days
from hangzhou_safety.workdays.models import ClockRule
from hangzhou_safety.workflow import IllegalTransition
from tests.enforcement.disclosure_helpers import decided, id_number, opened, published
from tests.enforcement.helpers import refused

D = datetime.date
DS = Disclosure.Status
pytestmark = pytest.mark.django_db


def test_issuing_a_decision_opens_its_disclosure(case_world: dict[str, Any]) -> None:
    inspector = case_world["inspector"]
    case = cases.open_case(actor=inspector, source="inspection", title="未佩戴安全帽",
                           officers=[inspector, case_world["inspector2"]],
                           parties=[{"kind": "person", "role": "person", "name": "李四"}])
    cases.summary_procedure_decision(case, actor=inspector, party=case.parties.get(),
                                     kinds=["fine"], fine_amount="100", basis="第九十九条")
    row = Disclosure.objects.get(case=case)
    assert row.status == DS.PENDING and row.decision_type == DecisionType.PENALTY
    assert row.due_clock is not None and row.due_clock.amount == 7
    assert row.due_date == add_working_days(row.decided_on, 7).due
    assert "李四" in row.original_text and row.public_text
    # Idempotent: the receiver running again opens nothing more.
    assert disclosure.create_for_decision(row.decision, actor=inspector).pk == row.pk
    assert Disclosure.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(action="disclosure.opened").count() == 1


def test_due_dates_by_rule_across_the_national_day(case_world: dict[str, Any]) -> None:
    penalty = opened(on=D(2026, 9, 24))
    assert penalty.due_date == D(2026, 10, 12)
    other = disclosure.create_for_decision(decided(on=D(2026, 9, 24)), actor=None,
                                           decision_type=DecisionType.COMPULSORY_MEASURE)
    assert other.due_date == D(2026, 10, 29)


def test_a_rule_change_does_not_move_deadlines_already_set(case_world: dict[str, Any]) -> None:
    before = opened(on=D(2026, 9, 24))
    ClockRule.objects.filter(code="safety_publicity").update(amount=10)
    before.refresh_from_db()
    assert before.due_date == D(2026, 10, 12)
    after = opened(on=D(2026, 9, 24))
    assert after.due_date == D(2026, 10, 15)
    # Unless asked to: a chief recomputes it, with a reason.
    with refused(Forbidden, "科室负责人"):
        disclosure.recompute_due(before, actor=case_world["inspector"], reason="规则更正")
    moved = disclosure.recompute_due(before, actor=case_world["chief"], reason="规则更正")
    assert moved.due_date == D(2026, 10, 15)


def test_a_disclosure_cannot_be_published_before_review(case_world: dict[str, Any]) -> None:
    row = opened()
    with refused(IllegalTransition, "不能变更为"):
        disclosure.publish(row, actor=case_world["inspector"])
    row = disclosure.submit_for_review(row, actor=case_world["inspector"])
    with refused(IllegalTransition, "未经脱敏审核"):
        disclosure.publish(row, actor=case_world["inspector"])
    row.refresh_from_db()
    assert row.status == DS.IN_REVIEW and row.published_at is None
    assert not AuditEvent.objects.filter(action="disclosure.published").exists()


def test_the_reviewer_is_a_chief_who_is_not_a_case_officer(
        case_world: dict[str, Any], binjiang_approver: Any) -> None:
    row = disclosure.submit_for_review(opened(), actor=case_world["inspector"])
    for actor in (case_world["inspector"], binjiang_approver):
        with pytest.raises(Forbidden):
            disclosure.approve_redaction(row, actor=actor, severity="ordinary")
    row.case.officers.add(case_world["chief"])
    with refused(Forbidden, "职能分离"):
        disclosure.approve_redaction(row, actor=case_world["chief"], severity="ordinary")
    row = disclosure.approve_redaction(row, actor=case_world["approver"], severity="ordinary")
    assert row.reviewer == case_world["approver"] and row.publication_months == 3
    event = AuditEvent.objects.get(action="disclosure.redaction_approved")
    assert "masked" in event.new_values


def test_staff_of_another_district_cannot_act(case_world: dict[str, Any],
                                              binjiang_inspector: Any) -> None:
    with pytest.raises(Forbidden):
        disclosure.submit_for_review(opened(), actor=binjiang_inspector)


def test_the_period_is_bounded_by_the_configured_table(case_world: dict[str, Any]) -> None:
    row = disclosure.submit_for_review(opened(), actor=case_world["inspector"])
    with refused(InvalidInput, "公示期须在3至12个月之间"):
        disclosure.approve_redaction(row, actor=case_world["chief"], severity="ordinary",
                                     months=13)
    with refused(InvalidInput, "不予公示"):
        disclosure.approve_redaction(row, actor=case_world["chief"], severity="minor")
    # The table is seeded by migration; a transactional test elsewhere may have flushed it.
    seed_publication_periods()
    assert PublicationPeriod.objects.filter(severity="serious").update(min_months=6) == 1
    row = disclosure.approve_redaction(row, actor=case_world["chief"], severity="serious")
    assert row.publication_months == 6


def test_publish_records_timeliness_and_the_publication_end(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    today = timezone.localdate()
    assert row.status == DS.PUBLISHED and row.timeliness == "on_time"
    assert row.publication_ends_on is not None
    assert today + datetime.timedelta(days=180) <= row.publication_ends_on \
        <= today + datetime.timedelta(days=195)
    assert row.due_clock is not None
    row.due_clock.refresh_from_db()
    assert row.due_clock.status == "met"
    late = opened(on=D(2026, 9, 24))
    late = disclosure.submit_for_review(late, actor=case_world["inspector"])
    late = disclosure.approve_redaction(late, actor=case_world["chief"], severity="ordinary")
    late = disclosure.publish(late, actor=case_world["inspector"])
    assert late.timeliness == "late"
    # Three months from the decision date, not from publication.
    assert late.publication_ends_on == D(2026, 12, 24)


def test_hold_back_and_release(case_world: dict[str, Any]) -> None:
    row = opened()
    with refused(InvalidInput, "理由无效"):
        disclosure.hold_back(row, actor=case_world["chief"], reason="nonsense")
    with pytest.raises(Forbidden):
        disclosure.hold_back(row, actor=case_world["inspector"], reason="minor_party")
    row = disclosure.hold_back(row, actor=case_world["chief"], reason="minor_party",
                               note="当事人未满十八周岁")
    assert row.status == DS.HELD_BACK and row.hold_back_reason == "minor_party"
    with pytest.raises(IllegalTransition):
        disclosure.publish(row, actor=case_world["inspector"])


def test_revocation_requires_withdrawal_within_3_working_days(
        case_world: dict[str, Any]) -> None:
    row = published(case_world)
    original = row.original_text
    cases.revoke(row.case, actor=case_world["approver"], reason="复议决定撤销")
    row.refresh_from_db()
    assert row.status == DS.PUBLISHED and row.withdrawal_clock is not None
    assert row.withdrawal_clock.amount == 3
    assert row.withdrawal_due == add_working_days(timezone.localdate(), 3).due
    row = disclosure.withdraw(row, actor=case_world["inspector"])
    assert row.status == DS.WITHDRAWN and row.withdrawal_timeliness == "on_time"
    assert row.original_text == original  # the original is never changed
    # A revoked decision is not republished.
    with pytest.raises(IllegalTransition):
        disclosure.republish(row, actor=case_world["inspector"])


def test_a_late_withdrawal_is_recorded_late(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    disclosure.request_withdrawal([row.decision_id], actor=case_world["approver"],
                                  reason="决定被撤销")
    Disclosure.objects.filter(pk=row.pk).update(withdrawal_due=D(2026, 1, 5))
    assert disclosure.withdraw(row, actor=case_world["inspector"]).withdrawal_timeliness \
        == "late"


def test_an_unpublished_disclosure_of_a_revoked_decision_is_withdrawn_at_once(
        case_world: dict[str, Any]) -> None:
    row = opened()
    cases.revoke(row.case, actor=case_world["approver"], reason="撤销")
    row.refresh_from_db()
    assert row.status == DS.WITHDRAWN


def test_a_changed_decision_republishes_after_review(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    decision = row.decision
    assert decision is not None
    decision.basis = "《安全生产法》第九十七条第一项（更正）"
    decision.save(update_fields=["basis"])
    decision_changed.send(sender=type(decision), decision=decision,
                          actor=case_world["approver"])
    row = disclosure.withdraw(Disclosure.objects.get(pk=row.pk), actor=case_world["inspector"])
    row = disclosure.republish(row, actor=case_world["inspector"])
    assert row.status == DS.IN_REVIEW and row.version == 2 and "更正" in row.original_text
    with refused(IllegalTransition, "未经脱敏审核"):
        disclosure.publish(row, actor=case_world["inspector"])
    row = disclosure.approve_redaction(row, actor=case_world["chief"], severity="ordinary")
    assert disclosure.publish(row, actor=case_world["inspector"]).status == DS.PUBLISHED


def test_expiry_by_period(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    assert sweep()["expired"] == 0
    Disclosure.objects.filter(pk=row.pk).update(
        publication_ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert sweep()["expired"] == 1
    row.refresh_from_db()
    assert row.status == DS.EXPIRED and row.ended_at is not None
    assert sweep()["expired"] == 0
    assert AuditEvent.objects.filter(action="disclosure.expired").count() == 1


def test_credit_repair_ends_publication_early_after_the_minimum(
        case_world: dict[str, Any]) -> None:
    row = published(case_world)
    with refused(InvalidInput, "最短公示期未满"):
        disclosure.end_by_credit_repair(row, actor=case_world["chief"], reason="已整改并承诺")
    Disclosure.objects.filter(pk=row.pk).update(
        decided_on=timezone.localdate() - datetime.timedelta(days=100))
    with pytest.raises(Forbidden):
        disclosure.end_by_credit_repair(row, actor=case_world["inspector"], reason="已整改")
    row = disclosure.end_by_credit_repair(row, actor=case_world["chief"],
                                          reason="企业已完成整改并作出信用承诺")
    assert row.status == DS.EXPIRED and row.repaired_by == case_world["chief"]
    assert AuditEvent.objects.filter(action="disclosure.credit_repaired").exists()


def test_objections_are_answered_within_5_working_days(case_world: dict[str, Any]) -> None:
    with pytest.raises(IllegalTransition):
        disclosure.submit_objection(opened(), text="记录有误")
    row = published(case_world)
    with refused(InvalidInput, "异议内容"):
        disclosure.submit_objection(row, text="  ")
    objection = disclosure.submit_objection(row, text="罚款金额有误", contact="13800000000")
    assert objection.due_date == add_working_days(timezone.localdate(), 5).due
    with pytest.raises(Forbidden):
        disclosure.answer_objection(objection, actor=None, answer="已核实")
    answered = disclosure.answer_objection(objection, actor=case_world["inspector"],
                                           answer="经核实，记录无误。")
    assert answered.timeliness == "on_time"
    with pytest.raises(IllegalTransition):
        disclosure.answer_objection(objection, actor=case_world["inspector"], answer="再答")


def test_illegal_moves_are_409(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    for step in (lambda: disclosure.submit_for_review(row, actor=case_world["inspector"]),
                 lambda: disclosure.hold_back(row, actor=case_world["chief"],
                                              reason="privacy"),
                 lambda: disclosure.republish(row, actor=case_world["inspector"])):
        with pytest.raises(IllegalTransition) as caught:
            step()
        assert caught.value.status_code == 409
    assert Case.objects.filter(pk=row.case_id).exists()


def test_a_minor_as_party_is_held_back_at_once(case_world: dict[str, Any]) -> None:
    decision = decided(on=D(2026, 9, 24), person=True)
    CaseParty.objects.filter(pk=decision.party_id).update(
        identifier=id_number("33010620100925001"))  # 18 on 2035-09-25
    decision.party.refresh_from_db()
    row = disclosure.create_for_decision(decision, actor=None)
    assert row.status == DS.HELD_BACK and row.hold_back_reason == "minor_party"
    assert row.due_clock is not None
    row.due_clock.refresh_from_db()
    assert row.due_clock.status == "cancelled"
    adult = decided(on=D(2026, 9, 24), person=True)  # born 1980
    assert disclosure.create_for_decision(adult, actor=None).status == DS.PENDING
