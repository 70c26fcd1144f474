"""Shared builders of the inspections drivers (rows made directly, no service, no event)."""

from __future__ import annotations

import itertools
from typing import Any

from stdnum.cn import uscc as uscc_lib

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Jurisdiction, User
from inspections.plans.models import EnforcementPlan, PlanCategory, PlanQuota

XIHU = "EM-330106"
PERSONAS = ("reference_data", "calendar_data", "xihu_inspector", "xihu_chief",
            "xihu_approver")
# One plan per authority and year may be in progress: each row gets its own year.
_years = itertools.count(2031)
_serial = itertools.count(60000)


def enterprise() -> Enterprise:
    """A 西湖区 enterprise (located in one of its streets)."""
    serial = next(_serial)
    body = f"91330106MA2{serial % 100000:05d}Y"
    row = Enterprise(name=f"杭州流转走查机械{serial}厂",
                     uscc=body + uscc_lib.calc_check_digit(body),
                     location=Jurisdiction.objects.get(code="330106002"))
    row.save()
    return row


def user(name: str) -> User:
    return User.objects.get(username=f"p_{name}")


def plan(status: str = EnforcementPlan.Status.DRAFT, **extra: Any) -> EnforcementPlan:
    """A 西湖区 plan written by the chief, with one quota, in ``status``."""
    S = EnforcementPlan.Status
    approved = status in (S.APPROVED, S.PUBLISHED, S.SUPERSEDED)
    row = EnforcementPlan.objects.create(
        authority=Authority.objects.get(code=XIHU), year=extra.pop("year", next(_years)),
        title="走查年度计划", status=status, created_by=user("xihu_chief"),
        staff_count=10, certified_staff_count=8,
        approved_by=user("xihu_approver") if approved else None, **extra)
    PlanQuota.objects.create(plan=row, category=PlanCategory.RANDOM, month=3, planned=4)
    return row


# --- The loop: rows are brought to a status through the real services (the states of
# the loop carry items, hidden dangers, orders and re-checks that only the services
# assemble consistently); the walk counts audit events only after ``make``.

def _loop() -> Any:
    from inspections.loop import services as loop

    return loop


def new_inspection() -> Any:
    from enterprises.models import Sector
    from inspections.checklists.templates import load_checklist_templates
    from inspections.models import Inspection

    load_checklist_templates()
    site = enterprise()
    site.sector = Sector.MACHINERY
    site.save(update_fields=["sector"])
    return _loop().create_inspection(
        actor=user("xihu_inspector"), enterprise=site,
        inspectors=[user("xihu_inspector"), user("xihu_chief")],
        source=Inspection.Source.AD_HOC)


def answer_all(inspection: Any, *, failing: int = 0) -> None:
    """Answer every item compliant, except the first ``failing`` ones."""
    for n, item in enumerate(inspection.items.order_by("order")):
        _loop().record_answer(inspection, item.pk, actor=user("xihu_inspector"),
                              result="non_compliant" if n < failing else "compliant",
                              note="走查发现的问题" if n < failing else "")


def order(hazard: Any, kind: str) -> Any:
    return _loop().issue_order(hazard, actor=user("xihu_inspector"), kind=kind,
                               responsible_person="张三", measures="更换防爆电器",
                               deadline_days=30 if kind == "deadline" else None)


def rectifying_inspection() -> tuple[Any, Any]:
    """An inspection in rectification with one open hidden danger (general, not major)."""
    loop = _loop()
    inspection = new_inspection()
    loop.start_inspection(inspection, actor=user("xihu_inspector"))
    answer_all(inspection, failing=1)
    hazard = inspection.hazards.get()
    if hazard.is_major:
        type(hazard).objects.filter(pk=hazard.pk).update(is_major=False)
        hazard.refresh_from_db()
    loop.complete_findings(inspection, actor=user("xihu_inspector"))
    inspection.refresh_from_db()
    return inspection, hazard


def major_rectifying(measure: str = "") -> Any:
    """A major hidden danger under a deadline order with all five in place, under the
    on-site ``measure`` (a stop measure makes it resume through an application)."""
    _inspection, hazard = rectifying_inspection()
    type(hazard).objects.filter(pk=hazard.pk).update(is_major=True)
    hazard.refresh_from_db()
    _loop().issue_order(hazard, actor=user("xihu_inspector"), kind="deadline",
                        responsible_person="张三", measures="加装泄爆片", deadline_days=30,
                        funds=5, emergency_plan="粉尘爆炸专项应急预案",
                        onsite_measure=measure)
    from inspections.loop import supervision
    from inspections.loop.services import _today

    supervision.record_major_report(hazard, actor=user("xihu_inspector"), kind="plan",
                                    received_on=_today(), content="走查：治理方案")
    return hazard
