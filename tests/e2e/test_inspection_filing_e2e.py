"""An inspector files an inspection on a phone: create, start, answer every item (two
non-compliances become two hidden dangers), complete, issue the orders, photograph a
hidden danger, sign the on-site record (enterprise and both inspectors); later record
the enterprise's report and an accepted re-check, and close the loop."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.accounts.models import Role
from inspections.checklists.templates import load_checklist_templates
from inspections.models import Evidence, Hazard, Inspection, ReCheck, Signature
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE, draw_signature
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/?next=/inspections/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/inspections/")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _answer(page: Any, card: Any, result: str) -> None:
    """Click a big radio button and wait for the card to come back saved."""
    card_id = card.get_attribute("id")
    with page.expect_response(lambda r: "/answer/" in r.url and r.status == 200):
        card.locator(f"[data-testid=answer-{result}]").click()
    expect(page.locator(f"#{card_id} [data-testid=saved]")).to_be_visible()


def _wait_for_note(inspection: Any, order: int, text: str) -> None:
    """The note is saved as typed (no button): wait until the server has it."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if inspection.items.filter(order=order, note=text).exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"note of item {order} was not saved")


def _sign(page: Any, role: str, name: str, document: str = "onsite_record") -> None:
    """Draw a signature on the pad and save it."""
    page.select_option("#sign-form select[name=document]", document)
    page.select_option("select[name=signer_role]", role)
    page.fill("input[name=signer_name]", name)
    draw_signature(page)
    # Queued on the phone and sent at once: the row comes back from the server.
    rows = page.locator("[data-testid=signature-row]").count()
    with page.expect_response(lambda r: r.url.endswith("/sign/") and r.status == 200):
        page.click("[data-testid=sign-form] button[type=submit]")
    expect(page.locator("[data-testid=signature-row]")).to_have_count(rows + 1)


def test_inspector_files_an_inspection_on_a_phone(live_server, browser, phone_page,
                                                  screenshot,
                                                  xihu_inspector, reference_data,
                                                  calendar_data, tmp_path):
    load_checklist_templates()
    make_user("p_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="P330106003",
              full_name="西湖执法员二")
    factory = enterprise("杭州西湖粉尘机械有限公司", 901, sector=Sector.MACHINERY,
                         special_operations=[SpecialOperation.DUST_EXPLOSION])
    base = live_server.url
    page = phone_page
    _login(page, base, "p_xihu_inspector")
    _no_sideways_scroll(page)
    screenshot(page, "1-list")

    # Create: search the enterprise by name, pick the second inspector.
    page.click("[data-testid=new-inspection]")
    page.wait_for_url(f"{base}/inspections/new/")
    with page.expect_response(lambda r: "/inspections/new/enterprises/" in r.url):
        page.fill("[data-testid=enterprise-search]", "粉尘机械")
    page.locator("[data-testid=enterprise-option]").first.click()
    # The second-inspector list filters by name, pinyin or initials.
    options = page.locator("select[name=second_inspector] option:not([value=''])")
    everyone = options.count()
    page.fill("[data-testid=second-inspector-filter]", "xhzfye")  # 西湖执法员二
    visible = [o for o in options.all() if o.evaluate("o => !o.hidden")]
    assert [o.inner_text() for o in visible] == ["西湖执法员二（P330106003）"]
    page.fill("[data-testid=second-inspector-filter]", "")
    assert sum(1 for o in options.all() if o.evaluate("o => !o.hidden")) == everyone
    page.select_option("select[name=second_inspector]", label="西湖执法员二（P330106003）")
    _no_sideways_scroll(page)
    screenshot(page, "2-new-form")
    page.click("[data-testid=create-inspection]")
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    inspection = Inspection.objects.get(enterprise=factory)
    assert page.inner_text("[data-testid=inspection-status]") == "待检查"
    screenshot(page, "3-created")

    # Start, then answer every item: two non-compliances with notes.
    with page.expect_navigation():
        page.click("[data-testid=start-inspection]")
    assert page.inner_text("[data-testid=inspection-status]") == "检查中"
    cards = page.locator("[data-testid=item-card]")
    total = cards.count()
    assert total == inspection.items.count() and total > 2
    bar = page.locator("[data-testid=progress-bar]")
    assert bar.locator("[data-progress=answered]").inner_text() == "0"
    _no_sideways_scroll(page)
    screenshot(page, "4-started")
    notes = {0: "除尘系统未设置泄爆装置", 1: "粉尘清扫记录缺失"}
    for n in range(total):
        card = page.locator("[data-testid=item-card]").nth(n)
        if n in notes:
            _answer(page, card, "non_compliant")
            card = page.locator("[data-testid=item-card]").nth(n)
            note = card.locator("[data-testid=item-note]")
            note.fill(notes[n])
            note.press("Tab")  # leaving the field fires "change": htmx saves it
            _wait_for_note(inspection, n + 1, notes[n])
        else:
            _answer(page, card, "compliant")
    # The sticky bar counted every saved answer as it came back from the server.
    expect(bar.locator("[data-progress=answered]")).to_have_text(str(total))
    expect(bar.locator("[data-progress=non_compliant]")).to_have_text("2")
    assert bar.locator("[data-testid=next-pending]").inner_text() == "去完成检查"
    first = page.locator("[data-testid=item-card]").first
    assert "已保存" in first.inner_text() and "已记为隐患" in first.inner_text()
    first.scroll_into_view_if_needed()
    screenshot(page, "5-answered")

    # A reload loses nothing: every answer was saved as it was given.
    page.reload()
    assert page.locator("[data-testid=item-card][data-result=pending]").count() == 0
    assert page.locator("[data-testid=item-card][data-result=non_compliant]").count() == 2
    assert page.input_value("#note" + str(inspection.items.get(order=1).pk)) == notes[0]

    # 完成检查 opens a summary first; the counts are the saved answers.
    page.click("[data-testid=complete-inspection]")
    summary = page.locator("[data-testid=complete-summary]")
    assert "2 项不符合" in summary.inner_text()
    assert page.locator("[data-testid=pending-warning]").is_hidden()
    screenshot(page, "5b-summary")
    with page.expect_navigation():
        page.click("[data-testid=confirm-complete]")
    assert page.inner_text("[data-testid=inspection-status]") == "整改中"
    assert page.locator("[data-testid=hazard-card]").count() == 2
    _no_sideways_scroll(page)
    screenshot(page, "6-findings")

    # Orders for both hidden dangers (all five fields, as a major one needs them).
    for hazard in inspection.hazards.order_by("id"):
        form = page.locator(f"#hazard-{hazard.pk} [data-testid=order-form]")
        prefix = f"h{hazard.pk}-"
        form.locator(f"[name={prefix}deadline_days]").fill("15")
        form.locator(f"[name={prefix}responsible_person]").fill("王厂长")
        form.locator(f"[name={prefix}measures]").fill("加装泄爆片，建立清扫制度")
        form.locator(f"[name={prefix}funds]").fill("3.5")
        form.locator(f"[name={prefix}emergency_plan]").fill("粉尘爆炸专项应急预案")
        if hazard == inspection.hazards.order_by("id").first():
            screenshot(page, "7-order-form")
        with page.expect_navigation():
            form.locator("[data-testid=issue-order]").click()
        assert "已下达整改指令。" in page.inner_text("main")
    assert set(inspection.hazards.values_list("status", flat=True)) == {
        Hazard.Status.RECTIFYING}
    _no_sideways_scroll(page)
    screenshot(page, "8-orders")

    # A photo of the first hidden danger, taken on the phone.
    photo = tmp_path / "泄爆口.jpg"
    Image.new("RGB", (1200, 900), (180, 120, 60)).save(photo, "JPEG")
    page.click("[data-testid=evidence-link]")
    page.wait_for_url(re.compile(r"/evidence/$"))
    page.set_input_files("input[name=file]", str(photo))
    first_hazard = inspection.hazards.order_by("id").first()
    page.select_option("select[name=hazard]", str(first_hazard.pk))
    page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.locator("[data-testid=evidence-item]")).to_have_count(1)
    # The EXIF-free thumbnail is served to the page (through the permission check),
    # never the original.
    thumb = page.locator("img.evidence-thumb")
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") == 320
    stored = Evidence.objects.get(inspection=inspection)
    assert stored.hazard_id == first_hazard.pk and stored.preview_path and stored.thumb_path
    # A second photo of the same hidden danger, right after: kept too (a fresh client
    # id came back with the first upload).
    second = tmp_path / "泄爆口2.jpg"
    Image.new("RGB", (1200, 900), (60, 120, 180)).save(second, "JPEG")
    page.set_input_files("input[name=file]", str(second))
    page.select_option("select[name=hazard]", str(first_hazard.pk))
    page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.locator("[data-testid=evidence-item]")).to_have_count(2)
    assert Evidence.objects.filter(inspection=inspection, hazard=first_hazard).count() == 2
    _no_sideways_scroll(page)
    screenshot(page, "8a-photo")

    # Signatures on the on-site record: the enterprise's representative signs on the
    # first inspector's phone, then each inspector signs with their own account — the
    # second inspector on their own phone (a second browser context, own session).
    page.goto(f"{base}/inspections/{inspection.pk}/")
    page.click("[data-testid=sign-link]")
    page.wait_for_url(re.compile(r"/sign/$"))
    _sign(page, "enterprise", "张厂长")
    _sign(page, "inspector", "西湖执法员")
    second_phone = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                       is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        page2 = second_phone.new_page()
        _login(page2, base, "p_xihu_inspector2")
        page2.goto(f"{base}/inspections/{inspection.pk}/sign/")
        _sign(page2, "inspector", "西湖执法员二")
    finally:
        second_phone.close()
    page.reload()
    by_role = {(s.signer_role, s.signer_name): s
               for s in Signature.objects.filter(inspection=inspection)}
    assert by_role[("inspector", "西湖执法员二")].user.username == "p_xihu_inspector2"
    assert by_role[("inspector", "西湖执法员二")].recorded_by.username == "p_xihu_inspector2"
    assert by_role[("inspector", "西湖执法员")].user == xihu_inspector
    assert by_role[("enterprise", "张厂长")].recorded_by == xihu_inspector
    expect(page.locator("[data-testid=signature-row]")).to_have_count(3)
    assert Signature.objects.filter(inspection=inspection).count() == 3
    _no_sideways_scroll(page)
    screenshot(page, "8b-signed")
    page.goto(f"{base}/inspections/{inspection.pk}/")

    # Closing now is not offered: the button is disabled and says why.
    expect(page.locator("[data-testid=close-inspection]")).to_be_disabled()
    assert "2 项隐患未销号" in page.inner_text("[data-testid=close-reason]")
    screenshot(page, "9-close-refused")

    # Later: the enterprise reports completion; the re-check passes.
    for hazard in inspection.hazards.order_by("id"):
        page.goto(f"{base}/inspections/{inspection.pk}/")
        with page.expect_navigation():
            page.locator(f"#hazard-{hazard.pk} [data-testid=report-rectified]").click()
        card = page.locator(f"#hazard-{hazard.pk}")
        assert "已报整改完成" in card.inner_text()
        if hazard.is_major:  # its 治理方案 is registered before it is accepted
            form = card.locator("[data-testid=major-report-form]")
            form.locator("summary").click()
            form.locator("input[name=received_on]").fill(str(timezone.localdate()))
            form.locator("textarea[name=content]").fill("治理目标、措施、经费、期限和责任人")
            with page.expect_navigation():
                form.locator("[data-testid=major-report-submit]").click()
            card = page.locator(f"#hazard-{hazard.pk}")
        card.locator("[data-testid=recheck-form] textarea[name=note]").fill("现场复查，已整改到位")
        with page.expect_navigation():
            card.locator("[data-testid=recheck-pass]").click()
        status = page.locator(f"#hazard-{hazard.pk} [data-testid=hazard-status]")
        assert status.inner_text() == "复查通过", page.locator(f"#hazard-{hazard.pk}").inner_text()
    _no_sideways_scroll(page)
    screenshot(page, "10-accepted")

    # The enterprise has not signed the 整改复查意见书 yet: closing says so.
    with page.expect_navigation():
        page.click("[data-testid=close-inspection]")
    assert "整改复查意见书尚无企业签名" in page.inner_text("[data-testid=step-error]")
    screenshot(page, "10b-recheck-unsigned")
    page.goto(f"{base}/inspections/{inspection.pk}/sign/")
    _sign(page, "enterprise", "张厂长", document="recheck")
    page.goto(f"{base}/inspections/{inspection.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=close-inspection]")
    assert page.inner_text("[data-testid=inspection-status]") == "已闭环"
    _no_sideways_scroll(page)
    screenshot(page, "11-closed")
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.CLOSED
    assert ReCheck.objects.filter(hazard__inspection=inspection,
                                  result=ReCheck.Result.PASSED).count() == 2
