"""A major hidden danger follows the rules' path (issue on legal accuracy):

- the enterprise's 治理方案 and reports: 安全生产法 第四十一条第二款 "重大事故隐患排查治理情况
  应当及时向负有安全生产监督管理职责的部门和职工大会或者职工代表大会报告";
- 挂牌督办 with a notice, its level and supervising unit, and publication; then 核销 and
  the publication of the de-listing (第四十一条第三款 "建立健全重大事故隐患治理督办制度");
- under a stop measure, the written application to resume, the site review within the
  clock rule "resume_review" (10 days, DOMAIN.md B5) and consent before work resumes:
  第六十五条第一款第三项 "重大事故隐患排除后，经审查同意，方可恢复生产经营和使用".
"""
# ruff: noqa: F811

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.models import ClockRule
from hangzhou_safety.workdays.services import add_calendar_days
from inspections.loop import services as loop
from inspections.loop import supervision
from inspections.models import (
    Hazard,
    MajorHazardReport,
    RectificationOrder,
    ResumeApplication,
    SupervisionListing,
)
from tests.inspections.test_inspection_loop import (  # noqa: F401
    answer_all,
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_rules")]
NOTICE = {"notice_number": "西应急督〔2026〕7号", "level": "district",
          "supervising_unit": "西湖区应急管理局"}


def _major(inspection, actor, measure=""):
    loop.start_inspection(inspection, actor=actor)
    item = inspection.items.exclude(checklist_item__major_hazard_criterion="").first()
    answer_all(inspection, actor, {item.order: "除尘系统未设泄爆装置"})
    loop.complete_findings(inspection, actor=actor)
    hazard = Hazard.objects.get(item=item)
    assert hazard.is_major
    loop.issue_order(hazard, actor=actor, kind="deadline", deadline_days=20,
                     responsible_person="张厂长", measures="加装泄爆片", funds=Decimal("5"),
                     emergency_plan="粉尘爆炸专项应急预案", onsite_measure=measure)
    # Dates the enterprise's papers carry lie between the order and today: date it back.
    RectificationOrder.objects.filter(hazard=hazard).update(
        issued_at=timezone.now() - datetime.timedelta(days=5))
    return Hazard.objects.get(pk=hazard.pk)


def _plan(hazard, actor):
    return supervision.record_major_report(hazard, actor=actor, kind="plan",
                                           received_on=timezone.localdate(),
                                           content="治理目标和任务、方法和措施、经费和物资")


def _today():
    return timezone.localdate()


# --- 治理方案 and reports ---

def test_reports_are_registered_for_a_major_hidden_danger_only(inspection, xihu_inspector):
    hazard = _major(inspection, xihu_inspector)
    report = supervision.record_major_report(
        hazard, actor=xihu_inspector, kind="progress", received_on=_today(),
        content="已完成泄爆片采购", workers_informed=True)
    assert report.workers_informed and report.kind == MajorHazardReport.Kind.PROGRESS
    event = AuditEvent.objects.get(action="hazard.major_report_registered")
    assert event.new_values["kind"] == "progress" and event.new_values["workers_informed"]
    for bad, field in (({"kind": "memo"}, "kind"), ({"content": " "}, "content"),
                       ({"received_on": None}, "received_on"),
                       ({"received_on": _today() + datetime.timedelta(days=1)},
                        "received_on")):
        args = {"kind": "plan", "received_on": _today(), "content": "方案", **bad}
        with pytest.raises(InvalidInput) as exc:
            supervision.record_major_report(hazard, actor=xihu_inspector, **args)
        assert field in exc.value.fields and exc.value.detail_en
    assert MajorHazardReport.objects.count() == 1
    Hazard.objects.filter(pk=hazard.pk).update(is_major=False)
    with pytest.raises(DomainError) as exc:
        _plan(Hazard.objects.get(pk=hazard.pk), xihu_inspector)
    assert exc.value.code == "not_major"


def test_acceptance_waits_for_the_plan(inspection, xihu_inspector):
    hazard = _major(inspection, xihu_inspector)
    with pytest.raises(DomainError) as exc:
        loop.record_recheck(hazard, actor=xihu_inspector, passed=True, note="合格")
    assert exc.value.code == "plan_missing" and "第四十一条" in exc.value.detail
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.RECTIFYING
    _plan(hazard, xihu_inspector)
    assert loop.record_recheck(hazard, actor=xihu_inspector, passed=True,
                               note="合格").status == Hazard.Status.ACCEPTED


# --- 挂牌督办, publication, 核销 ---

def test_listing_takes_its_notice_and_only_a_chief_lists(inspection, xihu_inspector,
                                                        xihu_chief):
    hazard = _major(inspection, xihu_inspector)
    with pytest.raises(Forbidden):
        supervision.list_for_supervision(hazard, actor=xihu_inspector, **NOTICE)
    for field in ("notice_number", "supervising_unit", "level"):
        with pytest.raises(InvalidInput) as exc:
            supervision.list_for_supervision(hazard, actor=xihu_chief,
                                             **{**NOTICE, field: ""})
        assert field in exc.value.fields
    assert not SupervisionListing.objects.exists()
    listing = supervision.list_for_supervision(hazard, actor=xihu_chief, **NOTICE)
    assert (listing.level, listing.status, listing.listed_by) == ("district", "listed",
                                                                  xihu_chief)
    assert Hazard.objects.get(pk=hazard.pk).listed_at == listing.listed_at
    event = AuditEvent.objects.get(action="hazard.listed")
    assert event.new_values["notice_number"] == NOTICE["notice_number"]
    with pytest.raises(DomainError) as exc:
        supervision.list_for_supervision(hazard, actor=xihu_chief, **NOTICE)
    assert exc.value.code == "not_listable"


def test_publication_then_delisting_then_its_publication(inspection, xihu_inspector,
                                                         xihu_chief):
    hazard = _major(inspection, xihu_inspector)
    supervision.list_for_supervision(hazard, actor=xihu_chief, **NOTICE)
    publish = {"published_on": _today(), "channel": "西湖区政府门户网站"}
    with pytest.raises(DomainError) as exc:
        supervision.publish_listing(hazard, actor=xihu_chief, stage="delisting", **publish)
    assert exc.value.code == "not_delisted"
    with pytest.raises(InvalidInput):
        supervision.publish_listing(hazard, actor=xihu_chief, stage="listing",
                                    published_on=_today(), channel="")
    supervision.publish_listing(hazard, actor=xihu_chief, stage="listing", **publish)
    with pytest.raises(DomainError) as exc:
        supervision.publish_listing(hazard, actor=xihu_chief, stage="listing", **publish)
    assert exc.value.code == "already_published"
    # 核销 only once the re-check accepted it.
    with pytest.raises(DomainError) as exc:
        supervision.delist_hazard(hazard, actor=xihu_chief, note="已消除")
    assert exc.value.code == "not_accepted"
    _plan(hazard, xihu_inspector)
    loop.record_recheck(hazard, actor=xihu_inspector, passed=True, note="合格")
    with pytest.raises(InvalidInput):
        supervision.delist_hazard(hazard, actor=xihu_chief, note="")
    listing = supervision.delist_hazard(hazard, actor=xihu_chief, note="隐患已消除，复查合格")
    assert listing.status == "delisted" and listing.delisting_note == "隐患已消除，复查合格"
    assert Hazard.objects.get(pk=hazard.pk).delisted_at == listing.delisted_at
    supervision.publish_listing(hazard, actor=xihu_chief, stage="delisting", **publish)
    listing.refresh_from_db()
    assert listing.delisting_channel == "西湖区政府门户网站"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hazard.listing_published", "listing.delisted",
            "hazard.delisting_published"} <= actions


# --- The application to resume after a stop measure ---

@pytest.mark.parametrize("measure", ["suspend", "stop_equipment", "stop_work"])
def test_a_stop_measure_resumes_only_on_a_reviewed_application(inspection, xihu_inspector,
                                                               measure):
    hazard = _major(inspection, xihu_inspector, measure)
    with pytest.raises(DomainError) as exc:
        loop.report_rectified(hazard, actor=xihu_inspector)
    assert exc.value.code == "resume_review_required" and "第六十五条" in exc.value.detail
    with pytest.raises(DomainError):
        loop.record_recheck(hazard, actor=xihu_inspector, passed=True, note="合格")
    _plan(hazard, xihu_inspector)
    applied_on = _today() - datetime.timedelta(days=1)
    application = supervision.register_resume_application(
        hazard, actor=xihu_inspector, applied_on=applied_on, self_assessment="泄爆片已安装")
    expected = add_calendar_days(applied_on, 10).due
    assert application.review_due == expected
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED
    assert hazard.rechecks.get(result="").due_date == expected
    with pytest.raises(DomainError) as exc:
        supervision.register_resume_application(
            hazard, actor=xihu_inspector, applied_on=applied_on, self_assessment="再次申请")
    consented = supervision.review_resume(application, actor=xihu_inspector, consent=True)
    assert consented.status == ResumeApplication.Status.CONSENTED and consented.decided_at
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.ACCEPTED
    recheck = hazard.rechecks.get()
    assert recheck.result == "passed" and recheck.checked_by.count() == 2
    assert "同意恢复" in recheck.note
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hazard.resume_applied", "resume.consented", "hazard.accepted"} <= actions


def test_the_review_period_is_read_from_the_clock_rule_table(inspection, xihu_inspector):
    ClockRule.objects.filter(code="resume_review").update(amount=3)
    hazard = _major(inspection, xihu_inspector, "suspend")
    applied_on = _today() - datetime.timedelta(days=1)
    application = supervision.register_resume_application(
        hazard, actor=xihu_inspector, applied_on=applied_on, self_assessment="已整改")
    assert application.review_due == add_calendar_days(applied_on, 3).due


def test_a_refused_application_escalates_and_prompts_the_criminal_check(
        inspection, xihu_inspector):
    hazard = _major(inspection, xihu_inspector, "suspend")
    application = supervision.register_resume_application(
        hazard, actor=xihu_inspector, applied_on=_today(), self_assessment="已整改")
    with pytest.raises(InvalidInput):  # a failing review states why
        supervision.review_resume(application, actor=xihu_inspector, consent=False)
    assert ResumeApplication.objects.get().status == "pending"
    refused = supervision.review_resume(application, actor=xihu_inspector, consent=False,
                                        note="隔爆阀仍未安装")
    assert refused.status == ResumeApplication.Status.REFUSED
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.ESCALATED
    assert AuditEvent.objects.filter(action="hazard.criminal_check_prompted").exists()


def test_withdrawing_the_report_withdraws_the_application(inspection, xihu_inspector):
    hazard = _major(inspection, xihu_inspector, "suspend")
    application = supervision.register_resume_application(
        hazard, actor=xihu_inspector, applied_on=_today(), self_assessment="已整改")
    loop.withdraw_report(hazard, actor=xihu_inspector, reason="现场核实仍在施工")
    application.refresh_from_db()
    assert application.status == ResumeApplication.Status.WITHDRAWN
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.RECTIFYING
    # A new application may follow.
    again = supervision.register_resume_application(
        hazard, actor=xihu_inspector, applied_on=_today(), self_assessment="已整改完毕")
    assert again.status == "pending"


def test_no_application_without_a_stop_measure(inspection, xihu_inspector):
    hazard = _major(inspection, xihu_inspector)
    with pytest.raises(DomainError) as exc:
        supervision.register_resume_application(
            hazard, actor=xihu_inspector, applied_on=_today(), self_assessment="已整改")
    assert exc.value.code == "no_stop_measure"


# --- The card ---

def test_the_card_walks_the_path(web_as, inspection, xihu_inspector, xihu_chief):
    hazard = _major(inspection, xihu_inspector, "suspend")
    detail = reverse("inspections:inspection_detail", args=[inspection.pk])

    def post(client, action, data):
        return client.post(reverse(f"inspections:inspection_hazard_{action}",
                                   args=[inspection.pk, hazard.pk]), data)

    officer = web_as(xihu_inspector)
    page = officer.get(detail).content.decode()
    # No "reported done" button under a stop measure: the application form instead.
    assert 'data-testid="report-rectified"' not in page
    assert 'data-testid="resume-form"' in page and 'data-testid="plan-missing"' in page
    assert 'data-testid="list-hazard"' not in page  # listing is a chief's
    assert post(officer, "major_report", {"kind": "plan", "received_on": str(_today()),
                                          "content": "治理方案"}).status_code == 302
    chief = web_as(xihu_chief)
    assert post(chief, "list", NOTICE).status_code == 302
    officer = web_as(xihu_inspector)
    bad = post(officer, "resume", {"applied_on": "2026-13-40", "self_assessment": "x"})
    assert bad.status_code == 400 and "日期格式应为 YYYY-MM-DD。" in bad.content.decode()
    assert post(officer, "resume", {"applied_on": str(_today()),
                                    "self_assessment": "泄爆片已安装"}).status_code == 302
    page = officer.get(detail).content.decode()
    assert 'data-testid="resume-review-form"' in page and "现场审查期限至" in page
    assert 'data-testid="recheck-pass"' not in page
    undecided = post(officer, "resume_review", {"note": "x"})
    assert undecided.status_code == 400
    assert "请选择同意恢复或不同意恢复。" in undecided.content.decode()
    assert ResumeApplication.objects.get().status == "pending"
    assert post(officer, "resume_review", {"decision": "consent"}).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.ACCEPTED

    chief = web_as(xihu_chief)
    page = chief.get(detail).content.decode()
    assert 'data-testid="delist-form"' in page and 'data-testid="publish-form"' in page
    assert 'data-testid="close-reason"' in page and "未核销摘牌" in page
    assert post(chief, "delist", {"note": "已消除"}).status_code == 302
    assert post(chief, "publish", {"stage": "delisting", "published_on": str(_today()),
                                   "channel": "区政府网站"}).status_code == 302
    listing = SupervisionListing.objects.get()
    assert listing.status == "delisted" and listing.delisting_published_on == _today()
