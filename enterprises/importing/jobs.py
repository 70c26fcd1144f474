"""Import jobs: create a dry run or a commit, start it, run it, report progress, and
end it, always, as done or failed with a Chinese reason the job page shows.

A dry run (mode "dry_run") validates every row of a stored upload and keeps the
errors. A commit (mode "all" or "valid_only") is a second job on the same stored
file: it re-reads and re-validates the file (the registry may have changed since the
dry run) and writes in one transaction (committing.commit_rows). Small files run
inline, so the page shows the result at once; larger ones run in a Celery task
(enterprises.tasks.run_import_job) while the page polls processed_rows.

Ending: run_job turns every exception into a failed job. Known ones (an unreadable
file, a vanished upload, a credit-code race) carry their own reason; anything else is
logged with its traceback and stored as a generic reason, never left "running" for the
page to poll forever. A job can still stop reporting without raising (the worker
killed, the message lost, the web process timed out): each claim and progress update
stamps heartbeat_at, and fail_stalled_jobs, a beat job, ends as failed every pending or
running job silent for longer than settings.IMPORT_JOB_STALL_MINUTES. Every terminal
write is conditional on the job still running, so the watchdog and a late worker
cannot both win.
"""

from __future__ import annotations

import datetime
import logging
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Greatest
from django.utils import timezone

from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, InvalidInput

from ..models import ImportJob
from .committing import commit_rows
from .errors import ImportFileError
from .reading import estimate_rows
from .storage import store_upload
from .validation import validate_file

logger = logging.getLogger(__name__)

# Above this many data rows the work runs in a Celery task with a progress bar.
INLINE_ROW_LIMIT = 500
# The job keeps this many row errors; the count of invalid rows is still exact.
MAX_STORED_ERRORS = 2000
ACTIVE = (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)

FILE_GONE = "上传的文件已不存在，请重新上传。"
CODE_CONFLICT = ("导入时数据已被他人修改（统一社会信用代码冲突），未写入任何数据，"
                 "请重新导入。")
INTERNAL_ERROR = "导入过程中发生内部错误，未写入任何数据。请联系管理员。"
UNREADABLE = "无法读取该文件，请检查文件内容或另存为导入模板的格式后重试。"
STALLED = "导入任务长时间无进展，已终止"


def jobs_visible_to(user: Any) -> Any:
    """Jobs of users within the caller's jurisdiction (the municipal level sees all)."""
    path = user_scope_path(user)
    if path is None:
        return ImportJob.objects.none()
    if path == "":
        return ImportJob.objects.all()
    return ImportJob.objects.filter(
        Q(created_by=user) | Q(created_by__authority__jurisdiction__path__startswith=path))


# --- Creating and starting ----------------------------------------------------------------

def create_dry_run(uploaded: Any, *, actor: Any) -> ImportJob:
    """Store the upload and create its dry-run job (run it with start_job).
    Raises ImportFileError (the form's error) for a file that cannot be imported."""
    name, path, sha = store_upload(uploaded)
    try:
        total = estimate_rows(path)
    except ImportFileError:
        Path(path).unlink(missing_ok=True)
        raise
    except Exception as exc:
        # The page answers 400 with a reason, not 500; the traceback goes to the log.
        logger.exception("Counting the rows of upload %s failed", name)
        Path(path).unlink(missing_ok=True)
        raise ImportFileError(UNREADABLE, f"Unreadable file: {type(exc).__name__}") from exc
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
        if ImportJob.objects.filter(file_path=dry_run.file_path, status__in=ACTIVE) \
                .exclude(mode=ImportJob.Mode.DRY_RUN).exists():
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


# --- Progress and ending --------------------------------------------------------------------

def set_progress(job_id: int, processed: int) -> None:
    """Stamp the heartbeat and move the bar. Conditional: a finished job is never
    touched again, and a redelivered task starting over never moves the bar backwards."""
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
        processed_rows=Greatest("processed_rows", processed), heartbeat_at=timezone.now())


def fail(job_id: int, message: str) -> None:
    """End a pending or running job as failed. A job already ended keeps its outcome."""
    ImportJob.objects.filter(pk=job_id, status__in=ACTIVE).update(
        status=ImportJob.Status.FAILED, message=message[:255], finished_at=timezone.now())


def stall_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.IMPORT_JOB_STALL_MINUTES)


def fail_stalled_jobs(*, timeout: datetime.timedelta | None = None,
                      now: datetime.datetime | None = None) -> int:
    """End as failed every pending or running job that has not reported for `timeout`
    (default settings.IMPORT_JOB_STALL_MINUTES). Returns how many it ended.

    One conditional UPDATE, so idempotent: a second run finds them failed already.
    SKIP LOCKED leaves alone a job whose commit transaction holds its row right now:
    that job is busy, not stalled (commit_rows writes no progress), and it ends itself.
    """
    now = now or timezone.now()
    cutoff = now - (timeout if timeout is not None else stall_timeout())
    stalled = ImportJob.objects.filter(status__in=ACTIVE, heartbeat_at__lt=cutoff)
    with transaction.atomic():  # FOR UPDATE needs a transaction, even in a subquery
        count = ImportJob.objects.filter(
            pk__in=stalled.select_for_update(skip_locked=True).values("pk"),
        ).update(status=ImportJob.Status.FAILED, message=STALLED, finished_at=now)
    if count:
        logger.warning("Ended %s import job(s) without progress since %s", count, cutoff)
    return count


def _claim(job_id: int) -> bool:
    return bool(ImportJob.objects.filter(pk=job_id, status__in=ACTIVE).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now()))


def _recoverable() -> AbstractContextManager[Any]:
    """In autocommit (the task, the page) every statement stands alone, and progress
    must be visible as it is written. Called inside a caller's transaction, a savepoint
    lets a failed statement be rolled back so that the failure can still be recorded."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def run_job(job_id: int) -> ImportJob | None:
    """Validate (dry run) or validate and commit. Idempotent: a finished job is left as
    it is; a re-run of an interrupted one starts over (the commit is all-or-nothing).
    Never raises for a problem of the job: the job ends failed with its reason."""
    if not _claim(job_id):
        return ImportJob.objects.filter(pk=job_id).first()
    try:
        with _recoverable():
            _run(job_id)
    except ImportFileError as exc:
        fail(job_id, exc.detail)
    except FileNotFoundError:
        fail(job_id, FILE_GONE)
    except IntegrityError:
        # A concurrent import or edit took a credit code between validation and insert:
        # the transaction rolled back whole; nothing was written.
        logger.warning("Import job %s hit a credit-code conflict", job_id, exc_info=True)
        fail(job_id, CODE_CONFLICT)
    except Exception:
        # Rolled back whole; the page must not poll a "running" job forever.
        logger.exception("Import job %s failed", job_id)
        fail(job_id, INTERNAL_ERROR)
    return ImportJob.objects.get(pk=job_id)


def _run(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = job.created_by
    result = validate_file(job.file_path, actor, progress=lambda n: set_progress(job_id, n))
    errors = [e.as_dict() for e in sorted(result.errors, key=lambda e: e.row)]
    summary: dict[str, Any] = {
        "total_rows": result.total_rows, "processed_rows": result.total_rows,
        "valid_rows": len(result.valid), "errors": errors[:MAX_STORED_ERRORS]}
    if len(errors) > MAX_STORED_ERRORS:
        summary["message"] = f"错误过多，仅显示前 {MAX_STORED_ERRORS} 条。"
    still_running = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING)
    if job.mode == ImportJob.Mode.DRY_RUN:
        still_running.update(status=ImportJob.Status.DONE, finished_at=timezone.now(),
                             **summary)
        return
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING and result.errors:
        still_running.update(**{
            **summary, "status": ImportJob.Status.FAILED, "finished_at": timezone.now(),
            "message": (f"文件中有 {result.invalid_rows} 行错误，已按“全部导入”要求拒绝，"
                        "未写入任何数据。")})
        return
    commit_rows(job_id, result.valid, actor=actor, summary=summary)
