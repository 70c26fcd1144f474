"""Never fail silently, on a 390 px phone: an answer tapped offline shows "waiting to
send" (and does not light up as saved), is sent when the phone is back online, and the
server holds it exactly once; after the session expired the answer waits, the login
opens in a new tab, and the queued answer is sent after logging in again. No CSP
violation is logged on the way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from enterprises.models import Sector
from hangzhou_safety.accounts.models import Role
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import Inspection
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")


@pytest.fixture
def started(reference_data, calendar_data, xihu_inspector) -> Inspection:
    load_checklist_templates()
    second = make_user("p_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="P330106003",
                       full_name="西湖执法员二")
    factory = enterprise("杭州西湖保存测试有限公司", 902, sector=Sector.MACHINERY)
    inspection = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                        inspectors=[xihu_inspector, second],
                                        source=Inspection.Source.AD_HOC)
    loop.start_inspection(inspection, actor=xihu_inspector)
    return inspection


def _console(page: Any) -> list[str]:
    """CSP violations and script errors (htmx's own log lines for a request that could
    not be sent, and the browser's offline/401 resource lines, are the expected noise
    of the scenario, not problems)."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and ("Content Security Policy" in m.text
                                      or "Refused to" in m.text) else None)
    return problems


def _answers(inspection: Inspection, item_pk: int) -> int:
    return AuditEvent.objects.filter(action="inspection.answer",
                                     new_values__item=item_pk).count()


def test_an_answer_tapped_offline_is_shown_unsaved_and_sent_once(
        live_server, browser, started, xihu_inspector, screenshot):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    problems = _console(page)
    base = live_server.url
    detail = f"/inspections/{started.pk}/"
    _login(page, base, "p_xihu_inspector", detail)
    item = started.items.order_by("order").first()
    card = page.locator(f"#item-{item.pk}")

    context.set_offline(True)
    card.locator("[data-testid=answer-compliant]").click()
    status = page.locator(f"#item-{item.pk} [data-testid=save-status]")
    expect(status).to_contain_text("等待发送")
    expect(page.locator(f"#item-{item.pk}")).to_have_attribute("data-save-state", "waiting")
    expect(page.locator(f"#item-{item.pk} [data-testid=saved]")).to_have_count(0)
    # Nothing to retry by hand: it waits for the connection, and the badge says so.
    expect(page.locator(f"#item-{item.pk} [data-testid=retry]")).to_be_hidden()
    expect(page.locator("[data-testid=outbox]")).to_have_text("1 项待发送")
    # The tapped answer is not shown as saved: outlined (dashed), not filled.
    label = page.locator(f"#item-{item.pk} [data-testid=answer-compliant]")
    assert label.evaluate("el => getComputedStyle(el).borderStyle") == "dashed"
    screenshot(page, "offline-unsaved")
    item.refresh_from_db()
    assert item.result == "pending"

    # Back online: the queued answer is sent (the "online" event).
    with page.expect_response(lambda r: "/answer/" in r.url and r.status == 200):
        context.set_offline(False)
    expect(page.locator(f"#item-{item.pk} [data-testid=saved]")).to_be_visible()
    expect(page.locator(f"#item-{item.pk}")).not_to_have_attribute("data-save-state",
                                                                   "waiting")
    expect(page.locator("[data-testid=outbox]")).to_be_hidden()
    item.refresh_from_db()
    assert item.result == "compliant"
    assert _answers(started, item.pk) == 1
    # The automatic retry (every few seconds) does not send it a second time.
    page.wait_for_timeout(6000)
    assert _answers(started, item.pk) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not problems, problems
    context.close()


def test_after_session_expiry_the_answer_waits_for_the_new_login(
        live_server, browser, started, xihu_inspector, screenshot):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    problems = _console(page)
    base = live_server.url
    detail = f"/inspections/{started.pk}/"
    _login(page, base, "p_xihu_inspector", detail)
    item = started.items.order_by("order").first()

    # The session ends on the server (as the idle timeout does).
    from django.contrib.sessions.models import Session
    Session.objects.all().delete()
    with page.expect_response(lambda r: "/answer/" in r.url and r.status == 401):
        page.locator(f"#item-{item.pk} [data-testid=answer-non_compliant]").click()
    expect(page.locator("[data-testid=session-expired]")).to_be_visible()
    expect(page.locator(f"#item-{item.pk} [data-testid=save-status]")).to_contain_text(
        "登录已过期")
    # The inspector goes on answering meanwhile: the answers queue behind the first.
    others = list(started.items.order_by("order")[1:3])
    for other in others:
        page.locator(f"#item-{other.pk} [data-testid=answer-compliant]").click()
        expect(page.locator(f"#item-{other.pk} [data-testid=save-status]")).to_be_visible()
    expect(page.locator("[data-testid=outbox]")).to_have_text("3 项待发送")
    screenshot(page, "expired")
    item.refresh_from_db()
    assert item.result == "pending"

    # Log in again in a new tab: this page (and its unsaved answer) stays.
    with context.expect_page() as new_tab:
        page.click("[data-testid=relogin-link]")
    login = new_tab.value
    login.wait_for_load_state()
    login.fill("input[name=username]", "p_xihu_inspector")
    login.fill("input[name=password]", PASSWORD)
    login.click("button[type=submit]")
    expect(login.locator("[data-testid=relogin-done]")).to_be_visible()
    login.close()
    page.bring_to_front()
    # The queue is sent again (on focus or within the retry interval).
    expect(page.locator(f"#item-{item.pk} [data-testid=saved]")).to_be_visible(timeout=15000)
    expect(page.locator("[data-testid=session-expired]")).to_be_hidden()
    expect(page.locator("[data-testid=outbox]")).to_be_hidden(timeout=15000)
    item.refresh_from_db()
    assert item.result == "non_compliant"
    assert _answers(started, item.pk) == 1
    for other in others:
        other.refresh_from_db()
        assert other.result == "compliant"
        assert _answers(started, other.pk) == 1
    assert not problems, problems
    assert not problems, problems
    context.close()
