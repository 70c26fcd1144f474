"""Walk driver of the annual enforcement plan (inspections.enforcementplan)."""

from __future__ import annotations

from typing import Any

from inspections.plans import services
from inspections.plans.models import EnforcementPlan
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, plan, user

S = EnforcementPlan.Status


def _supersede(row: EnforcementPlan) -> Any:
    """A published version is superseded when its amendment is published."""
    new = services.amend_plan(row, actor=user("xihu_chief"), reason="年中调整检查指标")
    services.submit_plan(new, actor=user("xihu_chief"))
    services.approve_plan(new, actor=user("xihu_approver"))
    return services.publish_plan(new, actor=user("xihu_approver"))


DRIVER = Driver(
    key="inspections.enforcementplan",
    make=plan,
    steps={
        S.SUBMITTED: lambda row: services.submit_plan(row, actor=user("xihu_chief")),
        S.RETURNED: lambda row: services.return_plan(row, actor=user("xihu_approver"),
                                                     comment="请补充重点监管指标"),
        S.APPROVED: lambda row: services.approve_plan(row, actor=user("xihu_approver")),
        S.PUBLISHED: lambda row: services.publish_plan(row, actor=user("xihu_approver")),
        S.SUPERSEDED: _supersede,
    },
    fixtures=PERSONAS,
)
