"""Walk driver of penalty decisions (enforcement.penaltydecision): service, payment,
deferral, overdue, demand, court, revocation."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from enforcement.cases import services as cases
from enforcement.cases.models import Case, PenaltyDecision
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, make_case
from tests.platform.drivers._inspections import user

DS = PenaltyDecision.Status
S = Case.Status
CASE_STATUS = {DS.ISSUED: S.DECIDED, DS.SERVED: S.SERVED, DS.REVOKED: S.REVOKED}


def make(status: str) -> PenaltyDecision:
    case = make_case(CASE_STATUS.get(status, S.EXECUTING), decision_status=status)
    return case.decisions.get()


def _paid(row: PenaltyDecision) -> Any:
    principal, fee = cases.amount_due(row, timezone.localdate())
    return cases.record_payment(row, actor=user("xihu_inspector"), amount=principal + fee)


DRIVER = Driver(
    key="enforcement.penaltydecision",
    make=make,
    steps={
        DS.SERVED: lambda row: cases.record_service(row, actor=user("xihu_inspector"),
                                                    method="in_person"),
        DS.PAID: _paid,
        DS.DEFERRED: lambda row: cases.approve_deferral(
            row, actor=user("xihu_approver"), reason="经济困难",
            until=timezone.localdate() + datetime.timedelta(days=30)),
        DS.OVERDUE: lambda row: cases.flag_overdue(row),
        DS.DEMANDED: lambda row: cases.send_payment_demand(row, actor=user("xihu_inspector")),
        DS.COURT: lambda row: cases.apply_to_court(row, actor=user("xihu_approver")),
        DS.ENFORCED: lambda row: cases.record_court_enforcement(
            row, actor=user("xihu_inspector"), note="法院已强制执行"),
        DS.REVOKED: lambda row: cases.revoke(row.case, actor=user("xihu_approver"),
                                             reason="复议决定撤销"),
    },
    fixtures=PERSONAS,
)
