"""A citizen on a phone (390×844) opens the portal, searches a decision by its party,
opens its detail and downloads its PDF: a real PDF of the public version carrying the
party's name and the document number. No page scrolls sideways."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from hangzhou_safety.accounts.models import User
from tests.e2e.conftest import PHONE
from tests.enforcement.portal_helpers import walk_to_published
from tests.platform.drivers._cases import second_inspector

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_searches_a_decision_and_downloads_its_pdf(
        live_server: Any, phone_page: Any, screenshot: Any, reference_data: None,
        clock_rules: None, threshold_data: None, xihu_inspector: User, xihu_chief: User,
        xihu_approver: User, tmp_path: Path) -> None:
    cache.clear()
    case_world = {"inspector": xihu_inspector, "inspector2": second_inspector(),
                  "chief": xihu_chief, "approver": xihu_approver}
    row = walk_to_published(case_world, title="危险化学品储存场所未设置明显的安全警示标志")
    walk_to_published(case_world, title="未按规定开展安全生产教育和培训", documents=False)
    assert row.document_number
    base, page = live_server.url, phone_page
    page.goto(f"{base}/public/")
    assert page.locator("[data-testid=latest-decisions] li").count() == 2
    _no_sideways_scroll(page)
    screenshot(page, "1-home")

    page.fill("#home-q", row.party_name)
    with page.expect_navigation():
        page.click("[data-testid=home-search] button")
    links = page.locator("[data-testid=decision-link]")
    assert links.count() == 1 and links.first.inner_text() == row.party_name
    _no_sideways_scroll(page)
    screenshot(page, "2-results")

    with page.expect_navigation():
        links.first.click()
    assert page.url == f"{base}/public/decisions/{row.pk}/"
    assert page.inner_text("[data-testid=decision-party]") == row.party_name
    assert page.inner_text("[data-testid=decision-number]") == row.document_number
    assert "此记录有误" in page.content()
    _no_sideways_scroll(page)
    screenshot(page, "3-detail")

    with page.expect_download() as download_info:
        page.click("[data-testid=decision-pdf]")
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-") and target.suffix == ".pdf"
    text = "".join("".join(p.extract_text().split())
                   for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "".join(row.party_name.split()) in text
    assert "".join(row.document_number.split()) in text
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    (artifacts / "test_a_citizen_searches_a_decision_and_downloads_its_pdf.pdf").write_bytes(pdf)
