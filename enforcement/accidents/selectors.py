"""Reads of accidents shared by the API and the pages."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from enforcement.cases.models import PartyRole

from . import grading
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


# --- Reads for the credit app (which may read enforcement, never the reverse) ------------

def _names_enterprise(enterprise: Any) -> Q:
    """A finding names the enterprise by its record or, for a unit typed in without
    one, by its credit code."""
    return Q(enterprise=enterprise) | Q(enterprise__isnull=True, identifier=enterprise.uscc)


def accidents_of_enterprise(enterprise: Any, grades: Iterable[str]) -> QuerySet[Accident]:
    """Accidents of ``grades`` that happened at the enterprise or whose investigation
    found it responsible (a finding names it), oldest first."""
    found = AccidentFinding.objects.filter(_names_enterprise(enterprise)).values("accident_id")
    return (Accident.objects.filter(grade__in=list(grades))
            .filter(Q(enterprise=enterprise) | Q(pk__in=found))
            .order_by("occurred_at", "pk"))


def responsible_accidents(enterprise: Any, grades: Iterable[str]) -> QuerySet[Accident]:
    """Accidents of ``grades`` whose investigation found the enterprise responsible."""
    found = AccidentFinding.objects.filter(_names_enterprise(enterprise)).values("accident_id")
    return Accident.objects.filter(grade__in=list(grades), pk__in=found).order_by(
        "occurred_at", "pk")


@dataclass(frozen=True)
class ResponsibleAccident:
    enterprise_id: int
    accident_id: int
    occurred_at: datetime.datetime
    case_id: int | None
    #: The principal responsible persons the finding names (PartyRole.PRINCIPAL).
    principals: tuple[str, ...]


def responsible_accident_rows(grades: Iterable[str], *, since: datetime.datetime,
                              enterprise_ids: Iterable[int] | None = None
                              ) -> list[ResponsibleAccident]:
    """Every finding that names an enterprise of the system responsible for an accident
    of ``grades`` that occurred since ``since``, oldest first. One query, whatever the
    number of enterprises (a finding typed in by credit code is matched to its record)."""
    from enterprises.models import Enterprise

    by_code = Enterprise.objects.filter(uscc=OuterRef("identifier")).values("pk")[:1]
    rows = (AccidentFinding.objects
            .filter(accident__grade__in=list(grades), accident__occurred_at__gte=since)
            .annotate(who=Coalesce("enterprise_id", Subquery(by_code)))
            .filter(who__isnull=False))
    if enterprise_ids is not None:
        rows = rows.filter(who__in=list(enterprise_ids))
    return [ResponsibleAccident(r["who"], r["accident_id"], r["accident__occurred_at"],
                                r["case_id"], tuple(p.get("name", "") for p in r["persons"]
                                                    if p.get("role") == PartyRole.PRINCIPAL))
            for r in rows.order_by("accident__occurred_at", "accident_id", "id").values(
                "who", "accident_id", "accident__occurred_at", "case_id", "persons")]


def accident_counts(enterprise_ids: Iterable[int], year: int) -> dict[int, dict[str, Any]]:
    """Per enterprise, the accidents that happened at it in ``year``: how many, their
    grades, and a line per accident for an explanation. One query."""
    out: dict[int, dict[str, Any]] = {}
    for row in (Accident.objects.filter(enterprise_id__in=list(enterprise_ids),
                                        occurred_at__year=year)
                .order_by("occurred_at", "pk")
                .values("enterprise_id", "occurred_at", "place", "grade")):
        item = out.setdefault(row["enterprise_id"], {"total": 0, "grades": [], "lines": []})
        item["total"] += 1
        item["grades"].append(row["grade"])
        item["lines"].append(f"{timezone.localtime(row['occurred_at']):%Y-%m-%d} "
                             f"{row['place']}（{grading.LABELS[row['grade']]}）")
    return out
