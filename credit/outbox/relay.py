"""The relay: claim due deliveries, POST them, record the outcome.

A batch runs in one transaction. Rows are claimed with ``SELECT … FOR UPDATE SKIP
LOCKED`` so several workers share the queue without taking the same row, and only the
*head* of each stream (platform × enterprise) is claimable: a delivery with an earlier
unsent delivery of the same stream — pending, failed, dead or held by another worker —
waits, so a removal never overtakes its inclusion. The lock is held while the POSTs
run; if the worker dies the connection drops, PostgreSQL releases the rows unchanged
and they are sent again, which the platform absorbs through the idempotency key (the
message UUID): each change arrives exactly once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef
from django.utils import timezone

from hangzhou_safety.workflow import transition, transition_many

from . import backoff
from .models import DELIVERY_WORKFLOW, Delivery
from .transport import PushFailed, post

logger = logging.getLogger(__name__)
DS = Delivery.Status


@dataclass
class RunStats:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    batches: int = 0
    dead_ids: list[int] = field(default_factory=list)


def claimable():
    earlier = Delivery.objects.filter(
        platform=OuterRef("platform"), enterprise_id_copy=OuterRef("enterprise_id_copy"),
        message_id__lt=OuterRef("message_id")).exclude(status=DS.SENT)
    return Delivery.objects.filter(status__in=(DS.PENDING, DS.FAILED),
                                   next_attempt_at__lte=timezone.now()).filter(~Exists(earlier))


def _fail(row: Delivery, error: str, stats: RunStats) -> None:
    attempts = row.attempts + 1
    if attempts >= settings.CREDIT_OUTBOX_MAX_ATTEMPTS:
        transition(DELIVERY_WORKFLOW, row, DS.DEAD, actor=None, locked=row,
                   changes={"attempts": attempts, "last_error": error[:300]}, reason=error[:200])
        stats.dead += 1
        stats.dead_ids.append(row.pk)
        return
    wait = backoff.delay(attempts, base=settings.CREDIT_OUTBOX_BACKOFF_BASE,
                         cap=settings.CREDIT_OUTBOX_BACKOFF_CAP)
    transition(DELIVERY_WORKFLOW, row, DS.FAILED, actor=None, locked=row, changes={
        "attempts": attempts, "last_error": error[:300],
        "next_attempt_at": timezone.now() + datetime.timedelta(seconds=wait)})
    stats.failed += 1


def run_batch(session: requests.Session, stats: RunStats) -> int:
    """Claim and push one batch; the number of rows claimed (0: nothing due)."""
    confs = settings.CREDIT_PLATFORMS
    with transaction.atomic():
        rows = list(claimable().select_for_update(skip_locked=True, of=("self",))
                    .select_related("message").order_by("message_id")
                    [:settings.CREDIT_OUTBOX_BATCH])
        sent: list[int] = []
        failures: list[tuple[Delivery, str]] = []
        for row in rows:
            conf = confs.get(row.platform)
            try:
                if conf is None:
                    raise PushFailed(f"platform {row.platform} is not configured")
                post(session, row.message, conf, timeout=settings.CREDIT_OUTBOX_TIMEOUT)
            except PushFailed as exc:
                failures.append((row, str(exc)))
            else:
                sent.append(row.pk)
        # The writes (and their audit appends, which take the audit chain's lock until
        # commit) come after every POST, so the lock is held for milliseconds.
        for row, error in failures:
            _fail(row, error, stats)
        if sent:
            transition_many(DELIVERY_WORKFLOW, Delivery.objects.filter(pk__in=sent), DS.SENT,
                            changes={"sent_at": timezone.now(), "attempts": F("attempts") + 1,
                                     "last_error": ""})
            stats.sent += len(sent)
        if stats.dead_ids:
            ids = list(stats.dead_ids)
            transaction.on_commit(lambda: alert_dead(ids))
            stats.dead_ids.clear()
    stats.batches += 1
    return len(rows)


def alert_dead(ids: list[int]) -> None:
    """Dead letters need a person: mail the administrators (the staff page lists them)."""
    logger.error("credit pushes dead-lettered: %s", ids)
    mail_admins("信用推送进入死信 / credit pushes dead-lettered",
                f"{len(ids)} 条推送多次失败后进入死信，请在推送状态页处理。\n"
                f"{len(ids)} deliveries reached the attempt limit: {ids[:50]}",
                fail_silently=True)


def run(seconds: float | None = None) -> RunStats:
    """Push batches until nothing is due or the time budget is spent."""
    budget = settings.CREDIT_OUTBOX_RUN_SECONDS if seconds is None else seconds
    stop = timezone.now() + datetime.timedelta(seconds=budget)
    stats = RunStats()
    with requests.Session() as session:
        while timezone.now() < stop and run_batch(session, stats):
            pass
    return stats


def next_retry_in() -> float | None:
    """Seconds until the earliest failed delivery is due (None: nothing to retry)."""
    due = Delivery.objects.filter(status=DS.FAILED).aggregate(at=Min("next_attempt_at"))["at"]
    if due is None:
        return None
    return max(0.0, (due - timezone.now()).total_seconds())
