"""Celery tasks of the registry: thin wrappers that take ids and call one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import Enterprise
from .risk import compute_risk, filed_hazard_levels


@shared_task(acks_late=True)
def recompute_enterprise_risk(enterprise_id: int) -> str | None:
    """Idempotent: recomputes from current inputs; a conditional update writes the result."""
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        return None
    result = compute_risk(enterprise, filed_hazard_levels(enterprise_id))
    Enterprise.objects.filter(pk=enterprise_id).update(
        risk_score=result.score, risk_level=result.level,
        risk_explanation=result.explanation, risk_computed_at=timezone.now())
    return result.level


@shared_task(acks_late=True)
def run_import_job(job_id: int) -> str | None:
    """Bulk import (dry run or commit) of a large file; progress in processed_rows.
    Idempotent: importing.jobs.run_job leaves a finished job alone and commits atomically."""
    from .importing.jobs import run_job

    job = run_job(job_id)
    return job.status if job is not None else None


@shared_task(acks_late=True)
def fail_stalled_import_jobs() -> int:
    """Every 5 minutes: end as failed the import jobs that stopped reporting progress
    (enterprises.importing.jobs.fail_stalled_jobs)."""
    from .importing.jobs import fail_stalled_jobs

    return fail_stalled_jobs()


@shared_task(acks_late=True)
def refresh_expiring_supervision() -> int:
    """Daily: re-derive supervisors whose enclave agreement / level assignment began or
    ended (enterprises.jobs)."""
    from . import jobs

    return jobs.refresh_expiring_supervision()


@shared_task(acks_late=True)
def recompute_stale_risk(limit: int = 5000) -> int:
    """Hourly: score enterprises whose risk was never computed (enterprises.jobs)."""
    from . import jobs

    return jobs.recompute_stale_risk(limit=limit)
