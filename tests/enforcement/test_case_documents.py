"""The case's numbered documents: the 行政处罚决定书 as a real PDF, after its notice,
on the case's serial, and the whole 卷宗 as one PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from enforcement.cases import documents as case_docs
from enforcement.cases.models import Case
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.documents.amounts import to_capitals
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_decision_pdf_names_the_party_number_amount_and_remedies(
        case_world: dict[str, Any]) -> None:
    case = make_case(Case.Status.DECIDED, fine=Decimal("30000"))
    decision = case.decisions.get()
    inspector = case_world["inspector"]
    with refused(DomainError, "告知书"):
        case_docs.issue_decision_document(decision, actor=inspector)
    notice = case_docs.issue_prior_notice(case, actor=inspector, party=decision.party)
    issued = case_docs.issue_decision_document(decision, actor=inspector)
    assert "应急罚告" in notice.number and "应急罚〔" in issued.number
    assert issued.serial == notice.serial  # one serial per case
    text = "".join(_text(bytes(issued.pdf)).split())
    assert decision.party.name in text
    assert "".join(issued.number.split()) in text
    assert "30000.00" in text and to_capitals(Decimal("30000")) in text
    assert "行政复议" in text and "行政诉讼" in text
    with refused(DomainError, "已签发"):
        case_docs.issue_decision_document(decision, actor=inspector)


def test_the_case_file_is_one_pdf_with_cover_index_documents_and_evidence(
        case_world: dict[str, Any]) -> None:
    case = make_case(Case.Status.DECIDED)
    decision = case.decisions.get()
    with refused(DomainError, "卷宗"):
        case_docs.case_file_pdf(case)
    case_docs.issue_prior_notice(case, actor=case_world["inspector"], party=decision.party)
    issued = case_docs.issue_decision_document(decision, actor=case_world["inspector"])
    text = "".join(_text(case_docs.case_file_pdf(case)).split())
    for part in ("行政处罚案卷", "卷内目录", "证据清单", "".join(issued.number.split()),
                 "现场检查笔录"):
        assert part in text, part


def test_the_case_page_issues_lists_and_downloads_its_documents(
        web_as: Any, case_world: dict[str, Any]) -> None:
    from django.urls import reverse

    case = make_case(Case.Status.DECIDED)
    decision = case.decisions.get()
    client = web_as(case_world["inspector"])
    detail = reverse("enforcement:case_detail", args=[case.pk])
    # The decision document first is refused with its reason (its notice is missing).
    refused_page = client.post(reverse("enforcement:decision_step",
                                       args=[case.pk, decision.pk, "document"]),
                               follow=True).content.decode()
    assert "告知书" in refused_page and not case_docs.case_documents(case).exists()
    client.post(reverse("enforcement:case_step", args=[case.pk, "issue_notices"]))
    client.post(reverse("enforcement:decision_step", args=[case.pk, decision.pk, "document"]))
    page = client.get(detail).content.decode()
    docs = list(case_docs.case_documents(case))
    assert [d.doc_type_id for d in docs] == ["罚告", "罚"]
    for doc in docs:
        assert doc.number in page
        response = client.get(reverse("enforcement:case_document", args=[case.pk, doc.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Document-SHA256"] == doc.sha256
    whole = client.get(reverse("enforcement:case_file", args=[case.pk]))
    assert whole.status_code == 200 and whole.content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(whole.content)).pages) >= 4
