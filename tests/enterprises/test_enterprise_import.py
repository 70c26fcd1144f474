"""Bulk import (dry run, all-or-nothing, valid rows only, idempotent) and export."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stdnum.cn import uscc as stdnum_uscc

from enterprises.exporting import escape_cell
from enterprises.importing import jobs, storage
from enterprises.importing.columns import HEADERS
from enterprises.importing.errors import ImportFileError
from enterprises.models import Enterprise, ImportJob, IndustryClass, SupervisionChange
from enterprises.reference import load_industry_classes
from hangzhou_safety.accounts.models import Jurisdiction, Role
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.models import AuditEvent
from tests.conftest import make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- helpers ---------------------------------------------------------------------------

def make_uscc(n: int, region: str = "330106") -> str:
    first17 = f"91{region}{n:09d}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


def bad_check(code: str) -> str:
    """The same code with a wrong check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:17] + next(c for c in alphabet if c != code[17])


def row_for(n: int, *, street: str = "330106002", region: str = "330106",
            **over: Any) -> list[Any]:
    values = {
        "单位名称": f"杭州导入测试{n}号机械有限公司", "统一社会信用代码": make_uscc(n, region),
        "法定代表人": "张三", "主要负责人": "李四", "主要负责人电话": "13800000000",
        "安全管理人员": "王五", "联系电话": "0571-88888888",
        "生产经营地址": f"杭州市某某路{n}号", "所在街道（乡镇）": street, "行业代码": "3311",
        "监管行业": "工贸·机械", "从业人数": 50, "安全生产标准化等级": "三级",
        "经营状态": "在营", "重点作业": "粉尘涉爆，有限空间作业", "是否规模以上": "否",
    }
    values.update(over)
    return [values[h] for h in HEADERS]


def xlsx_bytes(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def dry_run(user: Any, data: bytes, name: str = "台账.xlsx") -> ImportJob:
    job = jobs.create_dry_run(upload(data, name), actor=user)
    result = jobs.run_job(job.pk)
    assert result is not None and result.status == ImportJob.Status.DONE, result.message
    return result


def commit(dry: ImportJob, mode: str, user: Any) -> ImportJob:
    job = jobs.create_commit(dry, mode, actor=user)
    result = jobs.run_job(job.pk)
    assert result is not None
    return result


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Any) -> None:
    """Uploads go to a throwaway VAR_DIR, not the checkout's var/."""
    settings.VAR_DIR = tmp_path


@pytest.fixture
def industries(reference_data: None) -> None:
    if not IndustryClass.objects.filter(code="3311").exists():
        load_industry_classes(IndustryClass)


@pytest.fixture
def thousand_rows_one_bad() -> bytes:
    rows = [row_for(n) for n in range(1, 1001)]
    # Data row 500 sits on sheet row 501 (the header is row 1).
    rows[499][1] = bad_check(rows[499][1])
    return xlsx_bytes(rows)


# --- template ---------------------------------------------------------------------------

def test_template_download_has_the_chinese_headers(web_as, xihu_inspector):
    response = web_as(xihu_inspector).get(reverse("enterprise_import:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)),
                                      read_only=True)
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(header) == HEADERS
    assert "所在街道（乡镇）" in header and "统一社会信用代码" in header


def test_openpyxl_uses_defusedxml():
    # openpyxl switches to defusedxml's parsers by itself when it is importable.
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


# --- dry run, all-or-nothing, valid rows only, idempotent --------------------------------

def test_thousand_rows_one_bad_dry_run_commit_and_reimport(
        xihu_inspector, industries, thousand_rows_one_bad):
    dry = dry_run(xihu_inspector, thousand_rows_one_bad)
    assert dry.total_rows == 1000 and dry.processed_rows == 1000
    assert dry.valid_rows == 999
    assert len(dry.errors) == 1
    error = dry.errors[0]
    assert error["row"] == 501 and error["field"] == "uscc"
    assert "校验位错误" in error["message"]
    assert Enterprise.objects.count() == 0  # a dry run writes nothing but the job

    # All-or-nothing is refused in Chinese; nothing written.
    with pytest.raises(DomainError) as refused:
        jobs.create_commit(dry, ImportJob.Mode.ALL_OR_NOTHING, actor=xihu_inspector)
    assert "不能全部导入" in refused.value.detail
    assert Enterprise.objects.count() == 0

    started = time.monotonic()
    done = commit(dry, ImportJob.Mode.VALID_ONLY, xihu_inspector)
    elapsed = time.monotonic() - started
    assert done.status == ImportJob.Status.DONE, done.message
    assert (done.created_count, done.updated_count, done.unchanged_count) == (999, 0, 0)
    assert Enterprise.objects.count() == 999
    assert not Enterprise.objects.filter(name="杭州导入测试500号机械有限公司").exists()
    # Derived columns and the supervisor are filled in as a single save would.
    sample = Enterprise.objects.get(uscc=make_uscc(1))
    assert sample.location.code == "330106002"
    assert sample.supervising_authority is not None
    assert sample.supervision_basis == "locality"
    assert sample.location_path == sample.location.path
    assert sample.search_text.startswith("杭州导入测试1号")
    assert sample.special_operations == ["confined_space", "dust_explosion"]
    assert sample.risk_level and sample.risk_score is not None
    assert sample.industry_id == "3311" and sample.sector == "machinery"
    assert not Enterprise.objects.filter(supervising_authority__isnull=True).exists()
    assert SupervisionChange.objects.count() == 999
    event = AuditEvent.objects.get(action="enterprise.bulk_imported")
    assert event.new_values["created"] == 999 and event.actor_id == xihu_inspector.pk
    assert elapsed < 30, f"1000-row commit took {elapsed:.1f}s"

    # Re-importing the same file changes nothing.
    again = commit(dry_run(xihu_inspector, thousand_rows_one_bad),
                   ImportJob.Mode.VALID_ONLY, xihu_inspector)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 999)
    assert Enterprise.objects.count() == 999


def test_all_or_nothing_commit_of_a_clean_file_and_updates(xihu_inspector, industries):
    data = xlsx_bytes([row_for(n) for n in range(1, 6)])
    done = commit(dry_run(xihu_inspector, data), ImportJob.Mode.ALL_OR_NOTHING, xihu_inspector)
    assert (done.created_count, done.updated_count) == (5, 0)

    changed = [row_for(n) for n in range(1, 6)]
    changed[2][HEADERS.index("从业人数")] = 400
    changed[3][HEADERS.index("单位名称")] = "杭州改名后的机械有限公司"
    again = commit(dry_run(xihu_inspector, xlsx_bytes(changed)),
                   ImportJob.Mode.ALL_OR_NOTHING, xihu_inspector)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 2, 3)
    renamed = Enterprise.objects.get(uscc=make_uscc(4))
    assert renamed.name == "杭州改名后的机械有限公司"
    assert renamed.search_text.startswith("杭州改名后")
    assert "改名" in renamed.search_bigrams
    big = Enterprise.objects.get(uscc=make_uscc(3))
    assert big.employees == 400
    assert any("从业人员 400 人" in p["reason"] for p in big.risk_explanation)


def test_every_kind_of_row_error_is_reported_in_chinese(xihu_inspector, industries):
    rows = [
        row_for(1, 单位名称=""),                                   # row 2: missing name
        row_for(2, 统一社会信用代码=bad_check(make_uscc(2))),      # row 3: bad check char
        row_for(3, street="330106999"),                            # row 4: unknown street
        row_for(4, street="330108001"),                            # row 5: Binjiang street
        row_for(5, 行业代码="9999"),                               # row 6: unknown industry
        row_for(6, 监管行业="宇宙飞船"),                           # row 7: unknown sector
        row_for(7, 从业人数="五十"),                               # row 8: not an integer
        row_for(8),                                                # row 9: fine
        row_for(8, 单位名称="重复代码公司"),                       # row 10: duplicate code
        row_for(9, street="西湖区北山街道"),                      # row 11: full name: fine
        row_for(10, street="北山街道"),                            # row 12: unique name: fine
    ]
    dry = dry_run(xihu_inspector, xlsx_bytes(rows))
    by_row = {e["row"]: e for e in dry.errors}
    assert set(by_row) == {2, 3, 4, 5, 6, 7, 8, 10}
    assert by_row[2]["message"] == "单位名称不能为空"
    assert "校验位错误" in by_row[3]["message"]
    assert "未知的街道" in by_row[4]["message"]
    assert "不在您的管辖范围内" in by_row[5]["message"]
    assert "未知的行业代码" in by_row[6]["message"]
    assert "未知的监管行业" in by_row[7]["message"]
    assert "从业人数应为非负整数" in by_row[8]["message"]
    assert "与第 9 行重复" in by_row[10]["message"]
    assert dry.valid_rows == 3
    assert Enterprise.objects.count() == 0


def test_formula_cell_is_rejected_with_a_row_error(xihu_inspector, industries):
    rows = [row_for(1), row_for(2)]
    rows[1][HEADERS.index("从业人数")] = "=10*5"
    dry = dry_run(xihu_inspector, xlsx_bytes(rows))
    assert len(dry.errors) == 1
    assert dry.errors[0]["row"] == 3 and dry.errors[0]["field"] == "employees"
    assert "公式" in dry.errors[0]["message"]


def test_title_row_above_the_header_is_skipped(xihu_inspector, industries):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["西湖区生产经营单位台账（2026年）"])
    sheet.append(HEADERS)
    sheet.append(row_for(1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    dry = dry_run(xihu_inspector, buffer.getvalue())
    assert (dry.total_rows, dry.valid_rows, dry.errors) == (1, 1, [])


def test_file_without_the_required_columns_fails_in_chinese(xihu_inspector):
    job = jobs.create_dry_run(upload(xlsx_bytes([["甲公司", "x"]], ["名称", "代码"])),
                                   actor=xihu_inspector)
    result = jobs.run_job(job.pk)
    assert result is not None and result.status == ImportJob.Status.FAILED
    assert "表头缺少必需的列：单位名称、统一社会信用代码、所在街道（乡镇）" in result.message
    csv_bytes = "名称,代码\n甲公司,x\n".encode()
    with pytest.raises(ImportFileError) as exc:
        jobs.create_dry_run(upload(csv_bytes, "a.csv"), actor=xihu_inspector)
    assert "表头缺少必需的列" in exc.value.detail


def test_a_second_commit_while_one_is_pending_is_refused(xihu_inspector, industries):
    dry = dry_run(xihu_inspector, xlsx_bytes([row_for(1)]))
    jobs.create_commit(dry, ImportJob.Mode.ALL_OR_NOTHING, actor=xihu_inspector)
    with pytest.raises(DomainError) as exc:
        jobs.create_commit(dry, ImportJob.Mode.ALL_OR_NOTHING, actor=xihu_inspector)
    assert "正在导入中" in exc.value.detail


def test_renamed_non_xlsx_file_is_rejected(web_as, xihu_inspector):
    client = web_as(xihu_inspector)
    fake = SimpleUploadedFile("台账.xlsx", "单位名称,统一社会信用代码\n".encode(),
                              content_type=XLSX)
    response = client.post(reverse("enterprise_import:upload"), {"file": fake})
    assert response.status_code == 400
    assert "不是有效的 .xlsx" in response.content.decode()
    assert not ImportJob.objects.exists()
    with pytest.raises(ImportFileError):
        storage.store_upload(upload(b"MZ\x90\x00 not a zip", "x.xlsx"))
    with pytest.raises(ImportFileError) as exc:
        storage.store_upload(upload(b"hello", "x.exe"))
    assert "只接受 .xlsx 或 .csv" in exc.value.detail


def test_oversized_file_is_rejected(xihu_inspector):
    with pytest.raises(ImportFileError) as exc:
        storage.store_upload(upload(b"PK\x03\x04" + b"0" * (storage.MAX_FILE_BYTES + 1)))
    assert "5 MB" in exc.value.detail


def test_xml_entity_bomb_is_refused(xihu_inspector, industries):
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([row_for(1)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet",
                    b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    b"<worksheet", 1)
            target.writestr(item, data)
    with pytest.raises(ImportFileError) as exc:
        jobs.create_dry_run(upload(out.getvalue()), actor=xihu_inspector)
    assert "不安全" in exc.value.detail
    assert not ImportJob.objects.exists()


def test_csv_in_gb18030_and_utf8_bom(xihu_inspector, industries):
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in row_for(n, 重点作业="涉氨制冷"))
                                   for n in (1, 2)]
    text = "\r\n".join(lines) + "\r\n"
    done = commit(dry_run(xihu_inspector, text.encode("gb18030"), "台账.csv"),
                  ImportJob.Mode.ALL_OR_NOTHING, xihu_inspector)
    assert done.created_count == 2, done.errors
    assert Enterprise.objects.get(uscc=make_uscc(1)).name == "杭州导入测试1号机械有限公司"
    again = commit(dry_run(xihu_inspector, ("\ufeff" + text).encode("utf-8"), "台账.csv"),
                   ImportJob.Mode.ALL_OR_NOTHING, xihu_inspector)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_existing_enterprise_of_another_district_is_not_overwritten(
        xihu_inspector, binjiang_inspector, industries):
    commit(dry_run(binjiang_inspector, xlsx_bytes([row_for(1, street="330108001",
                                                           region="330108")])),
           ImportJob.Mode.ALL_OR_NOTHING, binjiang_inspector)
    hijack = row_for(1, street="330106002", region="330108", 单位名称="冒名顶替公司")
    dry = dry_run(xihu_inspector, xlsx_bytes([hijack]))
    assert dry.valid_rows == 0
    assert "管辖范围以外" in dry.errors[0]["message"]
    assert Enterprise.objects.get(uscc=make_uscc(1, "330108")).location.code == "330108001"


# --- pages and roles ---------------------------------------------------------------------

def test_upload_page_flow_and_refused_all_or_nothing(web_as, xihu_inspector, industries):
    client = web_as(xihu_inspector)
    assert client.get(reverse("enterprise_import:upload")).status_code == 200
    rows = [row_for(1), row_for(2, 统一社会信用代码="123")]
    response = client.post(reverse("enterprise_import:upload"),
                           {"file": upload(xlsx_bytes(rows))})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "统一社会信用代码应为 18 位" in page and 'data-testid="error-row"' in page
    assert 'max="100" value="100"' in page and "style=" not in page

    refused = client.post(reverse("enterprise_import:commit", args=[job.pk]),
                          {"mode": "all"}, follow=True)
    assert "不能全部导入" in refused.content.decode()
    assert ImportJob.objects.count() == 1 and Enterprise.objects.count() == 0

    response = client.post(reverse("enterprise_import:commit", args=[job.pk]),
                           {"mode": "valid_only"})
    assert response.status_code == 302
    done = ImportJob.objects.exclude(pk=job.pk).get()
    assert done.status == ImportJob.Status.DONE and done.created_count == 1
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-created">1<' in page

    progress = client.get(reverse("enterprise_import:progress", args=[done.pk]),
                          HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    assert "hx-trigger" not in progress.content.decode()


def test_running_job_polls_progress_every_second(web_as, xihu_inspector):
    job = ImportJob.objects.create(created_by=xihu_inspector, file_name="a.xlsx",
                                   file_path="/nonexistent", file_sha256="0" * 64,
                                   mode=ImportJob.Mode.DRY_RUN, total_rows=1000,
                                   processed_rows=300, status=ImportJob.Status.RUNNING)
    html = web_as(xihu_inspector).get(
        reverse("enterprise_import:progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="30"' in html and "300 / 1000" in html


def test_job_of_another_district_is_404(web_as, xihu_inspector, binjiang_inspector):
    job = ImportJob.objects.create(created_by=xihu_inspector, file_name="a.xlsx",
                                   file_path="/nonexistent", file_sha256="0" * 64,
                                   mode=ImportJob.Mode.DRY_RUN)
    client = web_as(binjiang_inspector)
    assert client.get(reverse("enterprise_import:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("enterprise_import:commit", args=[job.pk]),
                       {"mode": "all"}).status_code == 404


def test_auditor_may_export_but_not_import(client, reference_data, industries):
    auditor = make_user("p_auditor", Role.AUDITOR, "EM-330106", full_name="审计员")
    client.force_login(auditor)
    assert client.get(reverse("enterprise_import:upload")).status_code == 403
    assert client.post(reverse("enterprise_import:upload"),
                       {"file": upload(xlsx_bytes([row_for(1)]))}).status_code == 403
    assert client.get(reverse("enterprise_import:template")).status_code == 403
    assert client.post(reverse("enterprise_import:commit", args=[1]),
                       {"mode": "all"}).status_code == 403
    assert client.get(reverse("enterprise_import:export")).status_code == 200
    assert not ImportJob.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("enterprise_import:upload"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- export ------------------------------------------------------------------------------

def _export_rows(client: Any, query: str = "") -> list[tuple[Any, ...]]:
    response = client.get(reverse("enterprise_import:export") + query)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)),
                                      read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_export_escapes_formulas_and_respects_jurisdiction(
        client, xihu_inspector, binjiang_inspector, industries):
    from enterprises.services import create_enterprise

    # The importer refuses a cell starting with "=", so this one is entered by hand.
    create_enterprise({"name": "=cmd|' /C calc'!A0", "uscc": make_uscc(1),
                       "location": Jurisdiction.objects.get(code="330106002")},
                      actor=xihu_inspector)
    xihu_rows = [row_for(2, 主要负责人="@SUM(1)", 联系电话="+8613800000000"),
                 row_for(3, 监管行业="危险化学品")]
    commit(dry_run(xihu_inspector, xlsx_bytes(xihu_rows)), ImportJob.Mode.ALL_OR_NOTHING,
           xihu_inspector)
    commit(dry_run(binjiang_inspector, xlsx_bytes(
        [row_for(n, street="330108002", region="330108") for n in (1, 2)])),
        ImportJob.Mode.ALL_OR_NOTHING, binjiang_inspector)

    client.force_login(binjiang_inspector)
    rows = _export_rows(client)
    assert rows[0][: len(HEADERS)] == tuple(HEADERS)
    assert len(rows) == 3
    assert all(r[HEADERS.index("所在街道（乡镇）")] == "330108002" for r in rows[1:])
    assert not any("西湖区" in str(cell) for row in rows for cell in row)

    client.force_login(xihu_inspector)
    rows = _export_rows(client)
    assert len(rows) == 4
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(1)" in cells and "'+8613800000000" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "@", "+")) for c in cells)

    # The list's filters apply: only the hazardous-chemicals enterprise.
    rows = _export_rows(client, "?sector=hazardous_chemicals")
    assert len(rows) == 2 and rows[1][1] == make_uscc(3)


def test_escape_cell():
    for raw in ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"]:
        assert escape_cell(raw) == "'" + raw
    assert escape_cell("杭州") == "杭州" and escape_cell(5) == 5 and escape_cell(None) is None


def test_export_cap(client, xihu_inspector, industries, monkeypatch):
    from enterprises import exporting

    commit(dry_run(xihu_inspector, xlsx_bytes([row_for(1), row_for(2)])),
           ImportJob.Mode.ALL_OR_NOTHING, xihu_inspector)
    monkeypatch.setattr(exporting, "MAX_EXPORT_ROWS", 1)  # a setting, not project logic
    client.force_login(xihu_inspector)
    response = client.get(reverse("enterprise_import:export"))
    assert response.status_code == 400
    assert "请缩小筛选范围" in response.content.decode()


# --- a real Celery worker ------------------------------------------------------------------

@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_large_file_runs_on_a_worker_and_progress_reaches_total(
        celery_live_worker, client, reference_data, tmp_path):
    if not IndustryClass.objects.filter(code="3311").exists():
        load_industry_classes(IndustryClass)
    if not Jurisdiction.objects.filter(code="330106002").exists():
        pytest.fail("reference data missing")
    user = make_user("p_xihu_bulk", Role.INSPECTOR, "EM-330106", full_name="西湖批量")
    client.force_login(user)
    data = xlsx_bytes([row_for(n) for n in range(1, 651)])
    response = client.post(reverse("enterprise_import:upload"), {"file": upload(data)})
    assert response.status_code == 302
    dry = ImportJob.objects.get()
    assert jobs.runs_in_background(dry)
    assert str(dry.file_path).startswith(str(tmp_path / "imports"))
    seen = _wait(dry.pk)
    assert seen.status == ImportJob.Status.DONE, seen.message
    assert seen.total_rows == seen.processed_rows == 650 and seen.valid_rows == 650

    response = client.post(reverse("enterprise_import:commit", args=[dry.pk]), {"mode": "all"})
    assert response.status_code == 302
    done = _wait(ImportJob.objects.exclude(pk=dry.pk).get().pk)
    assert done.status == ImportJob.Status.DONE, done.message
    assert done.processed_rows == done.total_rows == 650
    assert done.created_count == 650
    assert Enterprise.objects.count() == 650


def _wait(job_id: int, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"import job {job_id} did not finish in {timeout}s")
