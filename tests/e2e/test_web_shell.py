"""The web shell on a phone: login, home with authority and jurisdiction, language, scope."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_inspector_logs_in_on_a_phone(live_server, phone_page, screenshot, xihu_inspector):
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    screenshot(page, "1-login")
    page.fill("input[name=username]", "p_xihu_inspector")
    page.fill("input[name=password]", "wrong-password")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text("[data-testid=login-error]")

    page.fill("input[name=username]", "p_xihu_inspector")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.inner_text("[data-testid=home-authority]") == "杭州市西湖区应急管理局"
    assert "西湖区" in page.inner_text("[data-testid=home-jurisdiction]")
    # Nothing overflows sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "2-home")

    # The collapsed menu opens (Bootstrap served locally) and leads to the jurisdiction.
    # Each tap waits for the page it needs: Bootstrap adds "show" once the menu has
    # opened, and "西湖区" is on the home page too, so a tap made before the list has
    # loaded would land there.
    page.click("button.navbar-toggler")
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
    page.click("#mainnav >> text=辖区")
    page.wait_for_url(f"{live_server.url}/jurisdictions/")
    page.click("a[href='/jurisdictions/330106/']")
    page.wait_for_url(f"{live_server.url}/jurisdictions/330106/")
    assert page.inner_text("[data-testid=jurisdiction-name]").startswith("西湖区")
    screenshot(page, "3-jurisdiction")

    # An out-of-jurisdiction page is a 404 with a Chinese message.
    response = page.goto(f"{live_server.url}/jurisdictions/330108/")
    assert response is not None and response.status == 404
    assert "不在您的辖区范围内" in page.content()

    # English is one tap away.
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():   # wait_for_load_state() alone returns at once
        page.click("button[name=language][value=en]")
    assert "Hello" in page.inner_text("h1")
    screenshot(page, "4-home-en")
