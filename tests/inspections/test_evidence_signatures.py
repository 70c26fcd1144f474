"""On-screen signatures: an inspector signs only as themself (keyed by account), only an
inspector of the team signs as one (a chief off the team may not), and the enterprise
representative's signature, captured on the inspector's device, is recorded with the
officer who captured it. Through the service, the API and the page."""
# ruff: noqa: F811  (fixtures imported from the loop tests are redefined as arguments)

from __future__ import annotations

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image

from hangzhou_safety.api.errors import DomainError, Forbidden
from hangzhou_safety.audit.models import AuditEvent
from inspections.evidence import signatures
from inspections.loop import services as loop
from inspections.models import Inspection, Signature
from tests.conftest import make_user
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db

ONSITE = Signature.Document.ONSITE_RECORD


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (30, 10), 255).save(out, format="PNG")
    return out.getvalue()


def files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_an_inspector_cannot_file_a_colleagues_signature(inspection, xihu_inspector,
                                                         xihu_inspector2, evidence_root):
    with pytest.raises(Forbidden) as exc:
        signatures.sign(inspection, actor=xihu_inspector, document=ONSITE,
                        signer_role=Signature.Role.INSPECTOR,
                        signer_name=xihu_inspector2.display_name, png_bytes=png())
    assert "本人签名" in exc.value.detail
    assert not Signature.objects.exists() and files(evidence_root) == []
    assert not AuditEvent.objects.filter(action="inspection.signed").exists()


def test_an_inspector_signs_as_themself_keyed_by_account(inspection, xihu_inspector,
                                                         xihu_inspector2):
    # Two officers of the team share a display name: each signs once, by account.
    xihu_inspector2.full_name = xihu_inspector.full_name
    xihu_inspector2.save(update_fields=["full_name"])
    mine = signatures.sign(inspection, actor=xihu_inspector, document=ONSITE,
                           signer_role=Signature.Role.INSPECTOR, png_bytes=png())
    assert mine.user == xihu_inspector and mine.recorded_by == xihu_inspector
    assert mine.signer_name == xihu_inspector.display_name
    assert signatures.missing_signatures(inspection, ONSITE) == [
        xihu_inspector2.display_name, "被检查单位负责人"]
    theirs = signatures.sign(inspection, actor=xihu_inspector2, document=ONSITE,
                             signer_role=Signature.Role.INSPECTOR,
                             signer_name=xihu_inspector2.display_name, png_bytes=png())
    assert theirs.user == xihu_inspector2
    with pytest.raises(DomainError) as exc:
        signatures.sign(inspection, actor=xihu_inspector2, document=ONSITE,
                        signer_role=Signature.Role.INSPECTOR, png_bytes=png())
    assert exc.value.code == "already_signed"
    assert signatures.missing_signatures(inspection, ONSITE) == ["被检查单位负责人"]
    event = AuditEvent.objects.filter(action="inspection.signed").latest("id")
    assert event.new_values["signer_user"] == xihu_inspector2.pk


def test_a_chief_off_the_team_cannot_sign_as_an_inspector(inspection, xihu_chief,
                                                          xihu_inspector):
    with pytest.raises(Forbidden) as exc:
        signatures.sign(inspection, actor=xihu_chief, document=ONSITE,
                        signer_role=Signature.Role.INSPECTOR,
                        signer_name=xihu_inspector.display_name, png_bytes=png())
    assert exc.value.status_code == 403
    with pytest.raises(Forbidden):
        signatures.sign(inspection, actor=xihu_chief, document=ONSITE,
                        signer_role=Signature.Role.INSPECTOR, png_bytes=png())
    assert not Signature.objects.exists()


def test_a_chief_on_the_team_signs_as_themself(factory, xihu_chief, xihu_inspector):
    joint = loop.create_inspection(actor=xihu_chief, enterprise=factory,
                                   inspectors=[xihu_chief, xihu_inspector],
                                   source=Inspection.Source.AD_HOC)
    sig = signatures.sign(joint, actor=xihu_chief, document=ONSITE,
                          signer_role=Signature.Role.INSPECTOR, png_bytes=png())
    assert sig.user == xihu_chief


def test_the_enterprise_signs_on_the_inspectors_device(inspection, xihu_inspector):
    sig = signatures.sign(inspection, actor=xihu_inspector, document=ONSITE,
                          signer_role=Signature.Role.ENTERPRISE, signer_name="张厂长",
                          png_bytes=png())
    assert sig.user is None and sig.recorded_by == xihu_inspector
    assert sig.signer_name == "张厂长"
    event = AuditEvent.objects.get(action="inspection.signed")
    assert event.actor_id == xihu_inspector.pk
    assert event.new_values["recorded_by"] == xihu_inspector.pk
    with pytest.raises(DomainError):
        signatures.sign(inspection, actor=xihu_inspector, document=ONSITE,
                        signer_role=Signature.Role.ENTERPRISE, signer_name=" ",
                        png_bytes=png())


def test_signatures_through_the_api(api_as, inspection, xihu_inspector, xihu_inspector2,
                                    xihu_chief):
    url = f"/api/v1/inspections/{inspection.pk}/signatures/"
    image = base64.b64encode(png()).decode()
    colleague = {"document": "onsite_record", "signer_role": "inspector",
                 "signer_name": xihu_inspector2.display_name, "image": image}
    refused = api_as(xihu_inspector).post(url, colleague, format="json")
    assert refused.status_code == 403 and refused.json()["detail_en"]
    chief = api_as(xihu_chief).post(url, {**colleague, "signer_name": ""}, format="json")
    assert chief.status_code == 403
    own = api_as(xihu_inspector).post(url, {"document": "onsite_record",
                                            "signer_role": "inspector", "image": image},
                                      format="json")
    assert own.status_code == 201, own.content
    assert own.json()["user"] == xihu_inspector.pk
    assert own.json()["signer_name"] == xihu_inspector.display_name
    enterprise = api_as(xihu_chief).post(url, {"document": "onsite_record",
                                               "signer_role": "enterprise",
                                               "signer_name": "张厂长", "image": image},
                                         format="json")
    assert enterprise.status_code == 201
    assert enterprise.json()["recorded_by"] == xihu_chief.pk
    assert enterprise.json()["user"] is None
    assert Signature.objects.count() == 2


def test_signatures_on_the_page(web_as, inspection, xihu_inspector, xihu_inspector2):
    url = reverse("inspections:evidence_sign", args=[inspection.pk])
    image = "data:image/png;base64," + base64.b64encode(png()).decode()
    web = web_as(xihu_inspector)
    page = web.get(url).content.decode()
    assert "执法人员签名即为当前登录人本人（西湖执法员）签名" in page
    refused = web.post(url, {"document": "onsite_record", "signer_role": "inspector",
                             "signer_name": xihu_inspector2.display_name, "image": image})
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "执法人员只能本人签名" in body and 'data-testid="sign-error"' in body
    assert not Signature.objects.exists()
    done = web.post(url, {"document": "onsite_record", "signer_role": "inspector",
                          "signer_name": "", "image": image})
    assert done.status_code == 302
    assert Signature.objects.get().user == xihu_inspector
    outsider = make_user("p_xihu_other_chief", "section_chief", "EM-330106",
                         cert="P330106088", full_name="另一科长")
    page = web_as(outsider).get(url).content.decode()
    assert "只能采集被检查单位负责人的签名" in page


def test_the_recorder_is_the_session_never_the_request(api_as, web_as, inspection,
                                                       xihu_inspector, xihu_inspector2):
    """recorded_by and user sent in the body are ignored: the service sets them."""
    url = f"/api/v1/inspections/{inspection.pk}/signatures/"
    image = base64.b64encode(png()).decode()
    forged = api_as(xihu_inspector).post(url, {
        "document": "onsite_record", "signer_role": "enterprise", "signer_name": "张厂长",
        "image": image, "recorded_by": xihu_inspector2.pk, "user": xihu_inspector2.pk},
        format="json")
    assert forged.status_code == 201, forged.content
    sig = Signature.objects.get(pk=forged.json()["id"])
    assert sig.recorded_by == xihu_inspector and sig.user is None
    page = web_as(xihu_inspector2).post(
        reverse("inspections:evidence_sign", args=[inspection.pk]),
        {"document": "onsite_record", "signer_role": "inspector",
         "recorded_by": xihu_inspector.pk, "user": xihu_inspector.pk,
         "image": "data:image/png;base64," + image})
    assert page.status_code == 302
    own = Signature.objects.get(signer_role="inspector")
    assert own.user == xihu_inspector2 and own.recorded_by == xihu_inspector2


def test_every_signature_names_its_recorder(inspection):
    """NOT NULL in the schema: a row without the capturing officer cannot exist."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(inspection=inspection, document=ONSITE,
                                 signer_role=Signature.Role.ENTERPRISE, signer_name="李四",
                                 image_path="x.png", sha256="0" * 64)
