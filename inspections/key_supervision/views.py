"""Page of the key-supervision list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.web.views import require_roles
from inspections.key_supervision.services import key_supervision_list
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
    user: Any = request.user
    rows = key_supervision_list(user, year)
    return render(request, "inspections/draw_key_supervision.html",
                  {"rows": rows, "year": year, "error": error,
                   "min_inspections": KEY_MIN_INSPECTIONS_PER_YEAR})


