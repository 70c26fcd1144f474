"""The phone pages of an inspection on site: the loop through the pages, answers saved
as given (htmx), refusals shown in Chinese, scoping (404/403), idempotent creation and
a fixed query count whatever the number of items."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.accounts.models import Role
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    Inspection,
    InspectionItem,
    ReCheck,
    RectificationOrder,
    SupervisionListing,
)
from tests.conftest import make_user, sign_recheck_opinion
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def xihu_inspector2(reference_data):
    return make_user("p_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="P330106003",
                     full_name="西湖执法员二")


@pytest.fixture
def auditor(reference_data):
    return make_user("p_xihu_auditor", Role.AUDITOR, "EM-330106", full_name="西湖审计员")


@pytest.fixture
def factory(reference_data, calendar_data):
    load_checklist_templates()
    return enterprise("杭州西湖粉尘机械有限公司", 801, sector=Sector.MACHINERY,
                      special_operations=[SpecialOperation.DUST_EXPLOSION])


@pytest.fixture
def inspection(factory, xihu_inspector, xihu_inspector2):
    return loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                  inspectors=[xihu_inspector, xihu_inspector2],
                                  source=Inspection.Source.AD_HOC,
                                  planned_date=datetime.date(2026, 9, 24))


def url(name, *args):
    return reverse(f"inspections:{name}", args=args)


def create_payload(factory, second, client_id=None):
    return {"client_id": str(client_id or uuid.uuid4()), "enterprise": factory.pk,
            "second_inspector": second.pk, "source": Inspection.Source.AD_HOC,
            "planned_date": "2026-09-24"}


def test_list_shows_my_inspections_with_new_button(web_as, xihu_inspector, inspection):
    client = web_as(xihu_inspector)
    page = client.get(url("inspection_list")).content.decode()
    assert "新建检查" in page
    assert "杭州西湖粉尘机械有限公司" in page
    assert inspection.verification_code in page
    filtered = client.get(url("inspection_list"), {"status": "closed"}).content.decode()
    assert inspection.verification_code not in filtered
    home = client.get("/").content.decode()
    assert "现场检查" in home


def test_list_keyset_pagination(web_as, xihu_inspector, xihu_inspector2, factory):
    ids = [loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                  inspectors=[xihu_inspector, xihu_inspector2],
                                  source=Inspection.Source.AD_HOC).pk for _ in range(22)]
    client = web_as(xihu_inspector)
    first = client.get(url("inspection_list"))
    rows = first.context["inspections"]
    assert [r.pk for r in rows] == sorted(ids, reverse=True)[:20]
    assert first.context["next_before"] == rows[-1].pk
    second = client.get(url("inspection_list"), {"before": rows[-1].pk})
    assert [r.pk for r in second.context["inspections"]] == sorted(ids, reverse=True)[20:]
    assert second.context["next_before"] is None


def test_new_form_searches_enterprises_and_lists_certified_colleagues(
        web_as, xihu_inspector, xihu_inspector2, factory, reference_data):
    enterprise("杭州滨江外区公司", 802, location="330108001")
    client = web_as(xihu_inspector)
    page = client.get(url("inspection_create"), {"q": "粉尘"}).content.decode()
    assert "杭州西湖粉尘机械有限公司" in page
    assert 'name="client_id"' in page
    assert "西湖执法员二（P330106003）" in page
    by_code = client.get(url("inspection_enterprise_search"),
                         {"q": factory.uscc[:12]}).content.decode()
    assert "杭州西湖粉尘机械有限公司" in by_code
    outside = client.get(url("inspection_enterprise_search"), {"q": "滨江外区"})
    assert "杭州滨江外区公司" not in outside.content.decode()


def test_the_loop_through_the_pages(web_as, xihu_inspector, xihu_inspector2, factory):
    client = web_as(xihu_inspector)
    created = client.post(url("inspection_create"), create_payload(factory, xihu_inspector2))
    assert created.status_code == 302
    inspection = Inspection.objects.get()
    assert created["Location"] == url("inspection_detail", inspection.pk)
    assert set(inspection.inspectors.all()) == {xihu_inspector, xihu_inspector2}

    page = client.get(created["Location"]).content.decode()
    assert "开始检查" in page and inspection.verification_code in page
    assert 'id="evidence"' in page and f"/inspections/{inspection.pk}/sign/" in page
    assert client.post(url("inspection_start", inspection.pk)).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS

    items = list(inspection.items.order_by("order"))
    page = client.get(url("inspection_detail", inspection.pk)).content.decode()
    assert page.count('data-testid="item-card"') == len(items)
    assert "符合" in page and "不符合" in page and "不适用" in page
    major = [i for i in items if i.checklist_item.major_hazard_criterion]
    assert page.count('data-testid="major-badge"') == len(major)

    # Answers through the htmx endpoint: the card comes back with the saved mark.
    failing = {items[0].pk: "除尘器未设置泄爆装置", items[1].pk: "未建立粉尘清扫制度"}
    for item in items:
        result = "non_compliant" if item.pk in failing else "compliant"
        response = client.post(url("inspection_answer", inspection.pk, item.pk),
                               {"result": result, "note": failing.get(item.pk, "")},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        body = response.content.decode()
        assert f'id="item-{item.pk}"' in body and "已保存" in body
        assert "<html" not in body
    # The plain form post works too (no JS), and a reload shows every answer.
    response = client.post(url("inspection_answer", inspection.pk, items[2].pk),
                           {"result": "not_applicable", "note": "本单位无此设备"})
    assert response.status_code == 302
    assert InspectionItem.objects.get(pk=items[2].pk).result == "not_applicable"
    reloaded = client.get(url("inspection_detail", inspection.pk)).content.decode()
    assert "除尘器未设置泄爆装置" in reloaded
    assert not inspection.items.filter(result="pending").exists()

    assert client.post(url("inspection_complete", inspection.pk)).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.RECTIFYING
    hazards = list(inspection.hazards.order_by("id"))
    assert len(hazards) == 2

    for hazard in hazards:
        data = {"kind": "deadline", "deadline_days": "15", "responsible_person": "王厂长",
                "measures": "加装泄爆片", "funds": "2.5", "emergency_plan": "粉尘爆炸应急预案",
                "onsite_measure": ""}
        response = client.post(url("inspection_hazard_order", inspection.pk, hazard.pk),
                               {f"h{hazard.pk}-{k}": v for k, v in data.items()})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert RectificationOrder.objects.filter(hazard__inspection=inspection).count() == 2
    page = client.get(url("inspection_detail", inspection.pk)).content.decode()
    assert "报告整改完成" in page and "王厂长" in page

    for hazard in hazards:
        assert client.post(url("inspection_hazard_report", inspection.pk,
                               hazard.pk)).status_code == 302
        if hazard.is_major:  # its 治理方案 is on file before it is accepted
            assert client.post(url("inspection_hazard_major_report", inspection.pk, hazard.pk),
                               {"kind": "plan", "received_on": str(timezone.localdate()),
                                "content": "加装泄爆片的治理方案"}).status_code == 302
        assert client.post(url("inspection_hazard_accept", inspection.pk, hazard.pk),
                           {"note": "已加装泄爆片，复查合格"}).status_code == 302
    assert set(Hazard.objects.filter(inspection=inspection)
               .values_list("status", flat=True)) == {Hazard.Status.ACCEPTED}
    assert ReCheck.objects.filter(hazard__inspection=inspection,
                                  result=ReCheck.Result.PASSED).count() == 2
    # The enterprise has not signed the 整改复查意见书 yet: closing says so.
    refused = client.post(url("inspection_close", inspection.pk))
    assert refused.status_code == 409 and "整改复查意见书尚无企业签名" in refused.content.decode()
    sign_recheck_opinion(inspection, xihu_inspector)
    assert client.post(url("inspection_close", inspection.pk)).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.CLOSED


def _rectifying_with_hazards(inspection, actor, failing=2):
    loop.start_inspection(inspection, actor=actor)
    for n, item in enumerate(inspection.items.order_by("order")):
        loop.record_answer(inspection, item.pk, actor=actor,
                           result="non_compliant" if n < failing else "compliant",
                           note=f"隐患{n}" if n < failing else "")
    return loop.complete_findings(inspection, actor=actor)


def test_closure_refused_with_open_hazard_shows_chinese_message(web_as, xihu_inspector,
                                                                inspection):
    _rectifying_with_hazards(inspection, xihu_inspector, failing=1)
    client = web_as(xihu_inspector)
    response = client.post(url("inspection_close", inspection.pk))
    assert response.status_code == 409
    body = response.content.decode()
    assert "还有 1 项隐患未复查验收或移交立案，检查不能闭环。" in body
    assert 'data-testid="step-error"' in body
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.RECTIFYING


def test_order_errors_shown_next_to_the_form_without_write(web_as, xihu_inspector,
                                                           inspection):
    _rectifying_with_hazards(inspection, xihu_inspector, failing=1)
    hazard = inspection.hazards.get()
    Hazard.objects.filter(pk=hazard.pk).update(is_major=True)
    client = web_as(xihu_inspector)
    response = client.post(url("inspection_hazard_order", inspection.pk, hazard.pk),
                           {f"h{hazard.pk}-kind": "deadline",
                            f"h{hazard.pk}-deadline_days": "10",
                            f"h{hazard.pk}-responsible_person": "王厂长",
                            f"h{hazard.pk}-measures": "整改"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "重大事故隐患须落实整改资金。" in body
    assert "重大事故隐患须制定应急预案。" in body
    assert 'data-testid="hazard-error"' in body
    assert not RectificationOrder.objects.exists()
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.OPEN


def test_failed_recheck_needs_a_note(web_as, xihu_inspector, inspection):
    _rectifying_with_hazards(inspection, xihu_inspector, failing=1)
    hazard = inspection.hazards.get()
    loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=10,
                     responsible_person="王厂长", measures="整改", funds=Decimal("1"),
                     emergency_plan="应急预案")
    client = web_as(xihu_inspector)
    response = client.post(url("inspection_hazard_fail", inspection.pk, hazard.pk),
                           {"note": ""})
    assert response.status_code == 400
    assert "复查不合格须写明复查意见。" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.RECTIFYING
    assert client.post(url("inspection_hazard_fail", inspection.pk, hazard.pk),
                       {"note": "未按期整改"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.ESCALATED


def test_chief_lists_a_major_hazard(web_as, xihu_inspector, xihu_chief, inspection):
    _rectifying_with_hazards(inspection, xihu_inspector, failing=1)
    hazard = inspection.hazards.get()
    Hazard.objects.filter(pk=hazard.pk).update(is_major=True)
    client = web_as(xihu_chief)
    assert 'data-testid="list-hazard"' in client.get(
        url("inspection_detail", inspection.pk)).content.decode()
    missing = client.post(url("inspection_hazard_list", inspection.pk, hazard.pk))
    assert missing.status_code == 400 and "请填写督办通知书文号。" in missing.content.decode()
    assert not SupervisionListing.objects.exists()
    assert client.post(url("inspection_hazard_list", inspection.pk, hazard.pk),
                       {"notice_number": "西应急督〔2026〕3号", "level": "district",
                        "supervising_unit": "西湖区应急管理局"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.listed_at is not None
    page = client.get(url("inspection_detail", inspection.pk)).content.decode()
    assert "西应急督〔2026〕3号" in page and "挂牌尚未记录公开。" in page


def test_inspector_sees_no_listing_button(web_as, xihu_inspector, inspection):
    _rectifying_with_hazards(inspection, xihu_inspector, failing=1)
    Hazard.objects.filter(inspection=inspection).update(is_major=True)
    page = web_as(xihu_inspector).get(url("inspection_detail", inspection.pk))
    assert 'data-testid="list-hazard"' not in page.content.decode()


def test_answer_error_comes_back_in_the_card(web_as, xihu_inspector, inspection):
    loop.start_inspection(inspection, actor=xihu_inspector)
    item = inspection.items.first()
    response = web_as(xihu_inspector).post(
        url("inspection_answer", inspection.pk, item.pk), {"note": "先写备注"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "请先选择符合、不符合或不适用" in body and "先写备注" in body
    item.refresh_from_db()
    assert item.result == "pending"


def test_binjiang_user_gets_404(web_as, binjiang_inspector, xihu_inspector, inspection):
    client = web_as(binjiang_inspector)
    item = inspection.items.first()
    assert client.get(url("inspection_detail", inspection.pk)).status_code == 404
    assert client.post(url("inspection_start", inspection.pk)).status_code == 404
    assert client.post(url("inspection_answer", inspection.pk, item.pk),
                       {"result": "compliant"}).status_code == 404
    assert inspection.verification_code not in client.get(
        url("inspection_list")).content.decode()
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.PLANNED


def test_auditor_gets_403_on_posts(web_as, auditor, xihu_inspector, xihu_inspector2,
                                   inspection, factory):
    loop.start_inspection(inspection, actor=xihu_inspector)
    client = web_as(auditor)
    assert client.get(url("inspection_detail", inspection.pk)).status_code == 200
    item = inspection.items.first()
    assert client.post(url("inspection_answer", inspection.pk, item.pk),
                       {"result": "compliant"}).status_code == 403
    assert client.post(url("inspection_complete", inspection.pk)).status_code == 403
    assert client.post(url("inspection_create"),
                       create_payload(factory, xihu_inspector2)).status_code == 403
    item.refresh_from_db()
    assert item.result == "pending"
    assert Inspection.objects.count() == 1


def test_double_submit_creates_one_inspection(web_as, xihu_inspector, xihu_inspector2,
                                              factory):
    client = web_as(xihu_inspector)
    payload = create_payload(factory, xihu_inspector2, client_id=uuid.uuid4())
    first = client.post(url("inspection_create"), payload)
    second = client.post(url("inspection_create"), payload)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Inspection.objects.count() == 1


def test_creation_errors_in_chinese(web_as, xihu_inspector, factory):
    client = web_as(xihu_inspector)
    response = client.post(url("inspection_create"),
                           {"client_id": str(uuid.uuid4()), "enterprise": factory.pk,
                            "source": "ad_hoc", "planned_date": "2026-09-24"})
    assert response.status_code == 200
    assert "请选择第二名执法人员。" in response.content.decode()
    assert not Inspection.objects.exists()


def test_planned_prefills_the_form(web_as, xihu_inspector, xihu_inspector2, factory):
    from hangzhou_safety.accounts.models import Authority
    from inspections.models import PlanCategory, PlannedInspection

    planned = PlannedInspection.objects.create(
        authority=Authority.objects.get(code="EM-330106"), enterprise=factory,
        category=PlanCategory.RANDOM, source=PlannedInspection.Source.DRAW, year=2026,
        month=9)
    planned.inspectors.set([xihu_inspector, xihu_inspector2])
    client = web_as(xihu_inspector)
    response = client.get(url("inspection_create"), {"planned": planned.pk})
    form = response.context["form"]
    assert form.initial["enterprise"] == factory.pk
    assert form.initial["source"] == Inspection.Source.DRAW
    assert form.initial["second_inspector"] == xihu_inspector2.pk
    assert "杭州西湖粉尘机械有限公司" in response.content.decode()
    payload = create_payload(factory, xihu_inspector2)
    payload.update(planned=planned.pk, source="draw")
    assert client.post(url("inspection_create"), payload).status_code == 302
    assert Inspection.objects.get().planned == planned


def _with_items(inspection, template, count):
    inspection.items.all().delete()
    InspectionItem.objects.bulk_create(
        InspectionItem(inspection=inspection, checklist_item=ci, order=n)
        for n, ci in enumerate(template.items.order_by("order")[:count], start=1))


def test_inspection_page_costs_a_fixed_number_of_queries(web_as, xihu_inspector,
                                                         xihu_inspector2, factory):
    template = ChecklistTemplate.objects.create(code="TEST-BIG", name="测试检查表")
    ChecklistItem.objects.bulk_create(
        ChecklistItem(template=template, order=n, text=f"检查内容{n}", law="安全生产法",
                      article=f"第{n}条",
                      major_hazard_criterion="判定依据" if n % 5 == 0 else "")
        for n in range(1, 41))
    counts = []
    for size in (10, 40):
        inspection = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                            inspectors=[xihu_inspector, xihu_inspector2],
                                            source=Inspection.Source.AD_HOC)
        _with_items(inspection, template, size)
        _rectifying_with_hazards(inspection, xihu_inspector, failing=size // 5)
        client = web_as(xihu_inspector)
        client.get(url("inspection_detail", inspection.pk))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("inspection_detail", inspection.pk))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="item-card"') == size
        assert response.content.decode().count('data-testid="hazard-card"') == size // 5
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts


def test_joint_inspection_records_partner_officers(web_as, xihu_inspector, xihu_inspector2,
                                                   factory):
    client = web_as(xihu_inspector)
    payload = create_payload(factory, xihu_inspector2)
    payload["partner_officers"] = "坏的一行"
    response = client.post(url("inspection_create"), payload)
    assert response.status_code == 200
    assert "第1行应为“姓名，部门，执法证号”。" in response.content.decode()
    assert not Inspection.objects.exists()
    payload["partner_officers"] = ("孙卫，西湖区卫生健康局，WJ330106001\n"
                                   "Li Ming, 西湖区住建局, ZJ0002")
    response = client.post(url("inspection_create"), payload)
    assert response.status_code == 302
    assert Inspection.objects.get().partner_officers == [
        {"name": "孙卫", "department": "西湖区卫生健康局", "certificate": "WJ330106001"},
        {"name": "Li Ming", "department": "西湖区住建局", "certificate": "ZJ0002"}]


def test_recorder_footage_from_the_evidence_page(web_as, xihu_inspector, inspection,
                                                 binjiang_inspector, client):
    from inspections.models import RecorderFootage

    page = url("footage_add", inspection.pk)
    bad = web_as(xihu_inspector).post(page, {"device_id": "DSJ-01", "file_reference": "F1",
                                             "started_at": "2026-09-24T10:00",
                                             "ended_at": "2026-09-24T09:00"}, follow=True)
    assert not RecorderFootage.objects.exists()
    assert "alert-danger" in bad.content.decode() or "alert-error" in bad.content.decode()
    web_as(xihu_inspector).post(page, {"device_id": "DSJ-01", "file_reference": "20260924-01",
                                       "started_at": "2026-09-24T10:00",
                                       "ended_at": "2026-09-24T11:30"})
    footage = RecorderFootage.objects.get()
    assert footage.device_id == "DSJ-01" and footage.ended_at > footage.started_at
    client.logout()
    assert web_as(binjiang_inspector).post(page, {}).status_code == 404


def test_second_inspector_list_is_certified_colleagues_in_pinyin_order(
        web_as, xihu_inspector, reference_data, calendar_data):
    from inspections.loop.views import InspectionCreateForm

    for username, name, cert in (("p_zhang", "张三", "P330106101"),
                                 ("p_li", "李四", "P330106102"),
                                 ("p_an", "安五", "P330106103"),
                                 ("p_nocert", "白六", "")):
        make_user(username, Role.INSPECTOR, "EM-330106", cert=cert, full_name=name)
    make_user("p_other_district", Role.INSPECTOR, "EM-330108", cert="P330108101",
              full_name="蔡七")
    form = InspectionCreateForm(user=xihu_inspector)
    labels = [str(label) for value, label in form.fields["second_inspector"].choices
              if value != ""]
    names = [label.split("（")[0] for label in labels]
    # Uncertified staff and other authorities' staff are not offered; the rest in
    # pinyin order (an, li, zhang), not in Unicode code-point order.
    assert names == ["安五", "李四", "张三"]
    html = str(form["second_inspector"])
    assert 'data-pinyin="anwu aw"' in html and 'data-pinyin="zhangsan zs"' in html
    page = web_as(xihu_inspector).get(reverse("inspections:inspection_create")).content.decode()
    assert 'data-filter-select="id_second_inspector"' in page
