"""The push payload of a violation record (our keys; settings map them to each
platform's field codes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from enforcement.cases.models import PenaltyKind

from .models import SubjectKind, ViolationRecord


def payload(record: ViolationRecord) -> dict[str, Any]:
    labels = dict(PenaltyKind.choices)
    enterprise = record.enterprise
    is_person = record.subject_kind == SubjectKind.PERSON
    return {
        "record_id": record.pk,
        "version": record.version,
        "subject_name": record.subject_name,
        "subject_category": "自然人" if is_person else "法人及非法人组织",
        "person_role": record.person_role,
        "uscc": "" if is_person else record.uscc,
        "legal_representative": enterprise.legal_representative if enterprise else "",
        "id_number": record.id_number if is_person else "",
        "decision_number": record.decision_number,
        "violation_type": record.violation_type,
        "facts": record.facts,
        "legal_basis": record.legal_basis,
        "penalty_kinds": ";".join(str(labels.get(k, k)) for k in record.penalty_kinds),
        "fine_wan_yuan": str((record.fine_amount / Decimal(10000)).quantize(Decimal("0.000001"))),
        "decided_on": record.decided_on.isoformat(),
        "disclose_until": record.disclose_until.isoformat(),
        "authority_name": record.authority.name,
        "status": record.status,
    }
