"""Criminal transfer (移送公安机关, 国务院令第310号 2020): every move, who may take it, the
hour and day clocks from the rule table, late steps flagged (never refused), the numbered
涉嫌犯罪案件移送书, the no-以罚代刑 close guard, the API and the case page."""
# ruff: noqa: F811

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.cases import services as cases
from enforcement.cases.guards import _CLOSE_GUARDS
from enforcement.cases.models import Case, CaseStepRecord, PenaltyDecision
from enforcement.transfers import services as transfers
from enforcement.transfers.guards import refuse_pending_transfer
from enforcement.transfers.models import CriminalTransfer
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.documents.models import IssuedDocument
from hangzhou_safety.workdays.arithmetic import SHANGHAI
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import start_clock
from hangzhou_safety.workflow import IllegalTransition
from tests.enforcement.helpers import refused
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)
from tests.platform.drivers._cases import Staff, make_case, xihu_staff
from tests.platform.drivers._transfers import ATTACHMENTS, make_transfer

T = CriminalTransfer.Status
S, DS = Case.Status, PenaltyDecision.Status
pytestmark = pytest.mark.django_db
POLICE = "杭州市公安局西湖区分局"


def _expire(clock_id: int | None) -> None:
    """Let a running clock run out (its due time an hour ago)."""
    Deadline.objects.filter(pk=clock_id).update(
        due_at=timezone.now() - datetime.timedelta(hours=1))


def _report(case: Case, actor: Any, category: str = "major_liability_accident"
            ) -> CriminalTransfer:
    return transfers.report_transfer(case, actor=actor, category_code=category,
                                     report="经核实，涉嫌重大责任事故罪，建议移送。")


# --- The whole path --------------------------------------------------------------------

def test_the_whole_path_with_its_clocks_letter_and_records(case_world: dict[str, Any]) -> None:
    case = make_case(S.INVESTIGATING)
    transfer = _report(case, case_world["inspector"])
    assert transfer.status == T.REPORTED
    clock = transfer.decision_clock
    assert (clock.kind, clock.amount, clock.legal_basis) == (
        "calendar_days", 3, "行政执法机关移送涉嫌犯罪案件的规定第五条第二款")
    assert clock.content_type.model == "case" and clock.object_id == str(case.pk)

    transfer = transfers.decide_transfer(transfer, actor=case_world["approver"], approve=True,
                                         reason="同意移送")
    assert transfer.status == T.APPROVED and not transfer.decision_late
    assert Deadline.objects.get(pk=transfer.decision_clock_id).status == "met"
    delivery = Deadline.objects.get(pk=transfer.delivery_clock_id)
    assert (delivery.kind, delivery.amount) == ("hours", 24)
    assert delivery.due_at == transfer.decided_at + datetime.timedelta(hours=24)

    transfer = transfers.record_transfer(transfer, actor=case_world["inspector"],
                                         police_organ=POLICE, attachments=ATTACHMENTS)
    assert transfer.status == T.TRANSFERRED and not transfer.delivery_late
    letter = IssuedDocument.objects.get(pk=transfer.letter_id)
    assert letter.title == "涉嫌犯罪案件移送书" and "应急移〔" in letter.number
    assert letter.status == IssuedDocument.Status.ISSUED and letter.object_id == str(case.pk)
    assert letter.context["police_organ"] == POLICE
    assert [a["kind"] for a in transfer.attachments] == [
        "investigation_report", "exhibit_list", "test_report"]
    acceptance = Deadline.objects.get(pk=transfer.acceptance_clock_id)
    assert (acceptance.kind, acceptance.amount) == ("calendar_days", 3)

    transfer = transfers.record_police_decision(transfer, actor=case_world["inspector"],
                                                accepted=True,
                                                decision_number="杭西公立〔2026〕7号")
    assert transfer.status == T.ACCEPTED and not transfer.police_late
    handover = Deadline.objects.get(pk=transfer.handover_clock_id)
    assert handover.label == "向公安机关移交涉案物品和材料"

    transfer = transfers.record_exhibit_handover(transfer, actor=case_world["inspector"],
                                                 note="滤袋一批，交接手续已办结")
    assert transfer.status == T.EXHIBITS_HANDED and transfer.late_steps == []
    steps = list(CaseStepRecord.objects.filter(case=case).values_list("step", flat=True))
    assert steps == ["transfer_report", "transfer_approve", "transfer_deliver",
                     "transfer_police_filed", "transfer_exhibits"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"transfer.reported", "transfer.approved", "transfer.transferred",
            "transfer.accepted", "transfer.exhibits_handed"} <= actions


def test_decline_reconsideration_and_final_decline(case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.TRANSFERRED)
    transfer = transfers.record_police_decision(
        transfer, actor=case_world["inspector"], accepted=False,
        decision_number="杭西公不立〔2026〕3号", reason="犯罪事实显著轻微")
    assert transfer.status == T.DECLINED and transfer.police_reason == "犯罪事实显著轻微"
    clock = Deadline.objects.get(pk=transfer.reconsideration_clock_id)
    assert (clock.kind, clock.amount, clock.started_at) == (
        "calendar_days", 3, transfer.police_received_at)
    transfer = transfers.request_reconsideration(transfer, actor=case_world["inspector"],
                                                 reason="涉案情节已达追诉标准")
    assert transfer.status == T.RECONSIDERATION and not transfer.reconsideration_late
    transfer = transfers.record_reconsideration_result(
        transfer, actor=case_world["inspector"], accepted=False,
        decision_number="杭西公复〔2026〕1号", reason="维持")
    assert transfer.status == T.DECLINED_FINAL and transfer.reconsideration_number
    assert not transfer.pending


def test_reconsideration_may_end_in_the_police_filing(case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.RECONSIDERATION)
    transfer = transfers.record_police_answer(transfer, actor=case_world["inspector"],
                                              accepted=True, decision_number="杭西公立〔2026〕9号")
    assert transfer.status == T.ACCEPTED and transfer.handover_clock_id is not None


def test_not_approved_needs_a_reason_and_ends_the_transfer(case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.REPORTED)
    with refused(InvalidInput, "理由"):
        transfers.decide_transfer(transfer, actor=case_world["approver"], approve=False)
    transfer = transfers.decide_transfer(transfer, actor=case_world["approver"], approve=False,
                                         reason="尚不构成犯罪")
    assert transfer.status == T.NOT_APPROVED and transfer.decision_reason == "尚不构成犯罪"
    assert transfer.delivery_clock_id is None
    # A new report may follow a refusal.
    again = _report(transfer.case, case_world["inspector"])
    assert again.status == T.REPORTED


@pytest.mark.parametrize("status,step", [
    (T.REPORTED, "deliver"), (T.APPROVED, "approve"), (T.TRANSFERRED, "reconsider"),
    (T.DECLINED, "exhibits"), (T.ACCEPTED, "police"), (T.NOT_APPROVED, "approve"),
    (T.DECLINED_FINAL, "reconsider"), (T.EXHIBITS_HANDED, "police")])
def test_illegal_moves_are_409_and_write_nothing(case_world: dict[str, Any], status: str,
                                                 step: str) -> None:
    transfer = make_transfer(status)
    before = AuditEvent.objects.count()
    calls = {
        "deliver": lambda: transfers.record_transfer(
            transfer, actor=case_world["inspector"], police_organ=POLICE,
            attachments=ATTACHMENTS),
        "approve": lambda: transfers.decide_transfer(transfer, actor=case_world["approver"],
                                                     approve=True),
        "reconsider": lambda: transfers.request_reconsideration(
            transfer, actor=case_world["inspector"], reason="复议"),
        "exhibits": lambda: transfers.record_exhibit_handover(
            transfer, actor=case_world["inspector"], note="移交"),
        "police": lambda: transfers.record_police_decision(
            transfer, actor=case_world["inspector"], accepted=True, decision_number="1"),
    }
    with pytest.raises(IllegalTransition):
        calls[step]()
    transfer.refresh_from_db()
    assert transfer.status == status and AuditEvent.objects.count() == before


def test_one_pending_transfer_per_case_and_none_from_an_ended_case(
        case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.APPROVED)
    with refused(DomainError, "尚未办结的移送"):
        _report(transfer.case, case_world["inspector"])
    closed = make_case(S.CLOSED)
    with refused(IllegalTransition, "不能再报告移送"):
        _report(closed, case_world["inspector"])


# --- Who may act ------------------------------------------------------------------------

def test_only_a_case_officer_reports(case_world: dict[str, Any], xihu_approver: Any,
                                     binjiang_inspector: Any) -> None:
    case = make_case(S.INVESTIGATING)
    with refused(Forbidden, "承办人"):
        _report(case, xihu_approver)
    with refused(Forbidden, "管辖"):
        _report(case, binjiang_inspector)
    with refused(InvalidInput, "类别"):
        _report(case, case_world["inspector"], category="theft")
    assert not CriminalTransfer.objects.exists()


def test_the_head_decides_and_never_a_case_officer(case_world: dict[str, Any],
                                                   binjiang_approver: Any) -> None:
    transfer = make_transfer(T.REPORTED)
    with refused(Forbidden, "负责人"):
        transfers.decide_transfer(transfer, actor=case_world["inspector"], approve=True)
    with refused(Forbidden, "管辖"):
        transfers.decide_transfer(transfer, actor=binjiang_approver, approve=True)
    # A head who is an officer of the case may not approve its transfer.
    base = xihu_staff()
    staff = Staff(base.authority, base.inspector, base.approver, base.chief,
                  [base.inspector, base.approver], base.site)
    own = make_transfer(T.REPORTED, staff=staff)
    with refused(Forbidden, "职能分离"):
        transfers.decide_transfer(own, actor=case_world["approver"], approve=True)
    own.refresh_from_db()
    assert own.status == T.REPORTED


def test_only_the_head_gives_up_the_reconsideration(case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.DECLINED)
    with refused(Forbidden, "负责人"):
        transfers.accept_decline(transfer, actor=case_world["inspector"], reason="不再复议")
    transfer = transfers.accept_decline(transfer, actor=case_world["approver"],
                                        reason="依法作出行政处罚")
    assert transfer.status == T.DECLINED_FINAL


def test_the_transfer_carries_the_report_and_the_exhibit_list(
        case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.APPROVED)
    with refused(InvalidInput, "涉案物品清单"):
        transfers.record_transfer(transfer, actor=case_world["inspector"], police_organ=POLICE,
                                  attachments=ATTACHMENTS[:1])
    with refused(InvalidInput, "公安机关"):
        transfers.record_transfer(transfer, actor=case_world["inspector"], police_organ=" ",
                                  attachments=ATTACHMENTS)
    future = timezone.now() + datetime.timedelta(hours=2)
    with refused(InvalidInput, "晚于现在"):
        transfers.record_transfer(transfer, actor=case_world["inspector"], police_organ=POLICE,
                                  attachments=ATTACHMENTS, transferred_at=future)
    early = transfer.decided_at - datetime.timedelta(minutes=5)
    with refused(InvalidInput, "早于批准移送"):
        transfers.record_transfer(transfer, actor=case_world["inspector"], police_organ=POLICE,
                                  attachments=ATTACHMENTS, transferred_at=early)
    assert not IssuedDocument.objects.filter(doc_type_id="移").exists()


# --- Clocks and late steps ----------------------------------------------------------------

def test_the_24_hours_run_through_a_holiday(case_world: dict[str, Any]) -> None:
    # Approved on the eve of the National Day holiday: due 24 hours later, on the holiday.
    approved = datetime.datetime(2026, 9, 30, 16, 30, tzinfo=SHANGHAI)
    clock = start_clock("transfer_delivery", subject=make_case(), started_at=approved)
    assert clock.due_at == datetime.datetime(2026, 10, 1, 16, 30, tzinfo=SHANGHAI)
    assert clock.due_date is None


def test_the_day_clocks_are_calendar_days(case_world: dict[str, Any]) -> None:
    reported = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
    for code in ("transfer_decision", "police_acceptance", "transfer_reconsideration",
                 "exhibit_handover"):
        clock = start_clock(code, subject=None, started_at=reported)
        assert (clock.kind, clock.amount) == ("calendar_days", 3)
        assert clock.due_date == datetime.date(2026, 3, 5)


def test_a_late_decision_is_saved_and_flagged(case_world: dict[str, Any]) -> None:
    transfer = _report(make_case(S.INVESTIGATING), case_world["inspector"])
    _expire(transfer.decision_clock_id)
    transfer = transfers.decide_transfer(transfer, actor=case_world["approver"], approve=True)
    assert transfer.status == T.APPROVED and transfer.decision_late
    assert "负责人决定逾期" in transfer.late_steps
    record = CaseStepRecord.objects.get(step="transfer_approve")
    assert record.data["late"] is True
    met = AuditEvent.objects.filter(action="workdays.deadline_met").latest("id")
    assert met.new_values["overdue"] is True


def test_late_delivery_police_reconsideration_and_handover_are_flagged(
        case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.APPROVED)
    _expire(transfer.delivery_clock_id)
    transfer = transfers.record_transfer(transfer, actor=case_world["inspector"],
                                         police_organ=POLICE, attachments=ATTACHMENTS)
    assert transfer.delivery_late
    _expire(transfer.acceptance_clock_id)
    transfer = transfers.record_police_decision(transfer, actor=case_world["inspector"],
                                                accepted=False, decision_number="不立1号",
                                                reason="轻微")
    assert transfer.police_late
    _expire(transfer.reconsideration_clock_id)
    transfer = transfers.request_reconsideration(transfer, actor=case_world["inspector"],
                                                 reason="复议")
    assert transfer.reconsideration_late
    accepted = make_transfer(T.ACCEPTED)
    _expire(accepted.handover_clock_id)
    accepted = transfers.record_exhibit_handover(accepted, actor=case_world["inspector"],
                                                 note="移交")
    assert accepted.handover_late and accepted.status == T.EXHIBITS_HANDED
    assert transfer.late_steps == ["移送逾期", "公安机关逾期作出决定", "提请复议逾期"]


def test_a_decision_received_within_the_period_is_not_late(case_world: dict[str, Any]) -> None:
    transfer = make_transfer(T.TRANSFERRED)
    received = transfer.transferred_at + datetime.timedelta(minutes=20)
    transfer = transfers.record_police_decision(transfer, actor=case_world["inspector"],
                                                accepted=True, decision_number="立1号",
                                                received_at=received)
    assert not transfer.police_late and transfer.police_received_at == received
    handover = Deadline.objects.get(pk=transfer.handover_clock_id)
    assert handover.started_at == received


# --- No 以罚代刑 ---------------------------------------------------------------------------

def _executed_case_with(status: str) -> Case:
    case = make_case(S.EXECUTING, decision_status=DS.PAID)
    make_transfer(status, case=case)
    return case


def test_the_close_guard_is_registered_when_the_app_loads() -> None:
    assert refuse_pending_transfer in _CLOSE_GUARDS


@pytest.mark.parametrize("status", [T.REPORTED, T.APPROVED, T.TRANSFERRED, T.ACCEPTED,
                                    T.DECLINED, T.RECONSIDERATION, T.EXHIBITS_HANDED])
def test_a_pending_transfer_refuses_closing_on_the_fine(case_world: dict[str, Any],
                                                        status: str) -> None:
    case = _executed_case_with(status)
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        cases.close_case(case, actor=case_world["approver"])
    assert caught.value.code == "transfer_pending" and caught.value.status_code == 409
    assert "以行政处罚代替移送" in caught.value.detail
    case.refresh_from_db()
    assert case.status == S.EXECUTING and AuditEvent.objects.count() == before
    # The penalty already imposed stands (第十一条第二款).
    assert case.decisions.get().status == DS.PAID


@pytest.mark.parametrize("status", [T.NOT_APPROVED, T.DECLINED_FINAL])
def test_closing_is_allowed_once_the_transfer_ended(case_world: dict[str, Any],
                                                    status: str) -> None:
    case = cases.close_case(_executed_case_with(status), actor=case_world["approver"])
    assert case.status == S.CLOSED


def test_closing_is_allowed_after_the_police_decline_is_accepted(
        case_world: dict[str, Any]) -> None:
    case = _executed_case_with(T.DECLINED)
    transfer = case.transfers.get()
    transfers.accept_decline(transfer, actor=case_world["approver"], reason="依法作出行政处罚")
    assert cases.close_case(case, actor=case_world["approver"]).status == S.CLOSED


def test_endings_without_a_fine_stay_open_while_a_transfer_is_pending(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.INVESTIGATING)
    make_transfer(T.TRANSFERRED, case=case)
    case = cases.terminate(case, actor=case_world["approver"],
                           reason="已移送公安机关，终止行政程序")
    assert case.status == S.TERMINATED
    review = make_case(S.REVIEW)
    make_transfer(T.ACCEPTED, case=review)
    review = cases.no_penalty(review, actor=case_world["approver"], ground="not_established",
                              reason="移送后行政违法事实不能成立")
    assert review.status == S.NO_PENALTY


def test_transfer_steps_leave_the_decisions_alone(case_world: dict[str, Any]) -> None:
    case = make_case(S.SERVED, decision_status=DS.SERVED)
    decision = case.decisions.get()
    transfer = _report(case, case_world["inspector"])
    transfer = transfers.decide_transfer(transfer, actor=case_world["approver"], approve=True)
    transfers.record_transfer(transfer, actor=case_world["inspector"], police_organ=POLICE,
                              attachments=ATTACHMENTS)
    decision.refresh_from_db()
    assert decision.status == DS.SERVED and decision.fine_amount == Decimal("60000.00")


# --- API and page ------------------------------------------------------------------------

def test_the_api(case_world: dict[str, Any], api_as: Any, binjiang_inspector: Any) -> None:
    case = make_case(S.INVESTIGATING)
    inspector = api_as(case_world["inspector"])
    url = f"/api/v1/cases/{case.pk}/transfers/"
    created = inspector.post(url, {"category": "dangerous_operation", "report": "涉嫌危险作业罪"},
                             format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "reported" and body["clocks"][0]["amount"] == 3
    assert inspector.get(url).json()[0]["id"] == body["id"]
    again = inspector.post(url, {"category": "other", "report": "再报"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "transfer_pending"
    bad = inspector.post(url, {"category": "nope", "report": "x"}, format="json")
    assert bad.status_code == 400
    step = f"/api/v1/transfers/{body['id']}/"
    assert inspector.post(step + "approve/", {}, format="json").status_code == 403
    approved = api_as(case_world["approver"]).post(step + "approve/", {"reason": "同意"},
                                                   format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert inspector.post(step + "exhibits/", {"note": "x"}, format="json").status_code == 409
    delivered = inspector.post(step + "deliver/", {
        "police_organ": POLICE, "attachments": ATTACHMENTS}, format="json")
    assert delivered.status_code == 200, delivered.content
    assert delivered.json()["letter_number"]
    outsider = api_as(binjiang_inspector)
    assert outsider.get(step).status_code == 404
    assert outsider.get(url).status_code == 404
    assert outsider.post(step + "police-filed/", {"decision_number": "1"},
                         format="json").status_code == 404


def test_the_case_page_shows_the_transfer_and_its_forms(case_world: dict[str, Any],
                                                        web_as: Any) -> None:
    case = make_case(S.INVESTIGATING)
    page = web_as(case_world["inspector"])
    html = page.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="transfer-section"' in html and 'data-testid="transfer-report"' in html
    response = page.post(reverse("enforcement:transfer_report", args=[case.pk]),
                         {"category": "forced_risky_operation", "report": "强令冒险作业"})
    assert response.status_code == 302
    transfer = case.transfers.get()
    html = web_as(case_world["approver"]).get(
        reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="transfer-step-approve"' in html and "强令违章冒险作业" in html
    web_as(case_world["approver"]).post(
        reverse("enforcement:transfer_step", args=[transfer.pk, "approve"]), {"reason": "同意"})
    page = web_as(case_world["inspector"])
    page.post(reverse("enforcement:transfer_step", args=[transfer.pk, "deliver"]), {
        "police_organ": POLICE, "attachment_investigation_report": "调查报告",
        "attachment_exhibit_list": "涉案物品清单\n照片12张"})
    transfer.refresh_from_db()
    assert transfer.status == T.TRANSFERRED and len(transfer.attachments) == 3
    html = page.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="transfer-letter"' in html and transfer.letter.number in html
    # A refused step shows its message and writes nothing.
    response = page.post(reverse("enforcement:transfer_step", args=[transfer.pk, "exhibits"]),
                         {"note": "移交"}, follow=True)
    assert "当前状态" in response.content.decode()


def test_a_case_from_a_prompted_hidden_danger_offers_the_report_as_dangerous_operation(
        inspection: Any, xihu_inspector: Any, xihu_inspector2: Any, web_as: Any,
        clock_rules: None, threshold_data: None, xihu_chief: Any, xihu_approver: Any) -> None:
    from inspections.loop import services as loop
    from tests.inspections.test_criminal_check_prompt import _major_hazard

    hazard = _major_hazard(inspection, xihu_inspector)
    loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=7,
                     responsible_person="张厂长", measures="加装泄爆片", funds=Decimal("5"),
                     emergency_plan="粉尘爆炸专项应急预案", onsite_measure="suspend")
    loop.record_recheck(hazard, actor=xihu_inspector, passed=False, note="仍未加装泄爆片")
    case = cases.open_case_from_hazard(hazard, actor=xihu_inspector,
                                       officers=[xihu_inspector, xihu_inspector2])
    html = web_as(xihu_inspector).get(
        reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="transfer-prompt"' in html
    assert '<option value="dangerous_operation" selected>' in html
    # A case without the prompt preselects nothing.
    plain = make_case(S.INVESTIGATING)
    html = web_as(xihu_inspector).get(
        reverse("enforcement:case_detail", args=[plain.pk])).content.decode()
    assert 'data-testid="transfer-prompt"' not in html and " selected>" not in html
