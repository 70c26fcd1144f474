"""Append to the audit trail and verify its hash chain.

Every event stores ``prev_hash`` (the hash of the event before it) and ``hash``
(SHA-256 of its own canonical content, prev_hash included). Changing, removing or
inserting an event in the middle breaks the chain at that point, which
``verify_chain`` reports. A hash chain alone cannot notice the *newest* events
being cut off; the append-only trigger and database privileges guard that.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from hangzhou_safety.accounts.client_ip import client_ip

from .models import GENESIS_HASH, AuditEvent

#: Key of the PostgreSQL advisory lock that serialises appends ("AUDIT" in ASCII).
#: Fixed forever: two versions of the code running side by side must agree on it.
APPEND_LOCK_KEY = 0x4155444954

_ENCODER = DjangoJSONEncoder()


# --- Canonical values -------------------------------------------------------------

def json_safe(value: Any) -> Any:
    """``value`` reduced to str/int/bool/None, lists and string-keyed dicts.

    The result is stored in a jsonb column and hashed. Anything jsonb might
    re-spell on the way back (floats: 1e16 comes back as 10000000000000000) or
    cannot hold (NaN) becomes a string, as do dates, Decimals, UUIDs and model
    instances (their primary key), so the hash recomputed from the stored row
    equals the one computed at insert.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)  # IntegerChoices and other int subclasses
    if isinstance(value, str):
        return str(value)  # TextChoices and other str subclasses
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((json_safe(v) for v in value), key=lambda v: json.dumps(v))
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    try:
        return _ENCODER.default(value)  # datetimes, dates, times, Decimal, UUID, lazy str
    except (TypeError, ValueError):  # ValueError: an aware time of day
        return str(value)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def _utc_iso(moment: datetime.datetime) -> str:
    if timezone.is_naive(moment):
        raise ValueError("audit events need an aware occurred_at")
    return moment.astimezone(datetime.UTC).isoformat()


def canonical_content(event: AuditEvent) -> dict[str, Any]:
    """The fields covered by the hash (everything but id and hash itself)."""
    return {
        "occurred_at": _utc_iso(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "jurisdiction_path": event.jurisdiction_path,
        "old_values": event.old_values,
        "new_values": event.new_values,
        "reason": event.reason,
        "client_ip": event.client_ip,
        "prev_hash": event.prev_hash,
    }


def compute_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


# --- Recording --------------------------------------------------------------------

def _normalise_ip(ip: str | None) -> str | None:
    # Spelled the way PostgreSQL's inet prints it back ("2001:db8::1"), so the hash
    # recomputed from the stored row matches; junk becomes None rather than an error.
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return None


def _jurisdiction_path_of(obj: Any) -> str | None:
    from hangzhou_safety.accounts.models import Jurisdiction

    if obj is None:
        return None
    if isinstance(obj, Jurisdiction):
        return obj.path
    jurisdiction = getattr(obj, "jurisdiction", None)
    if jurisdiction is not None:
        return str(jurisdiction.path)
    authority = getattr(obj, "authority", None)
    if authority is not None:
        return str(authority.jurisdiction.path)
    return None


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    name = getattr(actor, "display_name", "") or actor.get_username()
    return actor.pk, str(name)[:150]


def _object_fields(obj: Any) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta is not None else type(obj).__name__
    object_id = "" if getattr(obj, "pk", None) is None else str(obj.pk)
    return object_type[:100], object_id[:64], str(obj)[:200]


@dataclass(frozen=True)
class EventSpec:
    """One event to append with :func:`record_events` (the arguments of record_event)."""

    action: str
    actor: Any = None
    obj: Any = None
    old: dict | None = None
    new: dict | None = None
    reason: str = ""
    ip: str | None = None
    jurisdiction_path: str | None = None


def _build_event(spec: EventSpec) -> AuditEvent:
    actor_id, actor_name = _actor_fields(spec.actor)
    object_type, object_id, object_repr = _object_fields(spec.obj)
    jurisdiction_path = spec.jurisdiction_path
    if jurisdiction_path is None:
        jurisdiction_path = _jurisdiction_path_of(spec.obj)
    if jurisdiction_path is None and actor_id is not None:
        jurisdiction_path = _jurisdiction_path_of(getattr(spec.actor, "authority", None))
    return AuditEvent(
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_name=actor_name,
        action=spec.action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        jurisdiction_path=jurisdiction_path or "",
        old_values=json_safe(spec.old or {}),
        new_values=json_safe(spec.new or {}),
        reason=spec.reason or "",
        client_ip=_normalise_ip(spec.ip),
    )


def _append(events: list[AuditEvent]) -> None:
    with transaction.atomic():
        # Two appenders reading the same "latest hash" would both link to it and fork
        # the chain. The transaction-scoped advisory lock makes appends take turns: the
        # next appender waits until this transaction commits or rolls back, and under
        # READ COMMITTED its SELECT below (a new statement, so a new snapshot) then sees
        # our rows. Ids are drawn under the lock too, so id order is chain order. The
        # lock is held until the *outermost* transaction ends, which is why callers
        # should record events last.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])
        latest = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev = latest or GENESIS_HASH
        for event in events:
            event.prev_hash = prev
            event.hash = compute_hash(canonical_content(event))
            prev = event.hash
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            # bulk_create inserts in list order, drawing ids in that order under the lock.
            AuditEvent.objects.bulk_create(events, batch_size=500)


def record_event(
    action: str,
    *,
    actor: Any = None,
    obj: Any = None,
    old: dict | None = None,
    new: dict | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
    ip: str | None = None,
    jurisdiction_path: str | None = None,
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    Call it inside the transaction of the change it records, as that
    transaction's last write: the event then commits or rolls back with the
    change, and the append lock (see _append) is held as briefly as possible.
    """
    if ip is None and request is not None:
        ip = client_ip(request)
    event = _build_event(EventSpec(action=action, actor=actor, obj=obj, old=old, new=new,
                                   reason=reason, ip=ip, jurisdiction_path=jurisdiction_path))
    _append([event])
    return event


def record_events(specs: list[EventSpec]) -> list[AuditEvent]:
    """Append many events in one go (sweeps, cascades): one lock, one read, one insert
    batch, so the cost does not grow by a query per event."""
    events = [_build_event(spec) for spec in specs]
    if events:
        _append(events)
    return events


# --- Verification -----------------------------------------------------------------

CONTENT_ALTERED = "content altered"
LINK_BROKEN = "link broken"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    #: Events examined, the broken one included.
    checked: int
    first_broken_id: int | None = None
    #: CONTENT_ALTERED or LINK_BROKEN, with detail; "" when ok.
    problem: str = ""


def verify_chain(chunk_size: int = 2000) -> VerifyResult:
    """Walk the whole trail in id order; stop at the first event that does not check out."""
    expected_prev = GENESIS_HASH
    checked = 0
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size)
    for event in events:
        checked += 1
        if event.prev_hash != expected_prev:
            return VerifyResult(
                ok=False, checked=checked, first_broken_id=event.id,
                problem=f"{LINK_BROKEN}: prev_hash {event.prev_hash} does not match the "
                        f"previous event's hash {expected_prev}",
            )
        if compute_hash(canonical_content(event)) != event.hash:
            return VerifyResult(
                ok=False, checked=checked, first_broken_id=event.id,
                problem=f"{CONTENT_ALTERED}: stored hash {event.hash} does not match "
                        "the event's content",
            )
        expected_prev = event.hash
    return VerifyResult(ok=True, checked=checked)
