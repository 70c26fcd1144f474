"""The documents of a measure through the platform document service: numbered from the
case's serial in the "case" series (so they join the case's 卷宗), rendered from a plain
snapshot of the measure. The decision (查扣 / 现措 / 强措 / 停供) is issued when the
measure is executed (行政强制法 第二十四条: 当场交付), the 解除 when it is lifted.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from enforcement.cases.models import Case
from hangzhou_safety.documents import services as documents
from hangzhou_safety.documents.data import SERIES_CASE
from hangzhou_safety.documents.models import IssuedDocument
from hangzhou_safety.documents.numbering import serial_for

from .models import (
    DEFAULT_BASIS,
    ON_SITE_KINDS,
    SEIZURE_KINDS,
    SUPPLY_KINDS,
    CompulsoryMeasure,
)

SEIZURE_DECISION = "查扣"
ONSITE_DECISION = "现措"
MEASURE_DECISION = "强措"
SUPPLY_NOTICE = "停供"
LIFTING = "解除"
DECISION_TEMPLATE = "enforcement/documents/measure_decision.html"
LIFTING_TEMPLATE = "enforcement/documents/measure_lifting.html"


def decision_type(kind: str) -> str:
    if kind in SEIZURE_KINDS:
        return SEIZURE_DECISION
    if kind in ON_SITE_KINDS:
        return ONSITE_DECISION
    if kind in SUPPLY_KINDS:
        return SUPPLY_NOTICE
    return MEASURE_DECISION


def _date(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y年%-m月%-d日 %H:%M") if moment else ""


def _context(case: Case, measure: CompulsoryMeasure) -> dict[str, Any]:
    parties = list(case.parties.order_by("pk"))
    unit = parties[0] if parties else None
    return {
        "measure_id": measure.pk, "kind": measure.kind, "kind_label": measure.get_kind_display(),
        "party": {"name": unit.name if unit else (case.enterprise.name if case.enterprise
                                                  else ""),
                  "identifier": unit.identifier if unit else "",
                  "address": unit.address if unit else ""},
        "reason": measure.reason, "basis": measure.legal_basis or DEFAULT_BASIS[measure.kind],
        "place": measure.place, "emergency": measure.emergency,
        "executed_at": _date(measure.executed_at),
        "limit_until": measure.limit_until.strftime("%Y年%-m月%-d日")
        if measure.limit_until else "",
        "limit_days": measure.limit_clock.amount if measure.limit_clock_id and
        measure.limit_clock else None,
        "items": [{"description": i.description, "quantity": i.quantity, "kept_at": i.kept_at,
                   "disposal": i.get_disposal_display() if i.disposal else ""}
                  for i in measure.items.order_by("pk")],
        "supplier": measure.supplier_name, "danger": measure.danger,
        "officers": [u.display_name for u in measure.officers.order_by("pk")],
        "lift_reason": measure.get_lift_reason_display() if measure.lift_reason else "",
        "lift_note": measure.lift_note,
        "decision_number": measure.decision_document.number
        if measure.decision_document_id and measure.decision_document else "",
    }


def _issue(case: Case, measure: CompulsoryMeasure, type_code: str, template: str, *,
           actor: Any) -> IssuedDocument:
    documents.require_prior(case, type_code)
    year = timezone.localtime(case.filed_at or case.created_at).year
    allocation = serial_for(case, case.authority, year, SERIES_CASE)
    return documents.issue_document(
        actor=actor, authority=case.authority, type_code=type_code, subject=case, year=year,
        serial=allocation.serial, template_name=template, context=_context(case, measure))


def issue_decision(case: Case, measure: CompulsoryMeasure, *, actor: Any) -> IssuedDocument:
    """The measure's decision (or, for 停止供电 / 民爆, the written notice)."""
    return _issue(case, measure, decision_type(measure.kind), DECISION_TEMPLATE, actor=actor)


def issue_lifting(case: Case, measure: CompulsoryMeasure, *, actor: Any) -> IssuedDocument:
    return _issue(case, measure, LIFTING, LIFTING_TEMPLATE, actor=actor)
