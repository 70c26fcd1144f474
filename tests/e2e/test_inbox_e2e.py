"""A published draw's task appears in the drawn inspector's inbox on a 390 px phone,
and 开始检查 creates and opens the inspection (then filed as usual)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hangzhou_safety.accounts.models import Role
from inspections.models import Inspection, PlannedInspection
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE
from tests.inspections.test_inbox import _draw

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_published_draw_task_starts_from_the_inbox(live_server, phone_page, screenshot,
                                                     xihu_inspector, xihu_chief,
                                                     reference_data, calendar_data):
    make_user("p_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="P330106003",
              full_name="西湖执法员二")
    from inspections.draws import services as draws

    draw = _draw(xihu_chief, 3, names=("杭州西湖抽查机械甲厂", "杭州西湖抽查机械乙厂",
                                       "杭州西湖抽查机械丙厂"))
    draws.publish_results(draw, xihu_chief)
    mine = PlannedInspection.objects.filter(draw=draw, inspectors=xihu_inspector)
    assert mine.exists()
    page, base = phone_page, live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "p_xihu_inspector")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    section = page.locator("[data-testid=inbox-planned]")
    expect(section.locator("[data-testid=inbox-row]")).to_have_count(mine.count())
    assert section.locator("[data-testid=inbox-count]").inner_text() == str(mine.count())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "1-inbox")

    first = mine.order_by("year", "month", "id").first()
    with page.expect_navigation():
        section.locator("[data-testid=start-planned]").first.click()
    assert re.search(r"/inspections/\d+/$", page.url)
    inspection = Inspection.objects.get(planned=first)
    assert page.url.endswith(f"/inspections/{inspection.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=start-inspection]")
    assert page.inner_text("[data-testid=inspection-status]") == "检查中"
    card = page.locator("[data-testid=item-card]").first
    with page.expect_response(lambda r: "/answer/" in r.url and r.status == 200):
        card.locator("[data-testid=answer-non_compliant]").click()
    camera = page.locator("[data-testid=item-card]").first.locator(
        "[data-testid=camera-input]")
    expect(camera).to_have_attribute("capture", "environment")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "2-inspection")
    assert not problems, problems
