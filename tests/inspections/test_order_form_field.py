"""The order form and the findings on site: calendar days said, 3/7/15/30 offered, the
due date shown live from the calendar service, the last responsible person
repeated; a non-compliance needs a description (or a chosen standard phrase), never
the question; the read-only auditor sees no write forms."""
# ruff: noqa: F811

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workdays.services import add_calendar_days
from inspections.loop import services as loop
from inspections.loop.phrases import standard_phrase
from inspections.models import Hazard, Inspection
from tests.conftest import make_user
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db


def _findings(inspection, actor, notes: dict[int, str]) -> list[Hazard]:
    loop.start_inspection(inspection, actor=actor)
    for item in inspection.items.order_by("order"):
        failing = item.order in notes
        # An item with several major-hazard criteria needs the one that applies named.
        codes = sorted(item.checklist_item.criteria.values_list("code", flat=True))
        loop.record_answer(inspection, item.pk, actor=actor,
                           result="non_compliant" if failing else "compliant",
                           note=notes.get(item.order, ""),
                           hazard={"criterion": codes[0]} if failing and len(codes) > 1
                           else None)
    return list(inspection.hazards.order_by("id"))


def test_a_non_compliance_needs_a_description(inspection, xihu_inspector):
    hazards = _findings(inspection, xihu_inspector, {1: "", 3: "泄爆片缺失"})
    question = inspection.items.get(order=1).checklist_item.text
    assert hazards[0].description == "" and hazards[0].description != question[:30]
    with pytest.raises(InvalidInput) as refused:
        loop.complete_findings(inspection, actor=xihu_inspector)
    assert "第 1 项不符合，请写明隐患情况" in refused.value.detail
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.IN_PROGRESS
    # The officer chooses the standard phrase: it becomes the hidden danger's text.
    item = inspection.items.get(order=1)
    phrase = standard_phrase(item.checklist_item.text) or "现场发现的问题"
    loop.record_answer(inspection, item.pk, actor=xihu_inspector, result="non_compliant",
                       note=phrase)
    loop.complete_findings(inspection, actor=xihu_inspector)
    assert Hazard.objects.get(item=item).description == phrase


def test_standard_phrases():
    assert standard_phrase("是否建立健全全员安全生产责任制，责任制是否明确考核标准。") == (
        "未建立健全全员安全生产责任制，责任制未明确考核标准。")
    assert standard_phrase("粉尘清扫记录") == ""


def test_the_card_asks_for_a_description_and_offers_the_phrase(web_as, inspection,
                                                               xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    item = next(i for i in inspection.items.select_related("checklist_item")
                .order_by("order") if standard_phrase(i.checklist_item.text))
    response = web_as(xihu_inspector).post(
        reverse("inspections:inspection_answer", args=[inspection.pk, item.pk]),
        {"result": "non_compliant", "note": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="needs-description"' in html
    assert f'data-phrase="{standard_phrase(item.checklist_item.text)}"' in html


def test_order_form_calendar_days_presets_and_last_person(web_as, inspection,
                                                          xihu_inspector):
    first, second = _findings(inspection, xihu_inspector, {1: "隐患一", 2: "隐患二"})
    loop.complete_findings(inspection, actor=xihu_inspector)
    client = web_as(xihu_inspector)
    page = client.get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    html = page.content.decode()
    assert "整改期限（自然日）" in html and "整改期限（日）" not in html
    for n in (3, 7, 15, 30):
        assert f'data-testid="deadline-{n}"' in html
    assert f'hx-get="{reverse("inspections:order_due_date")}"' in html
    loop.issue_order(first, actor=xihu_inspector, kind="deadline",
                     responsible_person="王厂长", measures="加装泄爆片", deadline_days=7,
                     funds=Decimal("2.5"), emergency_plan="粉尘爆炸专项应急预案")
    html = client.get(reverse("inspections:inspection_detail",
                              args=[inspection.pk])).content.decode()
    field = re.search(rf'<input[^>]*name="h{second.pk}-responsible_person"[^>]*>', html)
    assert field and 'value="王厂长"' in field.group(0)


@pytest.mark.parametrize("days", [3, 7, 15, 30])
def test_the_due_date_comes_from_the_calendar_service(web_as, xihu_inspector,
                                                      calendar_data, days):
    response = web_as(xihu_inspector).get(reverse("inspections:order_due_date"),
                                          {"h12-deadline_days": str(days)})
    expected = add_calendar_days(timezone.localdate(), days).due
    assert response.status_code == 200
    assert f"整改期限至 {expected:%Y-%m-%d}" in response.content.decode()


@pytest.mark.parametrize("raw", ["0", "3651", "abc", "-3"])
def test_a_bad_number_of_days_is_said(web_as, xihu_inspector, raw):
    response = web_as(xihu_inspector).get(reverse("inspections:order_due_date"),
                                          {"h1-deadline_days": raw})
    assert response.status_code == 200 and "请填写 1–3650 之间的天数" in response.content.decode()


def test_the_auditor_sees_no_write_forms(web_as, inspection, xihu_inspector, reference_data):
    loop.start_inspection(inspection, actor=xihu_inspector)
    auditor = make_user("p_xihu_auditor", Role.AUDITOR, "EM-330106", full_name="审计员")
    client = web_as(auditor)
    detail = client.get(reverse("inspections:inspection_detail",
                                args=[inspection.pk])).content.decode()
    assert 'data-testid="answer-compliant"' not in detail
    assert 'data-testid="camera-input"' not in detail
    assert 'data-testid="complete-inspection"' not in detail
    evidence = client.get(reverse("inspections:evidence_list",
                                  args=[inspection.pk])).content.decode()
    assert 'data-testid="upload-form"' not in evidence
    assert 'data-testid="footage-form"' not in evidence
    assert 'data-testid="read-only"' in evidence
    sign = client.get(reverse("inspections:evidence_sign", args=[inspection.pk]))
    assert 'data-testid="sign-form"' not in sign.content.decode()
    # And the write itself is refused, not only hidden.
    refused = client.post(reverse("inspections:evidence_upload", args=[inspection.pk]),
                          {"file": SimpleUploadedFile("x.jpg", b"\xff\xd8\xff")})
    assert refused.status_code == 403
