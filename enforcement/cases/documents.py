"""The case's numbered documents through the platform document service
(hangzhou_safety.documents): every document of a case is numbered from the case's one
serial in the "case" series, so （杭西）应急罚告〔2026〕12号 and （杭西）应急罚〔2026〕12号
belong to the same case. Prerequisites are the document types' data (罚 requires 罚告)
plus the domain's own conditions checked here (the decision exists, the party was
notified). Rendered from a plain snapshot of the case, so the issued PDF stays what was
served even if the case changes later.

Here: the 行政处罚告知书 (罚告) per party, the 行政处罚决定书 (罚) per decision, and the
卷宗 of a case. The other step documents of DOMAIN.md B4 are rendered from the step
records in step_documents.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.documents import services as documents
from hangzhou_safety.documents.data import SERIES_CASE
from hangzhou_safety.documents.models import IssuedDocument
from hangzhou_safety.documents.numbering import serial_for

from .models import Case, CaseParty, PenaltyDecision, PenaltyKind
from .steps.common import _lock, _require_case_staff

PRIOR_NOTICE = "罚告"
DECISION = "罚"
TEMPLATES = {
    PRIOR_NOTICE: "enforcement/documents/prior_notice.html",
    DECISION: "enforcement/documents/penalty_decision.html",
}


def _party(party: CaseParty) -> dict[str, str]:
    return {"name": party.name, "identifier": party.identifier, "address": party.address,
            "role": str(party.get_role_display())}


def _kinds(kinds: list[str]) -> list[str]:
    labels = dict(PenaltyKind.choices)
    return [str(labels.get(k, k)) for k in kinds]


def _issue(case: Case, type_code: str, *, actor: Any, context: dict[str, Any],
           title: str = "", template: str = "") -> IssuedDocument:
    documents.require_prior(case, type_code)
    year = timezone.localtime(case.filed_at or case.created_at).year
    allocation = serial_for(case, case.authority, year, SERIES_CASE)
    return documents.issue_document(
        actor=actor, authority=case.authority, type_code=type_code, subject=case, year=year,
        serial=allocation.serial, template_name=template or TEMPLATES[type_code],
        context=context,
        title=title)


def _already(case: Case, type_code: str, party_id: int) -> IssuedDocument | None:
    for doc in documents.issued_for(case, type_code):
        if doc.context.get("party_id") == party_id:
            return doc
    return None


def issue_prior_notice(case: Case, *, actor: Any, party: CaseParty) -> IssuedDocument:
    """行政处罚告知书 for one party, once the case is notified (告知)."""
    with transaction.atomic():
        locked = _lock(case)
        _require_case_staff(locked, actor)
        proposal = next((p for p in locked.proposed_penalties if p["party"] == party.pk), None)
        if locked.notified_at is None or proposal is None:
            raise DomainError("案件尚未告知该当事人拟处罚内容。",
                              "The party has not been notified of a proposed penalty.",
                              code="document_not_ready")
        if (doc := _already(locked, PRIOR_NOTICE, party.pk)) is not None:
            raise DomainError(f"告知书已签发（{doc.number}），如需变更请更正。",
                              "Already issued; issue a correction instead.",
                              code="document_exists")
        context = {"party_id": party.pk, "party": _party(party), "facts": locked.facts,
                   "penalty": {"kinds": _kinds(proposal["kinds"]),
                               "fine_amount": proposal["fine_amount"]},
                   "hearing_right": locked.hearing_right}
        return _issue(locked, PRIOR_NOTICE, actor=actor, context=context)


def issue_decision_document(decision: PenaltyDecision, *, actor: Any) -> IssuedDocument:
    """行政处罚决定书 of one decision; its party's 告知书 must be issued before it."""
    with transaction.atomic():
        locked = _lock(decision.case_id)
        row = PenaltyDecision.objects.select_related("party").get(pk=decision.pk)
        _require_case_staff(locked, actor)
        if row.status == PenaltyDecision.Status.REVOKED:
            raise DomainError("处罚决定已撤销。", "The decision was revoked.",
                              code="document_not_ready")
        notice = _already(locked, PRIOR_NOTICE, row.party_id)
        if notice is None:
            raise DomainError("签发行政处罚决定书前须先签发该当事人的行政处罚告知书。",
                              "Issue the party's prior notice first.",
                              code="document_prerequisite")
        if (doc := _already(locked, DECISION, row.party_id)) is not None:
            raise DomainError(f"决定书已签发（{doc.number}），如需变更请更正。",
                              "Already issued; issue a correction instead.",
                              code="document_exists")
        assert notice.issued_at is not None
        context = {
            "party_id": row.party_id, "decision_id": row.pk, "party": _party(row.party),
            "facts": locked.facts, "basis": row.basis,
            "evidence": [f"{e.get_kind_display()}：{e.description}"
                         for e in locked.evidence.order_by("pk")],
            "notice": {"number": notice.number,
                       "date": timezone.localtime(notice.issued_at).strftime("%Y年%-m月%-d日")},
            "penalty": {"kinds": _kinds(row.kinds), "fine_amount": f"{row.fine_amount:.2f}"},
        }
        return _issue(locked, DECISION, actor=actor, context=context)


def case_documents(case: Case) -> QuerySet[IssuedDocument]:
    return documents.documents_of(case)


def case_file_pdf(case: Case) -> bytes:
    """The 卷宗: cover, index, the issued documents in order, the evidence list."""
    issued = list(case_documents(case).filter(status=IssuedDocument.Status.ISSUED))
    if not issued:
        raise DomainError("尚无已签发的文书，无法生成卷宗。", "No document has been issued yet.",
                          code="document_not_ready")
    fields = [("案由", case.title), ("当事人", "、".join(p.name for p in case.parties.all())),
              ("立案时间", timezone.localtime(case.filed_at).strftime("%Y-%m-%d")
               if case.filed_at else "—"),
              ("承办人", "、".join(u.display_name for u in case.officers.order_by("pk")))]
    evidence = [{"name": f"{e.get_kind_display()} {e.description[:60]}",
                 "source": e.source_ref or "调查取证", "sha256": "—"}
                for e in case.evidence.order_by("pk")]
    return documents.case_file(title="行政处罚案卷", authority=case.authority, fields=fields,
                               documents=issued, evidence_rows=evidence)


def issue_prior_notices(case: Case, *, actor: Any) -> list[IssuedDocument]:
    """The 告知书 of every notified party that has none yet (the page's one button)."""
    with transaction.atomic():
        parties = {p.pk: p for p in case.parties.all()}
        wanted = [parties[p["party"]] for p in case.proposed_penalties
                  if p["party"] in parties and _already(case, PRIOR_NOTICE, p["party"]) is None]
        if not wanted:
            raise DomainError("没有待签发的行政处罚告知书。", "No prior notice is due.",
                              code="document_not_ready")
        return [issue_prior_notice(case, actor=actor, party=party) for party in wanted]


def pdf_file_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(row: IssuedDocument) -> HttpResponse:
    """The stored bytes of one document, with its SHA-256."""
    suffix = "" if row.status == IssuedDocument.Status.ISSUED else f"-{row.status}"
    response = pdf_file_response(bytes(row.pdf), f"{row.title}-{row.number}{suffix}.pdf")
    response["X-Document-SHA256"] = row.sha256
    return response
