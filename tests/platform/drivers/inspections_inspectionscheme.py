"""Walk driver of inspection schemes (inspections.inspectionscheme)."""

from __future__ import annotations

import datetime

from hangzhou_safety.accounts.models import Authority
from inspections.checklists import services
from inspections.checklists.models import InspectionScheme
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, XIHU, user

S = InspectionScheme.Status


def make(status: str) -> InspectionScheme:
    """Written by the inspector; the chief reviews it."""
    row = InspectionScheme.objects.create(
        authority=Authority.objects.get(code=XIHU), title="走查检查方案", area="西湖区",
        content="危化品储存", focus="重大危险源", start_date=datetime.date(2026, 12, 7),
        end_date=datetime.date(2026, 12, 18), status=status,
        created_by=user("xihu_inspector"),
        approved_by=user("xihu_chief") if status == S.APPROVED else None)
    row.team.set([user("xihu_inspector"), user("xihu_chief")])
    return row


DRIVER = Driver(
    key="inspections.inspectionscheme",
    make=make,
    steps={
        S.SUBMITTED: lambda row: services.submit_scheme(row, actor=user("xihu_inspector")),
        S.APPROVED: lambda row: services.approve_scheme(row, actor=user("xihu_chief")),
        S.DRAFT: lambda row: services.return_scheme(row, actor=user("xihu_chief"),
                                                    reason="请补充检查重点"),
    },
    fixtures=PERSONAS,
)
