"""Every staff page and the public verification page, in headless Chromium at 390 px:
nothing overflows sideways, no table of more than two columns squeezes its columns
(they stack into cards or scroll with a sticky label column), no empty choice reads
"---------", every control a finger hits is at least 44 px high, and the console logs
no error (a CSP violation, a failed script, a missing asset). Pages come from the URL
resolver (tests/platform/surface.py), so a new page is covered without anyone listing
it; each is opened by the first persona that the Django test client finds it answered
with 200 and HTML, on the demo world.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.e2e.conftest import PHONE
from tests.platform import surface
from tests.platform.world import reload_reference_data, seeded_world

pytestmark = [pytest.mark.e2e]

#: Controls a finger must hit smaller than 44 px (WCAG 2.5.5; a link inside running
#: text is exempt, as WCAG exempts it).
SMALL_TARGETS = r"""() => [...document.querySelectorAll(
    'button, .btn, select, input:not([type=hidden]), textarea, summary, .nav-link')]
  .filter(el => {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest('[hidden]')) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    // A radio or checkbox counts by its label (Bootstrap's form-check, btn-check).
    if (el.type === 'radio' || el.type === 'checkbox') {
      const label = el.labels && el.labels[0];
      if (!label) return box.height < 44;
      const own = label.getBoundingClientRect();
      return Math.max(own.height, box.height) < 24;
    }
    return box.height < 44 && !(el.tagName === 'SUMMARY' && box.height >= 24);
  }).slice(0, 3).map(el => `small target (${Math.round(el.getBoundingClientRect().height)}
    px): ${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')}
    ${(el.textContent || el.name || '').trim().slice(0, 20)}`.replace(/\s+/g, ' '))"""
#: Tables of more than two columns that neither stack into cards (table-stack) nor
#: scroll with a sticky label column: at 390 px their columns shrink to a character.
UNSHAPED_TABLES = """() => [...document.querySelectorAll('table.table')].filter(t => {
    const style = getComputedStyle(t);
    if (style.display === 'none' || t.closest('[hidden]')) return false;
    const row = t.tBodies[0] && t.tBodies[0].rows[0];
    if (!row || row.cells.length <= 2) return false;
    if (style.display === 'block') return false;
    // A short table of numbers that fits as it is (data-phone="fits"), if it does.
    if (t.dataset.phone === 'fits') return t.scrollWidth > t.parentElement.clientWidth + 1;
    const first = row.cells[0];
    return !(t.closest('.table-responsive') && getComputedStyle(first).position === 'sticky');
  }).map(t => 'table not shaped for a phone: ' +
         (t.dataset.testid || t.className))"""


@pytest.fixture(scope="module", autouse=True)
def reference_data_restored(django_db_blocker: Any) -> Any:
    """After the module's flush, the reference data the migrations load, committed again."""
    yield
    with django_db_blocker.unblock():
        reload_reference_data()


def _pages_to_open(world: Any) -> tuple[list[tuple[str, str]], dict[str, Client]]:
    clients: dict[str, Client] = {}
    for persona in surface.PAGE_VIEWERS:
        clients[persona] = Client()
        clients[persona].force_login(world.users[persona])
    pages = surface.rendered_pages(world, clients)
    return [(persona, path) for persona, path, _answer in pages], clients


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_without_console_errors(live_server: Any, browser: Any,
                                                        settings: Any, tmp_path: Any,
                                                        screenshot: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    world = seeded_world()
    pages, clients = _pages_to_open(world)
    assert len(pages) >= 40, pages  # the demo world reaches the product's pages
    contexts: dict[str, Any] = {}
    problems: list[str] = []
    cookie = django_settings.SESSION_COOKIE_NAME
    host = live_server.url.split("//", 1)[1].split(":")[0]
    try:
        for persona, path in pages:
            if persona not in contexts:
                context = browser.new_context(viewport=PHONE, device_scale_factor=1,
                                              is_mobile=True, has_touch=True,
                                              locale="zh-CN")
                context.add_cookies([{"name": cookie, "value": clients[persona].cookies[
                    cookie].value, "domain": host, "path": "/"}])
                contexts[persona] = context
            page = contexts[persona].new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text)
                    if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            page.on("response", lambda r, e=errors: e.append(f"{r.status} {r.url}")
                    if r.status >= 400 else None)
            page.goto(live_server.url + path, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(el => el.getBoundingClientRect().right > 391)
                        .slice(0, 3).map(el => el.tagName.toLowerCase() +
                          (el.className ? '.' + String(el.className).split(' ')[0] : ''))""")
                problems.append(f"{path} ({persona}): {width} px wide, first wide: {wide}")
            problems.extend(f"{path} ({persona}): {table}" for table in
                            page.evaluate(UNSHAPED_TABLES))
            problems.extend(f"{path} ({persona}): {small}" for small in
                            page.evaluate(SMALL_TARGETS))
            if page.locator("option", has_text="---------").count():
                problems.append(f"{path} ({persona}): an empty choice reads ---------")
            problems.extend(f"{path} ({persona}): console: {text}" for text in errors)
            if page.locator("table.table-stack").count():  # to look at the cards
                screenshot(page, path.strip("/").replace("/", "-") or "home")
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    print(f"\npages opened at {PHONE['width']} px: {len(pages)}")
    print("\n".join(f"  {path} ({persona})" for persona, path in pages))
    assert problems == [], "\n".join(problems)
