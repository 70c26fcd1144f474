"""Reads of criminal transfers shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hangzhou_safety.audit.models import AuditEvent

from .models import CriminalTransfer

#: The loop's prompt to check for 危险作业罪 (inspections/loop/services.py).
PROMPT_ACTION = "hazard.criminal_check_prompted"


def visible_transfers(user: Any) -> QuerySet[CriminalTransfer]:
    return (CriminalTransfer.objects.visible_to(user)
            .select_related("case__authority", "letter", "reported_by", "decided_by",
                            "decision_clock", "delivery_clock", "acceptance_clock",
                            "reconsideration_clock", "handover_clock"))


def transfers_of(case: Any) -> list[CriminalTransfer]:
    return list(CriminalTransfer.objects.filter(case=case).select_related(
        "letter", "reported_by", "decided_by", "decision_clock", "delivery_clock",
        "acceptance_clock", "reconsideration_clock", "handover_clock").order_by("-id"))


def prompted_category(case: Any) -> str:
    """The category the loop prompted for the case's hidden danger ("" when none): a
    major hidden danger still failing its re-check under a stop order prompts the check
    for 危险作业罪 (category ``dangerous_operation``)."""
    if not getattr(case, "hazard_id", None):
        return ""
    row = (AuditEvent.objects.filter(action=PROMPT_ACTION, new_values__hazard=case.hazard_id)
           .order_by("-id").values_list("new_values__category", flat=True).first())
    return str(row or "")
