"""Staff page of the discretion table in force: each violation with its provisions and
its rows (a table from 576 px up, stacked cards on a phone).

Every staff role reads it; drafts are shown to the municipal administrator only
(``?version=<id>``). Violations come in the table's own order, a page at a time
(keyset on id: ``?after=<id of the last violation shown>``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hangzhou_safety.api.errors import DomainError

from . import selectors
from .models import DiscretionVersion, OtherPenalty
from .services import is_rules_admin

PAGE_SIZE = 10
OTHER_PENALTY_LABELS = dict(OtherPenalty.choices)


def _version(request: HttpRequest) -> DiscretionVersion | None:
    raw = request.GET.get("version", "")
    if not raw:
        try:
            return selectors.version_in_force(timezone.localdate())
        except DomainError:
            return None
    qs = DiscretionVersion.objects.all()
    if not is_rules_admin(request.user):
        qs = qs.exclude(status=DiscretionVersion.Status.DRAFT)
    version = qs.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    if version is None:
        raise Http404
    return version


@login_required
@require_GET
def discretion_table(request: HttpRequest) -> HttpResponse:
    version = _version(request)
    violations: list[Any] = []
    next_after = None
    if version is not None:
        raw = request.GET.get("after", "")
        qs = selectors.violations_with_rows(version).order_by("id")
        if raw.isdigit() and len(raw) < 19:
            qs = qs.filter(id__gt=int(raw))
        violations = list(qs[: PAGE_SIZE + 1])
        if len(violations) > PAGE_SIZE:
            violations = violations[:PAGE_SIZE]
            next_after = violations[-1].pk
        for violation in violations:
            for row in violation.benchmarks.all():
                row.other_labels = [OTHER_PENALTY_LABELS.get(p, p) for p in row.other_penalties]
    params = request.GET.copy()
    params.pop("after", None)
    return render(request, "enforcement/discretion_table.html", {
        "version": version, "violations": violations, "next_after": next_after,
        "query": params.urlencode(), "is_first": not request.GET.get("after"),
        "versions": DiscretionVersion.objects.exclude(
            status=DiscretionVersion.Status.DRAFT).order_by("-valid_from", "-id")[:20],
        "is_admin": is_rules_admin(request.user),
    })
