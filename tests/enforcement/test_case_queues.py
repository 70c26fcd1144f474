"""The case queues (待审批, 法制审核, 集体讨论议程) and the cases' inbox sections: who sees
what — another district sees nothing, a legal reviewer never sees a case they handle
or collected evidence for, roles are checked in the selector and the page; pages are
keyset-paged and link every row to the case; each inbox provider costs a fixed
number of queries whatever the user's load."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.cases import queues
from enforcement.cases.inbox import case_inbox
from enforcement.cases.models import Case, CaseEvidence, EvidenceKind
from hangzhou_safety.accounts.models import Authority, Role
from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.workdays.services import start_clock
from tests.conftest import make_user
from tests.platform.drivers._cases import Staff, make_case
from tests.platform.drivers._inspections import enterprise

S = Case.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]


@pytest.fixture
def binjiang(case_world: dict[str, Any]) -> dict[str, Any]:
    authority = Authority.objects.get(code="EM-330108")
    people = {
        "inspector": make_user("q_bj_inspector", Role.INSPECTOR, "EM-330108",
                               cert="Q330108001"),
        "inspector2": make_user("q_bj_inspector2", Role.INSPECTOR, "EM-330108",
                                cert="Q330108003"),
        "chief": make_user("q_bj_chief", Role.SECTION_CHIEF, "EM-330108", cert="Q330108002",
                           legal_qualification=True),
        "approver": make_user("q_bj_approver", Role.DISTRICT_APPROVER, "EM-330108",
                              cert="Q330108009"),
    }
    site = enterprise()
    site.supervising_authority = authority
    site.save(update_fields=["supervising_authority"])
    people["staff"] = Staff(authority, people["inspector"], people["approver"],
                            people["chief"], [people["inspector"], people["inspector2"]], site)
    return people


def _ids(rows: Any) -> set[int]:
    return set(rows.values_list("pk", flat=True))


def test_the_approval_queue_by_role_and_district(case_world: dict[str, Any],
                                                 binjiang: dict[str, Any]) -> None:
    pending = make_case(S.PENDING)  # the filing form is submitted (filing_submitted_at)
    report = make_case(S.REVIEW)
    investigating = make_case(S.INVESTIGATING)
    kept = CaseEvidence.objects.create(case=investigating, kind=EvidenceKind.PHYSICAL,
                                       description="先行登记保存的配电箱", preserved=True,
                                       collected_by=case_world["inspector"])
    make_case(S.FILED)  # nothing awaits a chief
    theirs = make_case(S.REVIEW, staff=binjiang["staff"])

    approver, chief = case_world["approver"], case_world["chief"]
    assert _ids(queues.approval_queue(approver)) == {pending.pk, report.pk, investigating.pk}
    # The section chief reviews reports; filings and preserved evidence go to the head.
    assert _ids(queues.approval_queue(chief)) == {report.pk}
    assert _ids(queues.approval_queue(binjiang["approver"])) == {theirs.pk}
    reasons = {c.pk: queues.approval_reason(c) for c in queues.approval_queue(approver)}
    assert reasons == {pending.pk: "filing", report.pk: "report",
                       investigating.pk: "preservation"}
    for nobody in (case_world["inspector"],):
        with pytest.raises(Forbidden):
            queues.approval_queue(nobody)
    # Decided on: preserved evidence leaves the queue.
    kept.preservation_outcome = "return"
    kept.save(update_fields=["preservation_outcome"])
    assert investigating.pk not in _ids(queues.approval_queue(approver))


def test_no_one_approves_a_case_they_handle(
        case_world: dict[str, Any]) -> None:
    approver = case_world["approver"]
    pending = make_case(S.PENDING)
    pending.officers.add(approver)
    assert pending.pk not in _ids(queues.approval_queue(approver))
    assert pending.pk not in _ids(queues.filing_awaiting_approval(approver))
    # Nor does a chief review the report of a case they handle.
    chief = case_world["chief"]
    report = make_case(S.REVIEW)
    report.officers.add(chief)
    assert report.pk not in _ids(queues.approval_queue(chief))
    assert report.pk not in _ids(queues.reports_awaiting_review(chief))


def test_the_legal_review_queue_keeps_the_separation_of_duties(
        case_world: dict[str, Any], binjiang: dict[str, Any]) -> None:
    chief = case_world["chief"]
    major = make_case(S.REVIEW, major=True)
    complex_case = make_case(S.REVIEW)
    Case.objects.filter(pk=complex_case.pk).update(review_reasons=["complex"])
    make_case(S.REVIEW)  # no mandatory review: the officers notify directly
    handled = make_case(S.REVIEW, major=True)
    handled.officers.add(chief)
    gathered = make_case(S.REVIEW, major=True)
    CaseEvidence.objects.create(case=gathered, kind=EvidenceKind.WITNESS,
                                description="证人证言", collected_by=chief)
    heard = make_case(S.HEARING)  # reviewed after the hearing already (make_case)
    heard_unreviewed = make_case(S.HEARING)
    Case.objects.filter(pk=heard_unreviewed.pk).update(legal_reviewed_at=None)
    theirs = make_case(S.REVIEW, major=True, staff=binjiang["staff"])

    assert _ids(queues.legal_review_queue(chief)) == {major.pk, complex_case.pk,
                                                      heard_unreviewed.pk}
    assert heard.pk not in _ids(queues.legal_review_queue(chief))
    assert _ids(queues.legal_review_queue(binjiang["chief"])) == {theirs.pk}
    # No qualification, or not a reviewer's role: refused in the selector itself.
    unqualified = make_user("q_xihu_chief2", Role.SECTION_CHIEF, "EM-330106",
                            cert="Q330106005")
    for nobody in (unqualified, case_world["inspector"], case_world["approver"]):
        with pytest.raises(Forbidden):
            queues.legal_review_queue(nobody)


def test_the_agenda_lists_major_cases_after_their_review_with_the_handling(
        case_world: dict[str, Any], binjiang: dict[str, Any]) -> None:
    major = make_case(S.LEGAL_REVIEW, major=True)
    make_case(S.LEGAL_REVIEW)  # neither major nor complex: no discussion needed
    make_case(S.COLLECTIVE, major=True)  # discussed already
    heard = make_case(S.HEARING, major=True)  # reviewed again after the hearing
    Case.objects.filter(pk=heard.pk).update(discussed_at=heard.legal_reviewed_at
                                            - datetime.timedelta(days=1))
    theirs = make_case(S.LEGAL_REVIEW, major=True, staff=binjiang["staff"])
    assert _ids(queues.agenda(case_world["approver"])) == {major.pk, heard.pk}
    assert _ids(queues.agenda(binjiang["approver"])) == {theirs.pk}
    for nobody in (case_world["chief"], case_world["inspector"]):
        with pytest.raises(Forbidden):
            queues.agenda(nobody)


def test_the_pages_link_each_row_to_its_case_and_refuse_other_roles(
        case_world: dict[str, Any], binjiang: dict[str, Any], web_as: Any) -> None:
    report = make_case(S.REVIEW, major=True)
    agenda_case = make_case(S.LEGAL_REVIEW, major=True)
    theirs = make_case(S.REVIEW, major=True, staff=binjiang["staff"])
    pages = {"approval_queue": (case_world["approver"], report),
             "legal_review_queue": (case_world["chief"], report),
             "agenda": (case_world["approver"], agenda_case)}
    for name, (user, case) in pages.items():
        html = web_as(user).get(reverse(f"enforcement:{name}")).content.decode()
        assert reverse("enforcement:case_detail", args=[case.pk]) in html, name
        assert reverse("enforcement:case_detail", args=[theirs.pk]) not in html, name
    assert "拟处以罚款。" in web_as(case_world["approver"]).get(
        reverse("enforcement:agenda")).content.decode()
    inspector = web_as(case_world["inspector"])
    for name in pages:
        assert inspector.get(reverse(f"enforcement:{name}")).status_code == 403, name
    assert web_as(case_world["chief"]).get(reverse("enforcement:agenda")).status_code == 403
    # The case list links the queues the user may open.
    listing = web_as(case_world["chief"]).get(reverse("enforcement:case_list")).content.decode()
    assert reverse("enforcement:legal_review_queue") in listing
    assert reverse("enforcement:agenda") not in listing


def test_the_queue_pages_are_keyset_paged(case_world: dict[str, Any], web_as: Any,
                                          monkeypatch: Any) -> None:
    from enforcement.cases import queue_views

    monkeypatch.setattr(queue_views, "PAGE_SIZE", 2)
    rows = [make_case(S.REVIEW) for _ in range(3)]
    client = web_as(case_world["chief"])
    first = client.get(reverse("enforcement:approval_queue")).content.decode()
    assert f"before={rows[1].pk}" in first
    second = client.get(reverse("enforcement:approval_queue") + f"?before={rows[1].pk}")
    html = second.content.decode()
    assert reverse("enforcement:case_detail", args=[rows[0].pk]) in html
    assert reverse("enforcement:case_detail", args=[rows[2].pk]) not in html


def _sections(user: Any) -> dict[str, Any]:
    return {s.key: s for s in case_inbox(user)}


def _queries(user: Any) -> int:
    case_inbox(user)  # warm the content-type cache
    with CaptureQueriesContext(connection) as queries:
        case_inbox(user)
    return len(queries)


def test_inbox_sections_by_role(case_world: dict[str, Any], binjiang: dict[str, Any]) -> None:
    now = timezone.now()
    mine = make_case(S.NOTIFIED)  # statement window: 3 days, due soon
    late = make_case(S.FILED)
    start_clock("service", subject=late, started_at=now - datetime.timedelta(days=30))
    make_case(S.REVIEW, major=True)
    make_case(S.LEGAL_REVIEW, major=True)
    make_case(S.PENDING)
    running_out = make_case(S.INVESTIGATING)  # filed 88 days ago: 2 days left to decide
    clock = start_clock("decision", subject=running_out,
                        started_at=now - datetime.timedelta(days=88))
    Case.objects.filter(pk=running_out.pk).update(decision_clock=clock)
    inspector = _sections(case_world["inspector"])
    assert set(inspector) == {"case-deadlines", "case-overdue"}
    assert any(r.url.endswith(f"/cases/{mine.pk}/") for r in inspector["case-deadlines"].rows)
    assert inspector["case-overdue"].tone == "danger"
    assert [r.url for r in inspector["case-overdue"].rows] == [
        reverse("enforcement:case_detail", args=[late.pk])]
    chief = _sections(case_world["chief"])
    assert {"case-reports", "case-legal-review"} <= set(chief)
    assert "case-agenda" not in chief and "case-filing" not in chief
    assert len(chief["case-reports"].rows) == 1 and len(chief["case-legal-review"].rows) == 1
    head = _sections(case_world["approver"])
    assert {"case-filing", "case-reports", "case-agenda", "case-extension"} <= set(head)
    assert len(head["case-filing"].rows) == 1 and len(head["case-agenda"].rows) == 1
    assert "case-legal-review" not in head
    assert [r.url for r in head["case-extension"].rows] == [
        reverse("enforcement:case_detail", args=[running_out.pk])]
    assert "case-preservation" not in head  # no preserved evidence awaits: not shown
    other = _sections(binjiang["approver"])
    assert all(not s.rows for s in other.values())
    auditor = make_user("q_xihu_auditor", Role.AUDITOR, "EM-330106")
    assert case_inbox(auditor) == []


def test_each_provider_costs_the_same_whatever_the_load(
        case_world: dict[str, Any], binjiang: dict[str, Any]) -> None:
    """Two users of each role, one with nothing to do and one with a full load."""
    now = timezone.now()
    for _ in range(25):
        case = make_case(S.REVIEW, major=True)
        start_clock("service", subject=case, started_at=now - datetime.timedelta(days=30))
        start_clock("statement_defence", subject=case, started_at=now)
        make_case(S.PENDING)
        make_case(S.LEGAL_REVIEW, major=True)
    for role in ("inspector", "chief", "approver"):
        busy, idle = case_world[role], binjiang[role]
        assert sum(len(s.rows) for s in case_inbox(busy)) > 0, role
        assert sum(len(s.rows) for s in case_inbox(idle)) == 0, role
        assert _queries(busy) == _queries(idle), role
    busy = _sections(case_world["approver"])
    assert busy["case-filing"].more and busy["case-filing"].count_label == "20+"
