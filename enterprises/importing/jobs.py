"""Import jobs: create a dry run or a commit, start it, run it, report progress.

A dry run (mode "dry_run") validates every row of a stored upload and keeps the
errors. A commit (mode "all" or "valid_only") is a second job on the same stored
file: it re-reads and re-validates the file (the registry may have changed since the
dry run) and writes in one transaction (committing.commit_rows). Small files run
inline, so the page shows the result at once; larger ones run in a Celery task
(enterprises.tasks.run_import_job) while the page polls processed_rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, InvalidInput

from ..models import ImportJob
from .committing import commit_rows
from .errors import ImportFileError
from .reading import estimate_rows
from .storage import store_upload
from .validation import validate_file

# Above this many data rows the work runs in a Celery task with a progress bar.
INLINE_ROW_LIMIT = 500
# The job keeps this many row errors; the count of invalid rows is still exact.
MAX_STORED_ERRORS = 2000


def jobs_visible_to(user: Any) -> Any:
    """Jobs of users within the caller's jurisdiction (the municipal level sees all)."""
    path = user_scope_path(user)
    if path is None:
        return ImportJob.objects.none()
    if path == "":
        return ImportJob.objects.all()
    return ImportJob.objects.filter(
        Q(created_by=user) | Q(created_by__authority__jurisdiction__path__startswith=path))


def create_dry_run(uploaded: Any, *, actor: Any) -> ImportJob:
    """Store the upload and create its dry-run job (run it with start_job)."""
    name, path, sha = store_upload(uploaded)
    try:
        total = estimate_rows(path)
    except ImportFileError:
        Path(path).unlink(missing_ok=True)
        raise
    return ImportJob.objects.create(created_by=actor, file_name=name, file_path=path,
                                    file_sha256=sha, mode=ImportJob.Mode.DRY_RUN,
                                    total_rows=total)


def create_commit(dry_run: ImportJob, mode: str, *, actor: Any) -> ImportJob:
    """A commit job for a finished dry run. "all" is refused when the dry run found errors."""
    if mode not in (ImportJob.Mode.ALL_OR_NOTHING, ImportJob.Mode.VALID_ONLY):
        raise InvalidInput("导入方式无效。", "Unknown import mode.")
    if dry_run.mode != ImportJob.Mode.DRY_RUN or dry_run.status != ImportJob.Status.DONE:
        raise DomainError("请先完成试导入（校验），再确认导入。",
                          "Only a finished dry run can be committed.")
    if mode == ImportJob.Mode.ALL_OR_NOTHING and dry_run.errors:
        raise DomainError(
            f"试导入发现 {dry_run.total_rows - dry_run.valid_rows} 行有错误，不能全部导入。"
            "请修正文件后重新上传，或选择“仅导入有效行”。",
            "The dry run found errors; an all-or-nothing import is refused.",
            code="import_has_errors")
    if mode == ImportJob.Mode.VALID_ONLY and dry_run.valid_rows == 0:
        raise DomainError("没有可导入的有效行。", "No valid rows to import.",
                          code="import_nothing_valid")
    with transaction.atomic():
        # Serialise commits of one file: a double click must not start two imports.
        ImportJob.objects.select_for_update().get(pk=dry_run.pk)
        if ImportJob.objects.filter(
                file_path=dry_run.file_path,
                status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING],
        ).exclude(mode=ImportJob.Mode.DRY_RUN).exists():
            raise DomainError("该文件正在导入中，请等待完成。",
                              "An import of this file is already running.",
                              code="import_in_progress")
        return ImportJob.objects.create(created_by=actor, file_name=dry_run.file_name,
                                        file_path=dry_run.file_path,
                                        file_sha256=dry_run.file_sha256, mode=mode,
                                        total_rows=dry_run.total_rows)


def runs_in_background(job: ImportJob) -> bool:
    return job.total_rows > INLINE_ROW_LIMIT


def start_job(job: ImportJob) -> None:
    """Small files inline (the page shows the result at once); large ones in a task,
    enqueued after commit so the worker sees the job row."""
    if runs_in_background(job):
        from ..tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.delay(job.pk))
    else:
        run_job(job.pk)


def set_progress(job_id: int, processed: int) -> None:
    # Conditional: a redelivered task never moves the bar backwards, and a finished
    # job is never touched again.
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING,
                             processed_rows__lt=processed).update(processed_rows=processed)


def fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.FAILED, message=message[:255], finished_at=timezone.now())


def run_job(job_id: int) -> ImportJob | None:
    """Validate (dry run) or validate and commit. Idempotent: a finished job is left as
    it is; a re-run of an interrupted one starts over (the commit is all-or-nothing)."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING],
    ).update(status=ImportJob.Status.RUNNING)
    if not claimed:
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = job.created_by
    try:
        result = validate_file(job.file_path, actor,
                               progress=lambda n: set_progress(job_id, n))
    except ImportFileError as exc:
        fail(job_id, exc.detail)
        return ImportJob.objects.get(pk=job_id)
    except OSError:
        fail(job_id, "上传的文件已不存在，请重新上传。")
        return ImportJob.objects.get(pk=job_id)
    errors = [e.as_dict() for e in sorted(result.errors, key=lambda e: e.row)]
    summary = {"total_rows": result.total_rows, "processed_rows": result.total_rows,
               "valid_rows": len(result.valid), "errors": errors[:MAX_STORED_ERRORS]}
    if len(errors) > MAX_STORED_ERRORS:
        summary["message"] = f"错误过多，仅显示前 {MAX_STORED_ERRORS} 条。"
    if job.mode == ImportJob.Mode.DRY_RUN:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.DONE, finished_at=timezone.now(), **summary)
        return ImportJob.objects.get(pk=job_id)
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING and result.errors:
        ImportJob.objects.filter(pk=job_id).update(
            **summary, status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            message=(f"文件中有 {result.invalid_rows} 行错误，已按“全部导入”要求拒绝，"
                     "未写入任何数据。"))
        return ImportJob.objects.get(pk=job_id)
    try:
        commit_rows(job_id, result.valid, actor=actor, summary=summary)
    except IntegrityError:
        # A concurrent import or edit took a credit code between validation and insert:
        # the transaction rolled back whole; nothing was written.
        fail(job_id, "导入时数据已被他人修改（统一社会信用代码冲突），未写入任何数据，"
                      "请重新导入。")
    except Exception:
        # Rolled back whole; the page must not poll a "running" job forever.
        fail(job_id, "导入过程中发生内部错误，未写入任何数据。请联系管理员。")
        raise
    return ImportJob.objects.get(pk=job_id)
