"""A reconsideration that lowers a fine, on a phone: the legal reviewer records the
outcome on the case page's decision card, the head approves it, and the card shows the
new fine; a screenshot per stage."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enforcement.cases import services as cases
from enforcement.cases.models import Case
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE
from tests.platform.drivers._cases import make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str, path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def test_a_reconsideration_changes_the_fine_on_a_phone(
        live_server, phone_page, screenshot, xihu_inspector, xihu_chief, xihu_approver,
        reference_data, calendar_data, clock_rules, threshold_data) -> None:
    decision = make_case(Case.Status.DECIDED).decisions.get()
    cases.record_service(decision, actor=xihu_inspector, method="in_person")
    path = f"/cases/{decision.case_id}/"
    base, page = live_server.url, phone_page

    _login(page, base, "p_xihu_chief", path)
    card = page.locator("[data-testid=decision-card]")
    card.locator("[data-testid=decision-change-form] summary").click()
    card.locator("select[name=source]").select_option("reconsideration")
    card.locator("select[name=outcome]").select_option("changed")
    card.locator("input[name=body]").fill("杭州市应急管理局")
    card.locator("input[name=ruling_number]").fill("杭应急复决〔2026〕3号")
    card.locator("input[name=ruled_on]").fill(timezone.localdate().isoformat())
    card.locator("input[name=fine_amount]").fill("2500")
    card.locator("textarea[name=reason]").fill("复议机关认为罚款数额明显不当")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "01-change-form")
    with page.expect_navigation():
        card.locator("[data-testid=decision-change]").click()
    expect(page.locator(".alert-danger")).to_have_count(0)
    expect(page.locator("[data-testid=decision-open-change]")).to_contain_text("2500.00")
    screenshot(page, "02-recorded")

    _login(page, base, "p_xihu_approver", path)
    page.locator("[data-testid=decision-card] input[name=opinion]").first.fill("同意")
    with page.expect_navigation():
        page.locator("[data-testid=decision-approve_change]").click()
    expect(page.locator(".alert-danger")).to_have_count(0)
    expect(page.locator("[data-testid=decision-card]")).to_contain_text("¥2500.00")
    screenshot(page, "03-approved")
