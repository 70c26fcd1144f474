"""seed_demo: deterministic, idempotent, and the demo accounts of API.md work."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from hangzhou_safety.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(User.objects.order_by("username").values_list(
        "username", "full_name", "role", "authority__code", "certificate_number"))


def test_seed_demo_is_deterministic_and_idempotent(reference_data, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first
    expected = {
        "admin": (Role.MUNICIPAL_ADMIN, "EM-330100"),
        "xihu_inspector": (Role.INSPECTOR, "EM-330106"),
        "xihu_inspector2": (Role.INSPECTOR, "EM-330106"),
        "xihu_chief": (Role.SECTION_CHIEF, "EM-330106"),
        "xihu_approver": (Role.DISTRICT_APPROVER, "EM-330106"),
        "binjiang_inspector": (Role.INSPECTOR, "EM-330108"),
        "binjiang_approver": (Role.DISTRICT_APPROVER, "EM-330108"),
        "binjiang_inspector2": (Role.INSPECTOR, "EM-330108"),
        "binjiang_chief": (Role.SECTION_CHIEF, "EM-330108"),
    }
    for username, (role, authority) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.authority.code) == (role, authority)
    assert User.objects.get(username="xihu_inspector").check_password("Demo-2026-hz")
    assert User.objects.get(username="xihu_inspector").certificate_valid_on()
    # Each district's cases need a qualified legal reviewer besides the two officers.
    for chief in ("xihu_chief", "binjiang_chief"):
        assert User.objects.get(username=chief).legal_qualification


def test_seed_demo_scale_multiplies_generated_staff(reference_data):
    call_command("seed_demo", verbosity=0)
    base = User.objects.count()
    call_command("seed_demo", "--scale", "2", verbosity=0)
    assert User.objects.count() == base + 13 * 2  # two more inspectors per district
