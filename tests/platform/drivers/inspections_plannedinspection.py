"""Walk driver of planned inspections (inspections.plannedinspection).

Both moves are cascades: an inspection carried out marks its planned inspection done
(idempotent), a redraw cancels the planned inspections of the draw it replaces (a
set-based sweep that leaves rows no longer planned alone). Neither refuses with a
409: they do nothing, which the walk checks (no write, no audit event).
"""

from __future__ import annotations

from hangzhou_safety.accounts.models import Authority
from inspections.plans import services
from inspections.plans.models import PlanCategory, PlannedInspection
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, XIHU, enterprise, plan, user

S = PlannedInspection.Status


def make(status: str) -> PlannedInspection:
    parent = plan()
    return PlannedInspection.objects.create(
        authority=Authority.objects.get(code=XIHU), plan=parent, enterprise=enterprise(),
        category=PlanCategory.RANDOM, source=PlannedInspection.Source.MANUAL,
        year=parent.year, month=3, status=status)


DRIVER = Driver(
    key="inspections.plannedinspection",
    make=make,
    steps={
        S.DONE: lambda row: services.mark_planned_done(row, actor=user("xihu_inspector")),
        S.CANCELLED: lambda row: services.cancel_planned_inspections(
            PlannedInspection.objects.filter(pk=row.pk), actor=user("xihu_chief"),
            reason="重新抽取"),
    },
    fixtures=PERSONAS,
    no_op_targets=(S.DONE, S.CANCELLED),
)
