"""Builders of blacklist entries in any status (directly in the database)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from credit.blacklist import rules
from credit.blacklist.models import BlacklistEntry
from enforcement.cases.models import Case, PenaltyDecision
from tests.platform.drivers._cases import make_case
from tests.platform.drivers._inspections import user

B = BlacklistEntry.Status
ART114 = "《中华人民共和国安全生产法》第一百一十四条"


def art114_decision() -> PenaltyDecision:
    case = make_case(Case.Status.SERVED)
    decision = case.decisions.get()
    PenaltyDecision.objects.filter(pk=decision.pk).update(basis=ART114)
    case.enterprise.sector = "machinery"
    case.enterprise.save(update_fields=["sector"])
    decision.refresh_from_db()
    return decision


def make_entry(status: str = B.PROPOSED, *, decided_on: datetime.date | None = None) -> Any:
    decision = art114_decision()
    fields: dict[str, Any] = {}
    day = decided_on or timezone.localdate() - datetime.timedelta(days=400)
    if status not in (B.PROPOSED, B.NOTIFIED, B.OBJECTION, B.WITHDRAWN):
        fields.update(decided_on=day, decision_number="西应急失〔2026〕1号",
                      decided_by=user("xihu_approver"),
                      term_ends_on=rules.add_months(day, rules.TERM_MONTHS),
                      removal_eligible_on=rules.add_months(day, 12))
    if status == B.OBJECTION:
        fields.update(objection_text="异议", objection_answer="不予采纳")
    return BlacklistEntry.objects.create(
        authority=decision.case.authority, enterprise=decision.case.enterprise,
        decision=decision, ground="fine_art114", reasons="事故情节特别严重",
        proposed_by=user("xihu_approver"), status=status, **fields)
