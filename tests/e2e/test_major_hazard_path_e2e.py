"""A major hidden danger under a stop order on a phone: the chief lists it with its
notice, the inspector registers the 治理方案 and the enterprise's written application to
resume, the review consents, the chief de-lists it (核销) and the loop closes once the
enterprise signs the 整改复查意见书."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.accounts.models import Role
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import Hazard, Inspection, RectificationOrder, SupervisionListing
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/?next=/inspections/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/inspections/")


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _major_under_stop_order(inspector: Any) -> Hazard:
    load_checklist_templates()
    second = make_user("p_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="P330106003",
                       full_name="西湖执法员二")
    factory = enterprise("杭州西湖铝粉抛光有限公司", 931, sector=Sector.MACHINERY,
                         special_operations=[SpecialOperation.DUST_EXPLOSION])
    inspection = loop.create_inspection(actor=inspector, enterprise=factory,
                                        inspectors=[inspector, second],
                                        source=Inspection.Source.AD_HOC)
    loop.start_inspection(inspection, actor=inspector)
    items = list(inspection.items.order_by("order"))
    major = next(i for i in items if i.checklist_item.major_hazard_criterion)
    for item in items:
        loop.record_answer(inspection, item.pk, actor=inspector,
                           result="non_compliant" if item == major else "compliant",
                           note="除尘系统未设泄爆装置" if item == major else "")
    loop.complete_findings(inspection, actor=inspector)
    hazard = Hazard.objects.get(item=major)
    loop.issue_order(hazard, actor=inspector, kind="deadline", deadline_days=20,
                     responsible_person="张厂长", measures="加装泄爆片、隔爆阀",
                     funds=Decimal("8"), emergency_plan="粉尘爆炸专项应急预案",
                     onsite_measure="suspend")
    RectificationOrder.objects.filter(hazard=hazard).update(
        issued_at=timezone.now() - datetime.timedelta(days=3))
    return hazard


def test_a_major_hidden_danger_resumes_on_a_phone(live_server, phone_page, screenshot,
                                                  xihu_inspector, xihu_chief,
                                                  reference_data, calendar_data,
                                                  clock_rules) -> None:
    hazard = _major_under_stop_order(xihu_inspector)
    base, page = live_server.url, phone_page
    detail = f"{base}/inspections/{hazard.inspection_id}/"
    card = f"#hazard-{hazard.pk}"
    today = str(timezone.localdate())

    # The chief lists it with the supervision notice.
    _login(page, base, "p_xihu_chief")
    page.goto(detail)
    form = page.locator(f"{card} [data-testid=list-form]")
    form.locator("summary").click()
    form.locator("input[name=notice_number]").fill("西应急督〔2026〕12号")
    form.locator("select[name=level]").select_option("city")
    _fits(page)
    screenshot(page, "1-list-form")
    with page.expect_navigation():
        form.locator("[data-testid=list-hazard]").click()
    expect(page.locator(f"{card} [data-testid=listing]")).to_contain_text("西应急督〔2026〕12号")

    # The inspector: no "reported done" under a stop order; plan, then the application.
    _login(page, base, "p_xihu_inspector")
    page.goto(detail)
    expect(page.locator(f"{card} [data-testid=report-rectified]")).to_have_count(0)
    expect(page.locator(f"{card} [data-testid=resume-needed]")).to_be_visible()
    plan = page.locator(f"{card} [data-testid=major-report-form]")
    plan.locator("summary").click()
    plan.locator("input[name=received_on]").fill(today)
    plan.locator("textarea[name=content]").fill("治理目标和任务、方法和措施、经费和物资")
    with page.expect_navigation():
        plan.locator("[data-testid=major-report-submit]").click()
    resume = page.locator(f"{card} [data-testid=resume-form]")
    resume.locator("input[name=applied_on]").fill(today)
    resume.locator("textarea[name=self_assessment]").fill("泄爆片、隔爆阀已安装并调试")
    with page.expect_navigation():
        resume.locator("[data-testid=resume-submit]").click()
    expect(page.locator(f"{card} [data-testid=resume-application]")).to_contain_text("待审查")
    _fits(page)
    screenshot(page, "2-application")
    review = page.locator(f"{card} [data-testid=resume-review-form]")
    review.locator("textarea[name=note]").fill("现场审查：已消除，同意恢复生产")
    with page.expect_navigation():
        review.locator("[data-testid=resume-consent]").click()
    expect(page.locator(f"{card} [data-testid=hazard-status]")).to_have_text("复查通过")
    expect(page.locator("[data-testid=close-reason]")).to_contain_text("未核销摘牌")

    # The chief de-lists it; the loop closes once the enterprise signs.
    _login(page, base, "p_xihu_chief")
    page.goto(detail)
    delist = page.locator(f"{card} [data-testid=delist-form]")
    delist.locator("summary").click()
    delist.locator("textarea[name=note]").fill("隐患已消除，复查合格，予以核销")
    with page.expect_navigation():
        delist.locator("[data-testid=delist-submit]").click()
    _fits(page)
    screenshot(page, "3-delisted")
    listing = SupervisionListing.objects.get(hazard=hazard)
    assert listing.status == "delisted" and listing.level == "city"
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.ACCEPTED
