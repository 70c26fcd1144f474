"""Shared fixtures: the personas every test talks about.

- municipal_admin: 杭州市应急管理局, sees all of Hangzhou
- xihu_inspector, xihu_chief: 西湖区应急管理局 (330106)
- xihu_approver / binjiang_approver: district approvers of the two districts
- binjiang_inspector: 滨江区应急管理局 (330108), the outsider for 西湖区 objects
- anonymous: no login (an APIClient without credentials)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role, User
from hangzhou_safety.accounts.reference import load_authorities, load_jurisdictions
from hangzhou_safety.workdays.models import CalendarYear
from hangzhou_safety.workdays.seeding import seed_calendar

PASSWORD = "Persona-2026-hz"
CERT_VALID_UNTIL = datetime.date(2030, 12, 31)


@pytest.fixture(autouse=True)
def _fresh_cached_answers() -> None:
    """A new generation of every cached answer per test: a test's database is rolled
    back, so an answer cached by one test must never reach the next."""
    from hangzhou_safety.cache import GENERATIONS, bump

    for name in GENERATIONS:
        bump(name)


@pytest.fixture
def reference_data(db: Any) -> None:
    """The jurisdiction tree, authorities and GB/T 4754 classes (loaded by migration;
    reloaded after a transactional test has flushed the tables)."""
    if not Authority.objects.filter(code="EM-330108").exists():
        load_jurisdictions(Jurisdiction)
        load_authorities(Jurisdiction, Authority)
    from enterprises.models import IndustryClass
    from enterprises.reference import load_industry_classes

    if not IndustryClass.objects.exists():
        load_industry_classes(IndustryClass)


@pytest.fixture
def calendar_data(db: Any) -> None:
    """The seeded statutory calendar. Loaded by migration, but a transactional test
    elsewhere flushes every table, so re-seed (inside this test's transaction) then."""
    if not CalendarYear.objects.filter(year=2026, published=True).exists():
        with transaction.atomic():
            seed_calendar()


@pytest.fixture
def discretion_data(db: Any) -> None:
    """The seeded discretion table (裁量基准). Loaded by migration; re-seeded after a
    transactional test elsewhere has flushed the tables."""
    from enforcement.grounds.seeding import seed_discretion

    with transaction.atomic():
        seed_discretion()


@pytest.fixture
def clock_rules(calendar_data: None) -> None:
    """The clock rule table (seeded by migration; re-seeded after a transactional test
    elsewhere has flushed it)."""
    from hangzhou_safety.workdays.clock_rules import seed_clock_rules

    seed_clock_rules()


@pytest.fixture
def threshold_data(db: Any) -> None:
    """The seeded procedure thresholds (migration 0002), re-seeded after a flush."""
    from enforcement.grounds.seeding import seed_thresholds

    seed_thresholds()


def make_user(username: str, role: str, authority_code: str, *, cert: str = "",
              **extra: Any) -> User:
    user = User(username=username, full_name=extra.pop("full_name", username), role=role,
                authority=Authority.objects.get(code=authority_code),
                certificate_number=cert,
                certificate_valid_until=CERT_VALID_UNTIL if cert else None, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def municipal_admin(reference_data: None) -> User:
    return make_user("p_admin", Role.MUNICIPAL_ADMIN, "EM-330100", full_name="市局管理员",
                     is_staff=True, is_superuser=True, email="admin@safety.hangzhou.example")


@pytest.fixture
def xihu_inspector(reference_data: None) -> User:
    return make_user("p_xihu_inspector", Role.INSPECTOR, "EM-330106", cert="P330106001",
                     full_name="西湖执法员", professionally_qualified=True)


@pytest.fixture
def xihu_chief(reference_data: None) -> User:
    return make_user("p_xihu_chief", Role.SECTION_CHIEF, "EM-330106", cert="P330106002",
                     full_name="西湖科长", legal_qualification=True)


@pytest.fixture
def xihu_approver(reference_data: None) -> User:
    return make_user("p_xihu_approver", Role.DISTRICT_APPROVER, "EM-330106",
                     cert="P330106009", full_name="西湖审批人")


@pytest.fixture
def binjiang_approver(reference_data: None) -> User:
    return make_user("p_binjiang_approver", Role.DISTRICT_APPROVER, "EM-330108",
                     cert="P330108009", full_name="滨江审批人")


@pytest.fixture
def binjiang_inspector(reference_data: None) -> User:
    return make_user("p_binjiang_inspector", Role.INSPECTOR, "EM-330108", cert="P330108001",
                     full_name="滨江执法员")


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as() -> Any:
    """api_as(user) → an APIClient authenticated as that user (session-less, forced)."""

    def _client(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _client


@pytest.fixture
def web_as(client: Any) -> Any:
    """web_as(user) → Django's test client logged in as that user through the session."""

    def _login(user: User) -> Any:
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def celery_live_worker(transactional_db: Any) -> Iterator[Any]:
    """A real Celery worker (thread, solo pool) consuming from the configured broker
    (Redis in CI). Tests using it see committed data only: hence transactional_db."""
    from celery.contrib.testing.worker import start_worker

    from hangzhou_safety.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                      shutdown_timeout=30) as worker:
        yield worker


def sign_recheck_opinion(inspection: Any, actor: Any, name: str = "王厂长") -> Any:
    """The enterprise signs the 整改复查意见书 (closing waits for it once a re-check is
    recorded: inspections/evidence/refusals.py)."""
    import io

    from PIL import Image

    from inspections.evidence import signatures

    out = io.BytesIO()
    Image.new("L", (60, 20), 255).save(out, format="PNG")
    return signatures.sign(inspection, actor=actor, document="recheck",
                           signer_role="enterprise", signer_name=name,
                           png_bytes=out.getvalue())
