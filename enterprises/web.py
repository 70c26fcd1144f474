"""Server-rendered registry pages (phone first): list, detail with tabs, create/edit,
and the hazard-source filing buttons.

Every queryset goes through visible_to(user): an id outside the user's jurisdiction
is a 404, a missing role a 403. Writes go through enterprises.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.web.views import require_roles

from . import services
from .codes import mask_id_number
from .filters import EnterpriseFilter
from .forms import EnterpriseFilterForm, EnterpriseForm
from .models import (
    EnclaveAgreement,
    Enterprise,
    InsurancePolicy,
    LevelAssignment,
    MajorHazardSource,
    OccupationalHazard,
    SpecialOperation,
    SupervisionChange,
)
from .rows import card_rows

PAGE_SIZE = 50
EDIT_ROLES = (Role.MUNICIPAL_ADMIN, Role.DISTRICT_APPROVER, Role.SECTION_CHIEF,
              Role.INSPECTOR)
FILING_ROLES = (Role.MUNICIPAL_ADMIN, Role.DISTRICT_APPROVER, Role.SECTION_CHIEF)
TABS = ["basic", "supervision", "hazards", "insurance", "risk", "inspections", "cases",
        "credit"]




def _query_without(request: HttpRequest, *drop: str) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """Filtered registry, newest first, keyset-paginated (?after=<id>; no COUNT(*))."""
    user: Any = request.user
    form = EnterpriseFilterForm(request.GET or None, user=user)
    base = Enterprise.objects.visible_to(user)
    filterset = EnterpriseFilter(request.GET, queryset=base, request=request)
    filter_errors = []
    if filterset.is_valid():
        qs = filterset.qs
    else:
        # A tampered or stale query string: say so in Chinese, show nothing guessed.
        qs = base.none()
        # A too-short search term is the user's own typing: say what to do; any other
        # invalid value is a tampered or stale link.
        filter_errors = ([str(m) for m in filterset.errors["search"]]
                         if "search" in filterset.errors
                         else [_("筛选条件无效，请重新选择。")])
    after = request.GET.get("after", "")
    if after.isdigit():
        qs = qs.filter(id__lt=int(after))
    rows = card_rows(qs.order_by("-id"), PAGE_SIZE + 1)
    has_more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    query = _query_without(request, "after")
    context = {
        "form": form, "enterprises": rows, "filter_errors": filter_errors,
        # Reversed once, not once per row.
        "detail_prefix": reverse("enterprises:detail", args=[0]).removesuffix("0/"),
        "query": query, "is_next_page": after.isdigit(),
        "next_after": rows[-1].pk if has_more and rows else None,
        "can_create": user.has_role(*EDIT_ROLES),
        "can_report": user.has_role(*REPORT_ROLES),
    }
    template = ("enterprises/partials/results.html" if request.headers.get("HX-Request")
                else "enterprises/list.html")
    return render(request, template, context)


def _visible_enterprise(request: HttpRequest, pk: int) -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.visible_to(request.user).select_related(
            "location__parent", "registration_jurisdiction__parent", "industry",
            "supervising_authority"),
        pk=pk)


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    enterprise = _visible_enterprise(request, pk)
    today = timezone.localdate()
    policies = list(InsurancePolicy.objects.filter(enterprise=enterprise)
                    .order_by("kind", "-end_date"))
    for policy in policies:
        policy.is_valid = policy.start_date <= today <= policy.end_date  # type: ignore[attr-defined]
    has_valid_liability = any(
        p.is_valid for p in policies  # type: ignore[attr-defined]
        if p.kind == InsurancePolicy.Kind.SAFETY_LIABILITY)
    agreements = list(EnclaveAgreement.objects.filter(enterprises=enterprise)
                      .select_related("location_district", "supervising_district",
                                      "supervising_authority").order_by("-valid_from"))
    for agreement in agreements:
        agreement.is_valid = agreement.valid_on(today)  # type: ignore[attr-defined]
    assignments = list(LevelAssignment.objects.filter(enterprise=enterprise)
                       .select_related("authority").order_by("-valid_from"))
    for assignment in assignments:
        assignment.is_valid = assignment.valid_on(today)  # type: ignore[attr-defined]
    tab = request.GET.get("tab", "basic")
    context = {
        "enterprise": enterprise,
        "tab": tab if tab in TABS else "basic",
        "masked_id_number": (mask_id_number(enterprise.operator_id_number)
                             if enterprise.operator_id_number else ""),
        "special_operation_labels": [
            SpecialOperation(op).label for op in enterprise.special_operations
            if op in SpecialOperation.values],
        "hazard_factor_labels": [
            OccupationalHazard(h).label for h in enterprise.occupational_hazards
            if h in OccupationalHazard.values],
        "duty_departments": list(enterprise.duty_departments.order_by("code")),
        "changes": list(SupervisionChange.objects.filter(enterprise=enterprise)
                        .select_related("old_authority", "new_authority")[:10]),
        "agreements": agreements,
        "assignments": assignments,
        "hazard_sources": list(MajorHazardSource.objects.filter(enterprise=enterprise)
                               .select_related("filing_authority").order_by("level", "id")),
        "policies": policies,
        "liability_warning": enterprise.is_high_risk and not has_valid_liability,
        "can_file": user.has_role(*FILING_ROLES),
        "can_edit": user.has_role(*EDIT_ROLES),
        "Status": MajorHazardSource.Status,
    }
    return render(request, "enterprises/detail.html", context)


def _apply_service_errors(form: EnterpriseForm, exc: DomainError) -> None:
    """Map a service's InvalidInput.fields back onto the form's fields."""
    placed = False
    for field, errors in (exc.fields or {}).items():
        for message in errors:
            if field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, *EDIT_ROLES)
    user: Any = request.user
    form = EnterpriseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.create_enterprise(form.service_data(), actor=user)
        except DomainError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记生产经营单位“%(name)s”。") % {
                "name": enterprise.name})
            return redirect("enterprises:detail", pk=enterprise.pk)
    form.mark_invalid_fields()
    return render(request, "enterprises/form.html", {"form": form, "enterprise": None})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *EDIT_ROLES)
    user: Any = request.user
    enterprise = _visible_enterprise(request, pk)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enterprise(enterprise, form.service_data(), actor=user,
                                       reason=form.cleaned_data.get("change_reason", ""))
        except DomainError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    form.mark_invalid_fields()
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})


def _hazard_redirect(enterprise: Enterprise) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("enterprises:detail", args=[enterprise.pk]) + "?tab=hazards")


@login_required
@require_POST
def hazard_source_file(request: HttpRequest, pk: int, source_id: int) -> HttpResponse:
    require_roles(request, *FILING_ROLES)
    enterprise = _visible_enterprise(request, pk)
    source = get_object_or_404(MajorHazardSource.objects.visible_to(request.user),
                               pk=source_id, enterprise=enterprise)
    try:
        services.file_hazard_source(source, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("重大危险源“%(name)s”已备案。") % {"name": source.name})
    return _hazard_redirect(enterprise)


@login_required
@require_POST
def hazard_source_cancel(request: HttpRequest, pk: int, source_id: int) -> HttpResponse:
    require_roles(request, *FILING_ROLES)
    enterprise = _visible_enterprise(request, pk)
    source = get_object_or_404(MajorHazardSource.objects.visible_to(request.user),
                               pk=source_id, enterprise=enterprise)
    reason = request.POST.get("reason", "")
    try:
        services.cancel_hazard_source(source, actor=request.user, reason=reason)
    except InvalidInput as exc:
        messages.error(request, "；".join(
            m for msgs in exc.fields.values() for m in msgs) or exc.detail)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("重大危险源“%(name)s”已核销备案。") % {"name": source.name})
    return _hazard_redirect(enterprise)



REPORT_ROLES = (Role.MUNICIPAL_ADMIN, Role.DISTRICT_APPROVER, Role.SECTION_CHIEF,
                Role.AUDITOR)
REPORT_LIMIT = 200


@login_required
def registry_reports(request: HttpRequest) -> HttpResponse:
    """The registry's two warning lists: supervision problems (there must be none) and
    high-risk enterprises without a valid safety liability insurance policy."""
    require_roles(request, *REPORT_ROLES)
    visible = Enterprise.objects.visible_to(request.user)
    problems = {p["enterprise"].pk: p["problem"] for p in services.supervision_problems()}
    problem_rows = [
        {"enterprise": e, "problem": problems[e.pk]}
        for e in visible.filter(pk__in=list(problems)).select_related("location__parent")
        .order_by("id")
    ]
    uninsured = EnterpriseFilter({"insurance_missing": "true"}, queryset=visible).qs
    uninsured_rows = list(uninsured.select_related("location__parent",
                                                   "supervising_authority")
                          .order_by("-id")[:REPORT_LIMIT + 1])
    return render(request, "enterprises/reports.html", {
        "problems": problem_rows,
        "uninsured": uninsured_rows[:REPORT_LIMIT],
        "uninsured_more": len(uninsured_rows) > REPORT_LIMIT,
        "limit": REPORT_LIMIT,
    })
