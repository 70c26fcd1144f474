"""The server's half of offline-first filing: every answer, photo and signature queued
on the phone carries its own client id (a second delivery is a no-op, so an older
answer resent never overwrites a newer one) and the time it was given on site (kept in
the audit trail beside the time it reached the server); the service worker's files;
the 闭环 button disabled with its reason."""
# ruff: noqa: F811

from __future__ import annotations

import base64
import datetime
import io
import re
import uuid

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.web import offline
from inspections.loop import services as loop
from inspections.models import AnswerReceipt, Signature
from tests.inspections.test_evidence_uploads_field import evidence_root, started  # noqa: F401
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _answer(client, inspection, item, **data):
    return client.post(reverse("inspections:inspection_answer", args=[inspection.pk, item.pk]),
                       data, **HX)


def _events(item):
    return AuditEvent.objects.filter(action="inspection.answer", new_values__item=item.pk)


def test_a_resent_answer_never_overwrites_a_newer_one(web_as, started, xihu_inspector):
    client = web_as(xihu_inspector)
    item = started.items.order_by("order").last()
    older, newer = uuid.uuid4(), uuid.uuid4()
    given = (timezone.now() - datetime.timedelta(minutes=40)).isoformat()
    assert _answer(client, started, item, result="non_compliant", note="护栏缺失",
                   client_id=older, given_at=given).status_code == 200
    assert _answer(client, started, item, result="compliant", client_id=newer,
                   given_at=timezone.now().isoformat()).status_code == 200
    # The first delivery's response was lost; the phone sends it again.
    again = _answer(client, started, item, result="non_compliant", note="护栏缺失",
                    client_id=older, given_at=given)
    assert again.status_code == 200
    item.refresh_from_db()
    assert item.result == "compliant"
    assert not started.hazards.filter(item=item).exists()
    assert _events(item).count() == 2
    assert AnswerReceipt.objects.filter(item=item).count() == 2


def test_the_time_given_on_site_is_kept_beside_the_time_received(web_as, started,
                                                                 xihu_inspector):
    item = started.items.order_by("order").last()
    given = timezone.now() - datetime.timedelta(hours=2)
    _answer(web_as(xihu_inspector), started, item, result="compliant",
            client_id=uuid.uuid4(), given_at=given.isoformat())
    item.refresh_from_db()
    assert item.given_at == given
    assert item.answered_at > item.given_at + datetime.timedelta(minutes=119)
    event = _events(item).get()
    assert datetime.datetime.fromisoformat(event.new_values["given_at"]) == given
    assert event.occurred_at > given + datetime.timedelta(minutes=119)


def test_a_phone_clock_far_ahead_is_not_believed(web_as, started, xihu_inspector):
    item = started.items.order_by("order").last()
    ahead = (timezone.now() + datetime.timedelta(hours=3)).isoformat()
    _answer(web_as(xihu_inspector), started, item, result="compliant",
            client_id=uuid.uuid4(), given_at=ahead)
    item.refresh_from_db()
    assert item.result == "compliant" and item.given_at is None
    assert _events(item).get().new_values["given_at_claimed"] == ahead


@pytest.mark.parametrize("field,value,message", [
    ("given_at", "yesterday", "现场作答时间格式无效"),
    ("given_at", "2026-12-02T10:00:00", "现场作答时间格式无效"),  # no offset
    ("client_id", "not-a-uuid", "提交编号无效"),
])
def test_bad_queue_fields_are_refused_in_chinese_and_nothing_is_saved(
        web_as, started, xihu_inspector, field, value, message):
    item = started.items.order_by("order").last()
    data = {"result": "compliant", "client_id": str(uuid.uuid4()), field: value}
    response = _answer(web_as(xihu_inspector), started, item, **data)
    assert response.status_code == 200 and message in response.content.decode()
    item.refresh_from_db()
    assert item.result == "pending" and not _events(item).exists()
    assert not AnswerReceipt.objects.filter(item=item).exists()


def test_a_client_id_used_for_another_item_is_refused(web_as, started, xihu_inspector):
    client = web_as(xihu_inspector)
    first, second = list(started.items.order_by("order"))[-2:]
    used = uuid.uuid4()
    _answer(client, started, first, result="compliant", client_id=used)
    response = _answer(client, started, second, result="compliant", client_id=used)
    assert "提交编号已被使用" in response.content.decode()
    second.refresh_from_db()
    assert second.result == "pending"


def _png_data_url() -> str:
    out = io.BytesIO()
    Image.new("L", (60, 20), 255).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_a_queued_signature_is_stored_once_and_answered_with_its_row(
        web_as, started, xihu_inspector):
    client = web_as(xihu_inspector)
    url = reverse("inspections:evidence_sign", args=[started.pk])
    data = {"document": "onsite_record", "signer_role": "enterprise", "signer_name": "张厂长",
            "image": _png_data_url(), "client_id": str(uuid.uuid4()),
            "given_at": timezone.now().isoformat()}
    first = client.post(url, data, **HX)
    again = client.post(url, data, **HX)
    for response in (first, again):
        assert response.status_code == 200
        assert 'data-testid="signature-row"' in response.content.decode()
        assert f'data-client-id="{data["client_id"]}"' in response.content.decode()
    assert Signature.objects.filter(inspection=started).count() == 1
    signed = AuditEvent.objects.filter(action="inspection.signed")
    assert signed.count() == 1 and "given_at" in signed.get().new_values
    # A refusal is the reason, with its status, never the whole page.
    refused = client.post(url, {**data, "client_id": str(uuid.uuid4()), "signer_name": ""},
                          **HX)
    assert refused.status_code == 400
    assert 'data-testid="sign-error"' in refused.content.decode()
    assert "<html" not in refused.content.decode()


def test_the_service_worker_precaches_every_static_file_of_the_field_pages(
        web_as, started, xihu_inspector, client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    body = worker.content.decode()
    listed = set(re.findall(r'"(/static/[^"]+)"', body))
    staff = web_as(xihu_inspector)
    for name in ("inspections:inspection_detail", "inspections:evidence_list",
                 "inspections:evidence_sign"):
        page = staff.get(reverse(name, args=[started.pk])).content.decode()
        used = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
        assert used and used <= listed, (name, used - listed)
        # The page names the pages to keep on the phone (only while it is being filed).
        assert 'id="offline-pages"' in page
    assert client.get("/offline/").status_code == 200


def test_the_worker_version_follows_the_files(monkeypatch):
    before = offline._digest()
    monkeypatch.setattr(offline, "PRECACHED_STATIC", offline.PRECACHED_STATIC[:-1])
    assert offline._digest() != before


@override_settings(LANGUAGE_CODE="zh-hans")
def test_closing_is_disabled_with_its_reason_while_hidden_dangers_are_open(
        web_as, started, xihu_inspector):
    for item in started.items.exclude(result="non_compliant"):
        loop.record_answer(started, item.pk, actor=xihu_inspector, result="compliant")
    loop.complete_findings(started, actor=xihu_inspector)
    page = web_as(xihu_inspector).get(
        reverse("inspections:inspection_detail", args=[started.pk])).content.decode()
    button = re.search(r'<button[^>]*data-testid="close-inspection"[^>]*>', page).group(0)
    assert "disabled" in button and 'aria-describedby="close-reason"' in button
    assert "项隐患未销号" in page
    assert 'id="offline-pages"' not in page  # filed: nothing kept for offline any more
