"""Server-rendered pages of the annual enforcement plan (phone first).

Every queryset goes through EnforcementPlan.objects.visible_to(user): a plan outside
the user's jurisdiction is a 404, a missing role a 403 page. State changes go through
inspections.plans; a refused step (illegal move, bad input) comes back as a Chinese
alert on the plan page and writes nothing (each service runs in one transaction).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from enterprises.models import RiskLevel, Sector
from hangzhou_safety.api.errors import DomainError, Forbidden
from hangzhou_safety.web.pagination import keyset_page
from hangzhou_safety.web.rows import link_rows
from inspections.plans import services as plans
from inspections.plans.forms import CampaignForm, PlanCreateForm, PlanInputsForm, quota_cell
from inspections.plans.models import (
    PLAN_EDITABLE_STATUSES,
    QUOTA_PLANNED_BOUND,
    EnforcementPlan,
    PlanCategory,
    SpecialCampaign,
)
from inspections.plans.selectors import (
    approver_queue,
    plan_author_ids,
    plan_list_rows,
    visible_plans,
)

MONTHS = list(range(1, 13))
STATUS_BADGES: dict[str, str] = {
    EnforcementPlan.Status.DRAFT: "text-bg-secondary",
    EnforcementPlan.Status.SUBMITTED: "text-bg-warning",
    EnforcementPlan.Status.RETURNED: "text-bg-danger",
    EnforcementPlan.Status.APPROVED: "text-bg-info",
    EnforcementPlan.Status.PUBLISHED: "text-bg-success",
    EnforcementPlan.Status.SUPERSEDED: "text-bg-light border",
}
REGISTRY_ROWS = [("total", _lazy("监管企业总数")), ("high_risk", _lazy("高危行业企业")),
                 ("with_hazard_sources", _lazy("有重大危险源的企业")),
                 ("high_risk_uninsured", _lazy("未投保安责险的高危企业")),
                 ("bad_credit", _lazy("不良信用企业"))]


def _apply_errors(form: forms.Form, exc: DomainError) -> None:
    if exc.fields:
        for name, errors in exc.fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc.detail)


def _visible_plan(request: HttpRequest, pk: int) -> EnforcementPlan:
    return get_object_or_404(visible_plans(request.user), pk=pk)


#: Rows of the approver's queue shown on the list page (the rest on the queue page).
QUEUE_PAGE_SIZE = 10


def _badged(rows: list[EnforcementPlan]) -> list[EnforcementPlan]:
    for row in rows:
        row.badge = STATUS_BADGES.get(row.status, "")  # type: ignore[attr-defined]
    link_rows(rows, "inspections:plan_detail")
    return rows


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every visible plan, newest first, keyset paginated; approvers see the first page
    of their queue above it (continued on the queue page)."""
    user: Any = request.user
    page = keyset_page(request, plan_list_rows(user))
    is_approver = user.has_role(*plans.APPROVER_ROLES)
    queue = None
    if is_approver and page.is_first:
        # No ``before`` on the first page, so this is the queue's own first page.
        queue = keyset_page(request, approver_queue(user), size=QUEUE_PAGE_SIZE)
        link_rows(queue.rows, "inspections:plan_detail")
    return render(request, "inspections/plan_list.html", {
        "page": page, "plans": _badged(page.rows), "queue": queue,
        "is_approver": is_approver,
        "can_create": bool(user.has_role(*plans.AUTHOR_ROLES) and user.authority_id),
    })


@login_required
def plan_queue(request: HttpRequest) -> HttpResponse:
    """The approver's queue: submitted plans they may decide on, keyset paginated."""
    user: Any = request.user
    if not user.has_role(*plans.APPROVER_ROLES):
        raise PermissionDenied
    page = keyset_page(request, approver_queue(user))
    return render(request, "inspections/plan_queue.html",
                  {"page": page, "queue": _badged(page.rows)})


def _registry_rows(live: dict[str, Any], snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [{"label": label, "live": live.get(key, 0), "snapshot": snapshot.get(key)}
            for key, label in REGISTRY_ROWS]
    for source, choices in (("by_sector", Sector), ("by_risk_level", RiskLevel)):
        live_part, snap_part = live.get(source, {}), snapshot.get(source, {})
        for key in sorted(set(live_part) | set(snap_part)):
            label = dict(choices.choices).get(key, key)
            rows.append({"label": label, "live": live_part.get(key, 0),
                         "snapshot": snap_part.get(key, 0) if snapshot else None,
                         "sub": True})
    return rows


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_role(*plans.AUTHOR_ROLES) or user.authority is None:
        raise PermissionDenied
    authority = user.authority
    staff, certified = plans.staff_counts(authority)
    registry = plans.registry_counts(authority)
    if request.method == "POST":
        form = PlanCreateForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            year = data.pop("year")
            try:
                plan = plans.create_plan(authority=authority, year=year, actor=user, **data)
            except Forbidden as exc:
                raise PermissionDenied(exc.detail) from exc
            except DomainError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("已创建执法计划草稿，请填写各月检查指标。"))
                return redirect("inspections:plan_detail", pk=plan.pk)
    else:
        form = PlanCreateForm(initial={"year": timezone.localdate().year + 1,
                                       "staff_count": staff,
                                       "certified_staff_count": certified})
    return render(request, "inspections/plan_form.html", {
        "form": form, "authority": authority, "staff": staff, "certified": certified,
        "registry_rows": _registry_rows(registry, {}), "plan": None,
    })


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = _visible_plan(request, pk)
    if not plans.may_author(user, plan):
        raise PermissionDenied
    if plan.status not in PLAN_EDITABLE_STATUSES:
        messages.error(request, _("计划已提交或已批准，不能修改；"
                                  "已发布的计划请通过“修订”产生新版本。"))
        return redirect("inspections:plan_detail", pk=plan.pk)
    if request.method == "POST":
        form = PlanInputsForm(request.POST)
        if form.is_valid():
            try:
                plans.update_plan(plan, actor=user, **form.cleaned_data)
            except Forbidden as exc:
                raise PermissionDenied(exc.detail) from exc
            except DomainError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("已保存计划基本情况。"))
                return redirect("inspections:plan_detail", pk=plan.pk)
    else:
        form = PlanInputsForm(initial={name: getattr(plan, name)
                                       for name in plans.INPUT_FIELDS})
    staff, certified = plans.staff_counts(plan.authority)
    return render(request, "inspections/plan_form.html", {
        "form": form, "authority": plan.authority, "staff": staff, "certified": certified,
        "registry_rows": _registry_rows(plans.registry_counts(plan.authority),
                                        plan.registry_snapshot),
        "plan": plan,
    })


def _quota_grid(plan: EnforcementPlan) -> tuple[list[dict[str, Any]], list[int], int]:
    values = {(q.category, q.month): q.planned for q in plan.quotas.all()}
    rows = []
    for category, label in PlanCategory.choices:
        planned = [values.get((category, m), 0) for m in MONTHS]
        cells = [{"month": m, "name": f"q_{category}_{m}", "value": n}
                 for m, n in zip(MONTHS, planned, strict=True)]
        rows.append({"category": category, "label": label, "cells": cells,
                     "total": sum(planned)})
    month_totals = [sum(values.get((c, m), 0) for c in PlanCategory.values) for m in MONTHS]
    return rows, month_totals, sum(month_totals)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = get_object_or_404(visible_plans(user).select_related("approved_by", "previous")
                             .prefetch_related("quotas", "campaigns", "reviews"), pk=pk)
    can_author = plans.may_author(user, plan)
    authors = plan_author_ids(plan)
    can_approve = plans.may_decide(user, plan, authors)
    editable = plan.status in PLAN_EDITABLE_STATUSES
    S = EnforcementPlan.Status
    quota_rows, month_totals, quota_total = _quota_grid(plan)
    cap = plans.capacity(plan)
    prog = plans.progress(plan)
    for row in prog["rows"]:
        row["total_planned"] = sum(m["planned"] for m in row["months"])
        row["total_done"] = sum(m["done"] for m in row["months"])
    has_next = EnforcementPlan.objects.filter(previous=plan).exists()
    step_labels: dict[str, str] = {str(k): str(v) for k, v in EnforcementPlan.Status.choices}
    reviews = list(plan.reviews.all())
    for review in reviews:
        review.step_label = step_labels.get(review.step, review.step)  # type: ignore[attr-defined]
    returns = [r for r in reviews if r.step == S.RETURNED]
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "badge": STATUS_BADGES.get(plan.status, "text-bg-secondary"),
        "inputs": [(getattr(plan._meta.get_field(name), "verbose_name", name),
                    getattr(plan, name))
                   for name in plans.INPUT_FIELDS if name != "title"],
        "registry_rows": _registry_rows(plans.registry_counts(plan.authority),
                                        plan.registry_snapshot),
        "quota_rows": quota_rows, "month_totals": month_totals, "quota_total": quota_total,
        "months": MONTHS, "capacity": cap, "load_bar": min(cap.load_percent, 100),
        "over_cap": plans.over_cap_enterprises(plan),
        "progress": prog, "reviews": reviews, "last_return": returns[-1] if returns else None,
        "campaigns": list(plan.campaigns.all()),
        "campaign_proposed": SpecialCampaign.Status.PROPOSED,
        "can_edit": can_author and editable,
        "can_submit": can_author and editable,
        "can_review": can_approve and plan.status == S.SUBMITTED,
        "can_decide_campaigns": can_approve and plan.status == S.SUBMITTED,
        "can_publish": plan.status == S.APPROVED and (
            plans.may_decide(user, plan, set()) or (can_author and user.pk in authors)),
        "can_amend": can_author and plan.status == S.PUBLISHED and not has_next,
        "next_version": plan.next_version if has_next else None,
        "since_return": (plans.changes_since_return(plan) if plan.status == S.SUBMITTED
                         else None),
    })


STEP_MESSAGES = {
    "submit": _lazy("计划已提交审批。"), "return": _lazy("计划已退回修改。"),
    "approve": _lazy("计划已批准。"), "publish": _lazy("计划已发布。"),
    "amend": _lazy("已生成修订版本草稿，修改后请重新提交审批。"),
}


@login_required
@require_POST
def plan_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_MESSAGES:
        raise Http404
    user: Any = request.user
    plan = _visible_plan(request, pk)
    comment = request.POST.get("comment", "")
    target = plan
    try:
        if step == "submit":
            plans.submit_plan(plan, actor=user, comment=comment)
        elif step == "return":
            plans.return_plan(plan, actor=user, comment=comment)
        elif step == "approve":
            plans.approve_plan(plan, actor=user, comment=comment)
        elif step == "publish":
            plans.publish_plan(plan, actor=user)
        else:
            target = plans.amend_plan(plan, actor=user, reason=request.POST.get("reason", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, STEP_MESSAGES[step])
    return redirect("inspections:plan_detail", pk=target.pk)


@login_required
@require_POST
def plan_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    """The 7 × 12 grid, saved whole with set_quotas (nothing written on any error)."""
    user: Any = request.user
    plan = _visible_plan(request, pk)
    if not plans.may_author(user, plan):
        raise PermissionDenied
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for category, label in PlanCategory.choices:
        for month in MONTHS:
            value = quota_cell(request.POST.get(f"q_{category}_{month}", ""),
                               QUOTA_PLANNED_BOUND)
            if value is None:
                errors.append(_("%(label)s %(month)s月：请输入 0–%(max)s 的整数。")
                              % {"label": label, "month": month,
                                 "max": QUOTA_PLANNED_BOUND.high})
                continue
            rows.append({"category": category, "month": month, "planned": value})
    if errors:
        messages.error(request, "；".join(errors))
        return _to_quotas(plan)
    try:
        plans.set_quotas(plan, rows, actor=user)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已保存检查指标，共 %(n)s 次。")
                         % {"n": sum(int(r["planned"]) for r in rows)})
    return _to_quotas(plan)


def _to_quotas(plan: EnforcementPlan) -> HttpResponseRedirect:
    response = redirect("inspections:plan_detail", pk=plan.pk)
    response["Location"] += "#quotas"
    return response


@login_required
@require_POST
def campaign_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = _visible_plan(request, pk)
    form = CampaignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values()
                                         for e in errors))
        return redirect("inspections:plan_detail", pk=plan.pk)
    data = form.cleaned_data
    try:
        plans.propose_campaign(plan, actor=user, name=data["name"], reason=data["reason"],
                               months=data["months"], planned=data["planned"])
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已提出专项行动，待审批负责人批准。"))
    return redirect("inspections:plan_detail", pk=plan.pk)


@login_required
@require_POST
def campaign_decide(request: HttpRequest, pk: int, cid: int, decision: str) -> HttpResponse:
    steps = {"approve": plans.approve_campaign, "reject": plans.reject_campaign}
    if decision not in steps:
        raise Http404
    user: Any = request.user
    plan = _visible_plan(request, pk)
    campaign = get_object_or_404(plan.campaigns.all(), pk=cid)
    try:
        steps[decision](campaign, actor=user)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已批准专项行动。") if decision == "approve"
                         else _("已不予批准专项行动。"))
    return redirect("inspections:plan_detail", pk=plan.pk)


@login_required
def plan_diff(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user).select_related("previous"), pk=pk)
    previous = plan.previous
    changes = plans.plan_diff(previous, plan) if previous else []
    return render(request, "inspections/plan_diff.html",
                  {"plan": plan, "previous": previous, "changes": changes})
