"""The outbox: written in the change's transaction, delivered in order per enterprise,
once per idempotency key, dead-lettered after N failures, retried by an administrator,
reconciled with the platform's acknowledgements."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from credit.outbox import relay
from credit.outbox.backoff import ceiling, delay
from credit.outbox.models import Delivery, OutboxMessage
from credit.outbox.reconcile import reconcile
from credit.outbox.services import enqueue, retry_dead
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from tests.credit.helpers import admin_get, admin_post
from tests.platform.drivers._inspections import enterprise

pytestmark = pytest.mark.django_db
DS = Delivery.Status


def _push(ent: Any, n: int, topic: str = "violation.upsert") -> OutboxMessage:
    return enqueue(topic=topic, enterprise_id=ent.pk, key=f"violation:{n}", payload={"n": n})


def _due_now() -> None:
    Delivery.objects.exclude(status=DS.SENT).update(next_attempt_at=timezone.now()
                                                    - datetime.timedelta(seconds=1))


def test_rolled_back_change_leaves_no_row(reference_data: None) -> None:
    ent = enterprise()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _push(ent, 1)
        assert OutboxMessage.objects.count() == 1
        1 / 0  # noqa: B018 (the change fails after the push was written)
    assert OutboxMessage.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_one_delivery_per_platform_and_unknown_topic_refused(reference_data: None,
                                                             fake_platform: Any) -> None:
    ent = enterprise()
    message = _push(ent, 1)
    assert sorted(message.deliveries.values_list("platform", flat=True)) == ["hz_public",
                                                                             "joint"]
    with pytest.raises(InvalidInput):
        enqueue(topic="violation.nonsense", enterprise_id=ent.pk, key="x", payload={})


def test_order_per_enterprise_survives_a_failure(reference_data: None, fake_platform: Any) -> None:
    first, second = enterprise(), enterprise()
    include = _push(first, 1, "blacklist.include")
    remove = _push(first, 2, "blacklist.remove")
    other = _push(second, 3)
    admin_post(fake_platform.url, "faults", {"fail_rate": 1.0})
    stats = relay.run(seconds=5)
    assert stats.sent == 0 and stats.failed == 4  # the heads of both enterprises, 2 platforms
    # The removal was never attempted while its inclusion was failing.
    assert set(remove.deliveries.values_list("attempts", flat=True)) == {0}
    admin_post(fake_platform.url, "faults", {"fail_rate": 0})
    _due_now()
    stats = relay.run(seconds=5)
    assert stats.sent == 6
    received = admin_get(fake_platform.url, "received?platform=joint")["received"]
    order = [r["key"] for r in received if r["enterprise_id"] == first.pk]
    assert order == [str(include.uuid), str(remove.uuid)]
    assert {r["key"] for r in received} == {str(include.uuid), str(remove.uuid), str(other.uuid)}


def test_idempotency_key_makes_a_resend_harmless(reference_data: None, fake_platform: Any) -> None:
    message = _push(enterprise(), 1)
    relay.run(seconds=5)
    # A worker died after the platform accepted but before our commit: sent again.
    Delivery.objects.filter(message=message).update(status=DS.PENDING)
    relay.run(seconds=5)
    assert set(message.deliveries.values_list("status", flat=True)) == {DS.SENT}
    counters = admin_get(fake_platform.url, "counters")
    assert counters == {"accepted": 2, "duplicate": 2}
    assert len(admin_get(fake_platform.url, "received")["received"]) == 2


def test_dead_letter_alerts_and_admin_retry(reference_data: None, fake_platform: Any,
                                            settings: Any, municipal_admin: Any,
                                            xihu_inspector: Any,
                                            django_capture_on_commit_callbacks: Any) -> None:
    settings.CREDIT_OUTBOX_MAX_ATTEMPTS = 2
    settings.ADMINS = [("ops", "ops@example.org")]
    message = _push(enterprise(), 1)
    fake_platform.stop()  # down: connections refused
    with django_capture_on_commit_callbacks(execute=True):
        relay.run(seconds=5)
        _due_now()
        stats = relay.run(seconds=5)
    assert stats.dead == 2
    assert set(message.deliveries.values_list("status", flat=True)) == {DS.DEAD}
    assert len(mail.outbox) == 1 and "死信" in mail.outbox[0].subject
    dead = message.deliveries.get(platform="joint")
    with pytest.raises(Forbidden):
        retry_dead(dead, actor=xihu_inspector)
    fake_platform.start()
    retried = retry_dead(dead, actor=municipal_admin, reason="平台恢复")
    assert retried.status == DS.PENDING and retried.attempts == 0
    relay.run(seconds=5)
    assert message.deliveries.get(platform="joint").status == DS.SENT
    assert message.deliveries.get(platform="hz_public").status == DS.DEAD


def test_reconciliation_compares_with_the_acknowledgement_list(reference_data: None,
                                                               fake_platform: Any) -> None:
    _push(enterprise(), 1)
    relay.run(seconds=5)
    report = reconcile("joint")
    assert (report.sent_count, report.acknowledged_count, report.matches) == (1, 1, True)
    # The platform holds a push we never marked sent (accepted just before a crash).
    stray = _push(enterprise(), 2)
    fake_platform.app.store.put("joint", str(stray.uuid), {})
    report = reconcile("joint")
    assert report.unexpected == [str(stray.uuid)] and not report.matches
    fake_platform.stop()
    assert reconcile("joint").error


def test_backoff_is_capped_exponential_with_jitter() -> None:
    assert [ceiling(n, base=2, cap=60) for n in range(1, 7)] == [2, 4, 8, 16, 32, 60]
    assert ceiling(500, base=2, cap=60) == 60
    samples = {round(delay(5, base=2, cap=60), 6) for _ in range(50)}
    assert len(samples) > 1 and all(3.2 <= s <= 32 for s in samples)
