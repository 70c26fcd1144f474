"""Server-rendered pages for staff: home, jurisdictions, calendar, audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role

from .audit_labels import action_label
from .forms import DeadlineForm, LoginForm
from .inbox import inbox_for


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def relogin_done(request: HttpRequest) -> HttpResponse:
    """Where the login opened from an expired page lands: the page left behind keeps
    its unsaved work and retries it on its own."""
    return render(request, "web/relogin_done.html")


def require_roles(request: HttpRequest, *roles: str) -> None:
    user: Any = request.user
    if not user.has_role(*roles):
        raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    authority = user.authority
    context: dict[str, Any] = {
        "authority": authority,
        "jurisdiction": authority.jurisdiction if authority else None,
        "certificate_valid": user.certificate_valid_on(),
        "today": timezone.localdate(),
        "calendar_warning": False,
        # Sections of the work inbox, filled by the domain apps' registered providers.
        "inbox": inbox_for(user),
        "read_only": user.has_role(Role.AUDITOR),
    }
    if user.has_role(Role.MUNICIPAL_ADMIN):
        from hangzhou_safety.workdays.services import next_year_missing

        context["calendar_warning"] = next_year_missing()
        context["next_year"] = context["today"].year + 1
    return render(request, "web/home.html", context)


@login_required
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    nodes = (Jurisdiction.objects.visible_to(request.user)
             .filter(kind__in=[Jurisdiction.Kind.CITY, Jurisdiction.Kind.DISTRICT,
                               Jurisdiction.Kind.ZONE])
             .select_related("parent").order_by("path"))
    return render(request, "web/jurisdiction_list.html", {"nodes": nodes})


@login_required
def jurisdiction_detail(request: HttpRequest, code: str) -> HttpResponse:
    node = get_object_or_404(Jurisdiction.objects.visible_to(request.user)
                             .select_related("parent"), code=code)
    children = node.children.order_by("code")
    authorities = (Authority.objects.visible_to(request.user)
                   .filter(jurisdiction=node).order_by("code"))
    return render(request, "web/jurisdiction_detail.html",
                  {"node": node, "children": children, "authorities": authorities})


AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail within the user's jurisdiction, newest first, keyset-paginated."""
    require_roles(request, Role.MUNICIPAL_ADMIN, Role.AUDITOR, Role.DISTRICT_APPROVER)
    from hangzhou_safety.audit.models import AuditEvent

    events = AuditEvent.objects.visible_to(request.user).order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action=action)
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(id__lt=int(before))
    page = list(events[: AUDIT_PAGE_SIZE + 1])
    has_more = len(page) > AUDIT_PAGE_SIZE
    page = page[:AUDIT_PAGE_SIZE]
    for event in page:
        event.action_label = action_label(event.action)  # type: ignore[attr-defined]
    return render(request, "web/audit_log.html", {
        "events": page, "action": action,
        "next_before": page[-1].id if has_more and page else None,
    })


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The statutory calendar of a year and a deadline calculator."""
    from hangzhou_safety.workdays import services as workdays
    from hangzhou_safety.workdays.models import CalendarYear, SpecialDay

    today = timezone.localdate()
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() and 1990 < int(year_param) < 2200 \
        else today.year
    form = DeadlineForm(request.GET if "start" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        add = (workdays.add_working_days if form.cleaned_data["kind"] == "working"
               else workdays.add_calendar_days)
        result = add(form.cleaned_data["start"], form.cleaned_data["days"])
    return render(request, "web/calendar.html", {
        "year": year,
        "published": CalendarYear.objects.filter(year=year, published=True).exists(),
        "days": SpecialDay.objects.filter(date__year=year).order_by("date"),
        "form": form, "result": result,
        "years": [year - 1, year, year + 1],
    })
