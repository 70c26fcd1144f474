"""Two concurrent create_key_inspections calls for the same authority and year (the
published plan and its amendment) cannot together exceed the per-enterprise cap.

Real threads, each with its own database connection, on committed data
(transactional test). The first call holds its transaction open after writing; the
second must wait for it (an ungranted advisory lock in pg_locks) instead of reading
counts that do not include the first call's rows yet.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from enterprises.models import Sector
from hangzhou_safety.accounts.models import Authority, User
from inspections.draws import services as draws
from inspections.key_supervision import services as key_supervision
from inspections.plans.models import EnforcementPlan, PlannedInspection
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2026
CAP = 5


def waiting_for_yearly_cap_lock(authority: Authority, year: int) -> bool:
    """Someone waits for lock_yearly_cap(authority, year): PostgreSQL shows a bigint
    advisory key as classid (high 32 bits) and objid (low 32 bits), objsubid 1. (The
    audit trail's append lock is an advisory lock too: it must not count here.)"""
    key = (draws.YEARLY_CAP_LOCK_NAMESPACE << 48) | (authority.pk << 16) | year
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                       "AND NOT granted AND classid = %s AND objid = %s AND objsubid = 1 "
                       "AND database = (SELECT oid FROM pg_database "
                       "WHERE datname = current_database())", [key >> 32, key & 0xFFFFFFFF])
        row = cursor.fetchone()
        return bool(row and row[0])


def test_concurrent_calls_for_one_authority_and_year_respect_the_cap(
        reference_data: None, xihu_chief: User) -> None:
    unit = enterprise("并发危化企业", 1200, sector=Sector.HAZARDOUS_CHEMICALS)
    authority = Authority.objects.get(code="EM-330106")
    published = EnforcementPlan.objects.create(
        authority=authority, year=YEAR, version=1, title="计划", created_by=xihu_chief,
        status=EnforcementPlan.Status.PUBLISHED, per_enterprise_cap=CAP)
    amendment = EnforcementPlan.objects.create(
        authority=authority, year=YEAR, version=2, title="计划（修订）", previous=published,
        created_by=xihu_chief, per_enterprise_cap=CAP)

    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    first_wrote = threading.Event()
    release = threading.Event()

    def first() -> None:
        try:
            actor = User.objects.get(pk=xihu_chief.pk)
            with transaction.atomic():
                results["first"] = key_supervision.create_key_inspections(published, actor)
                first_wrote.set()
                release.wait(60)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
            first_wrote.set()
        finally:
            connection.close()

    def second() -> None:
        try:
            actor = User.objects.get(pk=xihu_chief.pk)
            results["second"] = key_supervision.create_key_inspections(amendment, actor)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    two = threading.Thread(target=second)
    one.start()
    assert first_wrote.wait(60)
    two.start()
    # Either the second call blocks on the lock (fixed) or it runs to the end on stale
    # counts (the defect); wait until one of the two has happened.
    deadline = time.monotonic() + 30
    blocked = False
    while time.monotonic() < deadline and two.is_alive():
        if waiting_for_yearly_cap_lock(authority, YEAR):
            blocked = True
            break
        time.sleep(0.05)
    release.set()
    one.join(60)
    two.join(60)
    assert not errors, errors
    live = (PlannedInspection.objects.filter(enterprise=unit, year=YEAR)
            .exclude(status=PlannedInspection.Status.CANCELLED).count())
    assert live == CAP
    assert blocked, "the second call did not wait for the first one's lock"
    assert results["first"]["created"] == 4
    assert results["second"]["created"] == 1
    assert [c["enterprise"] for c in results["second"]["capped"]] == [unit.pk]
