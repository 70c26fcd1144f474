"""record_event: who, what, where (jurisdiction), values and client IP."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from hangzhou_safety.accounts.models import Authority, Jurisdiction, User
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.audit.services import (
    canonical_content,
    compute_hash,
    json_safe,
    record_event,
    verify_chain,
)


def _reloaded(event: AuditEvent) -> AuditEvent:
    stored = AuditEvent.objects.get(pk=event.pk)
    # What is read back must hash to what was written, or verification would fail.
    assert compute_hash(canonical_content(stored)) == stored.hash == event.hash
    return stored


def test_actor_and_object_are_copied_in(xihu_approver: User, xihu_bureau: Authority) -> None:
    event = _reloaded(record_event("authority.update", actor=xihu_approver, obj=xihu_bureau,
                                   old={"name": "旧名"}, new={"name": "新名"}, reason="更名"))
    assert event.actor_id == xihu_approver.pk
    assert event.actor_name == "王审批"
    assert event.object_type == "accounts.authority"
    assert event.object_id == str(xihu_bureau.pk)
    assert event.object_repr == xihu_bureau.name
    assert (event.old_values, event.new_values) == ({"name": "旧名"}, {"name": "新名"})
    assert event.reason == "更名"
    assert event.occurred_at.tzinfo is not None


def test_actor_name_falls_back_to_username(xihu_inspector: User) -> None:
    assert record_event("x", actor=xihu_inspector).actor_name == "audit_xihu_inspector"


def test_anonymous_actor(db: Any) -> None:
    for actor in (None, AnonymousUser()):
        event = _reloaded(record_event("auth.login_failed", actor=actor,
                                       new={"username": "nobody"}))
        assert (event.actor_id, event.actor_name, event.jurisdiction_path) == (None, "", "")
        assert event.object_type == event.object_id == event.object_repr == ""


def test_jurisdiction_path_from_object_with_jurisdiction(
        xihu_bureau: Authority, city_auditor: User, xihu: Jurisdiction) -> None:
    # The object's jurisdiction wins over the actor's (a city auditor acting in 西湖区).
    event = record_event("authority.view", actor=city_auditor, obj=xihu_bureau)
    assert event.jurisdiction_path == xihu.path == "330100/330106/"


def test_jurisdiction_path_from_jurisdiction_object(xihu: Jurisdiction) -> None:
    assert record_event("jurisdiction.update", obj=xihu).jurisdiction_path == xihu.path


def test_jurisdiction_path_from_object_with_authority(xihu_approver: User,
                                                      xihu: Jurisdiction) -> None:
    assert record_event("auth.login", obj=xihu_approver).jurisdiction_path == xihu.path


def test_jurisdiction_path_from_actor(xihu_approver: User, xihu: Jurisdiction) -> None:
    assert record_event("report.export", actor=xihu_approver).jurisdiction_path == xihu.path


def test_explicit_jurisdiction_path_wins(xihu_approver: User, binjiang: Jurisdiction) -> None:
    event = record_event("x", actor=xihu_approver, obj=xihu_approver,
                         jurisdiction_path=binjiang.path)
    assert event.jurisdiction_path == binjiang.path


def test_object_without_jurisdiction_and_actor_without_authority(db: Any) -> None:
    admin = User.objects.create_user("audit_root", is_superuser=True)
    assert record_event("x", actor=admin, obj=admin).jurisdiction_path == ""


def test_values_are_made_json_safe(xihu_approver: User, xihu_bureau: Authority) -> None:
    uid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    at = datetime.datetime(2026, 5, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    new = {
        "due": datetime.date(2026, 5, 1),
        "at": at,
        "fine": Decimal("12345.50"),
        "uid": uid,
        "authority": xihu_bureau,
        "ratio": 0.5,
        "huge": 1e16,
        "tags": {"乙", "甲"},
        "nested": [{"when": datetime.date(2026, 1, 2)}, (1, True, None)],
        1: "int key",
    }
    event = _reloaded(record_event("plan.approve", actor=xihu_approver, obj=xihu_bureau,
                                   new=new))
    assert event.new_values == {
        "due": "2026-05-01",
        "at": "2026-05-01T09:30:15.123Z",
        "fine": "12345.50",
        "uid": str(uid),
        "authority": str(xihu_bureau.pk),
        "ratio": "0.5",
        "huge": "1e+16",
        "tags": ["乙", "甲"],  # a set, stored sorted (U+4E59 < U+7532): a stable hash
        "nested": [{"when": "2026-01-02"}, [1, True, None]],
        "1": "int key",
    }
    assert verify_chain().ok


def test_json_safe_keeps_choices_plain() -> None:
    assert json_safe({"kind": Jurisdiction.Kind.CITY}) == {"kind": "city"}
    assert type(json_safe(Jurisdiction.Kind.CITY)) is str


def test_client_ip_from_request_is_normalised(db: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0DB8:0000:0000::0001")
    event = _reloaded(record_event("x", request=request))
    assert event.client_ip == "2001:db8::1"


def test_explicit_ip_and_junk_ip(db: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    assert record_event("x", request=request, ip="192.0.2.7").client_ip == "192.0.2.7"
    assert record_event("x", ip="not-an-ip").client_ip is None
    assert verify_chain().ok


def test_login_signal_writes_event(xihu_approver: User, xihu: Jurisdiction) -> None:
    Client().force_login(xihu_approver)
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == xihu_approver.pk
    assert event.object_id == str(xihu_approver.pk)
    assert event.jurisdiction_path == xihu.path
