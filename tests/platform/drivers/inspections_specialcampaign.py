"""Walk driver of special campaigns (inspections.specialcampaign)."""

from __future__ import annotations

from inspections.plans import services
from inspections.plans.models import EnforcementPlan, SpecialCampaign
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, plan, user

S = SpecialCampaign.Status


def make(status: str) -> SpecialCampaign:
    # Campaigns are decided while their plan is submitted.
    parent = plan(EnforcementPlan.Status.SUBMITTED)
    decided = status != S.PROPOSED
    return SpecialCampaign.objects.create(
        plan=parent, name="危化品专项整治", reason="汛期前排查", months=[5, 6], planned=10,
        status=status, decided_by=user("xihu_approver") if decided else None)


DRIVER = Driver(
    key="inspections.specialcampaign",
    make=make,
    steps={
        S.APPROVED: lambda row: services.approve_campaign(row, actor=user("xihu_approver")),
        S.REJECTED: lambda row: services.reject_campaign(row, actor=user("xihu_approver"),
                                                         comment="与年度重点不符"),
    },
    fixtures=PERSONAS,
)
