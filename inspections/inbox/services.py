"""开始检查 from the inbox: the inspection is created from the planned one."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hangzhou_safety.api.errors import Forbidden
from inspections.loop import services as loop
from inspections.loop.models import Inspection
from inspections.plans.models import PlannedInspection

SOURCES: dict[str, str] = {PlannedInspection.Source.DRAW: Inspection.Source.DRAW,
           PlannedInspection.Source.KEY_LIST: Inspection.Source.KEY_LIST}


def start_planned(planned: PlannedInspection, *, actor: Any) -> Inspection | None:
    """The inspection of `planned` with its assigned pair as the team and the draw's
    scheme as its checklist (the enterprise's templates without one); None when the
    planned inspection names fewer than two inspectors (the form picks the second).

    Pressing the button twice opens the same inspection. loop.create_inspection
    checks the role, the jurisdiction, the certificates and that the planned
    inspection is still open and not taken."""
    existing = Inspection.objects.filter(planned=planned).first()
    if existing is not None:
        if existing.inspectors.filter(pk=actor.pk).exists():
            return existing
        raise Forbidden("该计划检查已由其他执法人员开展。",
                        "Other inspectors carry out this planned inspection.")
    team = list(planned.inspectors.all())
    if len(team) < loop.MIN_INSPECTORS:
        return None
    if actor.pk not in {u.pk for u in team} and not actor.has_role(*loop.CHIEF_ROLES):
        raise Forbidden("该计划检查未指派给您。", "This planned inspection is not assigned to you.")
    scheme = planned.draw.scheme if planned.draw_id and planned.draw else None
    return loop.create_inspection(
        actor=actor, enterprise=planned.enterprise, inspectors=team,
        source=SOURCES.get(planned.source, Inspection.Source.AD_HOC), planned=planned,
        scheme=scheme, planned_date=timezone.localdate())
