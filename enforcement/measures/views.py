"""The "强制措施" section of the case page and its step forms (phone pages).

The section is registered with the case page's hook (enforcement.cases.sections) and
rendered from one partial template; each form posts to one step, which calls one
service (atomic: a refused step writes nothing and its Chinese message is shown). A
case or measure outside the user's jurisdiction is a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enforcement.cases.changes import ANNULLING, ChangeOutcome, ChangeSource
from enforcement.cases.models import Case
from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.web.steps import step_and_return

from . import change_steps, services
from .changes import MeasureChange
from .models import (
    MANUAL_LIFT_REASONS,
    SUPPLY_KINDS,
    CompulsoryMeasure,
    Disposal,
    LiftReason,
    MeasureItem,
    MeasureKind,
)
from .selectors import measures_of, time_left, visible_measures

MS = CompulsoryMeasure.Status

#: Page steps: (label, statuses in which the form is offered).
STEPS: dict[str, tuple[Any, frozenset[str]]] = {
    "approve": (_("批准实施"), frozenset({MS.PROPOSED})),
    "refuse": (_("不予批准"), frozenset({MS.PROPOSED})),
    "execute": (_("实施并制作现场笔录"), frozenset({MS.APPROVED})),
    "report": (_("向负责人报告"), frozenset({MS.EMERGENCY})),
    "confirm": (_("补办批准"), frozenset({MS.REPORTED})),
    "disapprove": (_("不予补批"), frozenset({MS.REPORTED})),
    "extend": (_("延长查封、扣押期限"), frozenset({MS.EXECUTED})),
    "party_refused": (_("记录拒不执行"), frozenset({MS.EXECUTED})),
    "lift": (_("解除措施"), frozenset({MS.EXECUTED, MS.NOT_APPROVED})),
    # The measure's decision changed (行政复议 / 行政诉讼 outcome, 自行纠正): recorded by
    # the legal reviewer, approved by the head (change_steps checks who).
    "change": (_("记录复议、诉讼结果或自行纠正"), frozenset({MS.EXECUTED, MS.LIFTED})),
    "approve_change": (_("批准变更"), frozenset({MS.EXECUTED, MS.LIFTED})),
    "reject_change": (_("不予批准变更"), frozenset({MS.EXECUTED, MS.LIFTED})),
}
#: The steps offered only while a recorded change waits for the head.
CHANGE_APPROVAL_STEPS = frozenset({"approve_change", "reject_change"})


def _moment(raw: str, field: str) -> Any:
    if not raw:
        return None
    moment = parse_datetime(raw)
    if moment is None:
        raise InvalidInput("时间格式无效。", f"{field} is invalid.",
                           fields={field: ["时间格式无效。"]})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _date(raw: str, field: str) -> datetime.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        day = parse_date(raw) if len(raw) == 10 else None
    except ValueError:  # well formed but no such day (2026-13-01)
        day = None
    if day is None:
        raise InvalidInput("日期格式无效。", f"{field} is invalid.",
                           fields={field: ["日期格式无效。"]})
    return day


def _user(request: HttpRequest, raw: str) -> User:
    found = (User.objects.visible_to(request.user).filter(pk=raw, is_active=True).first()
             if raw.isdigit() else None)
    if found is None:
        raise InvalidInput("请选择第二名执法人员。", "Choose the second officer.",
                           fields={"officer2": ["请选择第二名执法人员。"]})
    return found


def _items(raw: str) -> list[dict[str, str]]:
    rows = []
    for line in raw.splitlines():
        if line.strip():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            rows.append({"description": parts[0], "quantity": parts[1] if len(parts) > 1 else "",
                         "kept_at": parts[2] if len(parts) > 2 else ""})
    return rows


def _steps(measure: CompulsoryMeasure) -> list[tuple[str, Any]]:
    from .models import SEIZURE_KINDS, SUSPENSION_KINDS

    changes = list(measure.changes.all())
    open_change = any(c.status == MeasureChange.Status.PROPOSED for c in changes)
    annulled = any(c.status == MeasureChange.Status.APPLIED and c.outcome in ANNULLING
                   for c in changes)
    out = []
    for name, (label, statuses) in STEPS.items():
        if measure.status not in statuses:
            continue
        if name in CHANGE_APPROVAL_STEPS and not open_change:
            continue
        if name == "change" and (open_change or annulled or not measure.decision_document_id
                                 or measure.lift_reason == LiftReason.NOT_APPROVED):
            continue
        if name == "extend" and (measure.kind not in SEIZURE_KINDS or measure.extension_days):
            continue
        if name == "party_refused" and (measure.kind not in SUSPENSION_KINDS
                                        or measure.party_refused_at):
            continue
        out.append((name, label))
    return out


def measure_section(request: HttpRequest, case: Case) -> str:
    """The case page's "强制措施" section."""
    now = timezone.now()
    listed = list(measures_of(case))
    rows = [{"m": m, "clock": time_left(m, now), "steps": _steps(m)} for m in listed]
    staff = (User.objects.visible_to(request.user).filter(authority_id=case.authority_id,
                                                          is_active=True).order_by("full_name")[:100])
    return render_to_string("enforcement/partials/measures.html", {
        "case": case, "rows": rows, "kinds": MeasureKind.choices, "staff": staff,
        "lift_reasons": MANUAL_LIFT_REASONS,
        "change_sources": ChangeSource.choices, "change_outcomes": ChangeOutcome.choices,
        "disposals": Disposal.choices,
        # 情况紧急 may execute first, except a power or explosives cut (安全生产法 第七十条).
        "emergency_kinds": [(v, label) for v, label in MeasureKind.choices
                            if v not in SUPPLY_KINDS],
        "suspensions": [m for m in listed if m.party_refused_at and m.status == MS.EXECUTED],
        "csrf_token": get_token(request)}, request=request)


def _run(request: HttpRequest, pk: int, action: Callable[[], Any]) -> HttpResponse:
    return step_and_return(request, action, roles=services.OFFICER_ROLES,
                           to=reverse("enforcement:case_detail", args=[pk]) + "#measures-h",
                           denied=_("您的角色无权办理案件。"))


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    post = request.POST

    def act() -> Any:
        raw = post.get("prerequisite", "").strip()
        before = (case.measures.filter(pk=raw).first() if raw.isdigit() else None)
        return services.propose_measure(
            case, actor=request.user, kind=post.get("kind", ""), reason=post.get("reason", ""),
            place=post.get("place", ""), emergency=post.get("emergency") == "on",
            items=_items(post.get("items", "")), prerequisite=before,
            danger=post.get("danger", ""), supplier_name=post.get("supplier_name", ""))

    return _run(request, pk, act)


@login_required
@require_POST
def measure_step(request: HttpRequest, pk: int, measure_id: int, step: str) -> HttpResponse:
    measure = get_object_or_404(visible_measures(request.user), pk=measure_id, case_id=pk)
    if step not in STEPS:
        raise PermissionDenied
    post = request.POST
    user: Any = request.user

    def act() -> Any:
        text = post.get("text", "")
        if step == "approve":
            return services.approve_measure(measure, actor=user, opinion=text)
        if step == "refuse":
            return services.refuse_measure(measure, actor=user, reason=text)
        if step == "execute":
            return services.execute_measure(
                measure, actor=user, officers=[user, _user(request, post.get("officer2", ""))],
                onsite_record=post.get("onsite_record", ""),
                party_present=post.get("party_absent") != "on",
                party_signed=post.get("party_signed") == "on",
                refusal_note=post.get("refusal_note", ""), witness=post.get("witness", ""),
                supplier_notified_at=_moment(post.get("supplier_notified_at", ""),
                                             "supplier_notified_at"),
                party_notified_at=_moment(post.get("party_notified_at", ""),
                                          "party_notified_at"))
        if step == "report":
            return services.report_emergency(measure, actor=user, report=text)
        if step == "confirm":
            return services.confirm_emergency(measure, actor=user, opinion=text)
        if step == "disapprove":
            return services.disapprove_emergency(measure, actor=user, reason=text)
        if step == "extend":
            raw = post.get("days", "").strip()
            if not raw.isdigit():
                raise InvalidInput("请填写延长天数。", "days is required.",
                                   fields={"days": ["请填写延长天数。"]})
            return services.extend_measure(measure, actor=user, days=int(raw), reason=text)
        if step == "party_refused":
            return services.record_party_refusal(measure, actor=user, note=text)
        if step == "change":
            return change_steps.record_measure_change(
                measure, actor=user, source=post.get("source", ""),
                outcome=post.get("outcome", ""), reason=text,
                ruled_on=_date(post.get("ruled_on", ""), "ruled_on"),
                body=post.get("body", ""), ruling_number=post.get("ruling_number", ""),
                legal_basis=post.get("legal_basis", ""),
                measure_reason=post.get("measure_reason", ""), place=post.get("place", ""))
        if step == "approve_change":
            return change_steps.approve_measure_change(measure, actor=user, opinion=text)
        if step == "reject_change":
            return change_steps.reject_measure_change(measure, actor=user, reason=text)
        return services.lift_measure(measure, actor=user, reason=post.get("reason", ""),
                                     note=text)

    return _run(request, pk, act)


@login_required
@require_POST
def emergency(request: HttpRequest, pk: int) -> HttpResponse:
    """情况紧急: executed on the spot, reported to the head within 24 hours after."""
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    post = request.POST
    user: Any = request.user

    def act() -> Any:
        return services.execute_emergency(
            case, actor=user, kind=post.get("kind", ""), reason=post.get("reason", ""),
            place=post.get("place", ""), officers=[user, _user(request, post.get("officer2", ""))],
            onsite_record=post.get("onsite_record", ""), items=_items(post.get("items", "")),
            party_present=post.get("party_absent") != "on",
            party_signed=post.get("party_signed") == "on",
            refusal_note=post.get("refusal_note", ""), witness=post.get("witness", ""))

    return _run(request, pk, act)


@login_required
@require_POST
def dispose(request: HttpRequest, pk: int, measure_id: int, item_pk: int) -> HttpResponse:
    """The handling of one sealed or seized item (行政强制法 第二十七条)."""
    measure = get_object_or_404(visible_measures(request.user), pk=measure_id, case_id=pk)
    item = get_object_or_404(MeasureItem, pk=item_pk, measure=measure)
    return _run(request, pk, lambda: services.dispose_item(
        item, actor=request.user, disposal=request.POST.get("disposal", ""),
        note=request.POST.get("note", "")))
