"""The discretion table on a phone: stacked cards, nothing overflowing sideways."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_inspector_reads_the_discretion_table_on_a_phone(
        live_server, phone_page, screenshot, discretion_data, xihu_inspector) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "p_xihu_inspector")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/grounds/discretion/")
    assert "安全生产法第九十四条第一款" in page.inner_text("[data-testid=violation-list]")
    # Under 576 px the rows are cards; the table is hidden.
    cards = page.locator("[data-testid=benchmark-card]")
    assert cards.count() == 40 and cards.first.is_visible()
    assert not page.locator("[data-testid=benchmark-row]").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "1-table-phone")
    page.click("[data-testid=next-page]")
    page.wait_for_url("**after=*")
    assert "AQ-098-2" in page.inner_text("[data-testid=violation-list]")
    page.set_viewport_size({"width": 1024, "height": 800})
    assert page.locator("[data-testid=benchmark-row]").first.is_visible()
    screenshot(page, "2-table-wide")
