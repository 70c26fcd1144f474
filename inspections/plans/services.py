"""The annual enforcement plan: inputs from the registry, quotas, capacity, workflow.

Workflow (PLAN_TRANSITIONS): draft → submitted → returned (→ submitted again) or
approved → published; a published plan changes only through a new version
(amend_plan) that is approved again and then supersedes it. Every step runs in a
transaction on a locked row, checks role and jurisdiction, and is audited.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from enterprises.filters import valid_safety_liability_policies
from enterprises.models import Enterprise, MajorHazardSource
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import transition, transition_many
from inspections.plans.models import (
    PLAN_EDITABLE_STATUSES,
    PLAN_TRANSITIONS,
    PLANNED_INSPECTION_WORKFLOW,
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
    PlanQuota,
    PlanReview,
    SpecialCampaign,
)

AUTHOR_ROLES = (Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
APPROVER_ROLES = (Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
INPUT_FIELDS = ["title", "enforcement_powers", "staff_count", "certified_staff_count",
                "equipment", "vehicles", "funding", "officers_per_inspection",
                "hours_per_inspection", "hours_per_officer", "per_enterprise_cap"]


# --- Inputs from the registry and the staff list ---

def supervised_enterprises(authority: Authority) -> Any:
    """Enterprises a plan covers: those supervised within the authority's jurisdiction;
    for a street office, those located in its street (its plan derives from the
    district's)."""
    path = authority.jurisdiction.path
    qs = Enterprise.objects.exclude(status=Enterprise.Status.DEREGISTERED)
    if authority.kind == Authority.Kind.STREET_OFFICE:
        return qs.filter(location_path__startswith=path)
    if authority.kind == Authority.Kind.MUNICIPAL_BUREAU:
        return qs.filter(supervising_authority=authority)
    return qs.filter(supervisor_path__startswith=path)


def registry_counts(authority: Authority) -> dict[str, Any]:
    """Live counts the plan form shows (a handful of aggregate queries)."""
    qs = supervised_enterprises(authority)
    totals = qs.aggregate(
        total=Count("id"), high_risk=Count("id", filter=Q(is_high_risk=True)),
        with_hazard_sources=Count("id", filter=Q(hazard_sources__status=MajorHazardSource
                                                 .Status.FILED), distinct=True))
    by_sector = dict(qs.values_list("sector").annotate(n=Count("id")).order_by())
    by_risk = dict(qs.exclude(risk_level="").values_list("risk_level")
                   .annotate(n=Count("id")).order_by())
    uninsured = qs.filter(is_high_risk=True).exclude(
        pk__in=valid_safety_liability_policies().values("enterprise_id")).count()
    return {**totals, "by_sector": by_sector, "by_risk_level": by_risk,
            "high_risk_uninsured": uninsured,
            # Filled once the credit app records bad credit (issue: credit).
            "bad_credit": 0}


def staff_counts(authority: Authority, on: datetime.date | None = None) -> tuple[int, int]:
    day = on or timezone.localdate()
    staff = User.objects.filter(authority=authority, is_active=True,
                                role__in=[Role.INSPECTOR, Role.SECTION_CHIEF])
    certified = staff.exclude(certificate_number="").filter(certificate_valid_until__gte=day)
    return staff.count(), certified.count()


# --- Capacity and progress ---

@dataclass
class Capacity:
    planned_inspections: int
    officer_hours_needed: Decimal
    officer_hours_available: Decimal
    load_percent: int
    over_capacity: bool
    warnings: list[str] = field(default_factory=list)


def capacity(plan: EnforcementPlan) -> Capacity:
    """Planned inspections × officers per inspection × hours, against certified time."""
    quotas = plan.quotas.aggregate(n=Sum("planned"))["n"] or 0
    campaigns = plan.campaigns.exclude(status=SpecialCampaign.Status.REJECTED).aggregate(
        n=Sum("planned"))["n"] or 0
    planned = quotas + campaigns
    needed = Decimal(planned) * plan.officers_per_inspection * plan.hours_per_inspection
    available = Decimal(plan.certified_staff_count * plan.hours_per_officer)
    load = int((needed / available * 100).to_integral_value()) if available else (
        0 if not needed else 999)
    warnings = []
    if needed > available:
        warnings.append(f"计划检查所需工时 {needed} 小时，"
                        f"超过持证执法人员可用工时 {available} 小时。")
    if plan.certified_staff_count < 2:
        warnings.append("持证执法人员少于 2 人，不能依法开展检查"
                        "（行政处罚法第四十二条）。")
    capped = over_cap_enterprises(plan)
    if capped:
        warnings.append(f"{len(capped)} 家企业的计划检查次数超过单个企业年度上限"
                        f"（{plan.per_enterprise_cap} 次）。")
    return Capacity(planned, needed, available, load, needed > available, warnings)


def over_cap_enterprises(plan: EnforcementPlan) -> list[dict[str, Any]]:
    rows = (PlannedInspection.objects.filter(authority=plan.authority, year=plan.year)
            .exclude(status=PlannedInspection.Status.CANCELLED)
            .values("enterprise_id", "enterprise__name").annotate(n=Count("id"))
            .filter(n__gt=plan.per_enterprise_cap).order_by("-n"))
    return [{"enterprise": r["enterprise_id"], "name": r["enterprise__name"], "planned": r["n"]}
            for r in rows]


def progress(plan: EnforcementPlan) -> dict[str, Any]:
    """Done vs planned by month and category (done = planned inspections carried out)."""
    planned: dict[tuple[str, int], int] = defaultdict(int)
    for quota in plan.quotas.all():
        planned[(quota.category, quota.month)] += quota.planned
    done: dict[tuple[str, int], int] = defaultdict(int)
    for row in (PlannedInspection.objects.filter(authority=plan.authority, year=plan.year,
                                                 status=PlannedInspection.Status.DONE)
                .values("category", "month").annotate(n=Count("id"))):
        done[(row["category"], row["month"])] += row["n"]
    categories = [c for c in PlanCategory.values
                  if any(k[0] == c for k in list(planned) + list(done))]
    table = [{"category": c, "label": str(PlanCategory(c).label),
              "months": [{"month": m, "planned": planned[(c, m)], "done": done[(c, m)]}
                         for m in range(1, 13)]} for c in categories]
    total_planned = sum(planned.values())
    total_done = sum(done.values())
    return {"rows": table, "planned": total_planned, "done": total_done,
            "percent": round(total_done * 100 / total_planned) if total_planned else 0}


# --- Workflow ---

def _check_author(actor: Any, authority: Authority) -> None:
    if not actor.has_role(*AUTHOR_ROLES):
        raise Forbidden("您的角色无权编制执法计划。",
                                    "Your role may not write enforcement plans.")
    if actor.authority_id != authority.pk and not actor.is_municipal:
        raise Forbidden("只能编制本单位的执法计划。",
                                    "You may only write your own authority's plan.")


def _move(plan: EnforcementPlan, to: str, *, actor: Any, comment: str = "",
          **fields: Any) -> EnforcementPlan:
    """Lock, check the move, save, record the review and the audit event."""
    locked = EnforcementPlan.objects.select_for_update().get(pk=plan.pk)
    if to not in PLAN_TRANSITIONS[locked.status]:
        raise DomainError(
            f"计划当前状态为“{locked.get_status_display()}”，不能执行此操作。",
            f"Illegal step for a plan in status {locked.status} → {to}.")
    old = locked.status
    locked.status = to
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save(update_fields=["status", "updated_at", *fields])
    PlanReview.objects.create(plan=locked, step=to, comment=comment, actor=actor,
                              actor_name=actor.display_name)
    record_event(f"plan.{to}", actor=actor, obj=locked.authority,
                 old={"status": old}, new={"status": to, "plan": locked.pk,
                                           "version": locked.version},
                 reason=comment)
    return locked


def create_plan(*, authority: Authority, year: int, actor: Any,
                parent_plan: EnforcementPlan | None = None,
                **inputs: Any) -> EnforcementPlan:
    _check_author(actor, authority)
    unknown = set(inputs) - set(INPUT_FIELDS)
    if unknown:
        raise InvalidInput(f"不可填写的字段：{'、'.join(sorted(unknown))}",
                           f"Fields not accepted: {', '.join(sorted(unknown))}")
    if EnforcementPlan.objects.filter(authority=authority, year=year).exists():
        raise DomainError(f"{authority.short_name or authority.name}{year}年度计划已存在；"
                          "已发布的计划请通过“修订”产生新版本。",
                          "A plan for this authority and year exists; amend it instead.",
                          code="duplicate")
    staff, certified = staff_counts(authority)
    plan = EnforcementPlan(
        authority=authority, year=year, created_by=actor, parent_plan=parent_plan,
        title=inputs.pop("title", "") or
        f"{authority.short_name or authority.name}{year}年度安全生产监督检查计划",
        staff_count=staff, certified_staff_count=certified,
        registry_snapshot=registry_counts(authority))
    for key, value in inputs.items():
        setattr(plan, key, value)
    _validate(plan)
    with transaction.atomic():
        plan.save()
        record_event("plan.created", actor=actor, obj=authority,
                     new={"plan": plan.pk, "year": year, "version": 1})
    return plan


def _validate(plan: EnforcementPlan) -> None:
    errors: dict[str, list[str]] = {}
    if plan.officers_per_inspection < 2:
        errors["officers_per_inspection"] = ["每次检查执法人员不得少于 2 人。"]
    if plan.per_enterprise_cap < 1:
        errors["per_enterprise_cap"] = ["单个企业年度检查上限至少为 1 次。"]
    if plan.hours_per_inspection <= 0:
        errors["hours_per_inspection"] = ["每次检查工时须大于 0。"]
    if plan.certified_staff_count > plan.staff_count:
        errors["certified_staff_count"] = ["持证执法人员数不能超过执法人员总数。"]
    if not 2000 <= plan.year <= 2100:
        errors["year"] = ["年度无效。"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, "Invalid plan data; see the field errors.", fields=errors)


def update_plan(plan: EnforcementPlan, *, actor: Any, **inputs: Any) -> EnforcementPlan:
    _check_author(actor, plan.authority)
    unknown = set(inputs) - set(INPUT_FIELDS)
    if unknown:
        raise InvalidInput(f"不可修改的字段：{'、'.join(sorted(unknown))}",
                           f"Fields not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = EnforcementPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status not in PLAN_EDITABLE_STATUSES:
            raise DomainError("计划已提交或已批准，不能修改；已发布的计划请通过“修订”产生新版本。",
                              "The plan is not editable in its current status.")
        old = {k: getattr(locked, k) for k in inputs}
        for key, value in inputs.items():
            setattr(locked, key, value)
        _validate(locked)
        locked.registry_snapshot = registry_counts(locked.authority)
        locked.save()
        changed = {k: v for k, v in inputs.items() if old[k] != v}
        if changed:
            record_event("plan.updated", actor=actor, obj=locked.authority,
                         old={k: old[k] for k in changed}, new=changed)
    return locked


def set_quotas(plan: EnforcementPlan, rows: list[dict[str, Any]], *, actor: Any) -> None:
    """Replace the plan's quotas: [{"category", "month", "planned"}]."""
    _check_author(actor, plan.authority)
    errors = []
    seen = set()
    for i, row in enumerate(rows, start=1):
        category, month, planned = row.get("category"), row.get("month"), row.get("planned")
        if category not in PlanCategory.values:
            errors.append(f"第{i}行：未知检查类别")
        if not isinstance(month, int) or not 1 <= month <= 12:
            errors.append(f"第{i}行：月份应为 1–12")
        if not isinstance(planned, int) or planned < 0:
            errors.append(f"第{i}行：计划次数应为非负整数")
        if (category, month) in seen:
            errors.append(f"第{i}行：类别与月份重复")
        seen.add((category, month))
    if errors:
        raise InvalidInput("；".join(errors), "Invalid quotas.", fields={"quotas": errors})
    with transaction.atomic():
        locked = EnforcementPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status not in PLAN_EDITABLE_STATUSES:
            raise DomainError("计划当前状态不能修改检查指标。",
                              "Quotas cannot change in the plan's current status.")
        locked.quotas.all().delete()
        PlanQuota.objects.bulk_create(
            PlanQuota(plan=locked, category=r["category"], month=r["month"],
                      planned=r["planned"]) for r in rows if r["planned"])
        record_event("plan.quotas_set", actor=actor, obj=locked.authority,
                     new={"plan": locked.pk,
                          "total": sum(r["planned"] for r in rows)})


def propose_campaign(plan: EnforcementPlan, *, actor: Any, name: str, reason: str,
                     months: list[int], planned: int) -> SpecialCampaign:
    _check_author(actor, plan.authority)
    if not name.strip() or not reason.strip():
        raise InvalidInput("专项行动须填写名称和开展理由。",
                           "A campaign needs a name and a reason.")
    if not months or any(not 1 <= m <= 12 for m in months) or planned < 1:
        raise InvalidInput("请填写有效的实施月份和计划检查次数。",
                           "Give valid months and a positive number of inspections.")
    if plan.status not in PLAN_EDITABLE_STATUSES:
        raise DomainError("计划当前状态不能增加专项行动。",
                          "Campaigns cannot be added in the plan's current status.")
    campaign = SpecialCampaign.objects.create(plan=plan, name=name, reason=reason,
                                              months=sorted(set(months)), planned=planned)
    record_event("plan.campaign_proposed", actor=actor, obj=plan.authority,
                 new={"plan": plan.pk, "campaign": campaign.pk, "name": name})
    return campaign


def _check_approver(plan: EnforcementPlan, actor: Any) -> None:
    if not actor.has_role(*APPROVER_ROLES):
        raise Forbidden("只有审批负责人可以审批执法计划。",
                                    "Only an approver may decide on a plan.")
    if plan.authority.kind == Authority.Kind.MUNICIPAL_BUREAU and not actor.is_municipal:
        raise Forbidden("市局计划由市局审批。",
                                    "The municipal bureau's plan is approved at city level.")
    if actor.pk == plan.created_by_id:
        raise Forbidden("编制人不能审批自己编制的计划。",
                                    "The author may not approve their own plan.")


def decide_campaign(campaign: SpecialCampaign, *, actor: Any, approve: bool) -> SpecialCampaign:
    _check_approver(campaign.plan, actor)
    with transaction.atomic():
        locked = SpecialCampaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != SpecialCampaign.Status.PROPOSED:
            raise DomainError("该专项行动已审批。", "The campaign was already decided.")
        locked.status = (SpecialCampaign.Status.APPROVED if approve
                         else SpecialCampaign.Status.REJECTED)
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        record_event(f"plan.campaign_{locked.status}", actor=actor,
                     obj=locked.plan.authority,
                     new={"plan": locked.plan_id, "campaign": locked.pk})
    return locked


@transaction.atomic
def submit_plan(plan: EnforcementPlan, *, actor: Any, comment: str = "") -> EnforcementPlan:
    _check_author(actor, plan.authority)
    if not plan.quotas.exists():
        raise InvalidInput("请先填写各类检查的月度计划次数。",
                           "Enter the monthly quotas before submitting.",
                           fields={"quotas": ["尚未填写检查指标。"]})
    return _move(plan, EnforcementPlan.Status.SUBMITTED, actor=actor, comment=comment,
                 submitted_at=timezone.now())


@transaction.atomic
def return_plan(plan: EnforcementPlan, *, actor: Any, comment: str) -> EnforcementPlan:
    _check_approver(plan, actor)
    if not comment.strip():
        raise InvalidInput("退回计划须填写修改意见。", "A comment is required to return a plan.",
                           fields={"comment": ["请填写退回意见。"]})
    return _move(plan, EnforcementPlan.Status.RETURNED, actor=actor, comment=comment)


@transaction.atomic
def approve_plan(plan: EnforcementPlan, *, actor: Any, comment: str = "") -> EnforcementPlan:
    _check_approver(plan, actor)
    if plan.campaigns.filter(status=SpecialCampaign.Status.PROPOSED).exists():
        raise DomainError("计划中的专项行动尚未逐项审批，请先审批专项行动。",
                          "Decide on every proposed special campaign first.")
    return _move(plan, EnforcementPlan.Status.APPROVED, actor=actor, comment=comment,
                 approved_by=actor, approved_at=timezone.now())


@transaction.atomic
def publish_plan(plan: EnforcementPlan, *, actor: Any) -> EnforcementPlan:
    # The approver publishes, or the author once the plan is approved.
    if actor.pk == plan.created_by_id:
        _check_author(actor, plan.authority)
    else:
        _check_approver(plan, actor)
    if plan.previous_id:
        previous = EnforcementPlan.objects.select_for_update().get(pk=plan.previous_id)
        if previous.status == EnforcementPlan.Status.PUBLISHED:
            _move(previous, EnforcementPlan.Status.SUPERSEDED, actor=actor,
                  comment=f"被第{plan.version}版替代")
    return _move(plan, EnforcementPlan.Status.PUBLISHED, actor=actor,
                 published_at=timezone.now())


@transaction.atomic
def amend_plan(plan: EnforcementPlan, *, actor: Any, reason: str) -> EnforcementPlan:
    """A published plan changes only through a new version, approved again."""
    _check_author(actor, plan.authority)
    if not reason.strip():
        raise InvalidInput("修订计划须说明理由。", "A reason is required to amend a plan.",
                           fields={"reason": ["请填写修订理由。"]})
    locked = EnforcementPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != EnforcementPlan.Status.PUBLISHED:
        raise DomainError("只有已发布的计划可以修订。", "Only a published plan can be amended.")
    if hasattr(locked, "next_version"):
        raise DomainError("该计划已有修订中的新版本。", "An amendment is already in progress.")
    new = EnforcementPlan.objects.get(pk=locked.pk)
    new.pk = None
    new.version = locked.version + 1
    new.previous = locked
    new.status = EnforcementPlan.Status.DRAFT
    new.created_by = actor
    new.submitted_at = new.approved_at = new.published_at = None
    new.approved_by = None
    new.created_at = timezone.now()
    new.registry_snapshot = registry_counts(locked.authority)
    new.save(force_insert=True)
    PlanQuota.objects.bulk_create(PlanQuota(plan=new, category=q.category, month=q.month,
                                            planned=q.planned) for q in locked.quotas.all())
    for c in locked.campaigns.all():
        SpecialCampaign.objects.create(plan=new, name=c.name, reason=c.reason, months=c.months,
                                       planned=c.planned, status=c.status,
                                       decided_by=c.decided_by, decided_at=c.decided_at)
    record_event("plan.amended", actor=actor, obj=locked.authority,
                 old={"plan": locked.pk, "version": locked.version},
                 new={"plan": new.pk, "version": new.version}, reason=reason)
    return new


def plan_diff(old: EnforcementPlan, new: EnforcementPlan) -> list[dict[str, Any]]:
    """Field and quota differences between two versions, for the diff page."""
    changes = []
    for name in INPUT_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            label = str(getattr(EnforcementPlan._meta.get_field(name), "verbose_name", name))
            changes.append({"field": name, "label": label, "old": a, "new": b})

    def quota_map(plan: EnforcementPlan) -> dict[tuple[str, int], int]:
        return {(q.category, q.month): q.planned for q in plan.quotas.all()}
    qa, qb = quota_map(old), quota_map(new)
    for key in sorted(set(qa) | set(qb)):
        if qa.get(key, 0) != qb.get(key, 0):
            changes.append({"field": "quota", "label":
                            f"{PlanCategory(key[0]).label} {key[1]}月",
                            "old": qa.get(key, 0), "new": qb.get(key, 0)})
    return changes


# --- Planned inspections (cascades from the loop and from draws) ---

def mark_planned_done(planned: PlannedInspection, *, actor: Any) -> PlannedInspection:
    """The planned inspection was carried out (its inspection completed or closed).

    Called inside the loop's transaction as a cascade; the move is audited like any
    other. Idempotent: a planned inspection already done is left as it is.
    """
    if planned.status == PlannedInspection.Status.DONE:
        return planned
    return transition(PLANNED_INSPECTION_WORKFLOW, planned, PlannedInspection.Status.DONE,
                      actor=actor, changes={"done_at": timezone.now()})


def cancel_planned_inspections(planned: Any, *, actor: Any, reason: str) -> list[int]:
    """Cancel every still-planned row of ``planned`` (a queryset), set-based and audited.

    A redraw cancels the planned inspections of the draw it replaces. Rows already
    done or cancelled are left alone. Returns the ids cancelled.
    """
    rows = transition_many(PLANNED_INSPECTION_WORKFLOW, planned,
                           PlannedInspection.Status.CANCELLED, actor=actor, reason=reason,
                           subject_related=("enterprise",))
    return [row.pk for row in rows]
