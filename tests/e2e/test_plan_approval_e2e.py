"""The annual plan's approval cycle on phones: return with a comment, fix, resubmit,
approve, publish."""

from __future__ import annotations

from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority
from inspections.models import EnforcementPlan, PlanCategory
from inspections.plans import services as plans
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/?next=/plans/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/plans/")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_plan_return_fix_resubmit_approve_publish(live_server, browser, phone_page,
                                                  screenshot, xihu_chief, xihu_approver,
                                                  xihu_inspector):
    base = live_server.url
    authority = Authority.objects.get(code="EM-330106")
    plan = plans.create_plan(authority=authority, year=2027, actor=xihu_chief)
    plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": m, "planned": 8}
                            for m in range(1, 13)], actor=xihu_chief)
    plans.submit_plan(plan, actor=xihu_chief)

    # The approver, on a phone, opens the plan from the queue and returns it.
    approver = phone_page
    _login(approver, base, "p_xihu_approver")
    queue = approver.locator("[data-testid=approver-queue]")
    assert "待我审批" in queue.inner_text()
    _no_sideways_scroll(approver)
    screenshot(approver, "1-approver-queue")
    queue.locator("[data-testid=queue-item]").first.click()
    approver.wait_for_url(f"{base}/plans/{plan.pk}/")
    assert approver.inner_text("[data-testid=plan-status]") == "已提交审批"
    _no_sideways_scroll(approver)
    screenshot(approver, "2-approver-plan")
    approver.fill("#return-comment", "重点监管·高危行业企业每季度至少安排一次检查，请补充。")
    with approver.expect_navigation():
        approver.click("[data-testid=return-plan]")
    assert "计划已退回修改。" in approver.inner_text("main")
    assert approver.inner_text("[data-testid=plan-status]") == "已退回修改"
    screenshot(approver, "3-returned")

    # The author sees the comment, adds the key-supervision quota and resubmits.
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    author = context.new_page()
    try:
        _login(author, base, "p_xihu_chief")
        author.click(f"[data-testid=plan-list] a[href='/plans/{plan.pk}/']")
        author.wait_for_url(f"{base}/plans/{plan.pk}/")
        assert "请补充" in author.inner_text("[data-testid=return-comment]")
        _no_sideways_scroll(author)
        screenshot(author, "4-author-sees-comment")
        for month in (3, 6, 9, 12):
            author.fill(f"input[name=q_key_high_risk_{month}]", "2")
        with author.expect_navigation():
            author.click("[data-testid=save-quotas]")
        assert "已保存检查指标，共 104 次。" in author.inner_text("main")
        assert author.inner_text("[data-testid=quota-total]") == "104"
        screenshot(author, "5-quotas-fixed")
        with author.expect_navigation():
            author.click("[data-testid=submit-plan]")
        assert author.inner_text("[data-testid=plan-status]") == "已提交审批"
        screenshot(author, "6-resubmitted")
    finally:
        context.close()

    # The approver approves, then publishes.
    approver.goto(f"{base}/plans/")
    approver.locator("[data-testid=queue-item]").first.click()
    approver.wait_for_url(f"{base}/plans/{plan.pk}/")
    # The resubmission shows what changed since the return: the four new quotas.
    changed = approver.locator("[data-testid=since-return-row]")
    assert changed.count() == 4
    assert "3月" in changed.first.inner_text() and "2" in changed.first.inner_text()
    # 批准 opens the figures being approved; only the confirmation posts.
    approver.click("[data-testid=approve-plan]")
    summary = approver.inner_text("[data-testid=approve-summary]")
    assert "计划检查 104 次" in summary and "负荷率" in summary
    _no_sideways_scroll(approver)
    screenshot(approver, "6b-approve-summary")
    with approver.expect_navigation():
        approver.click("[data-testid=confirm-approve]")
    assert approver.inner_text("[data-testid=plan-status]") == "已批准"
    with approver.expect_navigation():
        approver.click("[data-testid=publish-plan]")
    assert approver.inner_text("[data-testid=plan-status]") == "已发布"
    reviews = approver.inner_text("[data-testid=reviews]")
    assert "重点监管·高危行业企业每季度至少安排一次检查" in reviews
    _no_sideways_scroll(approver)
    screenshot(approver, "7-published")

    published = EnforcementPlan.objects.get(pk=plan.pk)
    assert published.status == EnforcementPlan.Status.PUBLISHED
    assert list(published.reviews.values_list("step", flat=True)) == [
        "submitted", "returned", "submitted", "approved", "published"]
    assert published.quotas.filter(category=PlanCategory.KEY_HIGH_RISK).count() == 4


def test_plan_form_on_a_phone(live_server, phone_page, screenshot, xihu_chief,
                              xihu_inspector):
    page = phone_page
    _login(page, live_server.url, "p_xihu_chief")
    page.click("[data-testid=new-plan]")
    page.wait_for_url(f"{live_server.url}/plans/new/")
    assert page.input_value("input[name=staff_count]") == "2"
    assert page.inner_text("[data-testid=live-certified]") == "2"
    _no_sideways_scroll(page)
    screenshot(page, "1-form")
    page.fill("input[name=year]", "2028")
    with page.expect_navigation():
        page.click("[data-testid=save-plan]")
    assert page.inner_text("[data-testid=plan-status]") == "草稿"
    _no_sideways_scroll(page)
    screenshot(page, "2-draft")
    assert EnforcementPlan.objects.get().year == 2028
