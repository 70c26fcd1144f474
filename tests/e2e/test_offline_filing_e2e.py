"""Offline-first filing on a 390 px phone (issue: filing on site that never loses work).

The inspector opens the inspection while online (the service worker keeps its pages),
loses the connection, answers ten items, records two hidden dangers with three photos
and the enterprise's signature, reloads the page while still offline (everything done
is still shown, waiting to be sent), and comes back online: the server holds each
answer, photo and signature exactly once, with the time each was given on site, and
a second delivery of the same entry changes nothing."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from hangzhou_safety.audit.models import AuditEvent
from inspections.evidence.models import Evidence, Signature
from inspections.models import AnswerReceipt, Hazard, Inspection
from tests.e2e.conftest import PHONE, draw_signature
from tests.e2e.test_inspection_filing_e2e import _no_sideways_scroll
from tests.e2e.test_save_state_e2e import _console, _login, started  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT_PAGES = """async () => {
  const cache = await caches.open('hs-pages');
  return (await cache.keys()).length >= 3 && navigator.serviceWorker.controller !== null;
}"""


def test_an_inspection_filed_offline_reaches_the_server_once(
        live_server, browser, started, tmp_path, screenshot):  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    problems = _console(page)
    base = live_server.url
    detail = f"/inspections/{started.pk}/"
    _login(page, base, "p_xihu_inspector", detail)
    # The worker controls the page and has kept the inspection's three pages.
    page.wait_for_function(KEPT_PAGES, timeout=15000)
    # Once controlled, the page is loaded again through the worker (as the next visit
    # would be), so its thumbnails and assets come from the worker too.
    page.reload()
    page.wait_for_function(KEPT_PAGES)

    context.set_offline(True)
    items = list(started.items.order_by("order")[:10])
    failing = {items[2].pk: "配电箱门未关闭，内部线路裸露", items[5].pk: "灭火器压力不足"}
    for it in items:
        card = page.locator(f"#item-{it.pk}")
        if it.pk in failing:
            # The description first: a note typed before the answer goes with it.
            card.locator("[data-testid=item-note]").fill(failing[it.pk])
            card.locator("[data-testid=answer-non_compliant]").click()
        else:
            card.locator("[data-testid=answer-compliant]").click()
        expect(card).to_have_attribute("data-save-state", "waiting")
    expect(page.locator("[data-testid=progress]")).to_contain_text("10")

    # Photos: two of the first hidden danger, one of the second, from the camera
    # button that opened inside each non-compliant item.
    photos = []
    for n, colour in enumerate([(180, 120, 60), (60, 120, 180), (90, 160, 90)]):
        path = tmp_path / f"现场{n}.jpg"
        Image.new("RGB", (1600, 1200), colour).save(path, "JPEG", quality=95)
        photos.append(path)
    first, second = (items[2].pk, items[5].pk)
    for target, photo in ((first, photos[0]), (first, photos[1]), (second, photos[2])):
        expect(page.locator(f"#item-{target} [data-testid=camera-form]")).to_be_visible()
        page.set_input_files(f"#cam{target}", str(photo))
    expect(page.locator(f"#item-photos-{first} [data-testid=pending-evidence]")).to_have_count(2)
    expect(page.locator(f"#item-photos-{second} [data-testid=pending-evidence]")).to_have_count(1)
    expect(page.locator("[data-testid=outbox]")).to_have_text("13 项待发送")
    screenshot(page, "1-offline-answers")

    # The signature page opens offline (kept by the worker); the enterprise's
    # representative signs on the inspector's phone.
    page.click("[data-testid=top-sign-link]")
    page.wait_for_url(re.compile(r"/sign/$"))
    page.select_option("select[name=document]", "onsite_record")
    page.select_option("select[name=signer_role]", "enterprise")
    page.fill("input[name=signer_name]", "张厂长")
    draw_signature(page)
    page.click("[data-testid=sign-form] button[type=submit]")
    expect(page.locator("[data-testid=pending-signature]")).to_contain_text("等待发送")
    expect(page.locator("[data-testid=outbox]")).to_have_text("14 项待发送")
    screenshot(page, "2-offline-signature")

    # Reloaded while offline: the page comes from the worker, and what was done on it
    # is still there, waiting.
    page.goto(f"{base}{detail}")
    page.reload()
    expect(page.locator("[data-testid=outbox]")).to_have_text("14 项待发送")
    expect(page.locator("[data-testid=item-card][data-save-state=waiting]")).to_have_count(10)
    expect(page.locator("[data-testid=pending-evidence]")).to_have_count(3)
    expect(page.locator(f"#item-{first} [data-testid=item-note]")).to_have_value(
        failing[first])
    _no_sideways_scroll(page)
    screenshot(page, "3-offline-reloaded")
    # Completing now is held back, with the reason: the findings are not all on the
    # server (and there is no connection to send them).
    page.click("[data-testid=complete-inspection]")
    page.click("[data-testid=confirm-complete]")
    expect(page.locator("[data-testid=needs-network]")).to_be_visible()
    assert "联网" in page.inner_text("[data-testid=needs-network]")
    assert page.url.endswith(detail)
    # Nothing has reached the server.
    assert not AuditEvent.objects.filter(action="inspection.answer").exists()
    assert not Evidence.objects.exists() and not Signature.objects.exists()

    context.set_offline(False)
    expect(page.locator("[data-testid=outbox]")).to_be_hidden(timeout=60000)
    expect(page.locator("[data-testid=evidence-item]")).to_have_count(3)
    expect(page.locator("[data-testid=pending-evidence]")).to_have_count(0)
    screenshot(page, "4-sent")

    # Each answer once, with the time it was given on site beside the server's.
    events = AuditEvent.objects.filter(action="inspection.answer")
    assert events.count() == 10
    assert all("given_at" in e.new_values and e.new_values.get("client_id")
               for e in events)
    assert AnswerReceipt.objects.filter(item__inspection=started).count() == 10
    started.refresh_from_db()
    answered = {i.pk: i for i in started.items.filter(pk__in=[i.pk for i in items])}
    assert all(i.result != "pending" and i.given_at is not None for i in answered.values())
    hazards = {h.item_id: h for h in Hazard.objects.filter(inspection=started)}
    assert set(hazards) == set(failing)
    assert {pk: h.description for pk, h in hazards.items()} == failing
    # Each photo once, on its own hidden danger; the signature once.
    stored = Evidence.objects.filter(inspection=started)
    assert stored.count() == 3 and len({e.client_id for e in stored}) == 3
    assert stored.filter(hazard=hazards[first]).count() == 2
    assert stored.filter(hazard=hazards[second]).count() == 1
    assert Signature.objects.filter(inspection=started, signer_name="张厂长").count() == 1
    uploads = AuditEvent.objects.filter(action__in=["evidence.uploaded", "inspection.signed"])
    assert uploads.count() == 4 and all("given_at" in e.new_values for e in uploads)

    # A delivery repeated with the same client id (its response lost on the way) is
    # stored once: the server answers as if it were new, and nothing changes.
    receipt = AnswerReceipt.objects.filter(item_id=first).first()
    status = page.evaluate("""async ([url, id]) => {
        const token = document.cookie.split('; ')
            .find(c => c.startsWith('csrftoken=')).split('=')[1];
        const body = new FormData();
        body.append('result', 'compliant'); body.append('client_id', id);
        body.append('csrfmiddlewaretoken', token);
        const r = await fetch(url, {method: 'POST', body, headers: {'HX-Request': 'true'}});
        return r.status;
    }""", [f"/inspections/{started.pk}/items/{first}/answer/", str(receipt.client_id)])
    assert status == 200
    assert Hazard.objects.filter(item_id=first).exists()
    assert AuditEvent.objects.filter(action="inspection.answer").count() == 10
    assert started.inspectors.count() == 2 and started.status == Inspection.Status.IN_PROGRESS
    assert not problems, problems
    context.close()
