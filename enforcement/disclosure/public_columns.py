"""The disclosure's public columns (document number, violation, district), read from
the decision and its case: what the portal lists and searches, never personal data.

The document number is the issued 行政处罚决定书's (当场处罚决定书 for the summary
procedure) when one is issued, else the number the decision document takes on the
case's reserved serial (every document of a case shares the serial; documents.py),
else blank until it exists; a measure's disclosure shows the number of the measure's
own decision document. Refreshed at publication and republication.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enforcement.cases.models import Case, PenaltyDecision
from enforcement.measures.models import CompulsoryMeasure
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.documents.data import SERIES_CASE
from hangzhou_safety.documents.models import IssuedDocument, SerialAllocation
from hangzhou_safety.documents.numbering import document_type, format_number

DECISION_CODES = ("罚", "当罚")


def district_code(authority: Authority) -> str:
    """The district (区县) of the authority: the second code of its jurisdiction's path
    ("330100/330106/…"); the municipal bureau's own code for the city."""
    codes = [c for c in authority.jurisdiction.path.split("/") if c]
    return codes[1] if len(codes) > 1 else (codes[0] if codes else "")


def document_number(decision: PenaltyDecision | None, case: Case,
                    measure: CompulsoryMeasure | None = None) -> str:
    if measure is not None:
        # A measure's disclosure shows its own decision (查扣 / 现措 / 强措 / 停供).
        doc = measure.decision_document
        if doc is None or doc.status in (IssuedDocument.Status.VOIDED,
                                         IssuedDocument.Status.DRAFT):
            return ""
        return doc.number
    if decision is None:
        return ""
    issued = (IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk),
        doc_type_id__in=DECISION_CODES)
        .exclude(status__in=[IssuedDocument.Status.VOIDED, IssuedDocument.Status.DRAFT])
        .order_by("-sequence", "-pk"))
    for doc in issued:
        if doc.context.get("party_id") in (None, decision.party_id):
            return doc.number
    allocation = SerialAllocation.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk),
        series=SERIES_CASE, status=SerialAllocation.Status.ALLOCATED).first()
    if allocation is None:
        return ""
    year = timezone.localtime(case.filed_at or case.created_at).year
    return format_number(case.authority, document_type("罚"), year, allocation.serial)


def public_columns(decision: PenaltyDecision | None, case: Case,
                   measure: CompulsoryMeasure | None = None) -> dict[str, Any]:
    return {"document_number": document_number(decision, case, measure)[:64],
            "violation": (case.title or "")[:200],
            "district_code": district_code(case.authority)}
