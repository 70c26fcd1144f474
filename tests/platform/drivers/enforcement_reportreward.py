"""Walk driver of 12350 report rewards (enforcement.reportreward):
computed → approved | refused; approved → paid."""

from __future__ import annotations

from decimal import Decimal

from enforcement.public_reports import services
from enforcement.public_reports.models import PublicReport, ReportReward, RewardBasis
from enforcement.public_reports.reward import RATES_2018
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS
from tests.platform.drivers._inspections import user
from tests.platform.drivers.enforcement_publicreport import make as make_report

S = ReportReward.Status


def make(status: str) -> ReportReward:
    report = make_report(PublicReport.Status.VERIFIED, anonymous=False)
    approved = status in (S.APPROVED, S.REFUSED, S.PAID)
    return ReportReward.objects.create(
        report=report, basis=RewardBasis.FINE, fine=Decimal("100000"),
        amount=Decimal("15000.00"), rates_source=RATES_2018.source, status=status,
        computed_by=user("xihu_inspector"),
        approved_by=user("xihu_approver") if approved else None)


DRIVER = Driver(
    key="enforcement.reportreward",
    make=make,
    steps={
        S.APPROVED: lambda row: services.decide_reward(row, actor=user("xihu_approver"),
                                                       approve=True),
        S.REFUSED: lambda row: services.decide_reward(row, actor=user("xihu_approver"),
                                                      approve=False, reason="走查：不符合条件"),
        S.PAID: lambda row: services.pay_reward(row, actor=user("xihu_inspector"),
                                                reference="走查-001"),
    },
    fixtures=PERSONAS,
)
