"""The enterprise signs the 整改复查意见书 before the loop closes, or its refusal is on
record: 安全生产法 第六十八条 "被检查单位的负责人拒绝签字的，检查人员应当将情况记录在案，
并向负有安全生产监督管理职责的部门报告"."""
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.evidence import refusals
from inspections.loop import services as loop
from inspections.models import Inspection, SignatureRefusal
from tests.conftest import make_user, sign_recheck_opinion
from tests.inspections.test_deadline_extension import rectifying  # noqa: F401
from tests.inspections.test_inspection_loop import (  # noqa: F401
    answer_all,
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db
FACTS = {"refused_by": "王厂长", "circumstances": "对复查意见有异议，拒绝签字；两名执法人员在场"}


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def test_closing_waits_for_the_signature_or_the_refusal(rectifying, xihu_inspector,
                                                        xihu_chief,
                                                        django_capture_on_commit_callbacks):
    inspection = rectifying.inspection
    xihu_chief.email = "xihu-chief@example.test"
    xihu_chief.save(update_fields=["email"])
    loop.record_recheck(rectifying, actor=xihu_inspector, passed=True, note="已整改")
    with pytest.raises(DomainError) as exc:
        loop.close_inspection(inspection, actor=xihu_inspector)
    assert exc.value.code == "recheck_unsigned" and "第六十八条" in exc.value.detail
    with django_capture_on_commit_callbacks(execute=True):
        refusal = refusals.record_refusal(inspection, actor=xihu_inspector,
                                          document="recheck", **FACTS)
    assert refusal.recorded_by == xihu_inspector
    event = AuditEvent.objects.get(action="inspection.signature_refused")
    assert event.new_values["refused_by"] == "王厂长"
    # Reported to the authority's section chief (the article's report).
    assert [m.to for m in mail.outbox] == [[xihu_chief.email]]
    assert "拒绝" in mail.outbox[0].body and "第六十八条" in mail.outbox[0].body
    assert loop.close_inspection(inspection, actor=xihu_inspector).status == "closed"


def test_bad_input_writes_nothing(rectifying, xihu_inspector):
    inspection = rectifying.inspection
    for bad, field in (({"refused_by": " "}, "refused_by"),
                       ({"circumstances": ""}, "circumstances"),
                       ({"circumstances": "情" * 2001}, "circumstances")):
        with pytest.raises(InvalidInput) as exc:
            refusals.record_refusal(inspection, actor=xihu_inspector, document="onsite_record",
                                    **{**FACTS, **bad})
        assert field in exc.value.fields and exc.value.detail_en
    # The re-check opinion exists only once a re-check is recorded.
    with pytest.raises(InvalidInput) as exc:
        refusals.record_refusal(inspection, actor=xihu_inspector, document="recheck", **FACTS)
    assert "document" in exc.value.fields
    assert not SignatureRefusal.objects.exists()
    assert not AuditEvent.objects.filter(action="inspection.signature_refused").exists()


def test_once_per_document_and_not_after_a_signature(rectifying, xihu_inspector):
    inspection = rectifying.inspection
    refusals.record_refusal(inspection, actor=xihu_inspector, document="onsite_record",
                            **FACTS)
    with pytest.raises(DomainError) as exc:
        refusals.record_refusal(inspection, actor=xihu_inspector, document="onsite_record",
                                **FACTS)
    assert exc.value.code == "already_recorded"
    loop.record_recheck(rectifying, actor=xihu_inspector, passed=True, note="已整改")
    sign_recheck_opinion(inspection, xihu_inspector)
    with pytest.raises(DomainError) as exc:
        refusals.record_refusal(inspection, actor=xihu_inspector, document="recheck", **FACTS)
    assert exc.value.code == "already_signed"


def test_an_auditor_may_not_record_one(rectifying, reference_data):
    auditor = make_user("p_refusal_auditor", "auditor", "EM-330106", full_name="审计员")
    with pytest.raises(Forbidden):
        refusals.record_refusal(rectifying.inspection, actor=auditor,
                                document="onsite_record", **FACTS)


def test_the_sign_page_records_a_refusal(web_as, rectifying, xihu_inspector):
    inspection = rectifying.inspection
    client = web_as(xihu_inspector)
    sign_url = reverse("inspections:evidence_sign", args=[inspection.pk])
    assert 'data-testid="refusal-form"' in client.get(sign_url).content.decode()
    post_url = reverse("inspections:evidence_refusal", args=[inspection.pk])
    bad = client.post(post_url, {"document": "onsite_record", "refused_by": "",
                                 "circumstances": "拒签"})
    assert bad.status_code == 400
    assert "请填写拒绝签字的负责人姓名。" in bad.content.decode()
    assert client.post(post_url, {"document": "onsite_record",
                                  **FACTS}).status_code == 302
    page = client.get(sign_url).content.decode()
    assert 'data-testid="refusals"' in page and "王厂长" in page
    assert Inspection.objects.get(pk=inspection.pk).signature_refusals.count() == 1


def test_the_api_records_a_refusal(api_as, rectifying, xihu_inspector):
    inspection = rectifying.inspection
    url = f"/api/v1/inspections/{inspection.pk}/signature-refusals/"
    bad = api_as(xihu_inspector).post(url, {"document": "nonsense", **FACTS}, format="json")
    assert bad.status_code == 400 and bad.data["detail"] and bad.data["detail_en"]
    made = api_as(xihu_inspector).post(url, {"document": "onsite_record", **FACTS},
                                       format="json")
    assert made.status_code == 201 and made.data["refused_by"] == "王厂长"
    again = api_as(xihu_inspector).post(url, {"document": "onsite_record", **FACTS},
                                        format="json")
    assert again.status_code == 409 and again.data["code"] == "already_recorded"
