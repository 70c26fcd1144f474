"""Bulk import on a phone: upload a small .xlsx, read the dry run, commit, find the rows."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from stdnum.cn import uscc as stdnum_uscc

from enterprises.importing.columns import HEADERS
from enterprises.models import Enterprise, IndustryClass
from enterprises.reference import load_industry_classes
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _code(n: int) -> str:
    first17 = f"91330106{n:09d}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


def _sheet(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for n, name in enumerate(["杭州青芝坞精密机械有限公司", "杭州灵隐纺织有限公司"], start=1):
        sheet.append([name, _code(700 + n), "张三", "李四", "13800000000", "王五",
                      "0571-88888888", f"杭州市西湖区某某路{n}号", "西湖区北山街道", "3311",
                      "工贸·机械", 20 * n, "三级", "在营", "有限空间作业", "否"])
    # One bad row: the check character of its credit code is wrong.
    bad = _code(799)
    sheet.append(["杭州错误代码有限公司", bad[:17] + ("0" if bad[17] != "0" else "1"), "", "", "",
                  "", "", "", "北山街道", "", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def test_import_a_small_sheet_on_a_phone(live_server, phone_page, screenshot, xihu_inspector,
                                         tmp_path: Any, settings: Any):
    settings.VAR_DIR = tmp_path
    if not IndustryClass.objects.filter(code="3311").exists():
        load_industry_classes(IndustryClass)
    sheet = tmp_path / "西湖区台账.xlsx"
    _sheet(sheet)

    page = phone_page
    page.goto(f"{live_server.url}/login/?next=/enterprises/import/")
    page.fill("input[name=username]", "p_xihu_inspector")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/enterprises/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "1-upload")

    page.set_input_files("input[name=file]", str(sheet))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=commit-panel]")
    assert page.inner_text("[data-testid=count-total]") == "3"
    assert page.inner_text("[data-testid=count-valid]") == "2"
    assert page.inner_text("[data-testid=count-invalid]") == "1"
    errors = page.locator("[data-testid=error-row]")
    assert errors.count() == 1
    assert "4" in errors.first.inner_text() and "校验位错误" in errors.first.inner_text()
    assert page.is_disabled("[data-testid=commit-all]")
    assert Enterprise.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "2-dry-run")

    page.click("[data-testid=commit-valid-only]")
    page.wait_for_selector("[data-testid=count-created]")
    assert page.inner_text("[data-testid=count-created]") == "2"
    assert page.inner_text("[data-testid=job-status]") == "已完成"
    screenshot(page, "3-committed")
    assert Enterprise.objects.count() == 2

    page.goto(f"{live_server.url}/enterprises/?search=青芝坞")
    body = page.inner_text("main")
    assert "杭州青芝坞精密机械有限公司" in body
    assert "杭州灵隐纺织有限公司" not in body
    screenshot(page, "4-list")
