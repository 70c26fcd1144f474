"""The one place blacklist changes leave for the credit platforms."""

from __future__ import annotations

from typing import Any

from credit.outbox.services import enqueue

from .models import BlacklistEntry, PublicationEvent

#: The entry's change → the outbox topic the platforms know. A removal revoked for deceit
#: lists the entry again; an expiry removes it like an early removal.
TOPIC_OF_CHANGE = {"listed": "blacklist.include", "restored": "blacklist.include",
                   "removed": "blacklist.remove", "expired": "blacklist.remove"}


def publish(entry: BlacklistEntry, *, topic: str, key: str, payload: dict[str, Any]) -> None:
    """Record a change to publish and queue its push, inside the caller's transaction
    (a rolled-back step leaves neither). ``topic`` is "blacklist.<change>"."""
    change = topic.removeprefix("blacklist.")
    PublicationEvent.objects.create(entry=entry, topic=topic, key=key, payload=payload)
    enqueue(topic=TOPIC_OF_CHANGE[change], enterprise_id=entry.enterprise_id, key=key,
            payload=payload)
