"""Shared builders of the enforcement-case drivers and tests: a 西湖区 case in any
status, made directly in the database with what that status implies (clocks are
started through the calendar service, as the steps would)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from enforcement.cases.models import (
    Case,
    CaseEvidence,
    CaseParty,
    EvidenceKind,
    PartyRole,
    PenaltyDecision,
)
from enforcement.grounds.models import PartyKind
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.workdays.services import start_clock
from tests.platform.drivers._inspections import XIHU, enterprise, user

PERSONAS = ("reference_data", "calendar_data", "clock_rules", "threshold_data",
            "xihu_inspector", "xihu_chief", "xihu_approver")
S = Case.Status
DS = PenaltyDecision.Status
FINE = Decimal("60000.00")  # reaches the 较大数额 threshold for a unit (hearing right)
AFTER_FILING = [S.FILED, S.INVESTIGATING, S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE, S.NOTIFIED,
                S.HEARING, S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED, S.TERMINATED,
                S.NO_PENALTY, S.REVOKED]
ORDER = [S.PENDING, S.FILED, S.INVESTIGATING, S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE,
         S.NOTIFIED, S.HEARING, S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED]


def second_inspector() -> User:
    """The second certified case officer of 西湖区."""
    row, created = User.objects.get_or_create(
        username="p_xihu_inspector2",
        defaults={"full_name": "西湖执法员乙", "role": Role.INSPECTOR,
                  "authority": Authority.objects.get(code=XIHU),
                  "certificate_number": "P330106003",
                  "certificate_valid_until": datetime.date(2030, 12, 31)})
    if created:
        row.set_unusable_password()
        row.save(update_fields=["password"])
    return row


def officers() -> list[User]:
    return [user("xihu_inspector"), second_inspector()]


def _reached(status: str, stage: str) -> bool:
    """Did a case in ``status`` pass through ``stage`` on the main path?"""
    if status in (S.TERMINATED, S.NO_PENALTY):
        return ORDER.index(stage) <= ORDER.index(S.REVIEW)
    if status == S.REVOKED:
        return ORDER.index(stage) <= ORDER.index(S.DECIDED)
    if status == S.DECLINED:
        return stage == S.PENDING
    return ORDER.index(stage) <= ORDER.index(status)


@dataclass(frozen=True)
class Staff:
    """Who works a case: its authority's inspector, approver and chief, the two case
    officers, and the enterprise it is about."""

    authority: Authority
    inspector: User
    approver: User
    chief: User
    officers: list[User]
    site: Enterprise


def xihu_staff() -> Staff:
    return Staff(Authority.objects.get(code=XIHU), user("xihu_inspector"),
                 user("xihu_approver"), user("xihu_chief"), officers(), enterprise())


def make_case(status: str = S.PENDING, *, major: bool = False,
              decision_status: str | None = None, fine: Decimal = FINE,
              hearing: bool = True, staff: Staff | None = None) -> Case:
    """A case in ``status``. From DECIDED on it carries one decision for the unit, in
    ``decision_status`` (default: issued when decided; otherwise a warning served).
    ``staff`` defaults to the 西湖区 personas and a new 西湖区 enterprise."""
    now = timezone.now()
    staff = staff or xihu_staff()
    inspector, approver, chief, site = staff.inspector, staff.approver, staff.chief, staff.site
    case = Case.objects.create(
        authority=staff.authority, enterprise=site,
        source=Case.Source.INSPECTION, title=f"{site.name}未按规定开展安全培训",
        facts="现场检查发现未对从业人员进行安全生产教育和培训。", is_major=major,
        status=status, created_by=inspector, filing_submitted_at=now)
    case.officers.set(staff.officers)
    party = CaseParty.objects.create(case=case, kind=PartyKind.ORGANISATION,
                                     role=PartyRole.UNIT, name=site.name,
                                     identifier=site.uscc)
    fields: dict[str, Any] = {}
    if _reached(status, S.FILED):
        fields.update(filed_at=now, filing_approved_by=approver,
                      decision_clock=start_clock("decision", subject=case, started_at=now))
    if _reached(status, S.INVESTIGATING):
        CaseEvidence.objects.create(case=case, kind=EvidenceKind.RECORD,
                                    description="现场检查笔录", collected_by=inspector)
    if _reached(status, S.REVIEW):
        fields.update(investigation_report="经调查，违法事实清楚。",
                      proposed_handling="拟处以罚款。")
    if _reached(status, S.LEGAL_REVIEW):
        fields.update(legal_reviewer=chief, legal_review_opinion="同意",
                      legal_reviewed_at=now)
    if _reached(status, S.COLLECTIVE):
        fields.update(discussed_at=now)
    proposal = [{"party": party.pk, "kinds": ["fine"], "fine_amount": str(fine),
                 "party_kind": PartyKind.ORGANISATION}]
    if _reached(status, S.NOTIFIED):
        fields.update(notified_at=now, proposed_penalties=proposal, hearing_right=hearing,
                      statement_clock=start_clock("statement_defence", subject=case,
                                                  started_at=now))
        if hearing:
            fields["hearing_request_clock"] = start_clock("hearing_request", subject=case,
                                                          started_at=now)
    if _reached(status, S.HEARING):
        fields.update(hearing_requested_at=now, hearing_at=now, hearing_presider=chief,
                      hearing_held_at=now, statement_recorded_at=now,
                      legal_reviewed_at=now + datetime.timedelta(seconds=1),
                      review_reasons=["after_hearing"])
    if _reached(status, S.DECIDED):
        fields["decided_at"] = now
    if status == S.CLOSED:
        fields["closed_at"] = now
    if status in (S.DECLINED, S.NO_PENALTY, S.TERMINATED, S.REVOKED):
        fields.update(outcome_reason="走查", closed_at=now)
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    if _reached(status, S.DECIDED):
        default = DS.ISSUED if status == S.DECIDED else DS.SERVED
        make_decision(case, party, decision_status or default,
                      money=decision_status is not None or status == S.DECIDED, fine=fine,
                      approver=approver)
    return case


def make_decision(case: Case, party: CaseParty, status: str, *, money: bool = True,
                  fine: Decimal = FINE, approver: User | None = None) -> PenaltyDecision:
    """A decision in ``status``: a fine (or a warning) with the dates that status implies."""
    now = timezone.now()
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    decision = PenaltyDecision.objects.create(
        case=case, party=party, kinds=["fine"] if money else ["warning"],
        fine_amount=fine if money else Decimal("0"), basis="《安全生产法》第九十七条",
        approved_by=approver or user("xihu_approver"), status=status,
        issued_at=now - datetime.timedelta(days=40))
    values: dict[str, Any] = {}
    if status == DS.ISSUED:
        values["issued_at"] = now - datetime.timedelta(hours=1)
        values["service_clock"] = start_clock("service", subject=case, started_at=now)
    else:
        values.update(served_at=now - datetime.timedelta(days=39), service_method="in_person")
        if money:
            values["payment_due"] = yesterday
    if status == DS.DEFERRED:
        values["deferred_until"] = yesterday
    if status in (DS.DEMANDED, DS.COURT):
        # Served 200 days ago: the review (60 days) and litigation (6 months) periods
        # have run out and the 3 months to apply to the court are running.
        values.update(issued_at=now - datetime.timedelta(days=201),
                      served_at=now - datetime.timedelta(days=200))
        values.update(demanded_at=now - datetime.timedelta(days=30),
                      demand_clock=start_clock("payment_demand", subject=case,
                                               started_at=now - datetime.timedelta(days=30)))
    if status == DS.PAID:
        values.update(paid_amount=decision.fine_amount, paid_at=now)
    PenaltyDecision.objects.filter(pk=decision.pk).update(**values)
    decision.refresh_from_db()
    return decision
