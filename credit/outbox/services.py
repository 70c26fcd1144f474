"""Writes of the outbox: enqueue a push (inside the caller's transaction) and retry a
dead delivery (a municipal administrator).

``enqueue`` is the one entry point the violation base, the ratings and the blacklist
call; its signature is stable. Order per enterprise: the relay never sends a message of
an enterprise while an earlier one of that enterprise is unsent, which is only sound if
message ids of one enterprise are allocated in commit order. A transaction-scoped
advisory lock per enterprise makes them so (two concurrent changes of one enterprise
queue behind each other for the rest of the shorter transaction; other enterprises are
not affected).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.workflow import transition

from .models import DELIVERY_WORKFLOW, Delivery, OutboxMessage

#: The advisory lock namespace of the outbox (any constant unique in the project).
LOCK_NAMESPACE = 13_0001
TOPICS = frozenset({"violation.upsert", "violation.remove", "rating.publish",
                    "blacklist.include", "blacklist.remove"})
KICK_KEY = "credit:outbox:kick"


def platforms() -> list[str]:
    return list(settings.CREDIT_PLATFORMS)


def kick_relay() -> None:
    """Start a relay run soon; at most one kick a second, so a bulk change of 10,000
    rows queues one task, not 10,000."""
    if not cache.add(KICK_KEY, 1, timeout=1):
        return
    from credit.tasks import relay_outbox

    relay_outbox.delay()


def enqueue(*, topic: str, enterprise_id: int, key: str, payload: dict) -> OutboxMessage:
    """Write one push in the current transaction; delivered after it commits."""
    if topic not in TOPICS:
        raise InvalidInput(f"未知的推送主题：{topic}。", f"Unknown push topic: {topic}.")
    if not connection.in_atomic_block:
        # Outside a transaction the row would commit alone, before (or without) the
        # change it reports: the very gap the outbox exists to close.
        raise RuntimeError("enqueue() must run inside the caller's transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                       [LOCK_NAMESPACE, int(enterprise_id) % 2**31])
    message = OutboxMessage.objects.create(topic=topic, enterprise_id=enterprise_id,
                                           key=key[:100], payload=payload)
    Delivery.objects.bulk_create([
        Delivery(message=message, platform=code, enterprise_id_copy=enterprise_id)
        for code in platforms()])
    transaction.on_commit(kick_relay)
    return message


def _require_admin(actor: Any) -> None:
    if actor is None or not actor.has_role(Role.MUNICIPAL_ADMIN):
        raise Forbidden("只有市级管理员可以重推死信。",
                        "Only a municipal administrator may retry a dead push.")


@transaction.atomic
def retry_dead(delivery: Delivery | int, *, actor: Any, reason: str = "") -> Delivery:
    """Put a dead delivery back in the queue with a fresh attempt budget (the platform
    deduplicates on the message UUID, so a retry never doubles a record)."""
    moved: Delivery = transition(
        DELIVERY_WORKFLOW, delivery, Delivery.Status.PENDING, actor=actor,
        guard=lambda row: _require_admin(actor),
        changes={"attempts": 0, "next_attempt_at": timezone.now(), "last_error": ""},
        reason=reason or "人工重推", event="credit_delivery.retry",
        on_commit=[kick_relay])
    return moved
