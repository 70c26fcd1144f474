"""The general procedure end to end, its clocks on the calendar, and its guards:
roles, jurisdiction, separation of duties, thresholds, the hearing, the money."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, ProgrammingError, transaction
from django.utils import timezone

from enforcement.cases import services as cases
from enforcement.cases.models import (
    Case,
    CaseStepRecord,
    PenaltyDecision,
)
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.workdays.arithmetic import SHANGHAI, add_calendar_days
from hangzhou_safety.workdays.models import ClockRule, Deadline
from hangzhou_safety.workdays.services import start_clock
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import FINE, make_case, make_decision

D = datetime.date
S = Case.Status
DS = PenaltyDecision.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]
PARTICIPANTS = [{"name": "局长甲", "position": "局长"}, {"name": "副局长乙", "position": "副局长"},
                {"name": "法制科长丙", "position": "法制科科长"}]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def steps(case: Case) -> list[str]:
    return list(case.steps.order_by("id").values_list("step", flat=True))


def penalties(case: Case, fine: Any = FINE, kinds: tuple[str, ...] = ("fine",)) -> list[dict]:
    return [{"party": case.parties.get().pk, "kinds": list(kinds), "fine_amount": str(fine)}]


def test_a_major_case_from_filing_to_closing(case_world: dict[str, Any]) -> None:
    inspector, inspector2 = case_world["inspector"], case_world["inspector2"]
    chief, approver = case_world["chief"], case_world["approver"]
    case = make_case(S.PENDING, major=True)
    case.filing_submitted_at = None
    Case.objects.filter(pk=case.pk).update(filing_submitted_at=None)

    cases.file_case(case, actor=inspector)
    case = cases.approve_filing(case, actor=approver)
    assert case.status == S.FILED and case.decision_clock is not None
    assert case.decision_clock.amount == 90 and case.decision_clock.kind == "calendar_days"
    cases.start_investigation(case, actor=inspector2)
    cases.register_evidence(case, actor=inspector, kind="party_statement",
                            description="询问笔录：负责人承认未组织培训")
    cases.submit_investigation_report(case, actor=inspector, report="违法事实清楚",
                                      proposed_handling="拟罚款六万元")
    with pytest.raises(InvalidInput):  # a major case: legal review first
        cases.notify_party(case, actor=inspector, penalties=penalties(case))
    cases.legal_review(case, actor=chief, passed=True, opinion="事实清楚，程序合法")
    with pytest.raises(InvalidInput):  # and its collective discussion
        cases.notify_party(case, actor=inspector, penalties=penalties(case))
    cases.record_collective_discussion(case, actor=approver, participants=PARTICIPANTS,
                                       conclusion="同意罚款六万元")
    case = cases.notify_party(case, actor=inspector, penalties=penalties(case))
    assert case.status == S.NOTIFIED and case.hearing_right
    assert case.statement_clock.amount == 3 and case.hearing_request_clock.amount == 5
    with pytest.raises(InvalidInput):  # the periods are still running
        cases.issue_decision(case, actor=approver, penalties=penalties(case), basis="第九十七条")
    cases.record_statement(case, actor=inspector, waived=True)
    case = cases.issue_decision(case, actor=approver, penalties=penalties(case),
                                basis="《安全生产法》第九十七条")
    decision = case.decisions.get()
    assert case.status == S.DECIDED and decision.status == DS.ISSUED
    assert Deadline.objects.get(pk=case.decision_clock_id).status == "met"
    decision = cases.record_service(decision, actor=inspector, method="in_person")
    case.refresh_from_db()
    assert case.status == S.SERVED and decision.payment_clock.amount == 15
    decision = cases.record_payment(decision, actor=inspector, amount="60000")
    case.refresh_from_db()
    assert decision.status == DS.PAID and case.status == S.EXECUTING
    case = cases.close_case(case, actor=approver)
    assert case.status == S.CLOSED
    assert steps(case) == [
        "file_case", "approve_filing", "start_investigation", "register_evidence",
        "submit_investigation_report", "legal_review", "record_collective_discussion",
        "notify_party", "record_statement", "issue_decision", "record_service",
        "record_payment", "close_case"]
    docs = dict(case.steps.values_list("step", "document_type"))
    assert docs["approve_filing"] == "应急立" and docs["issue_decision"] == "应急罚"
    assert docs["notify_party"] == "应急听告" and docs["close_case"] == "应急结"
    discussion = case.steps.get(step="record_collective_discussion")
    assert [p["name"] for p in discussion.participants] == ["局长甲", "副局长乙", "法制科长丙"]


def test_step_records_are_append_only(case_world: dict[str, Any]) -> None:
    case = make_case(S.FILED)
    cases.start_investigation(case, actor=case_world["inspector"])
    record = CaseStepRecord.objects.get(case=case)
    with pytest.raises(ProgrammingError), transaction.atomic():
        CaseStepRecord.objects.filter(pk=record.pk).update(text="改写")
    with pytest.raises(ProgrammingError), transaction.atomic():
        CaseStepRecord.objects.filter(pk=record.pk).delete()


# --- Roles, jurisdiction, separation of duties --------------------------------------

def test_only_the_head_of_the_same_jurisdiction_approves_the_filing(
        case_world: dict[str, Any], binjiang_approver: Any) -> None:
    case = make_case(S.PENDING)
    for actor in (case_world["inspector"], case_world["chief"], binjiang_approver):
        with pytest.raises(Forbidden):
            cases.approve_filing(case, actor=actor)
    case.officers.add(case_world["approver"])
    with refused(Forbidden, "承办人不能审批"):
        cases.approve_filing(case, actor=case_world["approver"])
    assert Case.objects.get(pk=case.pk).status == S.PENDING


def test_only_case_officers_investigate(case_world: dict[str, Any],
                                        binjiang_inspector: Any) -> None:
    case = make_case(S.FILED)
    for actor in (case_world["chief"], binjiang_inspector):
        with pytest.raises(Forbidden):
            cases.start_investigation(case, actor=actor)


def test_the_legal_reviewer_is_qualified_and_did_not_investigate(
        case_world: dict[str, Any]) -> None:
    chief = case_world["chief"]
    case = make_case(S.REVIEW)
    case.officers.add(chief)
    with refused(Forbidden, "参与调查"):
        cases.legal_review(case, actor=chief, passed=True, opinion="同意")
    case.officers.remove(chief)
    chief.legal_qualification = False
    chief.save(update_fields=["legal_qualification"])
    with refused(Forbidden, "法律职业资格"):
        cases.legal_review(case, actor=chief, passed=True, opinion="同意")
    with pytest.raises(Forbidden):
        cases.legal_review(case, actor=case_world["inspector"], passed=True, opinion="同意")


def test_a_failed_legal_review_returns_the_case_to_investigation(
        case_world: dict[str, Any]) -> None:
    case = cases.legal_review(make_case(S.REVIEW), actor=case_world["chief"], passed=False,
                              opinion="证据不足，补充询问笔录")
    assert case.status == S.INVESTIGATING and case.legal_reviewed_at is None


def test_the_approver_of_the_decision_is_not_its_case_officer(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.NOTIFIED)
    cases.record_statement(case, actor=case_world["inspector"], waived=True)
    case.officers.add(case_world["approver"])
    with refused(Forbidden, "承办人不能审批"):
        cases.issue_decision(case, actor=case_world["approver"], penalties=penalties(case),
                             basis="第九十七条")


def test_a_case_needs_two_certified_officers(case_world: dict[str, Any]) -> None:
    inspector, chief = case_world["inspector"], case_world["chief"]
    with refused(InvalidInput, "不得少于两名"):
        cases.open_case(actor=inspector, source="inspection", title="案由", officers=[inspector])
    chief.certificate_number = ""
    chief.save(update_fields=["certificate_number"])
    with refused(InvalidInput, "执法证"):
        cases.open_case(actor=inspector, source="inspection", title="案由",
                        officers=[inspector, chief])
    assert not Case.objects.exists()


def test_the_decision_is_never_heavier_than_notified(case_world: dict[str, Any]) -> None:
    case = make_case(S.NOTIFIED)
    cases.record_statement(case, actor=case_world["inspector"], waived=True)
    for heavier in (penalties(case, FINE + 1),
                    penalties(case, FINE, ("fine", "ordered_suspension"))):
        with refused(InvalidInput, "不得重于"):
            cases.issue_decision(case, actor=case_world["approver"], penalties=heavier,
                                 basis="第九十七条")
    lighter = cases.issue_decision(case, actor=case_world["approver"],
                                   penalties=penalties(case, "50000"), basis="第九十七条")
    assert lighter.decisions.get().fine_amount == Decimal("50000")


# --- The hearing ------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "fine", "kinds", "expected"), [
    ("organisation", "50000", ("fine",), True),
    ("organisation", "49999", ("fine",), False),
    ("person", "20000", ("fine",), True),
    ("person", "19999.99", ("fine",), False),
    ("organisation", "0", ("ordered_suspension",), True),
    ("organisation", "0", ("warning",), False),
])
def test_the_hearing_right_follows_the_threshold_rows(kind: str, fine: str, kinds: tuple,
                                                      expected: bool) -> None:
    rows = [{"party": 1, "kinds": list(kinds), "fine_amount": fine, "party_kind": kind}]
    assert cases.hearing_right(rows, D(2026, 12, 1)) is expected


def test_a_hearing_pauses_the_ninety_day_clock(case_world: dict[str, Any]) -> None:
    inspector, chief = case_world["inspector"], case_world["chief"]
    case = make_case(S.NOTIFIED)
    # Filed on 2026-08-03: 90 days end on Sunday 2026-11-01, so 2026-11-02.
    clock = start_clock("decision", subject=case, started_at=at(D(2026, 8, 3)))
    assert clock.due_date == D(2026, 11, 2)
    Case.objects.filter(pk=case.pk).update(decision_clock=clock)
    # Notified straight after 案件审理 (no review was mandatory before the hearing).
    Case.objects.filter(pk=case.pk).update(notified_at=at(D(2026, 8, 25)),
                                           legal_reviewed_at=None, legal_reviewer=None)
    cases.record_statement(case, actor=inspector, statement="当事人申辩：已开始整改")
    cases.request_hearing(case, actor=inspector, at=at(D(2026, 9, 1)))
    clock.refresh_from_db()
    assert clock.status == "paused"
    Case.objects.filter(pk=case.pk).update(hearing_at=at(D(2026, 9, 21)), hearing_presider=chief)
    cases.record_hearing(case, actor=chief, record="当事人申辩：已整改", held_at=at(D(2026, 9, 21)),
                         participants=[{"name": "当事人代表", "position": "安全总监"}])
    clock.refresh_from_db()
    # (09-01, 09-21] = 20 days given back: 2026-11-21 is a Saturday → 2026-11-23.
    assert clock.status == "running" and clock.due_date == D(2026, 11, 23)
    case.refresh_from_db()
    assert "after_hearing" in case.review_reasons
    with refused(InvalidInput, "法制审核"):
        cases.issue_decision(case, actor=case_world["approver"], penalties=penalties(case),
                             basis="第九十七条")
    cases.legal_review_after_hearing(case, actor=chief, opinion="听证意见不成立")
    case = cases.issue_decision(case, actor=case_world["approver"], penalties=penalties(case),
                                basis="第九十七条")
    assert case.status == S.DECIDED


def test_a_hearing_is_requested_within_its_period_and_noticed_seven_working_days_ahead(
        case_world: dict[str, Any]) -> None:
    inspector, chief = case_world["inspector"], case_world["chief"]
    case = make_case(S.NOTIFIED)
    late = Deadline.objects.get(pk=case.hearing_request_clock_id).due_at + datetime.timedelta(
        seconds=1)
    with refused(InvalidInput, "听证申请期限已过"):
        cases.request_hearing(case, actor=inspector, at=late)
    cases.request_hearing(case, actor=inspector)
    soon = timezone.now() + datetime.timedelta(days=3)
    with refused(InvalidInput, "7个工作日"):
        cases.schedule_hearing(case, actor=inspector, hearing_at=soon, presider=chief)
    later = timezone.now() + datetime.timedelta(days=21)
    with refused(InvalidInput, "主持人"):
        cases.schedule_hearing(case, actor=inspector, hearing_at=later,
                               presider=case_world["inspector2"])
    case = cases.schedule_hearing(case, actor=inspector, hearing_at=later, presider=chief)
    assert case.hearing_presider == chief
    with pytest.raises(Forbidden):  # the presider records the hearing
        cases.record_hearing(case, actor=inspector, record="笔录", participants=[])


def test_no_hearing_right_no_hearing(case_world: dict[str, Any]) -> None:
    case = make_case(S.NOTIFIED, hearing=False)
    with refused(InvalidInput, "不属于听证范围"):
        cases.request_hearing(case, actor=case_world["inspector"])


def test_an_approved_extension_moves_the_decision_deadline(case_world: dict[str, Any]) -> None:
    case = make_case(S.INVESTIGATING)
    before = Deadline.objects.get(pk=case.decision_clock_id).due_date
    with pytest.raises(Forbidden):
        cases.extend_decision_period(case, actor=case_world["inspector"], days=30,
                                     reason="案情复杂")
    cases.extend_decision_period(case, actor=case_world["approver"], days=30, reason="案情复杂")
    clock = Deadline.objects.get(pk=case.decision_clock_id)
    # 90 → 120 calendar days from the same start; either end may be moved off a rest
    # day (2026-12-07 + 90 is a Sunday), so compare with the calendar, not "before + 30".
    start = timezone.localtime(clock.started_at, SHANGHAI).date()
    assert before == add_calendar_days(start, 90).due
    assert clock.amount == 120 and clock.due_date == add_calendar_days(start, 120).due
    assert clock.due_date > before
    assert case.steps.get(step="extend_decision_period").document_type == "应急延"


# --- Evidence ---------------------------------------------------------------------

def test_preserved_evidence_needs_the_head_and_a_decision_within_seven_working_days(
        case_world: dict[str, Any]) -> None:
    inspector, approver = case_world["inspector"], case_world["approver"]
    case = make_case(S.INVESTIGATING)
    with refused(InvalidInput, "负责人批准"):
        cases.register_evidence(case, actor=inspector, kind="physical", description="配电箱",
                                preserved=True)
    item = cases.register_evidence(case, actor=inspector, kind="physical",
                                   description="非防爆配电箱一只", preserved=True,
                                   approved_by=approver)
    clock = item.preservation_clock
    assert clock is not None and (clock.kind, clock.amount) == ("working_days", 7)
    with refused(InvalidInput, "先行登记保存"):
        cases.submit_investigation_report(case, actor=inspector, report="报告",
                                          proposed_handling="罚款")
    with pytest.raises(Forbidden):
        cases.decide_preserved_evidence(item, actor=inspector, outcome="seize")
    item = cases.decide_preserved_evidence(item, actor=approver, outcome="seize")
    assert Deadline.objects.get(pk=clock.pk).status == "met"
    case = cases.submit_investigation_report(case, actor=inspector, report="报告",
                                             proposed_handling="罚款")
    assert case.status == S.REVIEW


def test_a_case_found_on_site_is_filed_within_five_days(case_world: dict[str, Any]) -> None:
    inspector = case_world["inspector"]
    found = at(D(2026, 9, 28), 15)
    case = cases.open_case(actor=inspector, source="inspection", title="现场发现违法行为",
                           officers=[inspector, case_world["inspector2"]],
                           investigated_first=True, found_at=found,
                           parties=[{"kind": "organisation", "role": "unit", "name": "某厂"}])
    clock = case.filing_clock
    # 5 calendar days from 09-28 end on 10-03 (National Day) → 10-08.
    assert clock is not None and clock.due_date == D(2026, 10, 8)
    cases.register_evidence(case, actor=inspector, kind="record", description="现场笔录")
    cases.file_case(case, actor=inspector)
    cases.approve_filing(case, actor=case_world["approver"])
    assert Deadline.objects.get(pk=clock.pk).status == "met"


# --- Service, payment, late fees -------------------------------------------------------

def test_service_and_payment_across_the_national_day_holiday(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.DECIDED)
    decision = case.decisions.get()
    # Decided 2026-09-21: served 2026-09-22, 15 days end on 10-07 (holiday) → 10-08.
    PenaltyDecision.objects.filter(pk=decision.pk).update(issued_at=at(D(2026, 9, 21)))
    decision = cases.record_service(decision, actor=case_world["inspector"], method="post",
                                    served_at=at(D(2026, 9, 22)), note="EMS 1234")
    assert decision.payment_due == D(2026, 10, 8)
    with refused(InvalidInput, "缴款期限尚未届满"):
        cases.flag_overdue(decision, on=D(2026, 10, 8))
    decision = cases.flag_overdue(decision, on=D(2026, 10, 9))
    assert decision.status == DS.OVERDUE


def test_announcement_service_needs_its_note(case_world: dict[str, Any]) -> None:
    decision = make_case(S.DECIDED).decisions.get()
    with refused(InvalidInput, "公告"):
        cases.record_service(decision, actor=case_world["inspector"], method="announcement")


def test_late_payment_owes_the_surcharge(case_world: dict[str, Any]) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.OVERDUE, fine=Decimal("10000"))
    decision = case.decisions.get()
    due = timezone.localdate() - datetime.timedelta(days=5)
    PenaltyDecision.objects.filter(pk=decision.pk).update(payment_due=due)
    decision.refresh_from_db()
    principal, fee = cases.amount_due(decision, timezone.localdate())
    assert (principal, fee) == (Decimal("10000.00"), Decimal("1500.00"))
    with refused(InvalidInput, "加处罚款1500"):
        cases.record_payment(decision, actor=case_world["inspector"], amount="10000")
    decision = cases.record_payment(decision, actor=case_world["inspector"], amount="11500")
    assert decision.status == DS.PAID and decision.surcharge == Decimal("1500.00")


def test_deferral_and_instalments_by_approval(case_world: dict[str, Any]) -> None:
    case = make_case(S.SERVED, decision_status=DS.SERVED, fine=Decimal("10000"))
    decision = case.decisions.get()
    until = timezone.localdate() + datetime.timedelta(days=60)
    first = timezone.localdate() + datetime.timedelta(days=20)
    with pytest.raises(Forbidden):
        cases.approve_deferral(decision, actor=case_world["inspector"], until=until,
                               reason="困难")
    with refused(InvalidInput, "分期金额之和"):
        cases.approve_deferral(decision, actor=case_world["approver"], until=until,
                               reason="困难", instalments=[{"due": first, "amount": "4000"}])
    decision = cases.approve_deferral(
        decision, actor=case_world["approver"], until=until, reason="经营困难",
        instalments=[{"due": first, "amount": "4000"}, {"due": until, "amount": "6000"}])
    assert decision.status == DS.DEFERRED and len(decision.instalments) == 2
    decision = cases.record_payment(decision, actor=case_world["inspector"], amount="4000")
    assert decision.status == DS.DEFERRED and decision.paid_amount == Decimal("4000")
    decision = cases.record_payment(decision, actor=case_world["inspector"], amount="6000")
    assert decision.status == DS.PAID


def test_court_enforcement_only_after_the_demand_period(case_world: dict[str, Any]) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.OVERDUE)
    decision = cases.send_payment_demand(case.decisions.get(), actor=case_world["inspector"])
    assert decision.demand_clock.kind == "working_days" and decision.demand_clock.amount == 10
    with refused(InvalidInput, "催告书送达十日后"):
        cases.apply_to_court(decision, actor=case_world["approver"])
    Deadline.objects.filter(pk=decision.demand_clock_id).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1))
    # Served 39 days ago: the party may still sue (6 months), so not yet (行政强制法
    # 第五十三条 "当事人在法定期限内不申请行政复议或者提起行政诉讼……自期限届满之日起三个月内").
    with refused(InvalidInput, "第五十三条"):
        cases.apply_to_court(decision, actor=case_world["approver"])
    served = timezone.localdate() - datetime.timedelta(days=200)
    PenaltyDecision.objects.filter(pk=decision.pk).update(
        served_at=datetime.datetime.combine(served, datetime.time(10),
                                            tzinfo=timezone.get_current_timezone()))
    decision = cases.apply_to_court(decision, actor=case_world["approver"])
    assert decision.status == DS.COURT


def test_the_court_window_follows_the_rule_table(case_world: dict[str, Any]) -> None:
    from enforcement.cases.steps.court_window import court_window
    from hangzhou_safety.workdays.services import add_calendar_months

    case = make_case(S.EXECUTING, decision_status=DS.OVERDUE)
    decision = case.decisions.get()
    served = datetime.date(2026, 3, 2)
    PenaltyDecision.objects.filter(pk=decision.pk).update(
        served_at=datetime.datetime.combine(served, datetime.time(10),
                                            tzinfo=timezone.get_current_timezone()),
        deferred_until=None)
    decision.refresh_from_db()
    window = court_window(decision)
    assert window is not None
    # 2026-03-02 + 6 months = 09-02 (Wed) outlasts + 60 days; then three months.
    assert window.remedies_end == D(2026, 9, 2) and window.opens == D(2026, 9, 3)
    assert window.closes == add_calendar_months(D(2026, 9, 2), 3).due
    # A deferral ending later moves the start of the three months (行政处罚法 第七十二条).
    PenaltyDecision.objects.filter(pk=decision.pk).update(deferred_until=D(2026, 10, 20))
    decision.refresh_from_db()
    later = court_window(decision)
    assert later is not None and later.opens == D(2026, 10, 21)
    ClockRule.objects.filter(code="court_application").update(amount=1)
    assert court_window(decision).closes == add_calendar_months(D(2026, 10, 20), 1).due


def test_no_court_application_after_the_three_months(case_world: dict[str, Any]) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.DEMANDED)
    decision = case.decisions.get()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    PenaltyDecision.objects.filter(pk=decision.pk).update(served_at=long_ago)
    with refused(InvalidInput, "三个月内"):
        cases.apply_to_court(decision, actor=case_world["approver"])
    assert PenaltyDecision.objects.get(pk=decision.pk).status == DS.DEMANDED


def test_a_case_closes_only_once_every_decision_is_executed(case_world: dict[str, Any]) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.OVERDUE)
    with refused(InvalidInput, "未执行完毕"):
        cases.close_case(case, actor=case_world["approver"])


def test_revoking_a_case_revokes_its_decisions_and_stops_its_clocks(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.DECIDED)
    case = cases.revoke(case, actor=case_world["approver"], reason="复议机关撤销")
    assert case.status == S.REVOKED
    assert case.decisions.get().status == DS.REVOKED
    decision = case.decisions.get()
    assert Deadline.objects.get(pk=decision.service_clock_id).status == "cancelled"


def test_a_court_enforced_decision_cannot_be_revoked(case_world: dict[str, Any]) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.COURT)
    with pytest.raises(DomainError) as caught:
        cases.revoke(case, actor=case_world["approver"], reason="撤销")
    assert caught.value.status_code == 409
    assert Case.objects.get(pk=case.pk).status == S.EXECUTING


def test_no_penalty_records_its_ground(case_world: dict[str, Any]) -> None:
    case = make_case(S.REVIEW)
    with pytest.raises(InvalidInput):
        cases.no_penalty(case, actor=case_world["approver"], ground="mercy", reason="理由")
    case = cases.no_penalty(case, actor=case_world["approver"], ground="first_minor",
                            reason="首次违法，危害后果轻微并及时改正")
    assert case.status == S.NO_PENALTY and case.no_penalty_ground == "first_minor"
    assert Deadline.objects.get(pk=case.decision_clock_id).status == "cancelled"


def test_a_decision_is_made_once_per_party(case_world: dict[str, Any]) -> None:
    case = make_case(S.SERVED)
    party = case.parties.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_decision(case, party, DS.SERVED)
