"""Page of the key-supervision list (keyset-paginated by enterprise id, ?before=)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.web.pagination import KeysetPage
from hangzhou_safety.web.views import require_roles
from inspections.key_supervision.services import key_supervision_page
from inspections.plans.models import KEY_MIN_INSPECTIONS_PER_YEAR

READ_ROLES = tuple(Role.values)


@login_required
def key_supervision(request: HttpRequest) -> HttpResponse:
    require_roles(request, *READ_ROLES)
    raw = request.GET.get("year", "")
    error = ""
    year = timezone.localdate().year
    if raw:
        if raw.isdigit() and 2000 <= int(raw) <= 2100:
            year = int(raw)
        else:
            error = _("年度无效，已显示本年度。")
    # As keyset_page does: a tampered ``before`` shows the first page.
    raw_before = request.GET.get("before", "")
    before = (int(raw_before) if raw_before.isdigit() and 0 < int(raw_before) < 2**63
              else None)
    user: Any = request.user
    result = key_supervision_page(user, year, before=before)
    params = request.GET.copy()
    params.pop("before", None)
    page = KeysetPage(rows=result.rows, next_before=result.next_before,
                      query=params.urlencode(), is_first=before is None)
    return render(request, "inspections/draw_key_supervision.html",
                  {"rows": page.rows, "page": page, "year": year, "error": error,
                   "min_inspections": KEY_MIN_INSPECTIONS_PER_YEAR})
