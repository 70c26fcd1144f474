"""Phone pages of accidents: the list with the report form, the accident with its
clocks, flags, findings and the forms of its next steps, one service each (a refused
step writes nothing and shows its Chinese message). Also the case page's note of the
accident a case came from (registered with cases' page hooks)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from enforcement.cases.models import PartyRole
from enforcement.cases.sections import register_page_section, template_section
from enforcement.cases.services import OFFICER_ROLES
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.web.pagination import keyset_page

from . import levels, services
from .models import PERSON_ROLES, Accident, Grade
from .selectors import accident_detail, accidents_of_case, visible_accidents

A = Accident.Status
PAGE_SIZE = 20
BADGES = {A.CLOSED: "text-bg-success", A.REPORTED: "text-bg-warning"}
ROLE_BY_LABEL = {str(PartyRole(r).label): r for r in PERSON_ROLES}


def _moment(request: HttpRequest, name: str, label: str, *, required: bool) -> Any:
    raw = request.POST.get(name, "").strip()
    moment = parse_datetime(raw) if raw else None
    if (raw and moment is None) or (required and moment is None):
        raise InvalidInput(f"请填写有效的{label}。", f"{name} is invalid or missing.",
                           fields={name: [f"请填写有效的{label}。"]})
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _int(request: HttpRequest, name: str, label: str) -> int:
    raw = request.POST.get(name, "").strip() or "0"
    if not raw.isdigit() or len(raw) > 6:
        raise InvalidInput(f"{label}须为非负整数。", f"{name} must be a non-negative integer.")
    return int(raw)


def _officers(request: HttpRequest) -> list[User]:
    ids = [v for v in (request.POST.get("officer1", ""), request.POST.get("officer2", ""))
           if v.isdigit()]
    team = list(User.objects.visible_to(request.user).filter(pk__in=ids, is_active=True))
    if len(team) != 2 or len(set(ids)) != 2:
        raise InvalidInput("请选择两名承办人。", "Choose two case officers.")
    return team


def _findings(request: HttpRequest) -> list[dict[str, Any]]:
    """Units: one a line, "名称，统一社会信用代码（可空），责任认定"; persons: one a line,
    "单位序号，姓名，身份，责任" (身份 as on the case page: 主要负责人, ...)."""
    units: list[dict[str, Any]] = []
    for line in request.POST.get("units", "").splitlines():
        if line.strip():
            parts = [p.strip() for p in line.replace("，", ",").split(",", 2)]
            parts += [""] * (3 - len(parts))
            units.append({"unit_name": parts[0], "identifier": parts[1],
                          "responsibility": parts[2], "persons": []})
    for line in request.POST.get("persons", "").splitlines():
        if line.strip():
            parts = [p.strip() for p in line.replace("，", ",").split(",", 3)]
            parts += [""] * (4 - len(parts))
            index = int(parts[0]) - 1 if parts[0].isdigit() else -1
            if not 0 <= index < len(units):
                raise InvalidInput("责任人员的单位序号无效。", "A person names no listed unit.")
            units[index]["persons"].append({
                "name": parts[1], "role": ROLE_BY_LABEL.get(parts[2], parts[2]),
                "responsibility": parts[3]})
    return units


STEPS: dict[str, tuple[Any, frozenset[str], Callable[[Accident, Any, HttpRequest], Any]]] = {
    "pass_up": (_("逐级上报"), frozenset({A.REPORTED}),
                lambda a, u, r: services.pass_up(
                    a, actor=u, to=r.POST.get("to", ""),
                    passed_up_at=_moment(r, "passed_up_at", "上报时间", required=False))),
    "flag": (_("标记谎报、瞒报"), frozenset({A.REPORTED, A.PASSED_UP, A.INVESTIGATING,
                                            A.CONCLUDED}),
             lambda a, u, r: services.flag_reporting(a, actor=u, kind=r.POST.get("kind", ""),
                                                     reason=r.POST.get("reason", ""))),
    "reporting_case": (_("就迟报、谎报、瞒报立案"), frozenset(A.values),
                       lambda a, u, r: services.open_reporting_case(
                           a, actor=u, officers=_officers(r))),
    "start_investigation": (_("组织事故调查"), frozenset({A.PASSED_UP}),
                            lambda a, u, r: services.start_investigation(a, actor=u)),
    "conclude": (_("提交事故调查报告（责任认定并立案）"), frozenset({A.INVESTIGATING}),
                 lambda a, u, r: services.conclude_investigation(
                     a, actor=u, report=r.POST.get("report", ""), findings=_findings(r),
                     officers=_officers(r))),
    "close": (_("事故结案"), frozenset({A.CONCLUDED}),
              lambda a, u, r: services.close_accident(a, actor=u,
                                                      note=r.POST.get("note", ""))),
}


def _staff(user: Any) -> list[User]:
    today = timezone.localdate()
    return list(User.objects.visible_to(user).filter(
        authority_id=user.authority_id, is_active=True, role__in=OFFICER_ROLES,
        certificate_valid_until__gte=today).exclude(certificate_number="")
        .order_by("full_name", "username")[:100])


@login_required
@require_GET
def accident_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    rows = visible_accidents(user)
    if status in A.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = keyset_page(request, rows, size=PAGE_SIZE)
    for row in page.rows:
        row.badge = BADGES.get(A(row.status), "text-bg-primary")
    can_report = user.has_role(*OFFICER_ROLES) and user.authority_id is not None
    enterprises = (Enterprise.objects.visible_to(user).order_by("name")[:200]
                   if can_report and page.is_first else [])
    return render(request, "enforcement/accidents/list.html", {
        "accidents": page.rows, "page": page, "status": status, "statuses": A.choices,
        "can_report": can_report, "enterprises": enterprises})


@login_required
@require_POST
def accident_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_role(*OFFICER_ROLES):
        raise PermissionDenied(_("您的角色无权办理事故。"))
    try:
        raw = request.POST.get("enterprise", "")
        enterprise = (Enterprise.objects.visible_to(user).filter(pk=raw).first()
                      if raw.isdigit() and len(raw) < 12 else None)
        if enterprise is None:
            raise InvalidInput("请选择事故发生单位。", "Choose the enterprise.")
        try:
            loss = Decimal(request.POST.get("direct_loss", "").strip() or "0")
        except InvalidOperation as exc:
            raise InvalidInput("直接经济损失格式无效。", "direct_loss is invalid.") from exc
        row = services.register_accident(
            actor=user, enterprise=enterprise,
            occurred_at=_moment(request, "occurred_at", "事故发生时间", required=True),
            place=request.POST.get("place", ""),
            deaths=_int(request, "deaths", "死亡人数"),
            serious_injuries=_int(request, "serious_injuries", "重伤人数"),
            direct_loss=loss,
            reported_by_unit_at=_moment(request, "reported_by_unit_at", "单位报告时间",
                                        required=True),
            received_at=_moment(request, "received_at", "接报时间", required=False),
            summary=request.POST.get("summary", ""))
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(reverse("enforcement:accident_list"))
    messages.success(request, _("已登记事故报告，请在2小时内逐级上报。"))
    return redirect(reverse("enforcement:accident_detail", args=[row.pk]))


@login_required
@require_GET
def accident_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    row = get_object_or_404(accident_detail(user), pk=pk)
    can_act = user.has_role(*OFFICER_ROLES)
    steps = [(name, label) for name, (label, statuses, _call) in STEPS.items()
             if can_act and row.status in statuses
             and (name != "reporting_case" or row.needs_reporting_case)]
    clocks = [c for c in (row.unit_report_clock, row.pass_up_clock) if c is not None]
    return render(request, "enforcement/accidents/detail.html", {
        "accident": row, "steps": steps, "clocks": clocks, "staff": _staff(user),
        "badge": BADGES.get(A(row.status), "text-bg-primary"),
        "investigation_level": levels.LEVEL_LABELS[levels.INVESTIGATION_LEVEL[row.grade]],
        "level_source": levels.SOURCE_19, "person_roles": [str(PartyRole(r).label)
                                                          for r in PERSON_ROLES],
        "grades": Grade.choices})


@login_required
@require_POST
def accident_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    row = get_object_or_404(visible_accidents(request.user), pk=pk)
    entry = STEPS.get(step)
    if entry is None:
        raise PermissionDenied
    if not request.user.has_role(*OFFICER_ROLES):  # type: ignore[union-attr]
        raise PermissionDenied(_("您的角色无权办理事故。"))
    try:
        entry[2](row, request.user, request)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已保存。"))
    return redirect(reverse("enforcement:accident_detail", args=[pk]))


def accident_section(case: Any, user: Any) -> dict[str, Any] | None:
    """On the case page: the accident the case came from, with a link."""
    if case.source != "accident":
        return None
    rows = [a for a in accidents_of_case(case)
            if visible_accidents(user).filter(pk=a.pk).exists()]
    if not rows:
        return None
    return {"template": "enforcement/accidents/case_section.html", "accidents": rows}


def register() -> None:
    register_page_section(template_section(accident_section))
