"""Evidence uploads, signatures, print views and the public verification page."""
# ruff: noqa: F811  (fixtures imported from the loop tests are redefined as arguments)

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.evidence import services as evidence
from inspections.evidence import signatures
from inspections.loop import services as loop
from inspections.models import Evidence, Inspection, Signature
from tests.inspections.test_inspection_loop import (  # noqa: F401
    answer_all,
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def jpeg_with_orientation() -> bytes:
    img = Image.new("RGB", (40, 20), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° on display
    exif[0x010F] = "TestCam"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size=(30, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, 255).save(out, format="PNG")
    return out.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_jpeg_original_kept_exactly_and_preview_without_exif(inspection, xihu_inspector,
                                                             evidence_root):
    data = jpeg_with_orientation()
    row = evidence.store_evidence(inspection, actor=xihu_inspector,
                                  uploaded_file=upload("photo.jpg", data), kind="photo")
    original = (evidence_root / row.storage_path).read_bytes()
    assert original == data
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert row.storage_path.startswith(f"{inspection.pk}/")
    with Image.open(evidence_root / row.preview_path) as preview:
        assert preview.format == "JPEG"
        assert not preview.getexif()
        assert "exif" not in preview.info
        assert preview.size == (20, 40)  # orientation applied before stripping
    event = AuditEvent.objects.filter(action="evidence.uploaded").latest("id")
    assert event.new_values["sha256"] == row.sha256


@pytest.mark.parametrize("name,data", [
    ("notes.txt", b"just some text, not a photo"),
    ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200),
    ("photo.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),
])
def test_wrong_types_are_refused(inspection, xihu_inspector, name, data):
    with pytest.raises(InvalidInput) as exc:
        evidence.store_evidence(inspection, actor=xihu_inspector,
                                uploaded_file=upload(name, data), kind="photo")
    assert "文件类型不支持" in exc.value.detail
    assert not Evidence.objects.exists()


def test_oversized_photo_refused(inspection, xihu_inspector, tmp_path):
    big = tmp_path / "big.jpg"
    with big.open("wb") as fh:  # sparse: cheap on disk
        fh.write(b"\xff\xd8\xff\xe0")
        fh.seek(evidence.MAX_PHOTO_BYTES)
        fh.write(b"\x00")
    with big.open("rb") as fh:
        from django.core.files import File

        with pytest.raises(InvalidInput) as exc:
            evidence.store_evidence(inspection, actor=xihu_inspector,
                                    uploaded_file=File(fh, name="big.jpg"), kind="photo")
    assert exc.value.detail == "文件过大"


def test_too_many_pixels_refused(inspection, xihu_inspector):
    data = png((10000, 5000))
    assert len(data) < 1024 * 1024
    with pytest.raises(InvalidInput) as exc:
        evidence.store_evidence(inspection, actor=xihu_inspector,
                                uploaded_file=upload("wide.png", data, "image/png"),
                                kind="photo")
    assert exc.value.detail == "图片像素过多"


def test_idempotent_resend(inspection, xihu_inspector, evidence_root):
    cid = uuid.uuid4()
    first = evidence.store_evidence(inspection, actor=xihu_inspector, client_id=cid,
                                    uploaded_file=upload("a.png", png(), "image/png"),
                                    kind="photo")
    files = sorted(p for p in evidence_root.rglob("*") if p.is_file())
    again = evidence.store_evidence(inspection, actor=xihu_inspector, client_id=cid,
                                    uploaded_file=upload("a.png", png(), "image/png"),
                                    kind="photo")
    assert again.pk == first.pk
    assert Evidence.objects.count() == 1
    assert sorted(p for p in evidence_root.rglob("*") if p.is_file()) == files


def test_preview_and_original_permissions(inspection, xihu_inspector, binjiang_inspector,
                                          client, web_as):
    row = evidence.store_evidence(inspection, actor=xihu_inspector,
                                  uploaded_file=upload("p.jpg", jpeg_with_orientation()),
                                  kind="photo")
    preview = reverse("inspections:evidence_preview", args=[row.pk])
    original = reverse("inspections:evidence_original", args=[row.pk])
    resp = client.get(original)
    assert resp.status_code == 302 and "login" in resp["Location"]
    web = web_as(binjiang_inspector)
    assert web.get(preview).status_code == 404
    assert web.get(original).status_code == 404
    web = web_as(xihu_inspector)
    resp = web.get(original)
    assert resp.status_code == 200
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"].startswith("attachment")
    assert b"".join(resp.streaming_content) == jpeg_with_orientation()
    resp = web.get(preview)
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"


def test_web_upload_htmx_and_api_upload(inspection, xihu_inspector, web_as, api_as):
    web = web_as(xihu_inspector)
    url = reverse("inspections:evidence_upload", args=[inspection.pk])
    resp = web.post(url, {"file": upload("x.jpg", b"MZ" + b"\x00" * 50), "kind": "photo"},
                    HTTP_HX_REQUEST="true")
    assert resp.status_code == 400
    assert "文件类型不支持" in resp.content.decode()
    resp = web.post(url, {"file": upload("y.png", png(), "image/png"), "kind": "photo",
                          "client_id": str(uuid.uuid4())}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and 'data-testid="evidence-item"' in resp.content.decode()
    api = api_as(xihu_inspector)
    api_url = f"/api/v1/inspections/{inspection.pk}/evidence/"
    cid = str(uuid.uuid4())
    r1 = api.post(api_url, {"file": upload("z.png", png(), "image/png"), "kind": "photo",
                            "client_id": cid}, format="multipart")
    assert r1.status_code == 201, r1.content
    r2 = api.post(api_url, {"file": upload("z.png", png(), "image/png"), "kind": "photo",
                            "client_id": cid}, format="multipart")
    assert r2.status_code == 200 and r2.json()["id"] == r1.json()["id"]
    listing = api.get(api_url).json()  # cursor-paginated, newest first
    assert listing["results"][0]["id"] == r1.json()["id"]
    assert len(listing["results"]) == 2 and listing["next"] is None
    bad = api.post(api_url, {"file": upload("t.txt", b"hello", "text/plain"),
                             "kind": "photo"}, format="multipart")
    assert bad.status_code == 400 and bad.json()["detail"].startswith("文件类型不支持")
    assert api_as(__import__("tests.conftest").conftest.make_user(
        "bj2", "inspector", "EM-330108", cert="P330108777")).get(api_url).status_code == 404


def test_footage(inspection, xihu_inspector, api_as):
    now = datetime.datetime(2026, 9, 24, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(InvalidInput):
        evidence.add_recorder_footage(inspection, actor=xihu_inspector, device_id="DV-1",
                                      file_reference="F1", started_at=now, ended_at=now)
    resp = api_as(xihu_inspector).post(
        f"/api/v1/inspections/{inspection.pk}/footage/",
        {"device_id": "DV-1", "file_reference": "20260924_0900.mp4",
         "started_at": now.isoformat(),
         "ended_at": (now + datetime.timedelta(hours=1)).isoformat()}, format="json")
    assert resp.status_code == 201, resp.content
    assert AuditEvent.objects.filter(action="evidence.footage_linked").exists()


def test_signature_stored_and_audited(inspection, xihu_inspector, xihu_inspector2,
                                      evidence_root, web_as, api_as):
    data = png()
    sig = signatures.sign(inspection, actor=xihu_inspector,
                          document=Signature.Document.ONSITE_RECORD,
                          signer_role=Signature.Role.INSPECTOR,
                          signer_name=xihu_inspector.display_name, png_bytes=data)
    assert (evidence_root / sig.image_path).read_bytes() == data
    assert sig.image_path.startswith(f"{inspection.pk}/signatures/")
    assert sig.sha256 == hashlib.sha256(data).hexdigest() and sig.user == xihu_inspector
    assert AuditEvent.objects.filter(action="inspection.signed",
                                     new_values__sha256=sig.sha256).exists()
    with pytest.raises(DomainError):
        signatures.sign(inspection, actor=xihu_inspector,
                        document=Signature.Document.ONSITE_RECORD,
                        signer_role=Signature.Role.INSPECTOR,
                        signer_name=xihu_inspector.display_name, png_bytes=data)
    with pytest.raises(InvalidInput):
        signatures.sign(inspection, actor=xihu_inspector,
                        document=Signature.Document.ONSITE_RECORD,
                        signer_role=Signature.Role.ENTERPRISE, signer_name="张三",
                        png_bytes=b"MZ not a png")
    # The page posts a canvas data URL.
    web = web_as(xihu_inspector)
    url = reverse("inspections:evidence_sign", args=[inspection.pk])
    page = web.get(url)
    assert page.status_code == 200 and b"signature-pad.js" in page.content
    assert b"<script>" not in page.content
    resp = web.post(url, {"document": "onsite_record", "signer_role": "enterprise",
                          "signer_name": "企业负责人甲",
                          "image": "data:image/png;base64," + base64.b64encode(data).decode()})
    assert resp.status_code == 302
    # An inspector signs only as themself: filing the colleague's signature is refused,
    # the colleague signs with their own account.
    body = {"document": "onsite_record", "signer_role": "inspector",
            "signer_name": xihu_inspector2.display_name,
            "image": base64.b64encode(data).decode()}
    url = f"/api/v1/inspections/{inspection.pk}/signatures/"
    refused = api_as(xihu_inspector).post(url, body, format="json")
    assert refused.status_code == 403 and "本人签名" in refused.json()["detail"]
    assert signatures.missing_signatures(inspection, "onsite_record") == [
        xihu_inspector2.display_name]
    resp = api_as(xihu_inspector2).post(url, body, format="json")
    assert resp.status_code == 201, resp.content
    assert resp.json()["user"] == xihu_inspector2.pk
    assert resp.json()["recorded_by"] == xihu_inspector2.pk
    assert signatures.missing_signatures(inspection, "onsite_record") == []


def _rectifying(inspection, actor):
    loop.start_inspection(inspection, actor=actor)
    answer_all(inspection, actor, {1: "配电箱未接地"})
    loop.complete_findings(inspection, actor=actor)
    hazard = inspection.hazards.get()
    loop.issue_order(hazard, actor=actor, kind="deadline", responsible_person="李责任",
                     measures="接地", deadline_days=10,
                     funds=Decimal("1.5"), emergency_plan="停电预案")
    return hazard


def test_public_verify_and_print_views(inspection, xihu_inspector, client, web_as,
                                       anonymous):
    from enterprises.models import Enterprise

    Enterprise.objects.filter(pk=inspection.enterprise_id).update(
        principal_phone="13900001111", contact_phone="0571-88886666")
    _rectifying(inspection, xihu_inspector)
    code = inspection.verification_code
    resp = client.get(f"/public/verify/{code}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert xihu_inspector.display_name in html and "P330106001" in html
    assert "P330106003" in html
    assert inspection.enterprise.name in html
    assert "13900001111" not in html and "0571-88886666" not in html
    assert "李责任" not in html
    assert "整改中：1" in html
    bad = client.get("/public/verify/ZZZZZZZZ/")
    assert bad.status_code == 404 and "核验码不存在" in bad.content.decode()
    api = anonymous.get(f"/api/v1/public/inspections/{code}/")
    assert api.status_code == 200
    body = api.json()
    assert body["inspectors"][0]["certificate_number"] == "P330106001"
    assert "13900001111" not in api.content.decode() and "李责任" not in api.content.decode()
    assert anonymous.get("/api/v1/public/inspections/NOPE/").status_code == 404

    web = web_as(xihu_inspector)
    order = web.get(reverse("inspections:print_rectification_order", args=[inspection.pk]))
    assert order.status_code == 200
    text = order.content.decode()
    assert "<svg" in text and "责令限期整改指令书" in text and "李责任" in text
    assert f"/public/verify/{code}/" in text
    onsite = web.get(reverse("inspections:print_onsite_record", args=[inspection.pk]))
    assert onsite.status_code == 200
    assert "现场检查记录" in onsite.content.decode()
    assert "P330106001" in onsite.content.decode()
    client.logout()
    assert client.get(reverse("inspections:print_onsite_record",
                              args=[inspection.pk])).status_code == 302
    assert Inspection.objects.count() == 1


def test_public_verification_masks_personal_data_typed_into_free_text(
        inspection, xihu_inspector, client, anonymous):
    from inspections.models import Hazard

    hazard = _rectifying(inspection, xihu_inspector)
    Hazard.objects.filter(pk=hazard.pk).update(
        description="配电箱未接地，李责任（电话13812345678，身份证11010519491231002X）"
                    "称已转账至卡号6222021234567890128",
        legal_basis="《安全生产法》第四十一条；联系人手机 139 0000 1111")
    code = inspection.verification_code
    html = client.get(f"/public/verify/{code}/").content.decode()
    body = anonymous.get(f"/api/v1/public/inspections/{code}/").content.decode()
    for text in (html, body):
        assert "配电箱未接地" in text and "第四十一条" in text  # the rest stays readable
        for secret in ("13812345678", "11010519491231002X", "6222021234567890128",
                       "139 0000 1111", "李责任"):
            assert secret not in text
        assert "138****5678" in text and "110105**********2X" in text
