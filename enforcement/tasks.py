"""Celery tasks of enforcement: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from enforcement.cases.reminders import send_case_reminders as _send_case_reminders


@shared_task(acks_late=True)
def send_case_reminders() -> dict[str, int]:
    """Hourly: case clocks due within N working days or expired are notified to their
    officers and section chiefs, once per clock and stage."""
    return _send_case_reminders()
