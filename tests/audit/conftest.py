"""Fixtures of the audit tests: a small jurisdiction tree, authorities and staff.

Self-contained on purpose (independent of the shared personas). get_or_create: the
jurisdictions may already be there from the reference-data migration.
"""

from __future__ import annotations

from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role, User


@pytest.fixture
def city(db: Any) -> Jurisdiction:
    node, _ = Jurisdiction.objects.get_or_create(
        code="330100", defaults={"name": "杭州市", "kind": Jurisdiction.Kind.CITY})
    return node


def _district(city: Jurisdiction, code: str, name: str) -> Jurisdiction:
    node, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "kind": Jurisdiction.Kind.DISTRICT,
                             "parent": city})
    return node


@pytest.fixture
def xihu(city: Jurisdiction) -> Jurisdiction:
    return _district(city, "330106", "西湖区")


@pytest.fixture
def binjiang(city: Jurisdiction) -> Jurisdiction:
    return _district(city, "330108", "滨江区")


def _authority(jurisdiction: Jurisdiction, kind: str) -> Authority:
    return Authority.objects.create(
        code=f"AUDIT-T-{jurisdiction.code}", name=f"{jurisdiction.name}应急管理局（测试）",
        kind=kind, department=Authority.Department.EMERGENCY, jurisdiction=jurisdiction)


@pytest.fixture
def city_bureau(city: Jurisdiction) -> Authority:
    return _authority(city, Authority.Kind.MUNICIPAL_BUREAU)


@pytest.fixture
def xihu_bureau(xihu: Jurisdiction) -> Authority:
    return _authority(xihu, Authority.Kind.DISTRICT_BUREAU)


@pytest.fixture
def binjiang_bureau(binjiang: Jurisdiction) -> Authority:
    return _authority(binjiang, Authority.Kind.DISTRICT_BUREAU)


def make_staff(username: str, role: str, authority: Authority | None, **extra: Any) -> User:
    return User.objects.create_user(username=username, role=role, authority=authority,
                                    **extra)


@pytest.fixture
def xihu_approver(xihu_bureau: Authority) -> User:
    return make_staff("audit_xihu_approver", Role.DISTRICT_APPROVER, xihu_bureau,
                      full_name="王审批")


@pytest.fixture
def xihu_inspector(xihu_bureau: Authority) -> User:
    return make_staff("audit_xihu_inspector", Role.INSPECTOR, xihu_bureau)


@pytest.fixture
def city_auditor(city_bureau: Authority) -> User:
    return make_staff("audit_city_auditor", Role.AUDITOR, city_bureau, full_name="李审计")


@pytest.fixture
def binjiang_approver(binjiang_bureau: Authority) -> User:
    return make_staff("audit_binjiang_approver", Role.DISTRICT_APPROVER, binjiang_bureau)
