"""Celery tasks of enforcement: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from enforcement.cases.reminders import send_case_reminders as _send_case_reminders
from enforcement.disclosure.sweep import sweep


@shared_task(acks_late=True)
def send_case_reminders() -> dict[str, int]:
    """Hourly: case clocks due within N working days or expired are notified to their
    officers and section chiefs, once per clock and stage."""
    return _send_case_reminders()


@shared_task(acks_late=True)
def sweep_disclosures() -> dict[str, int]:
    """Hourly: disclosure reminders, overdue flags and escalation, withdrawals due,
    expiries (enforcement/disclosure/sweep.py)."""
    return sweep()
