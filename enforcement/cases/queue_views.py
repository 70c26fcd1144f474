"""Phone pages of the case queues (待审批, 法制审核, 集体讨论议程) and the reminders'
"mark read". The queues come from queues.py, which checks role and jurisdiction
itself (a refusal is a 403 here); each page is keyset-paged, newest first, every row
linking to the case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.web.pagination import keyset_page

from . import queues
from .reminders import mark_read
from .selectors import days_left
from .steps.common import OFFICER_ROLES

PAGE_SIZE = 30


def _queue(request: HttpRequest, read: Any) -> QuerySet[Any]:
    try:
        rows: QuerySet[Any] = read(request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    return rows


def _render(request: HttpRequest, template: str, rows: QuerySet[Any],
            **context: Any) -> HttpResponse:
    page = keyset_page(request, rows, size=PAGE_SIZE)
    return render(request, template, {"cases": page.rows, "page": page, **context})


@login_required
@require_GET
def approval_queue(request: HttpRequest) -> HttpResponse:
    """待审批: filings to approve, investigation reports to review, preserved evidence
    to decide on."""
    page = keyset_page(request, _queue(request, queues.approval_queue), size=PAGE_SIZE)
    for case in page.rows:
        case.awaiting = queues.approval_reason(case)
    return render(request, "enforcement/queue_approvals.html",
                  {"cases": page.rows, "page": page})


@login_required
@require_GET
def legal_review_queue(request: HttpRequest) -> HttpResponse:
    """法制审核: cases this reviewer may review (never one they investigated)."""
    return _render(request, "enforcement/queue_legal_review.html",
                   _queue(request, queues.legal_review_queue))


@login_required
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    """集体讨论议程: with the proposed handling, the date the legal review passed and
    the decision period's last day."""
    page = keyset_page(request, _queue(request, queues.agenda), size=PAGE_SIZE)
    today = timezone.localdate()
    for case in page.rows:
        clock = case.decision_clock
        case.days_left = days_left(clock, today) if clock is not None else None
    return render(request, "enforcement/queue_agenda.html", {"cases": page.rows, "page": page})


@login_required
@require_POST
def reminders_read(request: HttpRequest) -> HttpResponse:
    """Mark one of my reminder notices read (``?reminder=<id>``), or, without an id,
    all of them; another user's notice is never touched."""
    user: Any = request.user
    if not user.has_role(*OFFICER_ROLES):
        raise PermissionDenied(_("您的角色无权办理案件。"))
    raw = request.GET.get("reminder", "") or request.POST.get("reminder", "")
    if not raw:
        mark_read(user)
    elif raw.isdigit() and int(raw) < 2**63:  # a tampered id marks nothing
        mark_read(user, int(raw))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect(reverse("web:home"))
