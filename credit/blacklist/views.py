"""Pages of the blacklist: the staff list and an entry with its next steps, and the
public list (no login)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.boundary.throttling import public_page_limit
from hangzhou_safety.web.pagination import keyset_page

from . import rules, services
from .models import BlacklistEntry
from .selectors import MAX_QUERY, public_entries, visible_entries

B = BlacklistEntry.Status
PAGE_SIZE = 30


@dataclass(frozen=True)
class EntryStep:
    name: str
    label: Any
    statuses: frozenset[str]
    #: The text field's label, or "" for a step without input.
    field: Any
    call: Callable[[BlacklistEntry, Any, str], Any]
    tone: str = "btn-primary"


STEPS: tuple[EntryStep, ...] = (
    EntryStep("notify", _("告知当事人（理由、依据和权利）"), frozenset({B.PROPOSED}), "",
              lambda e, u, t: services.notify(e, actor=u)),
    EntryStep("objection", _("登记陈述申辩、异议"), frozenset({B.NOTIFIED}), _("异议内容"),
              lambda e, u, t: services.record_objection(e, actor=u, text=t),
              "btn-outline-primary"),
    EntryStep("answer", _("答复异议"), frozenset({B.OBJECTION}), _("答复意见"),
              lambda e, u, t: services.answer_objection(e, actor=u, answer=t)),
    EntryStep("decide", _("作出列入决定"), frozenset({B.NOTIFIED, B.OBJECTION}),
              _("列入决定文书号"),
              lambda e, u, t: services.decide(e, actor=u, decision_number=t)),
    EntryStep("publish", _("公示并推送信用平台"), frozenset({B.DECIDED}), "",
              lambda e, u, t: services.publish_entry(e, actor=u)),
    EntryStep("request_removal", _("登记提前移出申请"), frozenset({B.PUBLISHED}),
              _("申请内容（整改情况、信用承诺）"),
              lambda e, u, t: services.request_early_removal(e, actor=u, application=t),
              "btn-outline-primary"),
    EntryStep("approve_removal", _("同意提前移出"), frozenset({B.REMOVAL_REQUESTED}),
              _("理由"), lambda e, u, t: services.approve_removal(e, actor=u, reason=t)),
    EntryStep("refuse_removal", _("不同意提前移出"), frozenset({B.REMOVAL_REQUESTED}),
              _("理由"), lambda e, u, t: services.refuse_removal(e, actor=u, reason=t),
              "btn-outline-danger"),
    EntryStep("revoke_removal", _("撤销提前移出（以欺骗等手段取得）"), frozenset({B.REMOVED}),
              _("理由"), lambda e, u, t: services.revoke_removal(e, actor=u, reason=t),
              "btn-outline-danger"),
    EntryStep("withdraw", _("不予列入"), frozenset({B.PROPOSED, B.NOTIFIED, B.OBJECTION}),
              _("理由"), lambda e, u, t: services.withdraw(e, actor=u, reason=t),
              "btn-outline-danger"),
)
STEPS_BY_NAME = {s.name: s for s in STEPS}


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = visible_entries(user)
    status = request.GET.get("status", "")
    if status in B.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = keyset_page(request, rows, size=PAGE_SIZE)
    return render(request, "credit/blacklist_list.html", {
        "entries": page.rows, "page": page, "status": status, "statuses": B.choices,
        "can_see_outbox": user.has_role(Role.MUNICIPAL_ADMIN)})


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(visible_entries(request.user), pk=pk)
    user: Any = request.user
    can_act = user.has_role(*services.STAFF_ROLES)
    return render(request, "credit/blacklist_detail.html", {
        "entry": entry, "ground": rules.GROUNDS_BY_CODE[entry.ground],
        "steps": [s for s in STEPS if entry.status in s.statuses] if can_act else [],
        "restrictions": list(entry.restrictions.all()),
        "publications": list(entry.publications.all())})


@login_required
@require_POST
def entry_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    entry = get_object_or_404(visible_entries(request.user), pk=pk)
    form = STEPS_BY_NAME.get(step)
    user: Any = request.user
    if form is None or not user.has_role(*services.STAFF_ROLES):
        raise PermissionDenied
    try:
        form.call(entry, user, request.POST.get("text", "").strip())
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已保存。"))
    return redirect("credit:blacklist_detail", pk=pk)


@require_GET
@public_page_limit
def public_list(request: HttpRequest) -> HttpResponse:
    """严重失信主体名单, public: current entries, searchable by name or credit code."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    page = keyset_page(request, public_entries(q), size=PAGE_SIZE)
    rows = [(e, rules.GROUNDS_BY_CODE[e.ground]) for e in page.rows]
    return render(request, "public/blacklist.html", {"rows": rows, "page": page, "q": q})
