"""The key-supervision list (重点监管名单): enterprises to inspect at least four
times a year, with their reasons, and the planned inspections that carry it out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from enterprises.models import Enterprise, MajorHazardSource, RiskLevel
from hangzhou_safety.accounts.models import Authority, User
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.services import record_event
from inspections.draws.selectors import enterprises_of_authority
from inspections.draws.services import DRAW_ROLES, KEY_INSPECTION_MONTHS, _require_roles
from inspections.plans.models import (
    KEY_MIN_INSPECTIONS_PER_YEAR,
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
)

# --- Key supervision (risk-based selection) ---------------------------------------

KEY_REASON_LABELS: dict[str, str] = {
    "high_risk": "高危行业企业",
    "major_hazard_source": "构成一级或二级重大危险源",
    "risk_red": "风险等级为红色（重大风险）",
    "risk_orange": "风险等级为橙色（较大风险）",
    "listed_hidden_danger": "有挂牌督办的重大事故隐患",
    "accident": "近一年发生生产安全事故",
    "bad_credit": "存在不良信用记录",
}
# The plan category each reason counts under: hazard sources and red/orange risk are
# the high-risk tier of the plan (PlanCategory has no separate bucket for them).
KEY_REASON_CATEGORY: dict[str, str] = {
    "high_risk": PlanCategory.KEY_HIGH_RISK,
    "major_hazard_source": PlanCategory.KEY_HIGH_RISK,
    "risk_red": PlanCategory.KEY_HIGH_RISK,
    "risk_orange": PlanCategory.KEY_HIGH_RISK,
    "listed_hidden_danger": PlanCategory.KEY_MAJOR_HAZARD,
    "accident": PlanCategory.KEY_ACCIDENT,
    "bad_credit": PlanCategory.KEY_BAD_CREDIT,
}
# When an enterprise has several reasons, its inspections count under the first of these.
CATEGORY_PRIORITY = (PlanCategory.KEY_MAJOR_HAZARD, PlanCategory.KEY_ACCIDENT,
                     PlanCategory.KEY_BAD_CREDIT, PlanCategory.KEY_HIGH_RISK)


def listed_major_hidden_dangers(enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    """Hook: enterprises with a listed (挂牌督办) major hidden danger. The hidden-danger
    app does not exist yet, so nothing is listed."""
    return set()


def accidents_last_year(enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    """Hook: enterprises with an accident in the year before. No accident records yet."""
    return set()


def bad_credit(enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    """Hook: enterprises on the bad-credit list. No credit records yet."""
    return set()


@dataclass
class KeyEnterprise:
    enterprise: Enterprise
    reasons: list[str]

    @property
    def reason_labels(self) -> list[str]:
        return [KEY_REASON_LABELS[r] for r in self.reasons]

    @property
    def category(self) -> str:
        categories = {KEY_REASON_CATEGORY[r] for r in self.reasons}
        return next(c for c in CATEGORY_PRIORITY if c in categories)


def key_supervision_list(authority_or_user: Authority | User, year: int) -> list[KeyEnterprise]:
    """Operating enterprises that must be inspected at least 4 times in `year`, each
    with its reasons, ordered by id. A user sees their jurisdiction; an authority
    the enterprises it answers for."""
    if isinstance(authority_or_user, Authority):
        base = enterprises_of_authority(authority_or_user)
    else:
        base = Enterprise.objects.visible_to(authority_or_user)
    base = base.filter(status=Enterprise.Status.OPERATING)
    hazard = set(MajorHazardSource.objects.filter(
        enterprise__in=base, status=MajorHazardSource.Status.FILED,
        level__in=[MajorHazardSource.Level.ONE, MajorHazardSource.Level.TWO],
    ).values_list("enterprise_id", flat=True))
    rows = {e.pk: e for e in base.filter(
        Q(is_high_risk=True) | Q(risk_level__in=[RiskLevel.RED, RiskLevel.ORANGE])
        | Q(pk__in=hazard)).select_related("location")}
    hooks = {"listed_hidden_danger": listed_major_hidden_dangers(base, year),
             "accident": accidents_last_year(base, year),
             "bad_credit": bad_credit(base, year)}
    extra = set().union(*hooks.values()) - set(rows)
    if extra:
        rows.update({e.pk: e for e in base.filter(pk__in=extra).select_related("location")})
    result: list[KeyEnterprise] = []
    for pk in sorted(rows):
        enterprise = rows[pk]
        reasons: list[str] = []
        if enterprise.is_high_risk:
            reasons.append("high_risk")
        if pk in hazard:
            reasons.append("major_hazard_source")
        if enterprise.risk_level == RiskLevel.RED:
            reasons.append("risk_red")
        elif enterprise.risk_level == RiskLevel.ORANGE:
            reasons.append("risk_orange")
        reasons.extend(name for name, ids in hooks.items() if pk in ids)
        result.append(KeyEnterprise(enterprise=enterprise, reasons=reasons))
    return result


def create_key_inspections(plan: EnforcementPlan, actor: Any) -> dict[str, Any]:
    """Planned inspections (source key_list) for the plan's key-supervision list: one a
    quarter, 4 a year, never beyond the plan's per-enterprise cap (reported). Running
    it again only fills quarters still missing."""
    _require_roles(actor, *DRAW_ROLES)
    with transaction.atomic():
        plan = EnforcementPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == EnforcementPlan.Status.SUPERSEDED:
            raise DomainError("该计划已被新版本替代，不能再安排检查。",
                              "The plan is superseded.", code="superseded")
        created = 0
        capped: list[dict[str, Any]] = []
        for key in key_supervision_list(plan.authority, plan.year):
            enterprise = key.enterprise
            live = (PlannedInspection.objects.filter(enterprise=enterprise, year=plan.year)
                    .exclude(status=PlannedInspection.Status.CANCELLED))
            have_months = set(live.filter(plan=plan, source=PlannedInspection.Source.KEY_LIST)
                              .values_list("month", flat=True))
            missing = [m for m in KEY_INSPECTION_MONTHS if m not in have_months]
            room = max(plan.per_enterprise_cap - live.count(), 0)
            for month in missing[:room]:
                PlannedInspection.objects.create(
                    authority=plan.authority, plan=plan, enterprise=enterprise,
                    category=key.category, source=PlannedInspection.Source.KEY_LIST,
                    year=plan.year, month=month)
                created += 1
            if len(missing) > room:
                capped.append({"enterprise": enterprise.pk, "name": enterprise.name,
                               "planned": len(have_months) + min(len(missing), room),
                               "required": KEY_MIN_INSPECTIONS_PER_YEAR,
                               "cap": plan.per_enterprise_cap})
        record_event("plan.key_inspections_created", actor=actor, obj=plan,
                     new={"created": created, "capped": [c["enterprise"] for c in capped]})
    return {"created": created, "capped": capped}
