"""Regression tests of the loop's defects: closing an inspection that was only started,
changing an answer back after evidence was attached, a second inspection for one
planned inspection, the report date of a rectification, the moves through the
workflow primitive (audited, cascading to the planned inspection)."""
# ruff: noqa: F811  (fixtures imported from the loop tests are redefined as arguments)

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hangzhou_safety.accounts.models import Authority, Role
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.evidence import services as evidence
from inspections.loop import services as loop
from inspections.models import (
    Evidence,
    Hazard,
    Inspection,
    InspectionItem,
    PlanCategory,
    PlannedInspection,
    ReCheck,
    RectificationOrder,
)
from tests.conftest import make_user
from tests.inspections.test_inspection_loop import (  # noqa: F401
    answer_all,
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inspections/"


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


def _planned(factory, *, status=PlannedInspection.Status.PLANNED, authority="EM-330106",
             inspectors=()):
    planned = PlannedInspection.objects.create(
        authority=Authority.objects.get(code=authority), enterprise=factory,
        category=PlanCategory.RANDOM, source=PlannedInspection.Source.DRAW, year=2026,
        month=9, status=status)
    planned.inspectors.set(inspectors)
    return planned


# --- a. close_inspection closes only a rectifying inspection ---

def test_close_refuses_an_inspection_only_started(inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    assert inspection.items.filter(result="pending").count() == inspection.items.count()
    with pytest.raises(DomainError) as exc:
        loop.close_inspection(inspection, actor=xihu_inspector)
    assert exc.value.status_code == 409 and "不能闭环" in exc.value.detail
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.IN_PROGRESS
    assert not AuditEvent.objects.filter(action="inspection.closed").exists()


def test_close_refuses_a_clean_inspection_in_progress_through_the_api(
        api_as, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    answer_all(inspection, xihu_inspector, {})
    response = api_as(xihu_inspector).post(f"{BASE}{inspection.pk}/close/")
    assert response.status_code == 409
    assert response.data["code"] == "findings_not_completed"
    assert "不能闭环" in response.data["detail"] and response.data["detail_en"]
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.IN_PROGRESS
    # Completing the findings is the one way a clean inspection closes at once.
    done = api_as(xihu_inspector).post(f"{BASE}{inspection.pk}/complete/")
    assert done.status_code == 200 and done.data["status"] == "closed"


def test_close_refuses_a_planned_or_closed_inspection(inspection, xihu_inspector):
    with pytest.raises(DomainError) as exc:
        loop.close_inspection(inspection, actor=xihu_inspector)
    assert exc.value.code == "illegal_transition"
    loop.start_inspection(inspection, actor=xihu_inspector)
    answer_all(inspection, xihu_inspector, {})
    loop.complete_findings(inspection, actor=xihu_inspector)
    with pytest.raises(DomainError) as exc:
        loop.close_inspection(inspection, actor=xihu_inspector)
    assert exc.value.code == "illegal_transition"


# --- c. an answer changed back after evidence was attached to its hidden danger ---

def test_answer_back_to_compliant_with_evidence_is_409(api_as, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    item = inspection.items.order_by("order").first()
    loop.record_answer(inspection, item.pk, actor=xihu_inspector, result="non_compliant",
                       note="配电箱未接地")
    hazard = Hazard.objects.get(item=item)
    evidence.store_evidence(inspection, actor=xihu_inspector, kind="photo", hazard=hazard,
                            uploaded_file=SimpleUploadedFile("a.png", png(), "image/png"))
    events = AuditEvent.objects.count()
    url = f"{BASE}{inspection.pk}/items/{item.pk}/answer/"
    for result in ("compliant", "not_applicable"):
        response = api_as(xihu_inspector).post(url, {"result": result}, format="json")
        assert response.status_code == 409, response.content
        assert response.data["code"] == "hazard_has_evidence"
        assert "该隐患已附有证据" in response.data["detail"]
        assert "请先删除证据或保留隐患" in response.data["detail"]
    with pytest.raises(DomainError) as exc:
        loop.record_answer(inspection, item.pk, actor=xihu_inspector, result="compliant")
    assert exc.value.detail == "该隐患已附有证据，不能改为符合；请先删除证据或保留隐患。"
    assert Hazard.objects.filter(pk=hazard.pk).exists()
    assert InspectionItem.objects.get(pk=item.pk).result == "non_compliant"
    assert Evidence.objects.filter(hazard=hazard).count() == 1
    assert AuditEvent.objects.count() == events


def test_answer_back_to_compliant_on_the_page_shows_the_message(web_as, inspection,
                                                               xihu_inspector):
    from django.urls import reverse

    loop.start_inspection(inspection, actor=xihu_inspector)
    item = inspection.items.order_by("order").first()
    loop.record_answer(inspection, item.pk, actor=xihu_inspector, result="non_compliant")
    hazard = Hazard.objects.get(item=item)
    evidence.store_evidence(inspection, actor=xihu_inspector, kind="photo", hazard=hazard,
                            uploaded_file=SimpleUploadedFile("a.png", png(), "image/png"))
    response = web_as(xihu_inspector).post(
        reverse("inspections:inspection_answer", args=[inspection.pk, item.pk]),
        {"result": "compliant"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "该隐患已附有证据" in response.content.decode()
    assert Hazard.objects.filter(pk=hazard.pk).exists()


# --- d. a planned inspection is carried out once, by its owner ---

def test_second_inspection_for_one_planned_inspection_is_409(api_as, factory, xihu_inspector,
                                                             xihu_inspector2):
    planned = _planned(factory)
    body = {"enterprise": factory.pk, "inspectors": [xihu_inspector.pk, xihu_inspector2.pk],
            "source": "draw", "planned": planned.pk}
    api = api_as(xihu_inspector)
    assert api.post(BASE, body, format="json").status_code == 201
    for extra in ({}, {"client_id": str(uuid.uuid4())}):
        again = api.post(BASE, {**body, **extra}, format="json")
        assert again.status_code == 409, again.content
        assert again.data["code"] == "planned_taken"
        assert "该计划检查已有检查任务" in again.data["detail"]
    assert Inspection.objects.filter(planned=planned).count() == 1


@pytest.mark.parametrize("status", [PlannedInspection.Status.DONE,
                                    PlannedInspection.Status.CANCELLED])
def test_planned_inspection_must_be_open(factory, xihu_inspector, xihu_inspector2, status):
    planned = _planned(factory, status=status)
    with pytest.raises(DomainError) as exc:
        loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                               inspectors=[xihu_inspector, xihu_inspector2],
                               source=Inspection.Source.DRAW, planned=planned)
    assert exc.value.status_code == 409 and exc.value.code == "planned_not_open"
    assert not Inspection.objects.exists()


def test_planned_inspection_of_another_district_is_refused(factory, xihu_inspector,
                                                           xihu_inspector2):
    planned = _planned(factory, authority="EM-330108")
    with pytest.raises(Forbidden):
        loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                               inspectors=[xihu_inspector, xihu_inspector2],
                               source=Inspection.Source.DRAW, planned=planned)
    assert not Inspection.objects.exists()


def test_planned_inspection_assigned_to_others(factory, xihu_inspector, xihu_inspector2,
                                               xihu_chief):
    other = make_user("p_xihu_other", Role.INSPECTOR, "EM-330106", cert="P330106077")
    planned = _planned(factory, inspectors=[xihu_inspector, other])
    with pytest.raises(Forbidden) as exc:
        loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                               inspectors=[xihu_inspector, xihu_inspector2],
                               source=Inspection.Source.DRAW, planned=planned)
    assert "指派" in exc.value.detail
    assert not Inspection.objects.exists()
    # The assigned team may, and a chief may re-arrange it.
    chiefs = loop.create_inspection(actor=xihu_chief, enterprise=factory,
                                    inspectors=[xihu_inspector, xihu_inspector2],
                                    source=Inspection.Source.DRAW, planned=planned)
    assert chiefs.planned == planned


def test_planned_inspection_of_another_enterprise_is_bad_input(factory, xihu_inspector,
                                                               xihu_inspector2):
    from tests.enterprises.test_enterprise_core import enterprise

    planned = _planned(enterprise("杭州西湖另一家公司", 731))
    with pytest.raises(InvalidInput) as exc:
        loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                               inspectors=[xihu_inspector, xihu_inspector2],
                               source=Inspection.Source.DRAW, planned=planned)
    assert "planned" in exc.value.fields


def test_cancelled_inspection_releases_its_planned_inspection(factory, xihu_inspector,
                                                              xihu_inspector2):
    planned = _planned(factory)
    first = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                   inspectors=[xihu_inspector, xihu_inspector2],
                                   source=Inspection.Source.DRAW, planned=planned)
    with pytest.raises(InvalidInput):
        loop.cancel_inspection(first, actor=xihu_inspector, reason=" ")
    cancelled = loop.cancel_inspection(first, actor=xihu_inspector, reason="企业已停产")
    assert cancelled.status == Inspection.Status.CANCELLED and cancelled.planned is None
    event = AuditEvent.objects.get(action="inspection.cancelled")
    assert event.reason == "企业已停产" and event.new_values["planned"] == planned.pk
    second = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                    inspectors=[xihu_inspector, xihu_inspector2],
                                    source=Inspection.Source.DRAW, planned=planned)
    assert second.planned == planned


# --- g. the report date of a rectification is bounded ---

def _rectifying_hazard(inspection, actor):
    loop.start_inspection(inspection, actor=actor)
    hazard = loop.add_hazard(inspection, actor=actor, description="消防通道堵塞")
    order = loop.issue_order(hazard, actor=actor, kind="deadline", deadline_days=10,
                             responsible_person="王经理", measures="清理通道")
    return hazard, order


def test_report_date_before_the_order_or_after_today_is_400(api_as, inspection,
                                                            xihu_inspector):
    hazard, order = _rectifying_hazard(inspection, xihu_inspector)
    RectificationOrder.objects.filter(pk=order.pk).update(
        issued_at=datetime.datetime(2026, 9, 20, 1, 0, tzinfo=datetime.UTC))
    today = timezone.localdate()
    url = f"{BASE}{inspection.pk}/hazards/{hazard.pk}/report-rectified/"
    api = api_as(xihu_inspector)
    for day in (datetime.date(2026, 9, 19), today + datetime.timedelta(days=1),
                datetime.date(1999, 1, 1)):
        response = api.post(url, {"reported_on": day.isoformat()}, format="json")
        assert response.status_code == 400, (day, response.content)
        assert "reported_on" in response.data["errors"]
        assert "2026-09-20" in response.data["detail"]
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.RECTIFYING
    assert not ReCheck.objects.filter(hazard=hazard).exists()
    assert not AuditEvent.objects.filter(action="hazard.reported").exists()
    ok = api.post(url, {"reported_on": "2026-09-20"}, format="json")
    assert ok.status_code == 200 and ok.data["status"] == "reported"


def test_report_date_on_the_page(web_as, inspection, xihu_inspector):
    from django.urls import reverse

    hazard, _ = _rectifying_hazard(inspection, xihu_inspector)
    url = reverse("inspections:inspection_hazard_report", args=[inspection.pk, hazard.pk])
    client = web_as(xihu_inspector)
    late = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"reported_on": late})
    assert response.status_code == 400
    assert "报告整改完成日期应在整改指令下达之日" in response.content.decode()
    assert client.post(url, {"reported_on": "yesterday"}).status_code == 400
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.RECTIFYING
    assert client.post(url, {}).status_code == 302  # today by default
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.REPORTED


# --- 1. every move goes through the workflow primitive ---

def test_closing_marks_the_planned_inspection_done_through_the_workflow(
        factory, xihu_inspector, xihu_inspector2):
    planned = _planned(factory)
    inspection = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                        inspectors=[xihu_inspector, xihu_inspector2],
                                        source=Inspection.Source.DRAW, planned=planned)
    loop.start_inspection(inspection, actor=xihu_inspector)
    plain = inspection.items.filter(checklist_item__major_hazard_criterion="").first()
    answer_all(inspection, xihu_inspector, {plain.order: "安全出口锁闭"})
    loop.complete_findings(inspection, actor=xihu_inspector)
    planned.refresh_from_db()
    assert planned.status == PlannedInspection.Status.DONE and planned.done_at
    done = AuditEvent.objects.get(action="planned_inspection.done")
    assert done.actor_id == xihu_inspector.pk and done.old_values == {"status": "planned"}
    hazard = inspection.hazards.get()
    loop.issue_order(hazard, actor=xihu_inspector, kind="on_spot",
                     responsible_person="李主任", measures="打开安全出口")
    loop.close_inspection(inspection, actor=xihu_inspector)
    # Idempotent cascade: closing does not mark it again.
    assert AuditEvent.objects.filter(action="planned_inspection.done").count() == 1


def test_withdrawn_report_goes_back_to_rectifying(inspection, xihu_inspector):
    hazard, order = _rectifying_hazard(inspection, xihu_inspector)
    loop.report_rectified(hazard, actor=xihu_inspector)
    with pytest.raises(InvalidInput):
        loop.withdraw_report(hazard, actor=xihu_inspector, reason="")
    moved = loop.withdraw_report(hazard, actor=xihu_inspector, reason="现场发现仍在施工")
    assert moved.status == Hazard.Status.RECTIFYING
    assert RectificationOrder.objects.get(pk=order.pk).reported_done_at is None
    event = AuditEvent.objects.get(action="hazard.report_withdrawn")
    assert event.old_values == {"status": "reported"} and event.reason == "现场发现仍在施工"
    with pytest.raises(DomainError) as exc:
        loop.withdraw_report(hazard, actor=xihu_inspector, reason="再次撤回")
    assert exc.value.code == "illegal_transition"


def test_moves_are_audited_with_old_and_new_status(inspection, xihu_inspector):
    hazard, _ = _rectifying_hazard(inspection, xihu_inspector)
    started = AuditEvent.objects.get(action="inspection.in_progress")
    assert started.old_values == {"status": "planned"}
    assert started.new_values == {"status": "in_progress", "inspection": inspection.pk}
    ordered = AuditEvent.objects.get(action="hazard.rectifying")
    assert ordered.old_values == {"status": "open"}
    assert ordered.new_values == {"status": "rectifying", "hazard": hazard.pk}
    assert "限期 10 日整改" in ordered.reason


def test_two_orders_for_one_hazard_in_a_row_is_409(api_as, inspection, xihu_inspector):
    hazard, _ = _rectifying_hazard(inspection, xihu_inspector)
    response = api_as(xihu_inspector).post(
        f"{BASE}{inspection.pk}/hazards/{hazard.pk}/order/",
        {"kind": "deadline", "deadline_days": 5, "responsible_person": "x", "measures": "y"},
        format="json")
    assert response.status_code == 409 and response.data["code"] == "order_exists"
    assert RectificationOrder.objects.filter(hazard=hazard).count() == 1
