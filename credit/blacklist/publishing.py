"""The one place blacklist changes leave for the credit platforms."""

from __future__ import annotations

from typing import Any

from .models import BlacklistEntry, PublicationEvent


def publish(entry: BlacklistEntry, *, topic: str, key: str, payload: dict[str, Any]) -> None:
    """Record a change to publish (inside the caller's transaction).

    On this branch the change is recorded as the entry's PublicationEvent; at merge
    the lead adds the call to ``credit.outbox.services.enqueue(topic=..., enterprise_id=
    entry.enterprise_id, key=key, payload=payload)`` here, in the same transaction, and
    nowhere else."""
    PublicationEvent.objects.create(entry=entry, topic=topic, key=key, payload=payload)
