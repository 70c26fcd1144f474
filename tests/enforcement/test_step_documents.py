"""The case's step documents (立案审批表, 当场处罚决定书, 催告书 …) rendered from the step
records: numbered on the case's serial, one per record, prerequisites kept, and issued
from the case page."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from enforcement.cases import documents as case_docs
from enforcement.cases import services as cases
from enforcement.cases import step_documents
from enforcement.cases.models import Case, PenaltyDecision
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.documents.amounts import to_capitals
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import make_case

S = Case.Status
DS = PenaltyDecision.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]


def _text(pdf: bytes) -> str:
    joined = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(joined.split())


def _filed_case(case_world: dict[str, Any]) -> Case:
    case = make_case(S.PENDING)
    Case.objects.filter(pk=case.pk).update(filing_submitted_at=None)
    cases.file_case(case, actor=case_world["inspector"], text="涉嫌未按规定开展安全培训")
    return cases.approve_filing(case, actor=case_world["approver"], opinion="同意立案调查")


def test_the_filing_form_comes_from_the_approval_record(case_world: dict[str, Any]) -> None:
    case = _filed_case(case_world)
    pending = step_documents.pending_step_documents(case.steps.all(), [])
    assert [(r.step, name) for r, name in pending] == [("approve_filing", "立案审批表")]
    record = pending[0][0]
    doc = step_documents.issue_step_document(case, record, actor=case_world["inspector"])
    assert "应急立〔" in doc.number and doc.status == "issued"
    text = _text(bytes(doc.pdf))
    assert "立案审批表" in text and "同意立案调查" in text and "涉嫌未按规定开展安全培训" in text
    assert case_world["approver"].display_name in text
    assert step_documents.pending_step_documents(case.steps.all(), [doc]) == []
    with refused(DomainError, "已签发"):
        step_documents.issue_step_document(case, record, actor=case_world["inspector"])


def test_records_without_a_document_or_of_another_case_are_refused(
        case_world: dict[str, Any], binjiang_inspector: Any) -> None:
    case = _filed_case(case_world)
    other = _filed_case(case_world)
    start = cases.start_investigation(case, actor=case_world["inspector"])
    plain = start.steps.get(step="start_investigation")
    with refused(DomainError, "没有需要签发的文书"):
        step_documents.issue_step_document(case, plain, actor=case_world["inspector"])
    foreign = other.steps.get(step="approve_filing")
    with refused(InvalidInput, "不属于本案"):
        step_documents.issue_step_document(case, foreign, actor=case_world["inspector"])
    with pytest.raises(Forbidden):
        step_documents.issue_step_document(case, case.steps.get(step="approve_filing"),
                                           actor=binjiang_inspector)
    assert not case_docs.case_documents(case).exists()


def test_the_summary_decision_names_party_amount_in_capitals_and_remedies(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.PENDING)
    party = case.parties.get()
    cases.summary_procedure_decision(case, actor=case_world["inspector"], party=party,
                                     kinds=["fine"], fine_amount=Decimal("2000"),
                                     basis="《安全生产法》第九十七条")
    record = case.steps.get(step="summary_procedure_decision")
    doc = step_documents.issue_step_document(case, record, actor=case_world["inspector"])
    text = _text(bytes(doc.pdf))
    assert "应急当罚〔" in doc.number
    assert party.name in text and "2000.00元" in text and to_capitals(Decimal("2000")) in text
    assert "行政复议" in text and "行政诉讼" in text


def test_the_demand_needs_the_decision_document_and_states_what_is_owed(
        case_world: dict[str, Any]) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.OVERDUE, fine=Decimal("30000"))
    decision = case.decisions.get()
    inspector = case_world["inspector"]
    cases.send_payment_demand(decision, actor=inspector)
    record = case.steps.get(step="send_payment_demand")
    with refused(DomainError, "行政处罚决定书"):
        step_documents.issue_step_document(case, record, actor=inspector)
    case_docs.issue_prior_notice(case, actor=inspector, party=decision.party)
    decision_doc = case_docs.issue_decision_document(decision, actor=inspector)
    demand = step_documents.issue_step_document(case, record, actor=inspector)
    assert demand.serial == decision_doc.serial  # one serial per case
    text = _text(bytes(demand.pdf))
    assert "催告书" in text and decision.party.name in text and "十日内履行" in text
    owed = case_docs.IssuedDocument.objects.get(pk=demand.pk).context["amount"]
    assert Decimal(owed) >= Decimal("30000.00")


def test_the_case_page_lists_and_issues_pending_documents(
        web_as: Any, case_world: dict[str, Any]) -> None:
    case = _filed_case(case_world)
    client = web_as(case_world["inspector"])
    page = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    record = case.steps.get(step="approve_filing")
    assert 'data-testid="pending-documents"' in page and f"issue-record-{record.pk}" in page
    url = reverse("enforcement:case_record_document", args=[case.pk, record.pk])
    after = client.post(url, follow=True).content.decode()
    assert "应急立〔" in after and f"issue-record-{record.pk}" not in after
    again = client.post(url, follow=True).content.decode()
    assert "已签发" in again
    assert case_docs.case_documents(case).count() == 1
