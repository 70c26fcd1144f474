"""Walk driver of credit push deliveries (credit.delivery): the relay (a set-based
sweep: a row it may not move is left alone) and an administrator's retry of a dead row."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import override_settings
from django.utils import timezone

from credit.fakeplatform.server import FakePlatform
from credit.outbox import relay
from credit.outbox.models import Delivery, OutboxMessage
from credit.outbox.services import retry_dead
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import enterprise

DS = Delivery.Status


def _conf(url: str) -> dict[str, Any]:
    return {"joint": {"name": "joint", "endpoint": f"{url}/joint/records",
                      "acks": f"{url}/joint/acks", "token": "t", "fields": {}}}


def make(status: str) -> Delivery:
    ent = enterprise()
    message = OutboxMessage.objects.create(topic="violation.upsert", enterprise=ent,
                                           key="violation:walk", payload={})
    return Delivery.objects.create(
        message=message, platform="joint", enterprise_id_copy=ent.pk, status=status,
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def _relay(up: bool, max_attempts: int = 100) -> Any:
    platform = FakePlatform()
    if up:
        platform.start()
    try:
        with override_settings(CREDIT_PLATFORMS=_conf(platform.url), CREDIT_OUTBOX_TIMEOUT=1,
                               CREDIT_OUTBOX_MAX_ATTEMPTS=max_attempts):
            return relay.run(seconds=3)
    finally:
        platform.stop()


def _admin() -> Any:
    from hangzhou_safety.accounts.models import User

    return User.objects.get(username="p_admin")


DRIVER = Driver(
    key="credit.delivery",
    make=make,
    steps={
        DS.SENT: lambda row: _relay(up=True),
        DS.FAILED: lambda row: _relay(up=False),
        DS.DEAD: lambda row: _relay(up=False, max_attempts=1),
        DS.PENDING: lambda row: retry_dead(row, actor=_admin()),
    },
    fixtures=("reference_data", "municipal_admin"),
    no_op_targets=(DS.SENT, DS.FAILED, DS.DEAD),
)
