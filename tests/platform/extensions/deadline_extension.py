"""The generated checks' reach into deadline extensions (整改延期申请): the API's
/inspections/{id}/hazards/{hid}/extensions/{eid}/decide/ names an extension of the
hidden danger in the path, and the world has a pending request in both districts (on
a hidden danger of the demo's inspection under a rectification deadline)."""

from __future__ import annotations

from typing import Any

from tests.platform.surface import Collection

COLLECTIONS = {
    ("extensions", "eid"): Collection("inspections.DeadlineExtension",
                                      parent=("hazards", "order__hazard")),
}


def build_world(users: dict[str, Any]) -> None:
    from hangzhou_safety.accounts.models import Authority
    from inspections.loop.extensions import request_extension
    from inspections.loop.services import _today
    from inspections.models import DeadlineExtension, Hazard, RectificationOrder

    today = _today()
    for district in ("330106", "330108"):
        authority = Authority.objects.get(code=f"EM-{district}")
        hazard = (Hazard.objects.filter(
            inspection__authority=authority, status=Hazard.Status.RECTIFYING,
            order__kind=RectificationOrder.Kind.DEADLINE, order__due_date__gte=today)
            .select_related("inspection").order_by("pk").first())
        assert hazard is not None, f"{district}: no hidden danger under a deadline"
        if DeadlineExtension.objects.filter(order__hazard=hazard).exists():
            continue
        officer = hazard.inspection.inspectors.order_by("pk").first()
        request_extension(hazard, actor=officer, requested_on=today, extra_days=10,
                          reason="走查：整改材料未到货，单位书面申请延期")
