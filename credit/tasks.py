"""Celery tasks of the credit app (thin: each calls one service)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.core.cache import cache

SCHEDULED_KEY = "credit:outbox:scheduled"


@shared_task(ignore_result=True)
def relay_outbox() -> dict[str, Any]:
    """Push what is due; then make sure someone comes back: at once when the time
    budget ran out with work left, else when the earliest retry is due (beat runs this
    every minute as well, so a lost kick costs a minute, never a push)."""
    from credit.outbox import relay

    stats = relay.run()
    wait = relay.next_retry_in()
    if relay.claimable().exists():
        wait = 0.0
    if wait is not None and cache.add(SCHEDULED_KEY, 1, timeout=max(1, int(wait))):
        relay_outbox.apply_async(countdown=wait)
    return {"sent": stats.sent, "failed": stats.failed, "dead": stats.dead}


@shared_task(ignore_result=True)
def reconcile_outbox() -> None:
    from credit.outbox.reconcile import reconcile_all

    reconcile_all()


@shared_task(ignore_result=True)
def expire_violations() -> None:
    from credit.violations.services import expire_due

    expire_due()


@shared_task(ignore_result=True)
def propose_repeat_accidents() -> int:
    """令11号 列入情形 发生事故（二）, detected for every enterprise (idempotent)."""
    from credit.blacklist.accidents import propose_repeat_accidents as detect

    return len(detect())
