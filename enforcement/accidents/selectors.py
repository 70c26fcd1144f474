"""Reads of accidents shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import Accident, AccidentFinding


def visible_accidents(user: Any) -> QuerySet[Accident]:
    return Accident.objects.visible_to(user).select_related(
        "authority", "enterprise", "investigating_authority", "reporting_case",
        "unit_report_clock", "pass_up_clock")


def accident_detail(user: Any) -> QuerySet[Accident]:
    return visible_accidents(user).prefetch_related(
        Prefetch("findings", queryset=AccidentFinding.objects.select_related("case")
                 .order_by("id")))


def accidents_of_case(case: Any) -> list[Accident]:
    """The accidents a case came from: its reporting case, or one opened from the
    investigation report's findings."""
    rows = list(Accident.objects.filter(reporting_case=case).select_related("enterprise"))
    rows += [f.accident for f in AccidentFinding.objects.filter(case=case)
             .select_related("accident__enterprise")]
    return rows
