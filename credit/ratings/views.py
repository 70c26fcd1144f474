"""Pages of integrity ratings: the year's ratings of the user's jurisdiction with the
computation, review and publication, and one rating with its explanation and the
enterprise's commitments."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.web.pagination import keyset_page
from hangzhou_safety.web.steps import perform_step

from . import services
from .models import IntegrityRating, RatingLevel
from .selectors import visible_commitments, visible_ratings

PAGE_SIZE = 50


def _year(raw: str) -> int:
    this = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this else this


def _act(request: HttpRequest, action: Callable[[], Any]) -> None:
    perform_step(request, action, roles=services.STAFF_ROLES)


@login_required
@require_GET
def rating_list(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    rows = visible_ratings(request.user).filter(year=year).exclude(
        status=IntegrityRating.Status.SUPERSEDED)
    level = request.GET.get("level", "")
    if level in RatingLevel.values:
        rows = rows.filter(level=level)
    else:
        level = ""
    page = keyset_page(request, rows, size=PAGE_SIZE)
    this = timezone.localdate().year
    user: Any = request.user
    return render(request, "credit/rating_list.html", {
        "ratings": page.rows, "page": page, "year": year, "level": level,
        "levels": RatingLevel.choices, "years": list(range(this, this - 4, -1)),
        "can_compute": user.authority_id is not None and user.has_role(*services.STAFF_ROLES)})


@login_required
@require_POST
def rating_compute(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("year", ""))
    user: Any = request.user
    if user.authority is None:
        raise PermissionDenied
    _act(request, lambda: services.compute_year(user.authority, year, actor=user))
    return redirect(f"{reverse('credit:rating_list')}?year={year}")


@login_required
@require_GET
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(visible_ratings(request.user), pk=pk)
    commitments = visible_commitments(request.user).filter(
        enterprise=rating.enterprise).order_by("-signed_on", "-id")
    return render(request, "credit/rating_detail.html", {
        "rating": rating, "commitments": list(commitments),
        "history": list(visible_ratings(request.user).filter(
            enterprise=rating.enterprise).order_by("-year", "-id")[:20])})


@login_required
@require_POST
def rating_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    rating = get_object_or_404(visible_ratings(request.user), pk=pk)
    calls: dict[str, Callable[[], Any]] = {
        "review": lambda: services.review(rating, actor=request.user),
        "publish": lambda: services.publish(rating, actor=request.user),
    }
    if step not in calls:
        raise PermissionDenied
    _act(request, calls[step])
    return redirect("credit:rating_detail", pk=pk)


def _date(raw: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("请填写有效日期。", f"{field}: a valid date is required.",
                           fields={field: ["日期无效。"]}) from None


@login_required
@require_POST
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(visible_ratings(request.user), pk=pk)
    _act(request, lambda: services.record_commitment(
        rating.enterprise, actor=request.user,
        signed_on=_date(request.POST.get("signed_on", ""), "signed_on"),
        content=request.POST.get("content", "")))
    return redirect("credit:rating_detail", pk=pk)


@login_required
@require_POST
def commitment_breach(request: HttpRequest, pk: int) -> HttpResponse:
    """登记违诺; back to the rating page the form was on (``rating``) when it is visible
    and about the same enterprise, else to the list."""
    commitment = get_object_or_404(visible_commitments(request.user), pk=pk)
    _act(request, lambda: services.record_breach(
        commitment, actor=request.user, on=_date(request.POST.get("on", ""), "on"),
        reason=request.POST.get("reason", "")))
    raw = request.POST.get("rating", "")
    back = (visible_ratings(request.user).filter(pk=int(raw), enterprise=commitment.enterprise)
            .first() if raw.isdigit() and int(raw) < 2**31 else None)
    if back is None:
        return redirect("credit:rating_list")
    return redirect("credit:rating_detail", pk=back.pk)
