"""seed_demo's credit demo: blacklist entries in every state (a removal revoked among
them), each walked by the services; ratings of 西湖区 and 滨江区 computed, reviewed and
published; commitments with a breach; every push delivered to the fake credit platform
exactly once; a second run adds nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from credit.blacklist.models import BlacklistEntry
from credit.outbox import relay
from credit.outbox.models import Delivery, OutboxMessage
from credit.ratings.models import CreditCommitment, IntegrityRating
from hangzhou_safety.audit.models import AuditEvent
from tests.credit.helpers import admin_get

pytestmark = pytest.mark.django_db
B = BlacklistEntry.Status
R = IntegrityRating.Status


def _counts() -> tuple[int, ...]:
    return (BlacklistEntry.objects.count(), IntegrityRating.objects.count(),
            CreditCommitment.objects.count(), OutboxMessage.objects.count(),
            AuditEvent.objects.count())


def test_every_state_ratings_and_delivered_pushes(reference_data: Any, settings: Any,
                                                  fake_platform: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the relay's kick runs in-process
    call_command("seed_demo", verbosity=0)

    statuses = Counter(BlacklistEntry.objects.values_list("status", flat=True))
    assert set(statuses) == set(B.values), statuses
    assert AuditEvent.objects.filter(action="blacklist.removal_revoked").count() == 1
    for entry in BlacklistEntry.objects.select_related("enterprise"):
        # Walked by the services: every move has its audit event.
        moves = AuditEvent.objects.filter(object_id=str(entry.enterprise_id),
                                          action__startswith="blacklist.")
        assert moves.exists() and entry.proposed_by_id is not None
    published = BlacklistEntry.objects.filter(status=B.PUBLISHED)
    assert published.filter(authority__code__in=["EM-330106", "EM-330108"]).exists()
    expired = BlacklistEntry.objects.get(status=B.EXPIRED)
    assert expired.term_ends_on is not None and expired.removed_on >= expired.term_ends_on

    for code in ("EM-330106", "EM-330108"):
        annual = set(IntegrityRating.objects.filter(
            authority__code=code, reason="annual").values_list("status", flat=True))
        assert {R.COMPUTED, R.REVIEWED, R.PUBLISHED} <= annual, (code, annual)
        assert CreditCommitment.objects.filter(authority__code=code).count() == 4
        assert CreditCommitment.objects.filter(authority__code=code,
                                               broken_on__isnull=False).count() == 1
    # A listing downgraded its enterprise's rating at once.
    assert IntegrityRating.objects.filter(reason="downgrade", level="D").exists()

    # The pushes: the kick at commit sent them; whatever is left goes now.
    relay.run(seconds=30)
    assert OutboxMessage.objects.filter(topic__startswith="blacklist.").exists()
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
    keys = {str(u) for u in OutboxMessage.objects.values_list("uuid", flat=True)}
    for platform in ("hz_public", "joint"):
        received = admin_get(fake_platform.url, f"received?platform={platform}")["received"]
        assert sorted(r["key"] for r in received) == sorted(keys)  # each exactly once

    counts = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts()[:4] == counts[:4]
