"""A compulsory measure's decision changed by reconsideration, litigation or the
authority's own correction (issue 12: "withdrawn within 3 working days when the decision
is changed, revoked or annulled; a changed decision republishes"), end to end through
the real services, the API and the case page: recorded by the legal reviewer, approved
by the head, the disclosure withdrawn on the 3-working-day clock and, for a change of
content, republished after review; an annulled measure in force is lifted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.cases.models import Case, CaseStepRecord
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from enforcement.measures import change_steps as changes
from enforcement.measures import services as measures
from enforcement.measures.changes import MeasureChange
from enforcement.measures.models import CompulsoryMeasure, LiftReason, MeasureKind
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.arithmetic import add_working_days
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import IllegalTransition
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import make_case, officers
from tests.platform.drivers._measures import make_measure, safe_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]
MS = CompulsoryMeasure.Status
MCS = MeasureChange.Status
DS = Disclosure.Status


def _sealed(w: dict[str, Any]) -> CompulsoryMeasure:
    case = make_case(Case.Status.INVESTIGATING)
    measure = measures.propose_measure(
        case, actor=w["inspector"], kind=MeasureKind.SEAL, place="一号车间",
        reason="压力容器未经检验",
        items=[{"description": "不合格压力容器", "quantity": "1台", "kept_at": "厂区仓库"}])
    measures.approve_measure(measure, actor=w["approver"], opinion="同意")
    at = safe_moment()
    CompulsoryMeasure.objects.filter(pk=measure.pk).update(
        approved_at=at - datetime.timedelta(hours=1))
    return measures.execute_measure(measure, actor=w["inspector"], officers=officers(),
                                    executed_at=at, party_signed=True,
                                    onsite_record="出示执法证件，告知理由、依据和权利。")


def _published(w: dict[str, Any], measure: CompulsoryMeasure) -> Disclosure:
    row = Disclosure.objects.get(measure=measure)
    row = disclosure.submit_for_review(row, actor=w["inspector"])
    row = disclosure.approve_redaction(row, actor=w["chief"], severity="ordinary")
    return disclosure.publish(row, actor=w["inspector"])


def _record(w: dict[str, Any], measure: CompulsoryMeasure, **kwargs: Any) -> MeasureChange:
    values: dict[str, Any] = {"source": "reconsideration", "outcome": "changed",
                              "reason": "复议机关认为查封范围不当", "body": "杭州市应急管理局",
                              "ruling_number": "杭应急复决〔2026〕7号",
                              "ruled_on": timezone.localdate()}
    values.update(kwargs)
    return changes.record_measure_change(measure, actor=w["chief"], **values)


def test_a_changed_measure_is_withdrawn_then_republished_with_its_new_content(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _sealed(w)
    row = _published(w, measure)
    change = _record(w, measure, place="一号车间东侧压力容器区", legal_basis="",
                     measure_reason="")
    assert change.status == MCS.PROPOSED
    assert change.old_content["place"] == "一号车间"
    # Nothing takes effect before the head approves.
    measure.refresh_from_db()
    assert measure.place == "一号车间"
    assert Disclosure.objects.get(pk=row.pk).withdrawal_due is None

    change = changes.approve_measure_change(measure, actor=w["approver"], opinion="同意")
    assert change.status == MCS.APPLIED and change.approved_by == w["approver"]
    measure.refresh_from_db()
    assert measure.place == "一号车间东侧压力容器区" and measure.status == MS.EXECUTED
    row.refresh_from_db()
    assert row.status == DS.PUBLISHED and row.republish_after_withdrawal
    assert row.withdrawal_clock is not None and row.withdrawal_clock.amount == 3
    assert row.withdrawal_due == add_working_days(timezone.localdate(), 3).due
    row = disclosure.withdraw(row, actor=w["inspector"])
    assert row.status == DS.WITHDRAWN and row.withdrawal_timeliness == "on_time"
    # Republished from the measure as it now is, reviewed again before publication.
    row = disclosure.republish(row, actor=w["inspector"])
    assert row.status == DS.IN_REVIEW and row.version == 2
    assert "一号车间东侧压力容器区" in row.original_text
    row = disclosure.approve_redaction(row, actor=w["chief"], severity="ordinary")
    row = disclosure.publish(row, actor=w["inspector"])
    assert row.status == DS.PUBLISHED and "东侧压力容器区" in row.public_text
    assert row.document_number == measure.decision_document.number
    steps = set(CaseStepRecord.objects.filter(case=measure.case).values_list("step",
                                                                              flat=True))
    assert {"measure_change_recorded", "measure_change_approved"} <= steps
    assert AuditEvent.objects.filter(action="measure_change.recorded").count() == 1
    assert AuditEvent.objects.filter(action="measure_change.applied").count() == 1
    event = AuditEvent.objects.get(action="measure.content_changed")
    assert event.old_values["place"] == "一号车间"


def test_a_revoked_measure_in_force_is_lifted_its_items_returned_and_withdrawn(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _sealed(w)
    row = _published(w, measure)
    _record(w, measure, source="litigation", outcome="revoked", body="杭州市西湖区人民法院",
            ruling_number="（2026）浙0106行初21号")
    changes.approve_measure_change(measure, actor=w["approver"])
    measure.refresh_from_db()
    assert measure.status == MS.LIFTED and measure.lift_reason == LiftReason.ANNULLED
    assert measure.lifting_document is not None
    assert [i.disposal for i in measure.items.all()] == ["returned"]
    assert measure.limit_clock is not None
    assert measure.limit_clock.status == Deadline.Status.MET
    row.refresh_from_db()
    assert row.withdrawal_due == add_working_days(timezone.localdate(), 3).due
    assert not row.republish_after_withdrawal and "撤销" in row.withdrawal_reason
    row = disclosure.withdraw(row, actor=w["inspector"])
    with refused(IllegalTransition, "不能重新公开"):
        disclosure.republish(row, actor=w["inspector"])
    with refused(IllegalTransition, "已被撤销或确认无效"):
        _record(w, measure, outcome="upheld")


def test_confirmed_unlawful_after_lifting_withdraws_and_keeps_the_status(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _sealed(w)
    row = _published(w, measure)
    measures.lift_measure(measure, actor=w["approver"], reason="cause_removed", note="已整改")
    _record(w, measure, source="litigation", outcome="confirmed_unlawful",
            body="杭州市西湖区人民法院")
    changes.approve_measure_change(measure, actor=w["approver"])
    measure.refresh_from_db()
    assert measure.status == MS.LIFTED and measure.lift_reason == LiftReason.CAUSE_REMOVED
    row.refresh_from_db()
    assert row.withdrawal_due is not None and not row.republish_after_withdrawal


def test_upheld_applies_at_once_and_changes_nothing(case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _sealed(w)
    row = _published(w, measure)
    change = _record(w, measure, outcome="upheld")
    assert change.status == MCS.APPLIED
    measure.refresh_from_db()
    row.refresh_from_db()
    assert measure.status == MS.EXECUTED and row.withdrawal_due is None
    assert CaseStepRecord.objects.filter(case=measure.case, step="measure_upheld").exists()
    # Applied already: nothing waits for the head.
    with refused(IllegalTransition, "没有待批准的变更"):
        changes.approve_measure_change(measure, actor=w["approver"])


def test_who_may_record_and_approve_and_the_illegal_moves(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _sealed(w)
    with refused(Forbidden, "法制审核人员"):
        changes.record_measure_change(measure, actor=w["inspector"], source="reconsideration",
                                      outcome="revoked", reason="撤销", ruled_on=None,
                                      body="杭州市应急管理局")
    with refused(Forbidden, "法制审核人员"):
        changes.record_measure_change(measure, actor=w["approver"], source="reconsideration",
                                      outcome="revoked", reason="撤销",
                                      ruled_on=timezone.localdate(), body="杭州市应急管理局")
    with refused(InvalidInput, "自行纠正只能变更或撤销"):
        _record(w, measure, source="self_correction", outcome="confirmed_void", body="")
    with refused(InvalidInput, "作出日期"):
        _record(w, measure, ruled_on=timezone.localdate() + datetime.timedelta(days=1))
    with refused(InvalidInput, "复议机关或人民法院"):
        _record(w, measure, body="")
    with refused(InvalidInput, "新的决定内容"):
        _record(w, measure, place="一号车间")
    assert not MeasureChange.objects.exists()  # no refused step wrote anything

    _record(w, measure, outcome="revoked")
    with refused(IllegalTransition, "已有待批准的变更"):
        _record(w, measure, outcome="upheld")
    with refused(Forbidden, "负责人"):
        changes.approve_measure_change(measure, actor=w["chief"])
    with refused(InvalidInput, "理由"):
        changes.reject_measure_change(measure, actor=w["approver"], reason=" ")
    refused_change = changes.reject_measure_change(measure, actor=w["approver"],
                                                   reason="复议决定书文号记录有误")
    assert refused_change.status == MCS.REJECTED
    measure.refresh_from_db()
    assert measure.status == MS.EXECUTED
    # A corrected record can be made again after a refusal.
    assert _record(w, measure, outcome="upheld").status == MCS.APPLIED
    # Lifting by hand never claims an annulment.
    with refused(InvalidInput, "解除原因不正确"):
        measures.lift_measure(measure, actor=w["approver"], reason=LiftReason.ANNULLED)
    # An emergency measure waits for the head's approval after the fact first.
    urgent = make_measure(MS.REPORTED, kind=MeasureKind.SEIZE)
    with refused(IllegalTransition, "补办批准"):
        _record(w, urgent, outcome="revoked")
    # A proposal never decided has no decision to change.
    with refused(IllegalTransition, "尚未作出"):
        _record(w, make_measure(MS.PROPOSED), outcome="revoked")


def test_the_api_records_approves_and_refuses_bad_input(
        api_as: Any, case_world: dict[str, Any], xihu_chief: Any,
        xihu_approver: Any) -> None:
    measure = _sealed(case_world)
    path = f"/api/v1/measures/{measure.pk}/"
    bad = api_as(xihu_chief).post(path + "change/", {"source": "court", "outcome": "changed"},
                                  format="json")
    assert bad.status_code == 400
    body = bad.json()
    assert body["detail"] and body["detail_en"] and "source" in str(body)
    response = api_as(xihu_chief).post(path + "change/", {
        "source": "litigation", "outcome": "revoked", "reason": "法院判决撤销",
        "ruled_on": timezone.localdate().isoformat(), "body": "杭州市西湖区人民法院"},
        format="json")
    assert response.status_code == 200, response.content
    assert [c["status"] for c in response.json()["changes"]] == ["proposed"]
    again = api_as(xihu_chief).post(path + "approve-change/", {}, format="json")
    assert again.status_code == 403 and again.json()["detail_en"]
    approved = api_as(xihu_approver).post(path + "approve-change/", {"opinion": "同意"},
                                          format="json")
    assert approved.status_code == 200, approved.content
    data = approved.json()
    assert data["status"] == "lifted" and data["lift_reason"] == "annulled"
    assert data["changes"][0]["status"] == "applied"
    late = api_as(xihu_approver).post(path + "reject-change/", {"reason": "x"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "illegal_transition"


def test_the_case_page_offers_the_steps_to_whom_they_belong(
        web_as: Any, case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _sealed(w)
    page = reverse("enforcement:case_detail", args=[measure.case_id])
    step = reverse("enforcement:measure_step", args=[measure.case_id, measure.pk, "change"])
    html = web_as(w["chief"]).get(page).content.decode()
    assert 'data-testid="measure-step-change"' in html
    assert 'data-testid="measure-step-approve_change"' not in html
    bad = web_as(w["chief"]).post(step, {"source": "litigation", "outcome": "revoked",
                                         "text": "判决撤销", "ruled_on": "2026/13/01",
                                         "body": "杭州市西湖区人民法院"}, follow=True)
    assert "日期格式无效" in bad.content.decode()
    no_such_day = web_as(w["chief"]).post(step, {"source": "litigation", "outcome": "revoked",
                                                 "text": "判决撤销", "ruled_on": "2026-13-01",
                                                 "body": "杭州市西湖区人民法院"}, follow=True)
    assert no_such_day.status_code == 200 and "日期格式无效" in no_such_day.content.decode()
    assert not MeasureChange.objects.exists()
    done = web_as(w["chief"]).post(step, {"source": "litigation", "outcome": "revoked",
                                          "text": "判决撤销",
                                          "ruled_on": timezone.localdate().isoformat(),
                                          "body": "杭州市西湖区人民法院"}, follow=True)
    assert "已保存" in done.content.decode()
    html = web_as(w["approver"]).get(page).content.decode()
    assert 'data-testid="measure-step-approve_change"' in html
    assert 'data-testid="measure-change"' in html and "待批准" in html
    approve = reverse("enforcement:measure_step",
                      args=[measure.case_id, measure.pk, "approve_change"])
    web_as(w["approver"]).post(approve, {"text": "同意"}, follow=True)
    measure.refresh_from_db()
    assert measure.status == MS.LIFTED and measure.lift_reason == LiftReason.ANNULLED
