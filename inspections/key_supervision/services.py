"""The key-supervision list (重点监管名单): enterprises to inspect at least four
times a year, with their reasons, and the planned inspections that carry it out.

The list is computed, not stored: a fixed number of queries whatever its length
(the reasons are read for the enterprises of the page only), newest enterprise first
so pages and the API paginate it by enterprise id (``before``).
``create_key_inspections`` is set-based (one aggregate of the existing counts, one
INSERT) and takes the authority-and-year lock of the draws (``lock_yearly_cap``), so
two concurrent calls, or a call and a draw, cannot together exceed the
per-enterprise yearly cap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from enterprises.models import Enterprise, MajorHazardSource, RiskLevel
from hangzhou_safety.accounts.models import Authority, User
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden
from hangzhou_safety.audit.services import record_event
from inspections.draws.selectors import enterprises_of_authority
from inspections.draws.services import DRAW_ROLES, KEY_INSPECTION_MONTHS, lock_yearly_cap
from inspections.loop.models import Hazard
from inspections.plans.models import (
    KEY_MIN_INSPECTIONS_PER_YEAR,
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
)

#: Rows per page of the list (pages and API).
PAGE_SIZE = 50

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
    """Enterprises among ``enterprises`` with a major hidden danger listed for
    supervision (挂牌督办: ``listed_at`` set) and not de-listed yet (``delisted_at``
    null; it is de-listed when the re-check accepts it). One query.

    A listing stands until it is lifted, so it counts for the list of whatever year is
    asked while it stands; ``year`` is part of the hook's signature for the others.
    """
    return set(Hazard.objects.filter(
        is_major=True, listed_at__isnull=False, delisted_at__isnull=True,
        inspection__enterprise__in=enterprises,
    ).order_by().values_list("inspection__enterprise_id", flat=True).distinct())


#: Providers of the reasons that live in apps above inspections (enforcement's accident
#: records, credit's bad records): they register here from their AppConfig.ready(), as
#: the layers contract forbids inspections to import them. Each returns the ids among
#: the enterprises given, in a fixed number of queries.
KeyHook = Callable[[QuerySet[Enterprise], int], set[int]]
_HOOKS: dict[str, list[KeyHook]] = {"accident": [], "bad_credit": []}


def register_key_hook(reason: str, fn: KeyHook) -> KeyHook:
    """Register ``fn(enterprises, year) -> ids`` for ``reason``; idempotent."""
    hooks = _HOOKS[reason]
    if fn not in hooks:
        hooks.append(fn)
    return fn


def _from_hooks(reason: str, enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    found: set[int] = set()
    for fn in _HOOKS[reason]:
        found |= fn(enterprises, year)
    return found


def accidents_last_year(enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    """Enterprises with an accident in the year before (from the registered providers)."""
    return _from_hooks("accident", enterprises, year)


def bad_credit(enterprises: QuerySet[Enterprise], year: int) -> set[int]:
    """Enterprises with a bad credit record (from the registered providers: credit)."""
    return _from_hooks("bad_credit", enterprises, year)


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


def _major_hazard_sources() -> QuerySet[MajorHazardSource]:
    """Filed major hazard sources of level one or two (构成一级或二级重大危险源)."""
    return MajorHazardSource.objects.filter(
        status=MajorHazardSource.Status.FILED,
        level__in=[MajorHazardSource.Level.ONE, MajorHazardSource.Level.TWO])


def key_supervision_list(authority_or_user: Authority | User, year: int, *,
                         before: int | None = None,
                         limit: int | None = None) -> list[KeyEnterprise]:
    """Operating enterprises that must be inspected at least 4 times in `year`, each
    with its reasons, newest first (descending id). A user sees their jurisdiction; an
    authority the enterprises it answers for. ``before`` and ``limit`` select one
    keyset page (enterprise ids below ``before``). Three queries, whatever the length.
    """
    if isinstance(authority_or_user, Authority):
        base = enterprises_of_authority(authority_or_user)
    else:
        base = Enterprise.objects.visible_to(authority_or_user)
    base = base.filter(status=Enterprise.Status.OPERATING)
    hooks = {"listed_hidden_danger": listed_major_hidden_dangers(base, year),
             "accident": accidents_last_year(base, year),
             "bad_credit": bad_credit(base, year)}
    flagged = set().union(*hooks.values())
    candidates = base.filter(
        Q(is_high_risk=True) | Q(risk_level__in=[RiskLevel.RED, RiskLevel.ORANGE])
        | Q(pk__in=_major_hazard_sources().values("enterprise_id")) | Q(pk__in=flagged))
    if before is not None:
        candidates = candidates.filter(pk__lt=before)
    candidates = candidates.select_related("location").order_by("-pk")
    enterprises = list(candidates if limit is None else candidates[:limit])
    ids = [e.pk for e in enterprises]
    hazard = set(_major_hazard_sources().filter(enterprise_id__in=ids)
                 .values_list("enterprise_id", flat=True)) if ids else set()
    result: list[KeyEnterprise] = []
    for enterprise in enterprises:
        pk = enterprise.pk
        reasons: list[str] = []
        if enterprise.is_high_risk:
            reasons.append("high_risk")
        if pk in hazard:
            reasons.append("major_hazard_source")
        if enterprise.risk_level == RiskLevel.RED:
            reasons.append("risk_red")
        elif enterprise.risk_level == RiskLevel.ORANGE:
            reasons.append("risk_orange")
        reasons.extend(name for name, ids_ in hooks.items() if pk in ids_)
        result.append(KeyEnterprise(enterprise=enterprise, reasons=reasons))
    return result


@dataclass(frozen=True)
class KeyPage:
    rows: list[KeyEnterprise]
    #: Enterprise id to pass as ``before`` for the next page, None on the last page.
    next_before: int | None


def key_supervision_page(user: Any, year: int, *, before: int | None = None,
                         size: int = PAGE_SIZE) -> KeyPage:
    """One keyset page of the user's list (descending enterprise id)."""
    rows = key_supervision_list(user, year, before=before, limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    return KeyPage(rows=rows, next_before=rows[-1].enterprise.pk if more and rows else None)


def _require_planner(actor: Any, authority: Authority) -> None:
    if (actor is None or not getattr(actor, "is_authenticated", False)
            or not actor.has_role(*DRAW_ROLES)):
        raise Forbidden("只有科室负责人、审批负责人或市局管理员可以安排重点监管检查。",
                        "Only a section chief, an approver or the municipal administrator "
                        "may schedule key-supervision inspections.")
    path = user_scope_path(actor)
    if path is None or not authority.jurisdiction.path.startswith(path):
        raise Forbidden("该计划不在您的管辖范围内，不能为其安排重点监管检查。",
                        "The plan is outside your jurisdiction.", code="out_of_jurisdiction")


def create_key_inspections(plan: EnforcementPlan, actor: Any) -> dict[str, Any]:
    """Planned inspections (source key_list) for the plan's key-supervision list: one a
    quarter, 4 a year, never beyond the plan's per-enterprise cap (reported). Running
    it again only fills quarters still missing.

    Set-based: the list (three queries), one aggregate of the live planned inspections
    of the listed enterprises in the year, one INSERT. Concurrent calls for the same
    authority and year (two versions of the plan) and draws of that authority take
    turns under ``lock_yearly_cap``, taken before the counts are read.
    """
    with transaction.atomic():
        plan = (EnforcementPlan.objects.select_for_update(of=("self",))
                .select_related("authority__jurisdiction").get(pk=plan.pk))
        _require_planner(actor, plan.authority)
        if plan.status == EnforcementPlan.Status.SUPERSEDED:
            raise DomainError("该计划已被新版本替代，不能再安排检查。",
                              "The plan is superseded.", code="superseded")
        lock_yearly_cap(plan.authority_id, plan.year)
        keys = sorted(key_supervision_list(plan.authority, plan.year),
                      key=lambda k: k.enterprise.pk)
        existing: dict[int, tuple[int, set[int]]] = {}
        if keys:
            for enterprise_id, total, months in (
                    PlannedInspection.objects
                    .filter(enterprise_id__in=[k.enterprise.pk for k in keys], year=plan.year)
                    .exclude(status=PlannedInspection.Status.CANCELLED)
                    .order_by("enterprise_id").values("enterprise_id")
                    .annotate(total=Count("id"), months=ArrayAgg(
                        "month", filter=Q(plan=plan,
                                          source=PlannedInspection.Source.KEY_LIST)))
                    .values_list("enterprise_id", "total", "months")):
                existing[enterprise_id] = (total, {m for m in months or [] if m is not None})
        new_rows: list[PlannedInspection] = []
        capped: list[dict[str, Any]] = []
        for key in keys:
            enterprise = key.enterprise
            live, have_months = existing.get(enterprise.pk, (0, set()))
            missing = [m for m in KEY_INSPECTION_MONTHS if m not in have_months]
            room = max(plan.per_enterprise_cap - live, 0)
            new_rows.extend(
                PlannedInspection(authority_id=plan.authority_id, plan=plan,
                                  enterprise=enterprise, category=key.category,
                                  source=PlannedInspection.Source.KEY_LIST,
                                  year=plan.year, month=month)
                for month in missing[:room])
            if len(missing) > room:
                capped.append({"enterprise": enterprise.pk, "name": enterprise.name,
                               "planned": len(have_months) + min(len(missing), room),
                               "required": KEY_MIN_INSPECTIONS_PER_YEAR,
                               "cap": plan.per_enterprise_cap})
        if new_rows:
            PlannedInspection.objects.bulk_create(new_rows)
        record_event("plan.key_inspections_created", actor=actor, obj=plan,
                     new={"created": len(new_rows),
                          "capped": [c["enterprise"] for c in capped]})
    return {"created": len(new_rows), "capped": capped}
