"""The registry on a phone: create an enterprise (a Chinese field error first), find it in
the list, open its detail tabs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from stdnum.cn import uscc

from hangzhou_safety.accounts.models import Jurisdiction
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST17 = "91330106MA2E2E001"
GOOD_USCC = FIRST17 + uscc.calc_check_digit(FIRST17)
BAD_USCC = FIRST17 + ("0" if GOOD_USCC[-1] != "0" else "1")


@pytest.fixture
def eager_celery() -> Iterator[None]:
    # The risk job runs inline in the live server, so the risk tab has a score to show
    # and no task lands on a shared broker pointing at this throwaway database.
    from hangzhou_safety.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def fits_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= 390)


def test_inspector_registers_an_enterprise_on_a_phone(live_server, phone_page, screenshot,
                                                      xihu_inspector, eager_celery):
    page = phone_page
    page.goto(f"{live_server.url}/login/?next=/enterprises/")
    page.fill("input[name=username]", "p_xihu_inspector")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/enterprises/")
    assert "没有符合条件的生产经营单位" in page.inner_text("[data-testid=enterprise-empty]")
    assert fits_phone(page)
    screenshot(page, "1-empty-list")

    page.click("[data-testid=create-enterprise]")
    page.wait_for_url(re.compile(r".*/enterprises/new/$"))
    street = Jurisdiction.objects.get(code="330106002")
    page.fill("#id_name", "杭州西湖精细化工有限公司")
    page.fill("#id_uscc", BAD_USCC)
    page.fill("#id_legal_representative", "张三")
    page.fill("#id_principal_name", "李四")
    page.fill("#id_principal_phone", "13800000000")
    page.select_option("#id_location", str(street.pk))
    page.fill("#id_address", "北山路 88 号")
    page.select_option("#id_sector", "hazardous_chemicals")
    page.fill("#id_employees", "320")
    page.check("input[name=special_operations][value=confined_space]")
    page.check("input[name=occupational_hazards][value=chemical]")
    assert fits_phone(page)
    screenshot(page, "2-form")
    page.click("[data-testid=save-enterprise]")
    page.wait_for_selector("[data-testid=error-uscc]")
    assert "统一社会信用代码校验位错误" in page.inner_text("[data-testid=error-uscc]")
    # What was typed survives the round trip.
    assert page.input_value("#id_name") == "杭州西湖精细化工有限公司"
    assert page.is_checked("input[name=special_operations][value=confined_space]")
    assert fits_phone(page)
    screenshot(page, "3-form-error")
    clip = screenshot(page, "3-form-error").with_name(
        "test_inspector_registers_an_enterprise_on_a_phone-3b-error-field.png")
    page.locator("fieldset").first.screenshot(path=str(clip))

    page.fill("#id_uscc", GOOD_USCC)
    page.click("[data-testid=save-enterprise]")
    page.wait_for_url(re.compile(r".*/enterprises/\d+/$"))
    assert page.inner_text("[data-testid=enterprise-title]") == "杭州西湖精细化工有限公司"
    assert page.is_visible("[data-testid=liability-warning]")
    assert fits_phone(page)
    screenshot(page, "4-detail-basic")

    # Tabs switch in place (Bootstrap's data-bs-toggle, no inline script).
    page.click("[data-testid=tab-supervision]")
    page.wait_for_selector("[data-testid=pane-supervision]", state="visible")
    assert page.inner_text("[data-testid=supervisor]") == "杭州市西湖区应急管理局"
    assert not page.is_visible("[data-testid=pane-basic]")
    screenshot(page, "5-detail-supervision")
    page.click("[data-testid=tab-risk]")
    page.wait_for_selector("[data-testid=pane-risk]", state="visible")
    page.reload()  # the score is computed after commit; the reload shows it
    page.click("[data-testid=tab-risk]")
    assert int(page.inner_text("[data-testid=risk-score]")) > 0
    assert fits_phone(page)
    screenshot(page, "6-detail-risk")
    page.click("[data-testid=tab-credit]")
    assert "将在后续版本提供" in page.inner_text("#pane-credit")

    page.goto(f"{live_server.url}/enterprises/")
    cards = page.locator("[data-testid=enterprise-card]")
    assert cards.count() == 1
    assert "杭州西湖精细化工有限公司" in cards.first.inner_text()
    # htmx swaps the results as the user types a two-character query.
    page.fill("#id_search", "纺织")
    page.wait_for_selector("[data-testid=enterprise-empty]")
    page.fill("#id_search", "化工")
    page.wait_for_selector("[data-testid=enterprise-card]")
    assert "search=" in page.url
    assert fits_phone(page)
    screenshot(page, "7-list")

    # The filter panel: a sector change re-renders the results and the export link.
    page.fill("#id_search", "")
    page.click("summary")
    page.select_option("#id_sector", "textiles")
    page.wait_for_selector("[data-testid=enterprise-empty]")
    assert "sector=textiles" in page.get_attribute("[data-testid=export-link]", "href")
    assert fits_phone(page)
    screenshot(page, "8-filters")
