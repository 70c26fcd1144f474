"""A citizen on a phone reports anonymously (answering the check question), staff accept
the report on the staff page, and the citizen follows its progress with the tracking
number and the query code."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.cache import cache

from enforcement.public_reports.models import PublicReport
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_anonymous_report_accepted_then_tracked(live_server: Any, browser: Any,
                                                phone_page: Any, screenshot: Any,
                                                reference_data: None, clock_rules: None,
                                                xihu_chief: Any) -> None:
    cache.clear()
    base = live_server.url
    citizen = phone_page
    citizen.goto(f"{base}/public/report/")  # API.md's name for the page
    citizen.wait_for_url(f"{base}/public/reports/new/")
    citizen.select_option("#category", "hidden_danger")
    citizen.fill("#enterprise_name", "杭州某某五金加工厂")
    citizen.select_option("#place", "330106")
    citizen.fill("#address", "西湖区某路 8 号")
    citizen.fill("#description", "车间抛光工位粉尘很大，没有除尘设施，消防通道被货物堵住。")
    question = citizen.inner_text("[data-testid=challenge-question]")
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    citizen.fill("#challenge_answer", str(a + b))
    _no_sideways_scroll(citizen)
    screenshot(citizen, "1-form")
    time.sleep(2.2)  # the challenge refuses an answer posted within two seconds
    with citizen.expect_navigation():
        citizen.click("[data-testid=report-submit]")
    number = citizen.inner_text("[data-testid=tracking-no]").strip()
    code = citizen.inner_text("[data-testid=query-code]").strip()
    assert number.startswith("JB") and len(code) == 8
    report = PublicReport.objects.get(tracking_no=number)
    assert report.anonymous and report.authority.code == "EM-330106"
    _no_sideways_scroll(citizen)
    screenshot(citizen, "2-submitted")

    # Staff, on a phone too, accept it from the list.
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    staff = context.new_page()
    try:
        staff.goto(f"{base}/login/?next=/reports/")
        staff.fill("input[name=username]", "p_xihu_chief")
        staff.fill("input[name=password]", PASSWORD)
        staff.click("button[type=submit]")
        staff.wait_for_url(f"{base}/reports/")
        with staff.expect_navigation():
            staff.locator("[data-testid=report-row]", has_text=number).click()
        assert staff.inner_text("[data-testid=report-status]") == "已接收"
        staff.fill("#accept-note", "属于本局职责，予以受理")
        with staff.expect_navigation():
            staff.click("[data-testid=step-accept]")
        assert staff.inner_text("[data-testid=report-status]") == "已受理"
        _no_sideways_scroll(staff)
        screenshot(staff, "3-staff-accepted")
    finally:
        context.close()

    # The citizen tracks it with both numbers.
    with citizen.expect_navigation():
        citizen.click("[data-testid=go-track]")
    assert citizen.input_value("#number") == number
    citizen.fill("#code", code)
    with citizen.expect_navigation():
        citizen.click("[data-testid=track-submit]")
    assert citizen.inner_text("[data-testid=track-status]") == "已受理"
    replies = citizen.inner_text("[data-testid=track-replies]")
    assert "已受理" in replies and "属于本局职责" not in replies  # the staff's note stays inside
    _no_sideways_scroll(citizen)
    screenshot(citizen, "4-tracked")
