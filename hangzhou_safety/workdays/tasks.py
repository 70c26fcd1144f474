"""Beat jobs of the work calendar (schedule in hangzhou_safety/celery.py). Thin wrappers."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def refresh_provisional_deadlines() -> int:
    """Recompute provisional clocks; idempotent (a second run finds nothing to change)."""
    return services.recompute_provisional_deadlines()


@shared_task(acks_late=True)
def warn_if_next_year_missing() -> bool:
    """From 1 November, warn the municipal administrators once a day that next year's
    schedule is missing."""
    return services.warn_next_year_missing()
