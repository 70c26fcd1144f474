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
