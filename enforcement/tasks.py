"""Celery tasks of enforcement: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from enforcement.disclosure.sweep import sweep


@shared_task(acks_late=True)
def sweep_disclosures() -> dict[str, int]:
    """Hourly: disclosure reminders, overdue flags and escalation, withdrawals due,
    expiries (enforcement/disclosure/sweep.py)."""
    return sweep()
