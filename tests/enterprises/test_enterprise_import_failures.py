"""Import jobs always end: control characters are row errors, any exception ends the job
as failed with its reason, and the watchdog ends jobs that stopped reporting."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import threading
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from enterprises.importing import jobs, storage
from enterprises.importing.columns import COLUMNS, HEADERS
from enterprises.models import Enterprise, ImportJob, IndustryClass
from enterprises.reference import load_industry_classes
from enterprises.tasks import fail_stalled_import_jobs
from hangzhou_safety.accounts.models import Role
from tests.conftest import make_user
from tests.enterprises.test_enterprise_import import (
    commit,
    dry_run,
    make_uscc,
    row_for,
    upload,
    xlsx_bytes,
)

STREET = HEADERS.index("所在街道（乡镇）")
ADDRESS = HEADERS.index("生产经营地址")


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Any) -> None:
    """Uploads go to a throwaway VAR_DIR, not the checkout's var/."""
    settings.VAR_DIR = tmp_path


@pytest.fixture
def industries(reference_data: None) -> None:
    if not IndustryClass.objects.filter(code="3311").exists():
        load_industry_classes(IndustryClass)


def csv_file(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # quotes a cell holding a line break, as Excel does
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode()


def job_row(user: Any, **fields: Any) -> ImportJob:
    values: dict[str, Any] = {"created_by": user, "file_name": "a.csv",
                              "file_path": "/nonexistent.csv", "file_sha256": "0" * 64,
                              "mode": ImportJob.Mode.DRY_RUN}
    return ImportJob.objects.create(**(values | fields))


# --- control characters in cells -----------------------------------------------------------

@pytest.mark.parametrize("column", ["单位名称", "统一社会信用代码", "所在街道（乡镇）"])
def test_csv_with_a_nul_after_the_first_4kb_is_a_row_error_on_the_page(
        web_as, xihu_inspector, industries, column):
    rows = [row_for(n) for n in range(1, 40)]
    index = HEADERS.index(column)
    rows[20][index] = str(rows[20][index])[:4] + "\x00" + str(rows[20][index])[4:]
    data = csv_file(rows)
    assert len(data) > 4096 and b"\x00" not in data[:4096] and b"\x00" in data

    client = web_as(xihu_inspector)  # a 500 would raise in the test client
    response = client.post(reverse("enterprise_import:upload"),
                           {"file": upload(data, "台账.csv")})
    assert response.status_code == 302
    dry = ImportJob.objects.get()
    assert dry.status == ImportJob.Status.DONE, dry.message
    assert (dry.total_rows, dry.valid_rows) == (39, 38)
    assert dry.errors == [{
        "row": 22, "field": dict(COLUMNS)[column],
        "message": f"“{column}”含有不可见的控制字符 U+0000（第 5 个字符），请删除后重新导入。"}]
    page = client.get(response["Location"]).content.decode()
    assert "控制字符 U+0000" in page and 'data-testid="error-row"' in page

    response = client.post(reverse("enterprise_import:commit", args=[dry.pk]),
                           {"mode": "valid_only"})
    assert response.status_code == 302
    done = ImportJob.objects.exclude(pk=dry.pk).get()
    assert done.status == ImportJob.Status.DONE, done.message
    assert done.created_count == 38 and Enterprise.objects.count() == 38


def test_other_control_characters_are_row_errors_but_tabs_and_line_breaks_are_not(
        xihu_inspector, industries):
    rows = [row_for(1), row_for(2), row_for(3), row_for(4)]
    rows[1][ADDRESS] = "杭州市\x1b[31m某某路"      # ESC: a terminal colour code
    rows[2][ADDRESS] = "杭州市\x9b某某路"          # a C1 control (CSI), legal in xlsx XML
    rows[3][ADDRESS] = "杭州市某某路\n3号楼\t2单元"  # Alt+Enter and a tab: fine
    dry = dry_run(xihu_inspector, xlsx_bytes(rows[:1] + rows[2:]))
    assert [(e["row"], e["field"]) for e in dry.errors] == [(3, "address")]
    assert "U+009B" in dry.errors[0]["message"]

    data = csv_file([rows[0], rows[1], rows[3]])
    assert '"杭州市某某路\n3号楼\t2单元"' in data.decode()  # quoted, as Excel does
    dry = dry_run(xihu_inspector, data, "台账.csv")
    assert [(e["row"], e["field"]) for e in dry.errors] == [(3, "address")]
    assert "U+001B" in dry.errors[0]["message"]
    assert dry.valid_rows == 2
    done = commit(dry, ImportJob.Mode.VALID_ONLY, xihu_inspector)
    assert done.status == ImportJob.Status.DONE
    assert Enterprise.objects.get(uscc=make_uscc(4)).address == "杭州市某某路\n3号楼\t2单元"


def test_a_refused_cell_is_reported_once_not_also_as_empty(xihu_inspector, industries):
    rows = [row_for(1, 单位名称="\x07杭州响铃公司")]
    dry = dry_run(xihu_inspector, csv_file(rows), "台账.csv")
    assert [e["field"] for e in dry.errors] == ["name"]
    assert "U+0007" in dry.errors[0]["message"]


def test_control_characters_are_dropped_from_the_file_name(xihu_inspector):
    name, path, _ = storage.store_upload(SimpleUploadedFile("台\x00账\x1b.csv", b"a,b\n"))
    assert name == "台账.csv" and path.endswith(".csv")


def test_a_malformed_csv_is_a_400_with_its_reason_not_a_500(web_as, xihu_inspector):
    # An unclosed quote swallows the rest of the file into one field past csv's limit.
    data = csv_file([row_for(1)]) + b'"' + b"x" * 200_000 + b"\r\n"
    response = web_as(xihu_inspector).post(reverse("enterprise_import:upload"),
                                           {"file": upload(data, "台账.csv")})
    assert response.status_code == 400
    assert "CSV 格式有误" in response.content.decode()
    assert not ImportJob.objects.exists()


# --- any exception ends the job as failed ----------------------------------------------------

def test_an_unexpected_error_ends_the_job_failed_with_a_generic_reason(
        web_as, xihu_inspector, tmp_path, caplog):
    # A directory where the upload should be: IsADirectoryError, which nothing expects.
    (tmp_path / "stored.csv").mkdir()
    job = job_row(xihu_inspector, file_path=str(tmp_path / "stored.csv"))
    with caplog.at_level(logging.ERROR, logger="enterprises.importing.jobs"):
        result = jobs.run_job(job.pk)
    assert result is not None and result.status == ImportJob.Status.FAILED
    assert result.message == jobs.INTERNAL_ERROR and result.finished_at is not None
    assert "IsADirectoryError" in caplog.text  # the traceback is logged
    page = web_as(xihu_inspector).get(reverse("enterprise_import:job", args=[job.pk]))
    assert jobs.INTERNAL_ERROR in page.content.decode()
    assert 'data-status="failed"' in page.content.decode()


def test_a_database_error_inside_a_transaction_still_ends_the_job(
        xihu_inspector, monkeypatch):
    # Fault injection: a statement PostgreSQL refuses, as a NUL in jsonb once was. The
    # test runs inside a transaction, where such an error aborts it; the job must still
    # be recorded as failed (run_job works in a savepoint there).
    job = job_row(xihu_inspector)

    def broken(*args: Any, **kwargs: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    monkeypatch.setattr(jobs, "validate_file", broken)
    assert connection.in_atomic_block
    result = jobs.run_job(job.pk)
    assert result is not None and result.status == ImportJob.Status.FAILED
    assert result.message == jobs.INTERNAL_ERROR


def test_a_vanished_upload_fails_with_its_reason(xihu_inspector):
    result = jobs.run_job(job_row(xihu_inspector).pk)
    assert result is not None and result.status == ImportJob.Status.FAILED
    assert result.message == "上传的文件已不存在，请重新上传。"


# --- heartbeat and the stall watchdog ----------------------------------------------------------

def test_progress_stamps_the_heartbeat_and_never_moves_the_bar_back(xihu_inspector):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = job_row(xihu_inspector, status=ImportJob.Status.RUNNING, processed_rows=300,
                  heartbeat_at=long_ago)
    jobs.set_progress(job.pk, 100)  # a redelivered task starting over
    job.refresh_from_db()
    assert job.processed_rows == 300 and job.heartbeat_at > long_ago
    jobs.set_progress(job.pk, 400)
    job.refresh_from_db()
    assert job.processed_rows == 400


def test_watchdog_fails_stalled_jobs_and_leaves_the_others(web_as, xihu_inspector, settings):
    settings.IMPORT_JOB_STALL_MINUTES = 15
    now = timezone.now()
    stale = now - datetime.timedelta(minutes=16)
    fresh = now - datetime.timedelta(minutes=14)
    stalled_running = job_row(xihu_inspector, status=ImportJob.Status.RUNNING,
                              heartbeat_at=stale, processed_rows=200, total_rows=1000)
    stalled_pending = job_row(xihu_inspector, heartbeat_at=stale, total_rows=1000)
    live = job_row(xihu_inspector, status=ImportJob.Status.RUNNING, heartbeat_at=fresh)
    finished = job_row(xihu_inspector, status=ImportJob.Status.DONE, heartbeat_at=stale)
    failed = job_row(xihu_inspector, status=ImportJob.Status.FAILED, heartbeat_at=stale,
                     message="表头缺少必需的列")

    assert jobs.fail_stalled_jobs(now=now) == 2
    for job in (stalled_running, stalled_pending):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED
        assert job.message == "导入任务长时间无进展，已终止"
        assert job.finished_at == now
    for job, status in ((live, "running"), (finished, "done"), (failed, "failed")):
        job.refresh_from_db()
        assert job.status == status and job.message != "导入任务长时间无进展，已终止"
    assert jobs.fail_stalled_jobs(now=now) == 0  # idempotent

    # The job page stops polling and shows the reason.
    client = web_as(xihu_inspector)
    page = client.get(reverse("enterprise_import:job", args=[stalled_running.pk]))
    assert "导入任务长时间无进展，已终止" in page.content.decode()
    assert "hx-trigger" not in page.content.decode()

    # A worker that wakes up late changes nothing: the job stays ended.
    jobs.set_progress(stalled_running.pk, 900)
    late = jobs.run_job(stalled_running.pk)
    assert late is not None and late.status == ImportJob.Status.FAILED
    stalled_running.refresh_from_db()
    assert stalled_running.processed_rows == 200


def test_watchdog_timeout_comes_from_settings(xihu_inspector, settings):
    job = job_row(xihu_inspector, status=ImportJob.Status.RUNNING,
                  heartbeat_at=timezone.now() - datetime.timedelta(minutes=20))
    settings.IMPORT_JOB_STALL_MINUTES = 30
    assert jobs.fail_stalled_jobs() == 0
    settings.IMPORT_JOB_STALL_MINUTES = 10
    assert jobs.fail_stalled_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_watchdog_is_on_the_beat_schedule() -> None:
    from hangzhou_safety.celery import app

    entry = app.conf.beat_schedule["enterprises-fail-stalled-imports"]
    assert entry["task"] == "enterprises.tasks.fail_stalled_import_jobs"
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert "enterprises.tasks.fail_stalled_import_jobs" in app.tasks
    assert "enterprises.tasks.run_import_job" in app.tasks


@pytest.mark.django_db(transaction=True)
def test_watchdog_skips_a_job_whose_commit_holds_its_row(reference_data):
    user = make_user("p_xihu_lock", Role.INSPECTOR, "EM-330106")
    job = job_row(user, status=ImportJob.Status.RUNNING,
                  heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    locked, release = threading.Event(), threading.Event()

    def committing() -> None:  # what commit_rows does for its whole transaction
        try:
            with transaction.atomic():
                ImportJob.objects.select_for_update().get(pk=job.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=committing)
    thread.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        assert jobs.fail_stalled_jobs() == 0
        assert time.monotonic() - started < 5  # skipped, not waited for
    finally:
        release.set()
        thread.join(10)
    assert jobs.fail_stalled_jobs() == 1  # the lock gone, the silence counts


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_watchdog_task_runs_on_a_worker(celery_live_worker, reference_data):
    user = make_user("p_xihu_watchdog", Role.INSPECTOR, "EM-330106")
    stale = job_row(user, status=ImportJob.Status.RUNNING,
                    heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    fresh = job_row(user, status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now())
    fail_stalled_import_jobs.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        stale.refresh_from_db()
        if stale.status == ImportJob.Status.FAILED:
            break
        time.sleep(0.2)
    assert stale.status == ImportJob.Status.FAILED, "the worker never ran the watchdog"
    assert stale.message == "导入任务长时间无进展，已终止"
    fresh.refresh_from_db()
    assert fresh.status == ImportJob.Status.RUNNING
