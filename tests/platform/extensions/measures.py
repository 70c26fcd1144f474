"""The generated checks' reach into compulsory measures: the path parameters of
/api/v1/cases/{case_id}/measures/, /api/v1/measures/{id}/… and the case page's measure
steps, and a world with a proposed and an executed measure in each district."""

from __future__ import annotations

from typing import Any

from tests.platform.surface import Collection


def _measure_steps() -> tuple[str, ...]:
    from enforcement.measures import views

    return tuple(views.STEPS)


COLLECTIONS = {
    ("cases", "case_id"): Collection("enforcement.Case"),
    ("measures", "id"): Collection("enforcement.CompulsoryMeasure", through="case"),
    ("measures", "pk"): Collection("enforcement.CompulsoryMeasure", through="case"),
    ("measures", "measure_id"): Collection("enforcement.CompulsoryMeasure",
                                           parent=("cases", "case")),
    ("items", "item_pk"): Collection("enforcement.MeasureItem",
                                     parent=("measures", "measure")),
}
STEP_VALUES = {"measure_step:step": _measure_steps()}


def build_world(users: dict[str, Any]) -> None:
    from enforcement.cases.models import Case
    from enforcement.measures.models import CompulsoryMeasure
    from enterprises.models import Enterprise
    from hangzhou_safety.accounts.models import Authority, Role, User
    from tests.platform.drivers._cases import Staff, make_case
    from tests.platform.drivers._measures import make_measure

    for district, prefix in (("330106", "xihu"), ("330108", "binjiang")):
        authority = Authority.objects.get(code=f"EM-{district}")
        inspector = users[f"{prefix}_inspector"]
        colleague = (User.objects.filter(authority=authority, role=Role.INSPECTOR,
                                         certificate_number__gt="")
                     .exclude(pk=inspector.pk).order_by("pk").first())
        assert colleague is not None, f"{district}: no second certified inspector"
        site = Enterprise.objects.filter(supervising_authority=authority).order_by("pk")[1]
        staff = Staff(authority, inspector, users[f"{prefix}_approver"],
                      users[f"{prefix}_chief"], [inspector, colleague], site)
        case = make_case(Case.Status.INVESTIGATING, staff=staff)
        make_measure(CompulsoryMeasure.Status.PROPOSED, case=case, staff=staff)
        make_measure(CompulsoryMeasure.Status.EXECUTED, kind="seize", case=case, staff=staff)
