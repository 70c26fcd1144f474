"""A court revokes a seizure, on a phone: the legal reviewer records the ruling on the
case page's measure card, the head approves it, and the card shows the measure lifted
as annulled with its record of the ruling; a screenshot per stage."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enforcement.cases.models import Case
from enforcement.measures import services as measures
from enforcement.measures.models import CompulsoryMeasure, MeasureKind
from tests.e2e.conftest import PHONE
from tests.e2e.test_decision_change_e2e import _login
from tests.platform.drivers._cases import make_case, officers
from tests.platform.drivers._measures import safe_moment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_court_revokes_a_seizure_on_a_phone(
        live_server, phone_page, screenshot, xihu_inspector, xihu_chief, xihu_approver,
        reference_data, calendar_data, clock_rules, threshold_data) -> None:
    case = make_case(Case.Status.INVESTIGATING)
    measure = measures.propose_measure(
        case, actor=xihu_inspector, kind=MeasureKind.SEIZE, place="二号仓库",
        reason="涉嫌违法储存的危险化学品",
        items=[{"description": "液氨钢瓶", "quantity": "6只", "kept_at": "局暂存库"}])
    measures.approve_measure(measure, actor=xihu_approver, opinion="同意")
    at = safe_moment()
    CompulsoryMeasure.objects.filter(pk=measure.pk).update(
        approved_at=at - datetime.timedelta(hours=1))
    measures.execute_measure(measure, actor=xihu_inspector, officers=officers(),
                             executed_at=at, party_signed=True, onsite_record="当场扣押")
    path = f"/cases/{case.pk}/"
    base, page = live_server.url, phone_page

    _login(page, base, "p_xihu_chief", path)
    card = page.locator("[data-testid=measure-card]")
    step = card.locator("[data-testid=measure-step-change]")
    step.locator("summary").click()
    step.locator("select[name=source]").select_option("litigation")
    step.locator("select[name=outcome]").select_option("revoked")
    step.locator("input[name=body]").fill("杭州市西湖区人民法院")
    step.locator("input[name=ruling_number]").fill("（2026）浙0106行初21号")
    step.locator("input[name=ruled_on]").fill(timezone.localdate().isoformat())
    step.locator("textarea[name=text]").fill("扣押的物品与违法行为无关")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "01-change-form")
    with page.expect_navigation():
        step.locator("[data-testid=measure-submit-change]").click()
    expect(page.locator(".alert-danger")).to_have_count(0)
    expect(page.locator("[data-testid=measure-change]")).to_contain_text("待批准")
    screenshot(page, "02-recorded")

    _login(page, base, "p_xihu_approver", path)
    approve = page.locator("[data-testid=measure-step-approve_change]")
    approve.locator("summary").click()
    approve.locator("textarea[name=text]").fill("同意")
    with page.expect_navigation():
        approve.locator("[data-testid=measure-submit-approve_change]").click()
    expect(page.locator(".alert-danger")).to_have_count(0)
    expect(page.locator("[data-testid=measure-status]")).to_have_text("已解除")
    expect(page.locator("[data-testid=measure-change]")).to_contain_text("已生效")
    expect(page.locator("[data-testid=measure-items]")).to_contain_text("解除并退还")
    screenshot(page, "03-approved")
