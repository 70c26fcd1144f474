"""Walk driver of 12350 reports (enforcement.publicreport): received → accepted |
rejected | forwarded; accepted → verifying → verified → fed_back → closed."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from enforcement.cases.models import Case
from enforcement.public_reports import services
from enforcement.public_reports.models import PublicReport, ReportCategory, ReportTopic
from hangzhou_safety.accounts.models import Authority, Jurisdiction
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, make_case
from tests.platform.drivers._inspections import user

S = PublicReport.Status
_serial = itertools.count(1)


def make(status: str, *, topic: str = ReportTopic.FIRE, anonymous: bool = True,
         authority_code: str = "EM-330106", place_code: str = "330106002",
         case: Case | None = None) -> PublicReport:
    """A report in ``status`` (a fire report, so it can be forwarded; linked to a case
    from verification on, so it can be verified)."""
    now = timezone.now()
    verifying_or_later = status in (S.VERIFYING, S.VERIFIED, S.FED_BACK, S.CLOSED)
    if case is None and verifying_or_later:
        case = make_case(Case.Status.DECIDED)
    number = f"JBWALK{next(_serial):08d}"
    return PublicReport.objects.create(
        tracking_no=number, query_code_hash=services.code_hash(number, "WALKCODE"),
        category=ReportCategory.HIDDEN_DANGER, topic=topic,
        enterprise_name="杭州流转走查举报对象厂", place=Jurisdiction.objects.get(code=place_code),
        description="走查：仓库消防通道堵塞。", anonymous=anonymous, status=status,
        authority=Authority.objects.get(code=authority_code),
        remit_department="fire" if topic == ReportTopic.FIRE else "emergency",
        decided_at=now if status != S.RECEIVED else None, case=case,
        finding="substantiated" if status in (S.VERIFIED, S.FED_BACK, S.CLOSED) else "",
        verified_at=now if status in (S.VERIFIED, S.FED_BACK, S.CLOSED) else None)


def _chief() -> Any:
    return user("xihu_chief")


def _officer() -> Any:
    return user("xihu_inspector")


DRIVER = Driver(
    key="enforcement.publicreport",
    make=make,
    steps={
        S.ACCEPTED: lambda row: services.accept(row, actor=_chief(), note="走查：受理"),
        S.REJECTED: lambda row: services.reject(row, actor=_chief(), reason="走查：重复举报"),
        S.FORWARDED: lambda row: services.forward(row, actor=_chief(), reason="走查：消防"),
        S.VERIFYING: lambda row: services.start_verification(row, actor=_officer()),
        S.VERIFIED: lambda row: services.verify(row, actor=_officer(), finding="substantiated",
                                                result="走查：核查属实"),
        S.FED_BACK: lambda row: services.feed_back(row, actor=_officer(),
                                                   text="走查：已依法处理"),
        S.CLOSED: lambda row: services.close(row, actor=_officer()),
    },
    fixtures=PERSONAS,
)
