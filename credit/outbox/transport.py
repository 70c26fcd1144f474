"""The HTTP side of a push: body mapping and one POST to one platform.

Kept apart from the relay so the wire format (field codes per platform, the
idempotency header) is in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from .models import OutboxMessage


class PushFailed(Exception):
    """The platform did not acknowledge the push (network error, timeout, non-2xx)."""


def body(message: OutboxMessage, conf: Mapping[str, Any]) -> dict[str, Any]:
    fields: Mapping[str, str] = conf.get("fields", {})
    data = {fields.get(k, k): v for k, v in (message.payload or {}).items()}
    return {"id": str(message.uuid), "topic": message.topic, "key": message.key,
            "enterprise_id": message.enterprise_id, "sequence": message.pk, "data": data}


def post(session: requests.Session, message: OutboxMessage, conf: Mapping[str, Any],
         *, timeout: float) -> None:
    try:
        response = session.post(
            conf["endpoint"], json=body(message, conf), timeout=timeout,
            headers={"Idempotency-Key": str(message.uuid),
                     "Authorization": f"Bearer {conf.get('token', '')}"})
    except requests.RequestException as exc:
        raise PushFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
    if not 200 <= response.status_code < 300:
        raise PushFailed(f"HTTP {response.status_code}: {response.text[:200]}")


def acknowledged_keys(conf: Mapping[str, Any], *, timeout: float) -> set[str]:
    """The idempotency keys the platform lists as received."""
    try:
        response = requests.get(conf["acks"], timeout=timeout,
                                headers={"Authorization": f"Bearer {conf.get('token', '')}"})
        response.raise_for_status()
        return {str(k) for k in response.json()["keys"]}
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        raise PushFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
