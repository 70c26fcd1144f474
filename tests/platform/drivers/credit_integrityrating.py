"""Walk driver of integrity ratings (credit.integrityrating): review by someone other
than who computed, publication by the head, withdrawal by the head."""

from __future__ import annotations

from credit.ratings import services
from credit.ratings.models import IntegrityRating
from hangzhou_safety.accounts.models import Authority
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS
from tests.platform.drivers._inspections import XIHU, enterprise, user

R = IntegrityRating.Status


def make(status: str) -> IntegrityRating:
    authority = Authority.objects.get(code=XIHU)
    site = enterprise()
    return IntegrityRating.objects.create(
        enterprise=site, authority=authority, year=2026, level="B",
        inputs={"grade": "none"}, explanation=["走查"], computed_by=user("xihu_inspector"),
        status=status)


DRIVER = Driver(
    key="credit.integrityrating",
    make=make,
    steps={
        R.REVIEWED: lambda row: services.review(row, actor=user("xihu_chief")),
        R.PUBLISHED: lambda row: services.publish(row, actor=user("xihu_approver")),
        R.SUPERSEDED: lambda row: services.withdraw(row, actor=user("xihu_approver"),
                                                    reason="评定数据有误"),
    },
    fixtures=PERSONAS,
)
