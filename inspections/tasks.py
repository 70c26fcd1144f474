"""Celery tasks of inspections: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from inspections.loop.services import flag_overdue


@shared_task(acks_late=True)
def flag_overdue_rectifications() -> dict[str, int]:
    """Daily: overdue rectifications and re-checks, and stop measures past their limit,
    are flagged and their inspectors told."""
    return flag_overdue()
