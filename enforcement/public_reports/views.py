"""Pages of 12350 reports.

Public (no login, throttled per client, phone-first): the form ``/public/reports/new/``
(``/public/report/`` as API.md names it redirects there) and the progress page
``/public/reports/track/``. Staff: the list, the detail with its steps, and the
reporter's identity (authorised roles only, each view audited).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.cases.steps.common import OFFICER_ROLES
from hangzhou_safety.accounts.models import Jurisdiction
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.boundary.responses import error_response
from hangzhou_safety.boundary.throttling import PublicReportRateThrottle, public_page_limit
from hangzhou_safety.web.pagination import keyset_page
from inspections.evidence.services import evidence_path

from . import challenge, services
from .models import PublicReport, ReportCategory, ReportPhoto, ReportTopic, RewardBasis
from .reward import ACCIDENT_GRADES

S = PublicReport.Status
PAGE_SIZE = 30
BADGES = {S.RECEIVED: "text-bg-warning", S.ACCEPTED: "text-bg-primary",
          S.VERIFYING: "text-bg-info", S.VERIFIED: "text-bg-info",
          S.FED_BACK: "text-bg-success", S.CLOSED: "text-bg-secondary",
          S.REJECTED: "text-bg-secondary", S.FORWARDED: "text-bg-secondary"}
GRADE_LABELS = {"ordinary": "一般事故", "larger": "较大事故", "major": "重大事故",
                "especially_major": "特别重大事故"}
FORM_FIELDS = ("category", "topic", "place", "address", "enterprise", "enterprise_name",
               "description", "name", "phone", "id_number")


def _places() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).order_by("code"))


# --- Public ------------------------------------------------------------------------------

def _form_context(values: dict[str, Any], error: str = "",
                  fields: dict[str, Any] | None = None) -> dict[str, Any]:
    issued = challenge.issue()
    return {"values": values, "error": error, "fields": fields or {},
            "categories": ReportCategory.choices, "topics": ReportTopic.choices,
            "places": _places(), "question": issued.question, "token": issued.token,
            "max_photos": services.MAX_PHOTOS}


@require_http_methods(["GET", "POST"])
@public_page_limit
def public_report_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "public/report_form.html",
                      _form_context({"anonymous": True, "topic": ReportTopic.SAFETY}))
    values: dict[str, Any] = {k: request.POST.get(k, "").strip() for k in FORM_FIELDS}
    values["anonymous"] = request.POST.get("anonymous", "1") != "0"
    if not PublicReportRateThrottle().allow_request(request, None):  # type: ignore[arg-type]
        response = error_response(request, 429, "throttled", "提交过于频繁，请稍后再试。",
                                  "Too many submissions; try again later.",
                                  template="error.html")
        response["Retry-After"] = "3600"
        return response
    try:
        done = services.submit_report(
            category=values["category"], topic=values["topic"], place_code=values["place"],
            address=values["address"], enterprise_name=values["enterprise_name"],
            enterprise_id=values["enterprise"] or None,
            description=values["description"], anonymous=values["anonymous"],
            name=values["name"], phone=values["phone"], id_number=values["id_number"],
            photos=request.FILES.getlist("photos"),
            challenge_token=request.POST.get("challenge_token", ""),
            challenge_answer=request.POST.get("challenge_answer", ""))
    except DomainError as exc:
        return render(request, "public/report_form.html",
                      _form_context(values, exc.detail, getattr(exc, "fields", None)),
                      status=400)
    return render(request, "public/report_done.html", {
        "report": done.report, "code": done.query_code, "deadline": done.deadline})


@require_GET
def public_report_alias(request: HttpRequest) -> HttpResponse:
    """API.md names the page /public/report/."""
    return redirect("enforcement:public_report_form")


@require_http_methods(["GET", "POST"])
@public_page_limit
def public_report_track(request: HttpRequest) -> HttpResponse:
    """The tracking number and query code are posted (never put in a URL or a log)."""
    if request.method == "GET":
        return render(request, "public/report_track.html",
                      {"number": request.GET.get("number", "")[:20]})
    number = request.POST.get("number", "").strip()[:20]
    report = services.find_for_reporter(number, request.POST.get("code", ""))
    if report is None:
        return render(request, "public/report_track.html",
                      {"number": number, "not_found": True}, status=404)
    return render(request, "public/report_track.html",
                  {"number": number, "progress": services.progress(report)})


# --- Staff -------------------------------------------------------------------------------

def _visible(user: Any) -> Any:
    return PublicReport.objects.visible_to(user)


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = _visible(request.user).select_related("authority", "place")
    if status in S.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = keyset_page(request, rows, size=PAGE_SIZE)
    for row in page.rows:
        row.badge = BADGES.get(S(row.status), "text-bg-primary")
    return render(request, "enforcement/report_list.html", {
        "reports": page.rows, "page": page, "status": status, "statuses": S.choices})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        _visible(request.user).select_related(
            "authority", "place", "forwarded_to", "enterprise", "inspection", "case",
            "handling_clock", "feedback_clock", "same_matter_as"), pk=pk)
    user: Any = request.user
    reward = getattr(report, "reward", None) if hasattr(report, "reward") else None
    forward_to = services.route(report.place, report.category, report.topic).forward_to
    return render(request, "enforcement/report_detail.html", {
        "report": report, "badge": BADGES.get(S(report.status), ""),
        "replies": report.replies.select_related("author").order_by("at", "id"),
        "photos": report.photos.order_by("pk"),
        "duplicates": report.duplicates.order_by("pk"),
        "can_view_identity": services.can_view_identity(user, report),
        "can_act": user.has_role(*OFFICER_ROLES),
        "forward_to": forward_to, "reward": reward,
        "first_named": services.first_named_reporter(report),
        "bases": RewardBasis.choices, "findings": PublicReport.Finding.choices[1:],
        "grades": [(g, GRADE_LABELS.get(g, g)) for g in ACCIDENT_GRADES],
    })


@login_required
@require_GET
def report_identity(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_visible(request.user).select_related("authority__jurisdiction"),
                               pk=pk)
    if not services.can_view_identity(request.user, report):
        raise PermissionDenied(_("您的角色无权查看举报人信息。"))
    identity = services.view_identity(report, actor=request.user)
    return render(request, "enforcement/report_identity.html",
                  {"report": report, "identity": identity})


@login_required
@require_GET
def report_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponseBase:
    report = get_object_or_404(_visible(request.user), pk=pk)
    photo = get_object_or_404(ReportPhoto, report=report, pk=photo_id)
    if not photo.preview_path:
        raise Http404
    try:
        handle = evidence_path(photo.preview_path).open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type="image/jpeg")


def _post(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").strip()


def _reward_step(report: PublicReport, fn: Callable[[Any], Any]) -> Any:
    reward = getattr(report, "reward", None) if hasattr(report, "reward") else None
    if reward is None:
        raise DomainError("尚未核算奖励。", "No reward computed yet.",
                          code="illegal_transition")
    return fn(reward)


StepFn = Callable[[PublicReport, Any, HttpRequest], Any]
STEPS: dict[str, StepFn] = {
    "accept": lambda r, u, q: services.accept(r, actor=u, note=_post(q, "note")),
    "reject": lambda r, u, q: services.reject(r, actor=u, reason=_post(q, "reason")),
    "forward": lambda r, u, q: services.forward(r, actor=u, reason=_post(q, "reason")),
    "start-verification": lambda r, u, q: services.start_verification(
        r, actor=u, inspection=_post(q, "inspection")),
    "verify": lambda r, u, q: services.verify(
        r, actor=u, finding=_post(q, "finding"), result=_post(q, "result"),
        inspection=_post(q, "inspection"), case=_post(q, "case")),
    "feedback": lambda r, u, q: services.feed_back(r, actor=u, text=_post(q, "text")),
    "close": lambda r, u, q: services.close(r, actor=u),
    "extend": lambda r, u, q: services.extend(r, actor=u, reason=_post(q, "reason")),
    "note": lambda r, u, q: services.add_note(r, actor=u, text=_post(q, "text")),
    "same-matter": lambda r, u, q: services.link_same_matter(
        r, actor=u, earlier=_post(q, "earlier")),
    "reward-compute": lambda r, u, q: services.compute_reward(
        r, actor=u, basis=_post(q, "basis"), deaths=_post(q, "deaths") or None,
        grade=_post(q, "grade")),
    "reward-approve": lambda r, u, q: _reward_step(
        r, lambda w: services.decide_reward(w, actor=u, approve=True)),
    "reward-refuse": lambda r, u, q: _reward_step(
        r, lambda w: services.decide_reward(w, actor=u, approve=False,
                                            reason=_post(q, "reason"))),
    "reward-pay": lambda r, u, q: _reward_step(
        r, lambda w: services.pay_reward(w, actor=u, reference=_post(q, "reference"))),
}


@login_required
@require_POST
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    report = get_object_or_404(_visible(request.user), pk=pk)
    fn = STEPS.get(step)
    if fn is None:
        raise Http404
    if not request.user.has_role(*OFFICER_ROLES):  # type: ignore[union-attr]
        raise PermissionDenied(_("您的角色无权办理举报。"))
    try:
        fn(report, request.user, request)
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.detail) from exc
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已保存。"))
    return redirect(reverse("enforcement:report_detail", args=[pk]))
