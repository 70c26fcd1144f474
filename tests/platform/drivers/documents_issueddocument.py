"""Walk driver of issued documents (documents.issueddocument): draft → issued → voided."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Jurisdiction, User
from hangzhou_safety.documents import services
from hangzhou_safety.documents.models import IssuedDocument
from hangzhou_safety.documents.numbering import document_type
from tests.platform.drivers import Driver

Status = IssuedDocument.Status
_serials = itertools.count(90000)
SAMPLE = "documents/samples/penalty_decision.html"


def _chief() -> User:
    return User.objects.get(username="p_xihu_chief")


def make(status: str) -> IssuedDocument:
    serial = next(_serials)
    subject = Jurisdiction.objects.get(code="330106002")
    pdf = b"%PDF-1.7 walk"
    issued = status != Status.DRAFT
    return IssuedDocument.objects.create(
        authority=Authority.objects.get(code="EM-330106"), doc_type=document_type("立"),
        number=f"（杭西）应急立〔2026〕{serial}号", year=2026, series="case", serial=serial,
        title="立案审批表", content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk), template_name=SAMPLE,
        context={"party": {"name": "走查单位"}, "facts": ["走查"], "evidence": [],
                 "provision": "", "penalty_provision": "", "amount": "100.00"},
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), status=status,
        created_by=_chief(), issued_by=_chief() if issued else None,
        issued_at=timezone.now() if issued else None,
        voided_at=timezone.now() if status == Status.VOIDED else None)


def _issue(row: IssuedDocument) -> Any:
    return services.issue(row, actor=_chief())


def _void(row: IssuedDocument) -> Any:
    return services.void(row, actor=_chief(), reason="走查作废")


DRIVER = Driver(
    key="documents.issueddocument",
    make=make,
    steps={Status.ISSUED: _issue, Status.VOIDED: _void},
    fixtures=("reference_data", "xihu_chief"),
)
