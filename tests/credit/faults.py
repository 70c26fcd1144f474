"""The fault run shared by the CI test (1,000 changes) and the benchmark (10,000): a real
Celery worker process on Redis pushes to the fake platform while it fails 30 % of
requests and is down for a stretch, and the worker is killed with SIGKILL mid-batch
and restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from credit.fakeplatform.server import FakePlatform
from credit.outbox.models import Delivery, OutboxMessage
from credit.outbox.services import enqueue
from credit.tasks import relay_outbox

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class FaultRun:
    seconds: float
    deliveries: int
    attempts: int
    injected_failures: int
    duplicates: int


def _worker(platform_url: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = dict(os.environ,
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
               CREDIT_FAKE_PLATFORM_URL=platform_url, CREDIT_OUTBOX_BACKOFF_BASE="0.05",
               CREDIT_OUTBOX_BACKOFF_CAP="1", CREDIT_OUTBOX_MAX_ATTEMPTS="10000",
               CREDIT_OUTBOX_RUN_SECONDS="5", CREDIT_OUTBOX_BATCH="50",
               CREDIT_OUTBOX_TIMEOUT="2", CELERY_TASK_ALWAYS_EAGER="0")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hangzhou_safety", "worker", "--pool", "solo",
         "-l", "WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL)


def _sent() -> int:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count()


def run(platform: FakePlatform, enterprises: list[Any], changes: int,
        timeout: float = 600) -> FaultRun:
    platform.app.faults.fail_rate = 0.3
    started = time.monotonic()
    for start in range(0, changes, 100):
        with transaction.atomic():
            for n in range(start, min(changes, start + 100)):
                ent = enterprises[n % len(enterprises)]
                enqueue(topic="violation.upsert" if n % 3 else "violation.remove",
                        enterprise_id=ent.pk, key=f"violation:{n}", payload={"n": n})
    total = changes * 2
    worker = _worker(platform.url)
    try:
        relay_outbox.delay()
        while _sent() < total * 0.3 and time.monotonic() - started < timeout:
            time.sleep(0.2)
        os.killpg(worker.pid, signal.SIGKILL)  # mid-batch: its claimed rows stay unsent
        worker.wait()
        platform.stop()  # and the platform is down for a stretch
        worker = _worker(platform.url)
        relay_outbox.delay()
        time.sleep(3)
        platform.start()
        while _sent() < total and time.monotonic() - started < timeout:
            relay_outbox.delay()  # what beat does every minute
            time.sleep(2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    attempts = sum(Delivery.objects.values_list("attempts", flat=True))
    counters = platform.app.store.counters()
    return FaultRun(seconds=time.monotonic() - started, deliveries=_sent(), attempts=attempts,
                    injected_failures=counters.get("failed", 0),
                    duplicates=counters.get("duplicate", 0))


def check(platform: FakePlatform, changes: int) -> None:
    """Each change exactly once per platform, in order per enterprise, none lost."""
    ids = dict(OutboxMessage.objects.values_list("uuid", "id"))
    assert Delivery.objects.exclude(status=Delivery.Status.SENT).count() == 0
    for code in ("hz_public", "joint"):
        received = platform.app.store.received(code)
        keys = [r["key"] for r in received]
        assert len(keys) == len(set(keys)) == changes
        assert {str(u) for u in ids} == set(keys)
        by_enterprise: dict[int, list[int]] = {}
        for row in received:
            by_enterprise.setdefault(row["enterprise_id"], []).append(row["sequence"])
        for sequence in by_enterprise.values():
            assert sequence == sorted(sequence)
