"""What the field pages cost a phone on a slow connection (issue: filing on site):
a cold inspection page under 150 KB of compressed static files, and an evidence page
with three 9 MB photos under 300 KB of previews (thumbnails, never the originals).
Sizes, not times: measured from the responses the browser received."""

from __future__ import annotations

import gzip
import random
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections.evidence import services as evidence
from inspections.loop import services as loop
from tests.e2e.conftest import PHONE
from tests.e2e.test_save_state_e2e import _login, started  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATIC_BUDGET = 150_000
PREVIEW_BUDGET = 300_000


def nine_mb_photo(seed: int) -> bytes:
    """A noisy 4000×3000 JPEG of about 9 MB, like a phone camera's (noise defeats
    compression as real scenes do)."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (1000, 750))
    small.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
                   for _ in range(small.width * small.height)])
    out = BytesIO()
    small.resize((4000, 3000)).save(out, format="JPEG", quality=97)
    return out.getvalue()


def _record(page: Any) -> list[Any]:
    seen: list[Any] = []
    page.on("response", lambda r: seen.append(r))
    return seen


def test_the_field_pages_fit_a_slow_connection(live_server, browser, started,  # noqa: F811
                                               xihu_inspector, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    item = started.items.order_by("order").first()
    loop.record_answer(started, item.pk, actor=xihu_inspector, result="non_compliant",
                       note="泄爆口堵塞")
    hazard = started.hazards.get()
    originals = []
    for seed in (1, 2, 3):
        data = nine_mb_photo(seed)
        originals.append(len(data))
        evidence.store_evidence(started, actor=xihu_inspector, kind="photo", hazard=hazard,
                                uploaded_file=SimpleUploadedFile(f"{seed}.jpg", data))
    assert min(originals) > 8_500_000

    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    _login(page, live_server.url, "p_xihu_inspector", "/")
    # Every static file the inspection page loads, as a cold phone would fetch it
    # (whitenoise serves the compressed copy; the sum of their gzip sizes).
    seen = _record(page)
    page.goto(f"{live_server.url}/inspections/{started.pk}/")
    page.wait_for_load_state("networkidle")
    statics = {r.url: r for r in seen if "/static/" in r.url and r.status == 200}
    compressed = sum(len(gzip.compress(r.body(), 9)) for r in statics.values())
    print(f"inspection page: {len(statics)} static files, {compressed / 1000:.1f} KB gzip")
    assert statics and compressed < STATIC_BUDGET

    seen.clear()
    page.goto(f"{live_server.url}/inspections/{started.pk}/evidence/")
    page.wait_for_load_state("networkidle")
    images = list({r.url: r for r in seen if "/evidence/" in r.url
                   and r.url.endswith("/thumb/") and r.status == 200}.values())
    previews = sum(len(r.body()) for r in images)
    print(f"evidence page: {len(images)} thumbnails of 3 photos of "
          f"{sum(originals) / 3e6:.1f} MB average, {previews / 1000:.1f} KB")
    assert len(images) == 3 and previews < PREVIEW_BUDGET
    assert not any(r.url.endswith("/original/") for r in seen)
    context.close()
