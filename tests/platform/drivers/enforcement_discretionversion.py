"""Walk driver of discretion table versions (enforcement.discretionversion)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from enforcement.grounds import services
from enforcement.grounds.models import DiscretionBenchmark, DiscretionVersion, ViolationType
from hangzhou_safety.accounts.models import User
from tests.platform.drivers import Driver

S = DiscretionVersion.Status
# A day no seeded version starts on, so a walked row never meets the one-per-day index.
WALK_DAY = datetime.date(2031, 1, 1)


def admin() -> User:
    return User.objects.get(username="p_admin")


def make(status: str) -> DiscretionVersion:
    # Rows go in while the version is a draft (the trigger refuses them afterwards);
    # then the status is set directly, as a fixture would.
    version = DiscretionVersion.objects.create(name="走查版本", source="测试", valid_from=WALK_DAY)
    violation = ViolationType.objects.create(
        version=version, code="AQ-099-1", name="未设置明显的安全警示标志",
        breached_statute="安全生产法", breached_article="第三十五条",
        penalty_statute="安全生产法", penalty_article="第九十九条第（一）项",
        penalty_clause="责令限期改正，处五万元以下的罚款")
    DiscretionBenchmark.objects.create(
        violation=violation, level="general", circumstance="初次违法", source="测试",
        unit_clause="处五万元以下的罚款", statutory_unit_fine_min=Decimal("0"),
        statutory_unit_fine_max=Decimal("50000"), unit_fine_min=Decimal("10000"),
        unit_fine_max=Decimal("30000"))
    if status != S.DRAFT:
        DiscretionVersion.objects.filter(pk=version.pk).update(status=status)
        version.refresh_from_db()
    return version


DRIVER = Driver(
    key="enforcement.discretionversion",
    make=make,
    steps={
        S.PUBLISHED: lambda row: services.publish_version(row, actor=admin()),
        S.SUPERSEDED: lambda row: services.supersede_version(row, actor=admin(),
                                                             reason="走查：撤回"),
    },
    fixtures=("reference_data", "municipal_admin"),
)
