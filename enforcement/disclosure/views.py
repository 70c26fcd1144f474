"""Phone pages of disclosures: the list (keyset, by status) and the review page, with
the original and the public version side by side and what was masked highlighted;
each button posts one step, which calls one service (a refusal shows its message)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from enforcement.cases.steps.common import OFFICER_ROLES
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.web.pagination import keyset_page

from . import services
from .models import Disclosure, HoldBackReason, Severity
from .selectors import visible_disclosures

PAGE_SIZE = 20
DS = Disclosure.Status
BADGES = {DS.PUBLISHED: "text-bg-success", DS.IN_REVIEW: "text-bg-primary",
          DS.PENDING: "text-bg-warning", DS.HELD_BACK: "text-bg-secondary",
          DS.WITHDRAWN: "text-bg-secondary", DS.EXPIRED: "text-bg-light border"}


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


Step = tuple[Any, frozenset[str], Callable[[Disclosure, Any, Any], Any]]
#: The step buttons of the review page: name → (label, statuses offered, call).
DISCLOSURE_STEPS: dict[str, Step] = {
    "submit": (_("提交脱敏审核"), frozenset({DS.PENDING}),
               lambda d, u, p: services.submit_for_review(
                   d, actor=u, names=_lines(p.get("names", "")),
                   phrases=_lines(p.get("phrases", "")))),
    "approve": (_("审核通过"), frozenset({DS.IN_REVIEW}),
                lambda d, u, p: services.approve_redaction(
                    d, actor=u, severity=p.get("severity", ""),
                    months=int(p["months"]) if p.get("months", "").isdigit() else None,
                    names=_lines(p.get("names", "")), phrases=_lines(p.get("phrases", "")))),
    "send_back": (_("退回修改"), frozenset({DS.IN_REVIEW}),
                  lambda d, u, p: services.send_back(d, actor=u, reason=p.get("reason", ""))),
    "publish": (_("公开"), frozenset({DS.IN_REVIEW}),
                lambda d, u, p: services.publish(d, actor=u)),
    "hold_back": (_("不予公开"), frozenset({DS.PENDING, DS.IN_REVIEW}),
                  lambda d, u, p: services.hold_back(d, actor=u, reason=p.get("reason", ""),
                                                     note=p.get("note", ""))),
    "withdraw": (_("撤回公开"), frozenset({DS.PUBLISHED}),
                 lambda d, u, p: services.withdraw(d, actor=u, reason=p.get("reason", ""))),
    "republish": (_("重新公开（决定变更）"), frozenset({DS.WITHDRAWN}),
                  lambda d, u, p: services.republish(d, actor=u)),
    "credit_repair": (_("信用修复，提前结束公示"), frozenset({DS.PUBLISHED}),
                      lambda d, u, p: services.end_by_credit_repair(
                          d, actor=u, reason=p.get("reason", ""))),
}


def _segments(text: str, masks: list[dict[str, Any]], start: str,
              end: str) -> list[tuple[str, str]]:
    """``text`` cut into (piece, kind) with kind "" for the unmasked pieces."""
    out: list[tuple[str, str]] = []
    cursor = 0
    for mask in sorted(masks, key=lambda m: int(m.get(start, 0))):
        a, b = int(mask.get(start, 0)), int(mask.get(end, 0))
        if a < cursor or b > len(text) or a >= b:
            continue
        if a > cursor:
            out.append((text[cursor:a], ""))
        out.append((text[a:b], str(mask.get("kind", ""))))
        cursor = b
    if cursor < len(text):
        out.append((text[cursor:], ""))
    return out


@login_required
@require_GET
def disclosure_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = visible_disclosures(request.user)
    if status in DS.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = keyset_page(request, rows, size=PAGE_SIZE)
    for row in page.rows:
        row.badge = BADGES.get(DS(row.status), "text-bg-primary")
    return render(request, "enforcement/disclosure_list.html", {
        "disclosures": page.rows, "page": page, "status": status, "statuses": DS.choices})


@login_required
@require_GET
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(visible_disclosures(request.user).prefetch_related("objections"),
                            pk=pk)
    steps = [(name, label) for name, (label, statuses, _call) in DISCLOSURE_STEPS.items()
             if row.status in statuses]
    return render(request, "enforcement/disclosure_detail.html", {
        "d": row, "badge": BADGES.get(DS(row.status), "text-bg-primary"), "steps": steps,
        "original": _segments(row.original_text, row.masks, "start", "end"),
        "public": _segments(row.public_text, row.masks, "public_start", "public_end"),
        "severities": Severity.choices, "hold_back_reasons": HoldBackReason.choices,
        "objections": list(row.objections.all())})


@login_required
@require_POST
def disclosure_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    row = get_object_or_404(visible_disclosures(request.user), pk=pk)
    entry = DISCLOSURE_STEPS.get(step)
    if entry is None or not request.user.has_role(*OFFICER_ROLES):  # type: ignore[union-attr]
        raise PermissionDenied(_("您的角色无权办理信息公开。"))
    try:
        entry[2](row, request.user, request.POST)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已保存。"))
    return redirect(reverse("enforcement:disclosure_detail", args=[pk]))
