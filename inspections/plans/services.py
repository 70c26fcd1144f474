"""The annual enforcement plan: inputs from the registry, quotas, capacity, workflow.

Workflow (PLAN_WORKFLOW): draft → submitted → returned (→ submitted again) or
approved → published; a published plan changes only through a new version
(amend_plan) that is approved again and then supersedes it (a cascade through the
same workflow). Special campaigns (CAMPAIGN_WORKFLOW) are decided one by one while
the plan is submitted. Every status change goes through workflow.transition(): a
locked row, the move checked against the table, audited, with a PlanReview row for
each plan step.

Every public service that takes an ``actor`` guards itself: role, jurisdiction (the
plan's authority is the actor's own, or lies within an approver's or the municipal
level's jurisdiction) and separation of duties: whoever wrote or changed a version
(selectors.plan_author_ids, from created_by and the audit trail) never returns or
approves it nor decides its campaigns. Input is checked against the bounds in
plans/models.py, so bad input is an InvalidInput (400) that writes nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeGuard

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from enterprises.filters import valid_safety_liability_policies
from enterprises.models import Enterprise, MajorHazardSource
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import lock, transition, transition_many
from inspections.plans.models import (
    CAMPAIGN_NAME_MAX_LENGTH,
    CAMPAIGN_PLANNED_BOUND,
    CAMPAIGN_WORKFLOW,
    MONTH_MAX,
    MONTH_MIN,
    PLAN_EDITABLE_STATUSES,
    PLAN_INPUT_BOUNDS,
    PLAN_TITLE_MAX_LENGTH,
    PLAN_WORKFLOW,
    PLAN_YEAR_MAX,
    PLAN_YEAR_MIN,
    PLANNED_INSPECTION_WORKFLOW,
    QUOTA_PLANNED_BOUND,
    Bound,
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
    PlanQuota,
    PlanReview,
    SpecialCampaign,
)
from inspections.plans.selectors import plan_author_ids

AUTHOR_ROLES = (Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
APPROVER_ROLES = (Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
#: Who may mark a planned inspection carried out (the team on site, their chiefs).
PLANNED_DONE_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER,
                      Role.MUNICIPAL_ADMIN)
#: Who may cancel planned inspections (whoever may plan or draw them).
PLANNED_CANCEL_ROLES = AUTHOR_ROLES
INPUT_FIELDS = ["title", "enforcement_powers", "staff_count", "certified_staff_count",
                "equipment", "vehicles", "funding", "officers_per_inspection",
                "hours_per_inspection", "hours_per_officer", "per_enterprise_cap"]
TEXT_FIELDS = ("enforcement_powers", "equipment")


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
    # What planned_inspections is made of, so that no figure is counted without saying
    # so: the quotas, approved campaigns and campaigns still waiting for approval
    # (counted, as the plan is measured as it would be carried out if approved).
    quota_inspections: int = 0
    approved_campaign_inspections: int = 0
    proposed_campaign_inspections: int = 0


def capacity(plan: EnforcementPlan) -> Capacity:
    """Planned inspections × officers per inspection × hours, against certified time."""
    quotas = plan.quotas.aggregate(n=Sum("planned"))["n"] or 0
    by_status = dict(plan.campaigns.exclude(status=SpecialCampaign.Status.REJECTED)
                     .values_list("status").annotate(n=Sum("planned")).order_by())
    approved = by_status.get(SpecialCampaign.Status.APPROVED) or 0
    proposed = sum(n or 0 for status, n in by_status.items()
                   if status != SpecialCampaign.Status.APPROVED)
    planned = quotas + approved + proposed
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
    if proposed:
        warnings.append(f"含待批准的专项执法行动 {proposed} 次；不予批准的不计入。")
    return Capacity(planned, needed, available, load, needed > available, warnings,
                    quota_inspections=quotas, approved_campaign_inspections=approved,
                    proposed_campaign_inspections=proposed)


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


# --- Input (bounds from plans/models.py) ---

def _label(name: str) -> str:
    return str(getattr(EnforcementPlan._meta.get_field(name), "verbose_name", name))


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _bound_error(value: Any, bound: Bound, label: str) -> str | None:
    """The Chinese message for a value outside ``bound`` (or of the wrong type)."""
    if bound.places is None:
        if not _is_int(value):
            return f"{label}应为整数。"
    else:
        if not (_is_int(value) or isinstance(value, Decimal)) or not Decimal(value).is_finite():
            return f"{label}应为数字。"
        exponent = Decimal(value).as_tuple().exponent
        if isinstance(exponent, int) and -exponent > bound.places:
            return f"{label}最多保留 {bound.places} 位小数。"
    if value < bound.low:
        return bound.below or bound.message(label)
    if value > bound.high:
        return bound.message(label)
    return None


def _input_errors(inputs: Mapping[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value in inputs.items():
        message = None
        if name in PLAN_INPUT_BOUNDS:
            message = _bound_error(value, PLAN_INPUT_BOUNDS[name], _label(name))
        elif name == "title":
            if not isinstance(value, str):
                message = "计划名称应为文字。"
            elif len(value) > PLAN_TITLE_MAX_LENGTH:
                message = f"计划名称不能超过 {PLAN_TITLE_MAX_LENGTH} 个字。"
        elif name in TEXT_FIELDS and not isinstance(value, str):
            message = f"{_label(name)}应为文字。"
        if message:
            errors[name] = [message]
    return errors


def _raise_if(errors: dict[str, list[str]], detail_en: str,
              detail: str | None = None) -> None:
    if errors:
        first = detail or next(iter(errors.values()))[0]
        raise InvalidInput(first, detail_en, fields=errors)


def _check_inputs(inputs: Mapping[str, Any], *, verb: str) -> None:
    unknown = set(inputs) - set(INPUT_FIELDS)
    if unknown:
        raise InvalidInput(f"不可{verb}的字段：{'、'.join(sorted(unknown))}",
                           f"Fields not accepted: {', '.join(sorted(unknown))}",
                           fields={name: ["不可填写此字段。"] for name in sorted(unknown)})
    _raise_if(_input_errors(inputs), "Invalid plan data; see the field errors.")


def _check_year(year: Any) -> None:
    if not _is_int(year) or not PLAN_YEAR_MIN <= year <= PLAN_YEAR_MAX:
        raise InvalidInput("年度无效。", f"The year must be {PLAN_YEAR_MIN}–{PLAN_YEAR_MAX}.",
                           fields={"year": ["年度无效。"]})


def _validate(plan: EnforcementPlan) -> None:
    """Rules across fields, on the plan as it would be saved."""
    if plan.certified_staff_count > plan.staff_count:
        message = "持证执法人员数不能超过执法人员总数。"
        raise InvalidInput(message, "Invalid plan data; see the field errors.",
                           fields={"certified_staff_count": [message]})


def _default_title(authority: Authority, year: int) -> str:
    return f"{authority.short_name or authority.name}{year}年度安全生产监督检查计划"


# --- Who may do what ---

def _in_scope(user: Any, authority: Authority) -> bool:
    path = user_scope_path(user)
    return path is not None and authority.jurisdiction.path.startswith(path)


def _check_author(actor: Any, authority: Authority) -> None:
    """Write a plan: a chief for their own authority; an approver or the municipal
    level also for any authority within their jurisdiction."""
    if actor is None or not actor.has_role(*AUTHOR_ROLES):
        raise Forbidden("您的角色无权编制执法计划。",
                        "Your role may not write enforcement plans.")
    if actor.authority_id == authority.pk:
        return
    if (actor.has_role(*APPROVER_ROLES) or actor.is_municipal) and _in_scope(actor, authority):
        return
    raise Forbidden("只能编制本单位（或本辖区内单位）的执法计划。",
                    "You may only write plans of your authority or within your jurisdiction.")


def _check_approver(plan: EnforcementPlan, actor: Any) -> None:
    """Decide on a plan: an approver whose jurisdiction holds the plan's authority;
    the municipal bureau's own plan only at city level."""
    if actor is None or not actor.has_role(*APPROVER_ROLES):
        raise Forbidden("只有审批负责人可以审批执法计划。",
                        "Only an approver may decide on a plan.")
    authority = plan.authority
    if authority.kind == Authority.Kind.MUNICIPAL_BUREAU and not actor.is_municipal:
        raise Forbidden("市局计划由市局审批。",
                        "The municipal bureau's plan is approved at city level.")
    if not _in_scope(actor, authority):
        raise Forbidden("只能审批本辖区内执法主体的计划。",
                        "You may only decide on plans within your jurisdiction.")


def _check_not_author(plan: EnforcementPlan, actor: Any, *, what: str = "plan") -> None:
    """四眼原则: run on the locked plan, so no authoring event can slip in meanwhile."""
    if actor.pk not in plan_author_ids(plan):
        return
    if what == "campaign":
        raise Forbidden("编制人不能审批自己编制、修改、提交过的计划中的专项行动（四眼原则）。",
                        "Whoever wrote, changed or submitted this plan version (or proposed "
                        "the campaign) may not decide on its campaigns.",
                        code="author_cannot_approve")
    raise Forbidden("编制人不能审批自己编制、修改或提交过的计划版本（四眼原则）。",
                    "Whoever wrote, changed or submitted this plan version may not decide "
                    "on it.", code="author_cannot_approve")


def _passes(check: Any, *args: Any) -> bool:
    try:
        check(*args)
    except Forbidden:
        return False
    return True


def may_author(user: Any, plan: EnforcementPlan) -> bool:
    """For the pages: would the write services accept this user as an author?"""
    return _passes(_check_author, user, plan.authority)


def may_decide(user: Any, plan: EnforcementPlan,
               authors: set[int] | None = None) -> bool:
    """For the pages: may this user return or approve the plan and decide its campaigns?"""
    if not _passes(_check_approver, plan, user):
        return False
    return user.pk not in (plan_author_ids(plan) if authors is None else authors)


# --- Writing a version ---

def create_plan(*, authority: Authority, year: int, actor: Any,
                parent_plan: EnforcementPlan | None = None,
                **inputs: Any) -> EnforcementPlan:
    _check_author(actor, authority)
    _check_year(year)
    _check_inputs(inputs, verb="填写")
    if parent_plan is not None and (
            parent_plan.year != year or not authority.jurisdiction.path.startswith(
                parent_plan.authority.jurisdiction.path)):
        raise InvalidInput("所依据的区县计划须为同一年度、覆盖本辖区的计划。",
                           "The parent plan must be of the same year and cover this area.",
                           fields={"parent_plan": ["依据的区县计划无效。"]})
    if EnforcementPlan.objects.filter(authority=authority, year=year).exists():
        raise DomainError(f"{authority.short_name or authority.name}{year}年度计划已存在；"
                          "已发布的计划请通过“修订”产生新版本。",
                          "A plan for this authority and year exists; amend it instead.",
                          code="duplicate")
    staff, certified = staff_counts(authority)
    plan = EnforcementPlan(
        authority=authority, year=year, created_by=actor, parent_plan=parent_plan,
        title=inputs.pop("title", "").strip() or _default_title(authority, year),
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


def _lock_editable(plan: EnforcementPlan, message: str, message_en: str) -> EnforcementPlan:
    locked: EnforcementPlan = lock(PLAN_WORKFLOW, plan)
    if locked.status not in PLAN_EDITABLE_STATUSES:
        raise DomainError(message, message_en, code="not_editable")
    return locked


def update_plan(plan: EnforcementPlan, *, actor: Any, **inputs: Any) -> EnforcementPlan:
    _check_author(actor, plan.authority)
    _check_inputs(inputs, verb="修改")
    with transaction.atomic():
        locked = _lock_editable(
            plan, "计划已提交或已批准，不能修改；已发布的计划请通过“修订”产生新版本。",
            "The plan is not editable in its current status.")
        if "title" in inputs:
            inputs["title"] = inputs["title"].strip() or _default_title(locked.authority,
                                                                        locked.year)
        old = {k: getattr(locked, k) for k in inputs}
        for key, value in inputs.items():
            setattr(locked, key, value)
        _validate(locked)
        locked.registry_snapshot = registry_counts(locked.authority)
        locked.save()
        changed = {k: v for k, v in inputs.items() if old[k] != v}
        if changed:
            # The plan id makes the editor an author of this version (plan_author_ids).
            record_event("plan.updated", actor=actor, obj=locked.authority,
                         old={k: old[k] for k in changed},
                         new={**changed, "plan": locked.pk})
    return locked


def _quota_errors(rows: Any) -> list[str]:
    if not isinstance(rows, list):
        return ["检查指标应为列表：[{category, month, planned}]。"]
    errors = []
    seen = set()
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            errors.append(f"第{i}行：应为 {{category, month, planned}}")
            continue
        category, month, planned = row.get("category"), row.get("month"), row.get("planned")
        if not isinstance(category, str) or category not in PlanCategory.values:
            errors.append(f"第{i}行：未知检查类别")
        if not _is_int(month) or not MONTH_MIN <= month <= MONTH_MAX:
            errors.append(f"第{i}行：月份应为 {MONTH_MIN}–{MONTH_MAX}")
        if not _is_int(planned) or planned < QUOTA_PLANNED_BOUND.low:
            errors.append(f"第{i}行：计划次数应为非负整数")
        elif planned > QUOTA_PLANNED_BOUND.high:
            errors.append(f"第{i}行：计划次数不能超过 {QUOTA_PLANNED_BOUND.high}")
        key = (category, month)
        if all(isinstance(k, (str, int)) for k in key):
            if key in seen:
                errors.append(f"第{i}行：类别与月份重复")
            seen.add(key)
    return errors


def set_quotas(plan: EnforcementPlan, rows: list[dict[str, Any]], *, actor: Any) -> None:
    """Replace the plan's quotas: [{"category", "month", "planned"}]."""
    _check_author(actor, plan.authority)
    errors = _quota_errors(rows)
    if errors:
        raise InvalidInput("；".join(errors), "Invalid quotas.", fields={"quotas": errors})
    with transaction.atomic():
        locked = _lock_editable(plan, "计划当前状态不能修改检查指标。",
                                "Quotas cannot change in the plan's current status.")
        locked.quotas.all().delete()
        PlanQuota.objects.bulk_create(
            PlanQuota(plan=locked, category=r["category"], month=r["month"],
                      planned=r["planned"]) for r in rows if r["planned"])
        record_event("plan.quotas_set", actor=actor, obj=locked.authority,
                     new={"plan": locked.pk,
                          "total": sum(r["planned"] for r in rows)})


def _campaign_errors(name: Any, reason: Any, months: Any,
                     planned: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(name, str) or not name.strip():
        errors["name"] = ["请填写专项行动名称。"]
    elif len(name) > CAMPAIGN_NAME_MAX_LENGTH:
        errors["name"] = [f"专项行动名称不能超过 {CAMPAIGN_NAME_MAX_LENGTH} 个字。"]
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = ["请填写开展理由。"]
    if not isinstance(months, (list, tuple)) or not months:
        errors["months"] = ["请选择实施月份。"]
    elif any(not _is_int(m) or not MONTH_MIN <= m <= MONTH_MAX for m in months):
        errors["months"] = [f"实施月份应为 {MONTH_MIN}–{MONTH_MAX} 的整数。"]
    message = _bound_error(planned, CAMPAIGN_PLANNED_BOUND, "计划检查次数")
    if message:
        errors["planned"] = [message]
    return errors


def propose_campaign(plan: EnforcementPlan, *, actor: Any, name: str, reason: str,
                     months: list[int], planned: int) -> SpecialCampaign:
    _check_author(actor, plan.authority)
    errors = _campaign_errors(name, reason, months, planned)
    _raise_if(errors, "Invalid campaign; see the field errors.",
              "专项行动须填写名称和开展理由。" if {"name", "reason"} & set(errors) else None)
    with transaction.atomic():
        locked = _lock_editable(plan, "计划当前状态不能增加专项行动。",
                                "Campaigns cannot be added in the plan's current status.")
        campaign = SpecialCampaign.objects.create(
            plan=locked, name=name.strip(), reason=reason.strip(),
            months=sorted(set(months)), planned=planned)
        record_event("plan.campaign_proposed", actor=actor, obj=locked.authority,
                     new={"plan": locked.pk, "campaign": campaign.pk, "name": campaign.name})
    return campaign


# --- Campaign decisions (CAMPAIGN_WORKFLOW) ---

def _decide_campaign(campaign: SpecialCampaign, to: str, *, actor: Any,
                     comment: str) -> SpecialCampaign:
    plan = campaign.plan
    _check_approver(plan, actor)
    with transaction.atomic():
        # The plan first (the lock order of every plan step), so no author can edit or
        # propose while the decision is taken.
        locked_plan = lock(PLAN_WORKFLOW, plan)

        def guard(row: SpecialCampaign) -> None:
            if locked_plan.status != EnforcementPlan.Status.SUBMITTED:
                raise DomainError("计划提交审批后才能审批其中的专项行动。",
                                  "Campaigns are decided while the plan is submitted.",
                                  code="plan_not_submitted")
            _check_not_author(locked_plan, actor, what="campaign")

        event = ("plan.campaign_approved" if to == SpecialCampaign.Status.APPROVED
                 else "plan.campaign_rejected")
        decided: SpecialCampaign = transition(
            CAMPAIGN_WORKFLOW, campaign, to, actor=actor, guard=guard, event=event,
            reason=comment, changes=lambda row: {"decided_by": actor,
                                                 "decided_at": timezone.now()},
            extra={"plan": locked_plan.pk})
    return decided


def approve_campaign(campaign: SpecialCampaign, *, actor: Any,
                     comment: str = "") -> SpecialCampaign:
    """proposed → approved (by an approver who did not write the plan version)."""
    return _decide_campaign(campaign, SpecialCampaign.Status.APPROVED, actor=actor,
                            comment=comment)


def reject_campaign(campaign: SpecialCampaign, *, actor: Any,
                    comment: str = "") -> SpecialCampaign:
    """proposed → rejected (its inspections no longer count in the capacity)."""
    return _decide_campaign(campaign, SpecialCampaign.Status.REJECTED, actor=actor,
                            comment=comment)


def decide_campaign(campaign: SpecialCampaign, *, actor: Any, approve: bool,
                    comment: str = "") -> SpecialCampaign:
    """approve_campaign or reject_campaign, for callers holding a yes/no."""
    step = approve_campaign if approve else reject_campaign
    return step(campaign, actor=actor, comment=comment)


# --- Plan steps (PLAN_WORKFLOW) ---

def _step(plan: EnforcementPlan, to: str, *, actor: Any, comment: str = "",
          guard: Any = None, changes: Any = None, locked: Any = None,
          extra: Mapping[str, Any] | None = None) -> EnforcementPlan:
    """One move through PLAN_WORKFLOW (audited as plan.<status>) and its PlanReview."""
    with transaction.atomic():
        row: EnforcementPlan = transition(
            PLAN_WORKFLOW, plan, to, actor=actor, guard=guard, changes=changes,
            reason=comment, locked=locked,
            extra={"version": plan.version, **(extra or {})})
        PlanReview.objects.create(
            plan=row, step=to, comment=comment, actor=actor, actor_name=actor.display_name,
            snapshot=plan_state(row) if to == EnforcementPlan.Status.RETURNED else {})
    return row


def submit_plan(plan: EnforcementPlan, *, actor: Any, comment: str = "") -> EnforcementPlan:
    _check_author(actor, plan.authority)

    def guard(row: EnforcementPlan) -> None:
        if not row.quotas.exists():
            raise InvalidInput("请先填写各类检查的月度计划次数。",
                               "Enter the monthly quotas before submitting.",
                               fields={"quotas": ["尚未填写检查指标。"]})

    return _step(plan, EnforcementPlan.Status.SUBMITTED, actor=actor, comment=comment,
                 guard=guard, changes=lambda row: {"submitted_at": timezone.now()})


def return_plan(plan: EnforcementPlan, *, actor: Any, comment: str) -> EnforcementPlan:
    _check_approver(plan, actor)
    if not isinstance(comment, str) or not comment.strip():
        raise InvalidInput("退回计划须填写修改意见。", "A comment is required to return a plan.",
                           fields={"comment": ["请填写退回意见。"]})

    def guard(row: EnforcementPlan) -> None:
        _check_not_author(row, actor)

    return _step(plan, EnforcementPlan.Status.RETURNED, actor=actor, comment=comment,
                 guard=guard)


def approve_plan(plan: EnforcementPlan, *, actor: Any, comment: str = "") -> EnforcementPlan:
    _check_approver(plan, actor)

    def guard(row: EnforcementPlan) -> None:
        _check_not_author(row, actor)
        if row.campaigns.filter(status=SpecialCampaign.Status.PROPOSED).exists():
            raise DomainError("计划中的专项行动尚未逐项审批，请先审批专项行动。",
                              "Decide on every proposed special campaign first.",
                              code="campaigns_pending")

    return _step(plan, EnforcementPlan.Status.APPROVED, actor=actor, comment=comment,
                 guard=guard,
                 changes=lambda row: {"approved_by": actor, "approved_at": timezone.now()})


def publish_plan(plan: EnforcementPlan, *, actor: Any) -> EnforcementPlan:
    """approved → published; the version it amends moves published → superseded in
    the same transaction (a cascade through PLAN_WORKFLOW, audited as plan.superseded).
    The approver publishes, or an author of the version once it is approved."""
    Status = EnforcementPlan.Status
    with transaction.atomic():
        locked: EnforcementPlan = lock(PLAN_WORKFLOW, plan)
        if actor is not None and actor.pk in plan_author_ids(locked):
            _check_author(actor, locked.authority)
        else:
            _check_approver(locked, actor)
        if not PLAN_WORKFLOW.allowed(locked.status, Status.PUBLISHED):
            raise PLAN_WORKFLOW.illegal(locked.status, Status.PUBLISHED)
        if locked.previous_id:
            previous: EnforcementPlan = lock(PLAN_WORKFLOW, locked.previous_id)
            if previous.status == Status.PUBLISHED:
                _step(previous, Status.SUPERSEDED, actor=actor, locked=previous,
                      comment=f"被第{locked.version}版替代",
                      extra={"superseded_by": locked.pk})
        return _step(locked, Status.PUBLISHED, actor=actor, locked=locked,
                     changes=lambda row: {"published_at": timezone.now()})


def amend_plan(plan: EnforcementPlan, *, actor: Any, reason: str) -> EnforcementPlan:
    """A published plan changes only through a new version, approved again."""
    _check_author(actor, plan.authority)
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("修订计划须说明理由。", "A reason is required to amend a plan.",
                           fields={"reason": ["请填写修订理由。"]})
    with transaction.atomic():
        locked: EnforcementPlan = lock(PLAN_WORKFLOW, plan)
        if locked.status != EnforcementPlan.Status.PUBLISHED:
            raise DomainError("只有已发布的计划可以修订。",
                              "Only a published plan can be amended.", code="not_published")
        if EnforcementPlan.objects.filter(previous=locked).exists():
            raise DomainError("该计划已有修订中的新版本。",
                              "An amendment is already in progress.",
                              code="amendment_in_progress")
        # A new row (born a draft): the inputs copied, the workflow fields fresh.
        new = EnforcementPlan.objects.create(
            authority=locked.authority, year=locked.year, version=locked.version + 1,
            previous=locked, parent_plan=locked.parent_plan, created_by=actor,
            registry_snapshot=registry_counts(locked.authority),
            **{name: getattr(locked, name) for name in INPUT_FIELDS})
        PlanQuota.objects.bulk_create(
            PlanQuota(plan=new, category=q.category, month=q.month, planned=q.planned)
            for q in locked.quotas.all())
        # Decided campaigns are copied with their decision (the version was approved).
        SpecialCampaign.objects.bulk_create(
            SpecialCampaign(plan=new, name=c.name, reason=c.reason, months=c.months,
                            planned=c.planned, status=c.status, decided_by_id=c.decided_by_id,
                            decided_at=c.decided_at)
            for c in locked.campaigns.all())
        record_event("plan.amended", actor=actor, obj=locked.authority,
                     old={"plan": locked.pk, "version": locked.version},
                     new={"plan": new.pk, "version": new.version}, reason=reason)
    return new


def _plain(value: Any) -> Any:
    """A JSON value of a plan input (Decimals as strings)."""
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def plan_state(plan: EnforcementPlan) -> dict[str, Any]:
    """The plan's inputs, quotas and campaigns as JSON: what a version diff compares,
    and what a return keeps (PlanReview.snapshot) for the resubmission's approver."""
    return {
        "fields": {name: _plain(getattr(plan, name)) for name in INPUT_FIELDS},
        "quotas": {f"{q.category}:{q.month}": q.planned for q in plan.quotas.all()},
        "campaigns": {str(c.pk): {"name": c.name, "planned": c.planned,
                                  "months": list(c.months), "status": c.status}
                      for c in plan.campaigns.all()},
    }


def _input_and_quota_changes(old: dict[str, Any], new: dict[str, Any]
                             ) -> list[dict[str, Any]]:
    changes = []
    for name in INPUT_FIELDS:
        a, b = old["fields"].get(name), new["fields"][name]
        if a != b:
            label = str(getattr(EnforcementPlan._meta.get_field(name), "verbose_name", name))
            changes.append({"field": name, "label": label, "old": a, "new": b})
    for key in sorted(set(old["quotas"]) | set(new["quotas"]),
                      key=lambda k: (k.split(":")[0], int(k.split(":")[1]))):
        a, b = old["quotas"].get(key, 0), new["quotas"].get(key, 0)
        if a != b:
            category, month = key.split(":")
            changes.append({"field": "quota",
                            "label": f"{PlanCategory(category).label} {month}月",
                            "old": a, "new": b})
    return changes


def changes_since_return(plan: EnforcementPlan) -> list[dict[str, Any]] | None:
    """What the author changed after the last return, for the approver of the
    resubmission; None when the plan was never returned (or was returned before the
    state was kept)."""
    review = plan.reviews.filter(step=EnforcementPlan.Status.RETURNED).order_by(
        "-created_at", "-id").first()
    if review is None or not review.snapshot:
        return None
    old, new = review.snapshot, plan_state(plan)
    changes = _input_and_quota_changes(old, new)
    # Campaigns are compared by id: within one version they keep it.
    for pk in sorted(set(old["campaigns"]) | set(new["campaigns"]), key=int):
        a, b = old["campaigns"].get(pk), new["campaigns"].get(pk)
        if a is None or b is None or (a["planned"], a["months"]) != (b["planned"],
                                                                    b["months"]):
            name = (b or a or {}).get("name", "")
            changes.append({"field": "campaign",
                            "label": gettext("专项行动：%(name)s") % {"name": name},
                            "old": "—" if a is None else f"{a['planned']} 次",
                            "new": "—" if b is None else f"{b['planned']} 次"})
    return changes


def plan_diff(old: EnforcementPlan, new: EnforcementPlan) -> list[dict[str, Any]]:
    """Input and quota differences between two versions (the diff page and API)."""
    return _input_and_quota_changes(plan_state(old), plan_state(new))


# --- Planned inspections (cascades from the loop and from draws) ---

def _check_planned_actor(actor: Any, roles: tuple[str, ...], what: str, what_en: str) -> None:
    if actor is None or not actor.has_role(*roles):
        raise Forbidden(f"您的角色无权{what}。", f"Your role may not {what_en}.")


def mark_planned_done(planned: PlannedInspection, *, actor: Any) -> PlannedInspection:
    """planned → done: the planned inspection was carried out (its inspection
    completed or closed).

    Called inside the loop's transaction as a cascade; the move is audited like any
    other (planned_inspection.done). Idempotent: a row already done (checked on the
    locked row) is returned as it is, with no new event. A cancelled row cannot be
    done (IllegalTransition, 409).
    """
    _check_planned_actor(actor, PLANNED_DONE_ROLES, "登记计划检查已完成",
                         "mark a planned inspection done")
    with transaction.atomic():
        locked: PlannedInspection = lock(PLANNED_INSPECTION_WORKFLOW, planned)
        if not _in_scope(actor, locked.authority):
            raise Forbidden("该计划检查不在您的管辖范围内。",
                            "The planned inspection is outside your jurisdiction.")
        if locked.status == PlannedInspection.Status.DONE:
            return locked
        done: PlannedInspection = transition(
            PLANNED_INSPECTION_WORKFLOW, locked, PlannedInspection.Status.DONE, actor=actor,
            locked=locked, changes=lambda row: {"done_at": timezone.now()})
    return done


def cancel_planned_inspections(planned: Any, *, actor: Any, reason: str) -> list[int]:
    """planned → cancelled for every still-planned row of ``planned`` (a queryset),
    set-based and audited (planned_inspection.cancelled, one event per row).

    A redraw cancels the planned inspections of the draw it replaces. Rows already
    done or cancelled are left alone, so a second call cancels nothing. The whole set
    must lie within the actor's jurisdiction, else nothing is cancelled. A fixed
    number of queries whatever the number of rows. Returns the ids cancelled.
    """
    _check_planned_actor(actor, PLANNED_CANCEL_ROLES, "取消计划检查",
                         "cancel planned inspections")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("取消计划检查须说明理由。",
                           "A reason is required to cancel planned inspections.",
                           fields={"reason": ["请填写取消理由。"]})
    path = user_scope_path(actor)
    with transaction.atomic():
        if path is None or (path and planned.exclude(
                authority__jurisdiction__path__startswith=path).exists()):
            raise Forbidden("部分计划检查不在您的管辖范围内，未作取消。",
                            "Some planned inspections are outside your jurisdiction.")
        rows = transition_many(PLANNED_INSPECTION_WORKFLOW, planned,
                               PlannedInspection.Status.CANCELLED, actor=actor,
                               reason=reason.strip(), subject_related=("enterprise",))
    return [row.pk for row in rows]
