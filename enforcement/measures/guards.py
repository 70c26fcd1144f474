"""The case close guard of measures: a case cannot close while a measure of it is in
force (executed, or executed in an emergency, and not lifted). Registered with
enforcement.cases.guards when the app is ready (enforcement/apps.py)."""

from __future__ import annotations

from typing import Any

from enforcement.cases.guards import register_close_guard
from hangzhou_safety.api.errors import DomainError

from .models import IN_FORCE, CompulsoryMeasure


def refuse_close_with_measure_in_force(case: Any, actor: Any) -> None:
    open_measures = list(CompulsoryMeasure.objects.filter(case_id=case.pk, status__in=IN_FORCE)
                         .order_by("pk"))
    if open_measures:
        names = "、".join(m.get_kind_display() for m in open_measures)
        raise DomainError(f"本案尚有未解除的强制措施（{names}），解除后方可结案。",
                          "A compulsory measure of the case is still in force; lift it "
                          "before closing.", code="measure_in_force")


def register() -> None:
    register_close_guard(refuse_close_with_measure_in_force)
