"""A decision driven through the real case services up to its published disclosure,
for the portal tests: filed, investigated, notified, decided (the decision_issued
signal opens the disclosure), its 告知书 and 决定书 issued (the document number), the
public version submitted, reviewed by the chief and published."""

from __future__ import annotations

from typing import Any

from enforcement.cases import services as cases
from enforcement.cases.documents import issue_decision_document, issue_prior_notice
from enforcement.cases.models import Case, CaseParty, PartyRole
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from enforcement.grounds.models import PartyKind
from tests.platform.drivers._cases import make_case


def walk_to_published(users: dict[str, Any], *, title: str = "", facts: str = "",
                      person: dict[str, str] | None = None, documents: bool = True,
                      extra_persons: tuple[str, ...] = ()) -> Disclosure:
    inspector, inspector2 = users["inspector"], users["inspector2"]
    chief, approver = users["chief"], users["approver"]
    case = make_case(Case.Status.PENDING)
    updates: dict[str, Any] = {"filing_submitted_at": None}
    if title:
        updates["title"] = title
    if facts:
        updates["facts"] = facts
    Case.objects.filter(pk=case.pk).update(**updates)
    party = case.parties.get()
    if person:
        CaseParty.objects.filter(pk=party.pk).update(kind=PartyKind.PERSON,
                                                     role=PartyRole.PERSON, **person)
    for name in extra_persons:
        CaseParty.objects.create(case=case, kind=PartyKind.PERSON,
                                 role=PartyRole.OTHER_RESPONSIBLE, name=name)
    case.refresh_from_db()
    cases.file_case(case, actor=inspector)
    case = cases.approve_filing(case, actor=approver)
    cases.start_investigation(case, actor=inspector2)
    cases.register_evidence(case, actor=inspector, kind="party_statement",
                            description="询问笔录")
    cases.submit_investigation_report(case, actor=inspector, report="违法事实清楚",
                                      proposed_handling="拟罚款")
    penalties = [{"party": party.pk, "kinds": ["fine"], "fine_amount": "20000"}]
    case = cases.notify_party(case, actor=inspector, penalties=penalties)
    cases.record_statement(case, actor=inspector, waived=True)
    case = cases.issue_decision(case, actor=approver, penalties=penalties,
                                basis="《安全生产法》第九十七条")
    decision = case.decisions.get(party=party)
    if documents:
        issue_prior_notice(case, actor=inspector, party=decision.party)
        issue_decision_document(decision, actor=inspector)
    row = Disclosure.objects.get(decision=decision)
    row = disclosure.submit_for_review(row, actor=inspector)
    row = disclosure.approve_redaction(row, actor=chief, severity="ordinary", months=6)
    return disclosure.publish(row, actor=inspector)
