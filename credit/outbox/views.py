"""The outbox's staff page: deliveries by platform and status, the dead letters with
their retry, and the daily reconciliation reports. For the municipal administrator,
who alone may retry (credit.outbox.services.retry_dead checks it again)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.web.pagination import keyset_page

from . import services
from .models import Delivery, ReconciliationReport

DS = Delivery.Status
REPORTS_SHOWN = 10


def _require_admin(request: HttpRequest) -> None:
    user: Any = request.user
    if not user.has_role(Role.MUNICIPAL_ADMIN):
        raise PermissionDenied(_("只有市级管理员可以查看信用平台推送。"))


def status_counts() -> list[dict[str, Any]]:
    """One row per platform: its deliveries counted by status (one grouped query)."""
    counts: dict[str, dict[str, int]] = {code: dict.fromkeys(DS.values, 0)
                                         for code in settings.CREDIT_PLATFORMS}
    for row in Delivery.objects.values("platform", "status").annotate(n=Count("id")):
        counts.setdefault(row["platform"], dict.fromkeys(DS.values, 0))[row["status"]] = row["n"]
    return [{"platform": code, "name": settings.CREDIT_PLATFORMS.get(code, {}).get("name", code),
             "counts": [(DS(s).label, n, s) for s, n in by_status.items()]}
            for code, by_status in counts.items()]


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    dead = keyset_page(request, Delivery.objects.filter(status=DS.DEAD)
                       .select_related("message"), size=30)
    reports = list(ReconciliationReport.objects.order_by("-run_at", "-id")[:REPORTS_SHOWN])
    return render(request, "credit/outbox.html", {
        "platforms": status_counts(), "dead": dead.rows, "page": dead, "reports": reports})


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    row = get_object_or_404(Delivery, pk=pk)
    try:
        services.retry_dead(row, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已重新排队推送。"))
    return redirect("credit:outbox")
