"""Photos from the field: a fresh client id after every upload, several photos per
hidden danger, a camera input on each non-compliant item, thumbnail and medium
previews (originals untouched), and htmx saves that never follow a login redirect."""
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import io
import random
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inspections.evidence import services as evidence
from inspections.loop import services as loop
from inspections.models import Evidence, Inspection
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def phone_photo(size=(4000, 3000), seed=1) -> bytes:
    """A noisy JPEG like a phone's (noise defeats compression, as real scenes do)."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    small.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
                   for _ in range(small.width * small.height)])
    out = io.BytesIO()
    small.resize(size).save(out, format="JPEG", quality=92)
    return out.getvalue()


@pytest.fixture
def started(inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    first = inspection.items.order_by("order").first()
    loop.record_answer(inspection, first.pk, actor=xihu_inspector,
                       result="non_compliant", note="泄爆口堵塞")
    return inspection


def _upload(client, inspection, data, client_id, hazard=None, form_id="upload"):
    return client.post(
        reverse("inspections:evidence_upload", args=[inspection.pk]),
        {"file": SimpleUploadedFile("p.jpg", data, content_type="image/jpeg"),
         "kind": "photo", "client_id": str(client_id), "form_id": form_id,
         "hazard": hazard.pk if hazard else ""}, **HX)


def _next_id(response, form_id="upload") -> uuid.UUID:
    match = re.search(rf'id="client-id-{form_id}" value="([0-9a-f-]+)" hx-swap-oob="true"',
                      response.content.decode())
    assert match, response.content.decode()
    return uuid.UUID(match.group(1))


def test_each_upload_hands_the_form_a_fresh_client_id(web_as, started, xihu_inspector):
    client = web_as(xihu_inspector)
    hazard = started.hazards.get()
    first_id = uuid.uuid4()
    first = _upload(client, started, phone_photo((800, 600), 1), first_id, hazard)
    assert first.status_code == 200
    second_id = _next_id(first)
    assert second_id != first_id
    second = _upload(client, started, phone_photo((800, 600), 2), second_id, hazard)
    third_id = _next_id(second)
    assert len({first_id, second_id, third_id}) == 3
    # Several photos of one hidden danger, each kept.
    assert hazard.evidence.count() == 2
    # A resend of the second (same client id) stores nothing new.
    again = _upload(client, started, phone_photo((800, 600), 2), second_id, hazard)
    assert again.status_code == 200 and hazard.evidence.count() == 2
    assert len(set(hazard.evidence.values_list("sha256", flat=True))) == 2


def test_a_refused_upload_keeps_its_client_id(web_as, started, xihu_inspector):
    response = _upload(web_as(xihu_inspector), started, b"not a photo", uuid.uuid4())
    assert response.status_code == 400
    assert "hx-swap-oob" not in response.content.decode()
    assert 'data-testid="upload-error"' in response.content.decode()


def test_thumbnail_and_medium_previews_originals_untouched(started, xihu_inspector,
                                                          evidence_root):
    data = phone_photo()
    row = evidence.store_evidence(started, actor=xihu_inspector, kind="photo",
                                  uploaded_file=SimpleUploadedFile("big.jpg", data))
    assert (evidence_root / row.storage_path).read_bytes() == data
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    thumb = (evidence_root / row.thumb_path).read_bytes()
    medium = (evidence_root / row.preview_path).read_bytes()
    with Image.open(io.BytesIO(thumb)) as img:
        assert max(img.size) == evidence.THUMB_MAX_SIDE and "exif" not in img.info
    with Image.open(io.BytesIO(medium)) as img:
        assert max(img.size) == evidence.PREVIEW_MAX_SIDE
    # A thumbnail of a few tens of KB, far below the medium view and the original.
    assert 5_000 < len(thumb) < 60_000 < len(medium) < len(data)


def test_the_evidence_page_shows_thumbnails_not_originals(web_as, started, xihu_inspector):
    for seed in (1, 2, 3):
        evidence.store_evidence(started, actor=xihu_inspector, kind="photo",
                                uploaded_file=SimpleUploadedFile(
                                    "p.jpg", phone_photo((1600, 1200), seed)))
    client = web_as(xihu_inspector)
    page = client.get(reverse("inspections:evidence_list", args=[started.pk])).content.decode()
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 3 and all(src.endswith("/thumb/") for src in sources)
    total = sum(len(b"".join(client.get(src).streaming_content)) for src in sources)
    assert total < 3 * 60_000
    row = Evidence.objects.filter(inspection=started).first()
    medium = client.get(reverse("inspections:evidence_preview", args=[row.pk]))
    assert medium.status_code == 200 and medium["Content-Type"] == "image/jpeg"


def test_a_camera_input_on_each_non_compliant_item(web_as, started, xihu_inspector):
    page = web_as(xihu_inspector).get(
        reverse("inspections:inspection_detail", args=[started.pk])).content.decode()
    forms = re.findall(r'<form[^>]*data-testid="camera-form"[^>]*>', page)
    cameras = re.findall(r'<input[^>]*data-testid="camera-input"[^>]*>', page)
    # Every item has one (so a photo can be taken offline before the server made the
    # hidden danger); only the non-compliant item's is shown.
    assert len(forms) == len(cameras) == started.items.count()
    assert all('capture="environment"' in c for c in cameras)
    assert sum(1 for f in forms if " hidden" not in f) == 1
    # A photo from the card names its item and lands on the item's hidden danger.
    hazard = started.hazards.get()
    response = web_as(xihu_inspector).post(
        reverse("inspections:evidence_upload", args=[started.pk]),
        {"file": SimpleUploadedFile("p.jpg", phone_photo((640, 480)), content_type="image/jpeg"),
         "kind": "photo", "client_id": str(uuid.uuid4()), "item": hazard.item_id}, **HX)
    assert response.status_code == 200
    assert hazard.evidence.count() == 1


def test_a_photo_for_an_item_not_non_compliant_is_refused_with_the_reason(
        web_as, started, xihu_inspector):
    other = started.items.order_by("order").last()
    response = web_as(xihu_inspector).post(
        reverse("inspections:evidence_upload", args=[started.pk]),
        {"file": SimpleUploadedFile("p.jpg", phone_photo((640, 480)), content_type="image/jpeg"),
         "kind": "photo", "client_id": str(uuid.uuid4()), "item": other.pk}, **HX)
    assert response.status_code == 400
    assert "未记为隐患" in response.content.decode()
    assert not Evidence.objects.filter(inspection=started).exists()


def test_htmx_after_session_expiry_gets_401_not_the_login_page(client, started):
    item = started.items.order_by("order").last()
    url = reverse("inspections:inspection_answer", args=[started.pk, item.pk])
    expired = client.post(url, {"result": "compliant"}, **HX)
    assert expired.status_code == 401 and expired["HX-Reswap"] == "none"
    assert "登录已过期" in expired.content.decode()
    plain = client.post(url, {"result": "compliant"})
    assert plain.status_code == 302
    assert Inspection.objects.get(pk=started.pk).items.get(pk=item.pk).result == "pending"


def test_photo_and_signature_pages_lead_back_to_the_inspection(web_as, started,
                                                               xihu_inspector):
    client = web_as(xihu_inspector)
    back = reverse("inspections:inspection_detail", args=[started.pk])
    for name in ("inspections:evidence_list", "inspections:evidence_sign"):
        page = client.get(reverse(name, args=[started.pk])).content.decode()
        assert f'<a href="{back}" data-testid="back-to-inspection">' in page, name
