"""The four-checklist loop through the REST API (/api/v1/inspections/, /api/v1/hazards/)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.models import Sector, SpecialOperation
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import Hazard, Inspection, InspectionItem, RectificationOrder
from tests.conftest import make_user, sign_recheck_opinion
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inspections/"


@pytest.fixture
def xihu_inspector2(reference_data):
    return make_user("p_xihu_inspector2", "inspector", "EM-330106", cert="P330106003",
                     full_name="西湖执法员二")


@pytest.fixture
def factory(reference_data, calendar_data):
    load_checklist_templates()
    return enterprise("杭州西湖粉尘机械有限公司", 711, sector=Sector.MACHINERY,
                      special_operations=[SpecialOperation.DUST_EXPLOSION])


@pytest.fixture
def api(api_as, xihu_inspector):
    return api_as(xihu_inspector)


def create_body(factory, *inspectors, **extra):
    return {"enterprise": factory.pk, "inspectors": [u.pk for u in inspectors],
            "source": "ad_hoc", "planned_date": "2026-09-24", **extra}


@pytest.fixture
def inspection(factory, xihu_inspector, xihu_inspector2):
    return loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                  inspectors=[xihu_inspector, xihu_inspector2],
                                  source=Inspection.Source.AD_HOC,
                                  planned_date=datetime.date(2026, 9, 24))


def answer_all(api, detail, failing):
    """Answer every item through the API; `failing` maps item order → note."""
    for item in detail["items"]:
        failed = item["order"] in failing
        response = api.post(f"{BASE}{detail['id']}/items/{item['id']}/answer/",
                            {"result": "non_compliant" if failed else "compliant",
                             "note": failing.get(item["order"], "")}, format="json")
        assert response.status_code == 200, response.data
        assert (response.data["hazard"] is not None) == failed


def test_whole_loop_through_the_api(api, api_as, factory, xihu_inspector, xihu_inspector2,
                                    xihu_chief):
    created = api.post(BASE, create_body(factory, xihu_inspector, xihu_inspector2,
                                         client_id=str(uuid.uuid4()),
                                         partner_officers=[{"name": "周消防",
                                                            "department": "西湖区消防救援大队"}]),
                       format="json")
    assert created.status_code == 201, created.data
    detail = created.data
    pk = detail["id"]
    assert detail["status"] == "planned" and len(detail["verification_code"]) == 8
    assert {i["name"] for i in detail["inspectors"]} == {"西湖执法员", "西湖执法员二"}
    assert detail["partner_officers"][0]["department"] == "西湖区消防救援大队"
    first = detail["items"][0]
    assert first["text"] and first["legal_basis"].startswith("《")
    assert first["result"] == "pending" and "major_criterion" in first

    started = api.post(f"{BASE}{pk}/start/")
    assert started.status_code == 200 and started.data["status"] == "in_progress"
    # Completing with unanswered items is bad input, in Chinese.
    early = api.post(f"{BASE}{pk}/complete/")
    assert early.status_code == 400 and "项未检查" in early.data["detail"]

    major_item = next(i for i in detail["items"] if i["major_criterion"])
    plain_item = next(i for i in detail["items"] if not i["major_criterion"])
    answer_all(api, detail, {plain_item["order"]: "安全生产责任制未以文件形式明确"})
    # The major finding with its hazard details, sent twice: the resend changes nothing.
    body = {"result": "non_compliant", "note": "除尘系统未设泄爆装置",
            "hazard": {"description": "除尘器未设泄爆装置", "plant_location": "抛光车间"}}
    url = f"{BASE}{pk}/items/{major_item['id']}/answer/"
    one = api.post(url, body, format="json")
    two = api.post(url, body, format="json")
    assert one.status_code == two.status_code == 200
    assert one.data["hazard"]["id"] == two.data["hazard"]["id"]
    assert one.data["hazard"]["is_major"] and one.data["hazard"]["plant_location"] == "抛光车间"
    assert Hazard.objects.filter(inspection_id=pk).count() == 2

    completed = api.post(f"{BASE}{pk}/complete/")
    assert completed.status_code == 200 and completed.data["status"] == "rectifying"
    hazards = {h["item"]: h for h in completed.data["hazards"]}
    major, general = hazards[major_item["id"]], hazards[plain_item["id"]]
    assert major["order"] is None and major["rechecks"] == []

    # A major hidden danger needs all five in place: field errors in Chinese.
    bad = api.post(f"{BASE}{pk}/hazards/{major['id']}/order/",
                   {"kind": "deadline", "deadline_days": 7, "responsible_person": "张厂长",
                    "measures": "加装泄爆片"}, format="json")
    assert bad.status_code == 400 and {"funds", "emergency_plan"} <= set(bad.data["errors"])
    ordered = api.post(f"{BASE}{pk}/hazards/{major['id']}/order/",
                       {"kind": "deadline", "deadline_days": 7, "responsible_person": "张厂长",
                        "measures": "加装泄爆片、隔爆阀", "funds": "12.50",
                        "emergency_plan": "粉尘爆炸专项应急预案",
                        "onsite_measure": "stop_equipment"}, format="json")
    assert ordered.status_code == 201, ordered.data
    assert ordered.data["status"] == "rectifying"
    from hangzhou_safety.workdays.services import add_calendar_days

    due = add_calendar_days(timezone.localdate(), 7).due
    assert ordered.data["order"]["due_date"] == due.isoformat()
    assert ordered.data["order"]["onsite_measure"] == "stop_equipment"
    again = api.post(f"{BASE}{pk}/hazards/{major['id']}/order/",
                     {"kind": "on_spot", "responsible_person": "张厂长", "measures": "x",
                      "funds": "1", "emergency_plan": "y"}, format="json")
    assert again.status_code == 400  # a major hidden danger cannot be fixed on the spot

    # 挂牌督办 by the chief, with its notice; an inspector may not.
    listing_body = {"notice_number": "西应急督〔2026〕5号", "level": "district",
                    "supervising_unit": "西湖区应急管理局"}
    hazards_api = f"/api/v1/hazards/{major['id']}"
    assert api.post(f"{hazards_api}/list/", listing_body, format="json").status_code == 403
    chief = api_as(xihu_chief)
    bare = chief.post(f"{hazards_api}/list/", {}, format="json")
    assert bare.status_code == 400 and bare.data["detail"] and bare.data["detail_en"]
    assert "notice_number" in bare.data["errors"]
    listed = chief.post(f"{hazards_api}/list/", listing_body, format="json")
    assert listed.status_code == 200 and listed.data["listed_at"]
    assert listed.data["listing"]["notice_number"] == "西应急督〔2026〕5号"
    published = chief.post(f"{hazards_api}/publish/",
                           {"stage": "listing", "published_on": str(timezone.localdate()),
                            "channel": "西湖区政府门户网站"}, format="json")
    assert published.status_code == 200
    assert published.data["listing"]["listing_channel"] == "西湖区政府门户网站"

    on_spot = api_as(xihu_inspector2).post(
        f"{BASE}{pk}/hazards/{general['id']}/order/",
        {"kind": "on_spot", "responsible_person": "李主任", "measures": "印发责任制文件"},
        format="json")
    assert on_spot.status_code == 201 and on_spot.data["status"] == "accepted"

    # Closure refused while the major one is open.
    refused = api.post(f"{BASE}{pk}/close/")
    assert refused.status_code == 409 and refused.data["code"] == "open_hazards"

    # Under a stop measure (stop_equipment) the major one is not "reported done": the
    # enterprise applies in writing to resume. Dates lie between the order's issue date
    # and today: date the order 09-20.
    RectificationOrder.objects.filter(hazard_id=major["id"]).update(
        issued_at=datetime.datetime(2026, 9, 20, 2, 0, tzinfo=datetime.UTC))
    plain_report = api.post(f"{BASE}{pk}/hazards/{major['id']}/report-rectified/",
                            {"reported_on": "2026-09-24"}, format="json")
    assert plain_report.status_code == 409
    assert plain_report.data["code"] == "resume_review_required"
    plan = api.post(f"{hazards_api}/major-reports/",
                    {"kind": "plan", "received_on": str(timezone.localdate()),
                     "content": "治理目标、方法措施、经费物资、机构人员、时限要求",
                     "workers_informed": True}, format="json")
    assert plan.status_code == 201 and plan.data["major_reports"][0]["kind"] == "plan"
    applied = api.post(f"{hazards_api}/resume-applications/",
                       {"applied_on": "2026-09-24", "self_assessment": "泄爆片、隔爆阀已安装"},
                       format="json")
    assert applied.status_code == 201 and applied.data["status"] == "reported"
    # Clock rule "resume_review": 10 calendar days; 10-04 falls in the National Day
    # holiday, so the review is due on 10-08.
    assert applied.data["resume_applications"][0]["review_due"] == "2026-10-08"
    assert applied.data["rechecks"][0]["due_date"] == "2026-10-08"
    ordinary = api.post(f"{BASE}{pk}/hazards/{major['id']}/accept/", {"note": "x"},
                        format="json")
    assert ordinary.status_code == 409 and ordinary.data["code"] == "resume_review_required"
    not_bool = api.post(f"{hazards_api}/resume-review/", {"consent": "maybe"}, format="json")
    assert not_bool.status_code == 400 and "consent" in not_bool.data["errors"]
    consented = api.post(f"{hazards_api}/resume-review/",
                         {"consent": True, "note": "现场审查合格，同意恢复使用"}, format="json")
    assert consented.status_code == 200 and consented.data["status"] == "accepted"
    assert consented.data["resume_applications"][0]["status"] == "consented"
    assert consented.data["rechecks"][0]["result"] == "passed"
    # Accepted but still listed: the loop closes only after 核销.
    assert consented.data["delisted_at"] is None
    still_listed = api.post(f"{BASE}{pk}/close/")
    assert still_listed.status_code == 409 and still_listed.data["code"] == "listing_open"
    delisted = chief.post(f"{hazards_api}/delist/", {"note": "隐患已消除"}, format="json")
    assert delisted.status_code == 200 and delisted.data["delisted_at"]
    assert delisted.data["listing"]["status"] == "delisted"
    unsigned = api.post(f"{BASE}{pk}/close/")
    assert unsigned.status_code == 409 and unsigned.data["code"] == "recheck_unsigned"
    sign_recheck_opinion(Inspection.objects.get(pk=pk), xihu_inspector)

    closed = api.post(f"{BASE}{pk}/close/")
    assert closed.status_code == 200 and closed.data["status"] == "closed"
    assert closed.data["closed_at"]
    # A closed inspection refuses further steps (409).
    assert api.post(f"{BASE}{pk}/start/").status_code == 409


def test_closure_refused_with_an_open_hazard(api, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    hazard = api.post(f"{BASE}{inspection.pk}/hazards/",
                      {"description": "消防通道堵塞", "plant_location": "仓库"}, format="json")
    assert hazard.status_code == 201
    response = api.post(f"{BASE}{inspection.pk}/close/")
    assert response.status_code == 409
    assert response.data["code"] == "open_hazards"
    assert "不能闭环" in response.data["detail"]
    assert "cannot close" in response.data["detail_en"]
    assert Inspection.objects.get(pk=inspection.pk).status == "in_progress"


def test_reject_escalates(api, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    hazard = loop.add_hazard(inspection, actor=xihu_inspector, description="配电箱未接地")
    loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=10,
                     responsible_person="赵总", measures="接地")
    url = f"{BASE}{inspection.pk}/hazards/{hazard.pk}/reject/"
    empty = api.post(url, {}, format="json")
    assert empty.status_code == 400 and "note" in empty.data["errors"]
    rejected = api.post(url, {"note": "仍未接地"}, format="json")
    assert rejected.status_code == 200 and rejected.data["status"] == "escalated"
    assert rejected.data["rechecks"][0]["result"] == "failed"


def test_one_certified_inspector_is_refused(api, factory, xihu_inspector, xihu_inspector2):
    xihu_inspector2.certificate_valid_until = datetime.date(2020, 1, 1)
    xihu_inspector2.save(update_fields=["certificate_valid_until"])
    response = api.post(BASE, create_body(factory, xihu_inspector, xihu_inspector2),
                        format="json")
    assert response.status_code == 400
    assert "两名以上持有效行政执法证" in response.data["detail"]
    assert response.data["detail_en"] and "inspectors" in response.data["errors"]
    alone = api.post(BASE, create_body(factory, xihu_inspector), format="json")
    assert alone.status_code == 400
    assert not Inspection.objects.exists()


def test_bad_create_input(api, api_as, factory, xihu_inspector, xihu_inspector2,
                          binjiang_inspector):
    response = api.post(BASE, {"source": "ad_hoc"}, format="json")
    assert response.status_code == 400 and {"enterprise", "inspectors"} <= set(
        response.data["errors"])
    outsider = api.post(BASE, create_body(factory, xihu_inspector, binjiang_inspector),
                        format="json")
    assert outsider.status_code == 400 and "inspectors" in outsider.data["errors"]
    bad_source = api.post(BASE, create_body(factory, xihu_inspector, xihu_inspector2,
                                            source="guess"), format="json")
    assert bad_source.status_code == 400 and "source" in bad_source.data["errors"]
    binjiang2 = make_user("p_bj2", "inspector", "EM-330108", cert="P330108002")
    foreign = api_as(binjiang_inspector).post(
        BASE, create_body(factory, binjiang_inspector, binjiang2), format="json")
    assert foreign.status_code == 400 and "enterprise" in foreign.data["errors"]
    assert not Inspection.objects.exists()


def test_idempotent_resubmission(api, factory, xihu_inspector, xihu_inspector2):
    body = create_body(factory, xihu_inspector, xihu_inspector2, client_id=str(uuid.uuid4()))
    first = api.post(BASE, body, format="json")
    again = api.post(BASE, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.data["id"] == again.data["id"]
    assert Inspection.objects.count() == 1
    items = InspectionItem.objects.count()
    assert items == len(first.data["items"])

    pk = first.data["id"]
    assert api.post(f"{BASE}{pk}/start/").status_code == 200
    hazard_body = {"description": "配电箱未接地", "legal_basis": "GB 50054", "is_major": False,
                   "plant_location": "配电房", "client_id": str(uuid.uuid4())}
    h1 = api.post(f"{BASE}{pk}/hazards/", hazard_body, format="json")
    h2 = api.post(f"{BASE}{pk}/hazards/", hazard_body, format="json")
    assert (h1.status_code, h2.status_code) == (201, 200)
    assert h1.data["id"] == h2.data["id"] and Hazard.objects.count() == 1
    assert InspectionItem.objects.count() == items


def test_items_and_hazards_of_another_inspection_are_404(api, factory, inspection,
                                                        xihu_inspector, xihu_inspector2):
    other = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                   inspectors=[xihu_inspector, xihu_inspector2],
                                   source=Inspection.Source.AD_HOC)
    loop.start_inspection(inspection, actor=xihu_inspector)
    loop.start_inspection(other, actor=xihu_inspector)
    foreign_item = other.items.first()
    foreign_hazard = loop.add_hazard(other, actor=xihu_inspector, description="梯子缺损")
    response = api.post(f"{BASE}{inspection.pk}/items/{foreign_item.pk}/answer/",
                        {"result": "compliant"}, format="json")
    assert response.status_code == 404 and response.data["code"] == "not_found"
    for step in ("order", "report-rectified", "accept", "reject"):
        url = f"{BASE}{inspection.pk}/hazards/{foreign_hazard.pk}/{step}/"
        assert api.post(url, {}, format="json").status_code == 404, step
    assert not RectificationOrder.objects.exists()


def test_out_of_jurisdiction_is_404(api_as, inspection, xihu_inspector, binjiang_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    hazard = loop.add_hazard(inspection, actor=xihu_inspector, description="消防通道堵塞")
    item = inspection.items.first()
    outsider = api_as(binjiang_inspector)
    pk = inspection.pk
    assert outsider.get(f"{BASE}{pk}/").status_code == 404
    listing = outsider.get(BASE)
    assert listing.status_code == 200 and listing.data["results"] == []
    posts = [
        (f"{BASE}{pk}/start/", {}), (f"{BASE}{pk}/complete/", {}), (f"{BASE}{pk}/close/", {}),
        (f"{BASE}{pk}/items/{item.pk}/answer/", {"result": "compliant"}),
        (f"{BASE}{pk}/hazards/", {"description": "越权添加"}),
        (f"{BASE}{pk}/hazards/{hazard.pk}/order/",
         {"kind": "on_spot", "responsible_person": "x", "measures": "y"}),
        (f"{BASE}{pk}/hazards/{hazard.pk}/report-rectified/", {}),
        (f"{BASE}{pk}/hazards/{hazard.pk}/accept/", {"note": "x"}),
        (f"{BASE}{pk}/hazards/{hazard.pk}/reject/", {"note": "x"}),
        (f"/api/v1/hazards/{hazard.pk}/list/", {}),
    ]
    for url, body in posts:
        response = outsider.post(url, body, format="json")
        assert response.status_code == 404, url
        assert response.data["detail"] == "对象不存在或不在您的辖区内。"
    assert outsider.get(f"/api/v1/hazards/{hazard.pk}/").status_code == 404
    assert Hazard.objects.count() == 1
    item.refresh_from_db()
    assert item.result == "pending"


def test_auditor_reads_but_may_not_post(api_as, factory, inspection, xihu_inspector,
                                        xihu_inspector2):
    auditor = api_as(make_user("p_xihu_auditor", "auditor", "EM-330106"))
    assert auditor.get(f"{BASE}{inspection.pk}/").status_code == 200
    for url, body in [(BASE, create_body(factory, xihu_inspector, xihu_inspector2)),
                      (f"{BASE}{inspection.pk}/start/", {})]:
        response = auditor.post(url, body, format="json")
        assert response.status_code == 403 and response.data["detail"]
    assert Inspection.objects.get(pk=inspection.pk).status == "planned"
    assert Inspection.objects.count() == 1


def test_anonymous_is_refused(anonymous, inspection):
    assert anonymous.get(BASE).status_code in (401, 403)


def test_list_filters_and_fixed_query_count(api, factory, xihu_inspector, xihu_inspector2,
                                            django_assert_max_num_queries):
    other = enterprise("杭州西湖机械二厂", 712, sector=Sector.MACHINERY)

    def make(n, ent):
        for _ in range(n):
            loop.create_inspection(actor=xihu_inspector, enterprise=ent,
                                   inspectors=[xihu_inspector, xihu_inspector2],
                                   source=Inspection.Source.AD_HOC)

    make(2, factory)
    with CaptureQueriesContext(connection) as small:
        response = api.get(BASE)
    assert response.status_code == 200 and len(response.data["results"]) == 2
    make(8, other)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get(BASE)
    assert len(response.data["results"]) == 10
    assert all(len(row["inspectors"]) == 2 for row in response.data["results"])

    by_enterprise = api.get(BASE, {"enterprise": factory.pk})
    assert {r["enterprise"] for r in by_enterprise.data["results"]} == {factory.pk}
    assert len(by_enterprise.data["results"]) == 2
    first = Inspection.objects.filter(enterprise=other).first()
    loop.start_inspection(first, actor=xihu_inspector)
    by_status = api.get(BASE, {"status": "in_progress"})
    assert [r["id"] for r in by_status.data["results"]] == [first.pk]
    bad = api.get(BASE, {"status": "nonsense"})
    assert bad.status_code == 400
    page = api.get(BASE, {"page_size": 3})
    assert len(page.data["results"]) == 3 and page.data["next"]
