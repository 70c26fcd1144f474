"""Pages of the public portal (no login, throttled per client, phone-first).

- ``/public/`` home: search, the inspection verification code, the latest decisions,
  the blacklist and 12350;
- ``/public/decisions/`` search (keyset pages, ``?before=<id>``), ``/public/decisions/<id>/``
  the masked public version with its PDF and the error-report form ("此记录有误");
- ``/public/decisions/export.csv`` / ``export.json`` the open data (docs/open-data.md).

A decision that is not published is a 404. One that was published and is withdrawn
or expired keeps its URL with a notice saying so (still 404, nothing of its content):
a citizen following an old link learns the record was taken down, not that the link
is broken.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from enforcement.disclosure.rules import DecisionType
from enforcement.public_reports import challenge
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.boundary.responses import error_response
from hangzhou_safety.boundary.throttling import PublicReportRateThrottle, public_page_limit
from hangzhou_safety.web.pagination import keyset_page

from . import export, pdf, selectors

PAGE_SIZE = 20


def _filter_context(filters: selectors.DecisionFilters) -> dict[str, Any]:
    return {"filters": filters, "districts": selectors.districts(),
            "decision_types": DecisionType.choices,
            "district_names": dict(selectors.districts())}


@require_GET
@public_page_limit
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {
        "latest": selectors.latest(5), "district_names": dict(selectors.districts())})


@require_GET
@public_page_limit
def verify_code(request: HttpRequest) -> HttpResponse:
    """The home page's verification box: to the inspection's verification page."""
    code = "".join(request.GET.get("code", "").split())[:40]
    if not code:
        return redirect("enforcement:public_home")
    try:
        return redirect(reverse("inspections:public_verify", args=[code]))
    except NoReverseMatch:  # characters no code has ("/" …)
        return redirect(reverse("inspections:public_verify", args=["-"]))


@require_GET
@public_page_limit
def decision_list(request: HttpRequest) -> HttpResponse:
    try:
        filters = selectors.parse_filters(request.GET)
    except DomainError as exc:
        context = _filter_context(selectors.DecisionFilters(
            q=request.GET.get("q", "")[:selectors.MAX_TERM]))
        context.update({"error": exc.detail, "page": None})
        return render(request, "public/decisions.html", context, status=400)
    page = keyset_page(request, selectors.search(filters), size=PAGE_SIZE)
    context = _filter_context(filters)
    context["page"] = page
    return render(request, "public/decisions.html", context)


def _published_or_404(request: HttpRequest, pk: int) -> Disclosure | HttpResponse:
    row = selectors.published(pk)
    if row is not None:
        return row
    if selectors.was_public(pk):
        return render(request, "public/decision_gone.html", status=404)
    raise Http404


def _detail_context(row: Disclosure, **extra: Any) -> dict[str, Any]:
    issued = challenge.issue()
    return {"row": row, "district": selectors.district_name(row.district_code),
            "paragraphs": [p for p in row.public_text.splitlines() if p.strip()],
            "question": issued.question, "token": issued.token, "values": {}, **extra}


@require_GET
@public_page_limit
def decision_detail(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    row = _published_or_404(request, disclosure_id)
    if isinstance(row, HttpResponse):
        return row
    return render(request, "public/decision_detail.html", _detail_context(row))


@require_GET
@public_page_limit
def decision_pdf(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    row = _published_or_404(request, disclosure_id)
    if isinstance(row, HttpResponse):
        return row
    response = HttpResponse(pdf.decision_pdf(row), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"decision-{row.pk}-v{row.version}.pdf")
    return response


@require_http_methods(["GET", "POST"])
@public_page_limit
def decision_objection(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    """"此记录有误": the error report goes to the disclosure's objections service (answered
    within 5 working days); the citizen gets a reference and the due date. A GET (a
    reloaded or bookmarked receipt) goes back to the decision's form."""
    row = _published_or_404(request, disclosure_id)
    if isinstance(row, HttpResponse):
        return row
    if request.method == "GET":
        return redirect(reverse("enforcement:public_decision", args=[row.pk])
                        + "#objection-title")
    values = {k: request.POST.get(k, "").strip()[:2000]
              for k in ("text", "contact_name", "contact")}
    if not PublicReportRateThrottle().allow_request(request, None):  # type: ignore[arg-type]
        response = error_response(request, 429, "throttled", "提交过于频繁，请稍后再试。",
                                  "Too many submissions; try again later.",
                                  template="error.html")
        response["Retry-After"] = "3600"
        return response
    if not challenge.verify(request.POST.get("challenge_token", ""),
                            request.POST.get("challenge_answer", "")):
        return render(request, "public/decision_detail.html", _detail_context(
            row, values=values, objection_error=_("验证题答案不正确或已过期，请重新作答。")),
            status=400)
    try:
        objection = disclosure.submit_objection(
            row, text=values["text"], contact_name=values["contact_name"][:64],
            contact=values["contact"][:64])
    except DomainError as exc:
        return render(request, "public/decision_detail.html", _detail_context(
            row, values=values, objection_error=exc.detail), status=400)
    return render(request, "public/objection_done.html",
                  {"row": row, "objection": objection,
                   "reference": objection_reference(objection.pk, row.pk)})


def objection_reference(objection_id: int, disclosure_id: int) -> str:
    """The receipt's reference: the record and the objection's numbers (what staff
    find the objection by on the disclosure's page)."""
    return f"YY{disclosure_id:06d}-{objection_id:06d}"


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        filters = selectors.parse_filters(request.GET)
    except DomainError as exc:
        return error_response(request, 400, exc.code, exc.detail, exc.detail_en,
                              template="error.html")
    # A streamed response where the page decorator's type says HttpResponse: both
    # are what Django's handler takes.
    response: Any
    if kind == "csv":
        response = StreamingHttpResponse(export.csv_lines(filters),
                                         content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(export.json_chunks(filters),
                                         content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"hangzhou-enforcement-decisions.{kind}")
    return response


@require_GET
@public_page_limit
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@require_GET
@public_page_limit
def export_json(request: HttpRequest) -> HttpResponse:
    return _export(request, "json")
