"""The inbox's one write: 开始检查 on a planned inspection."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hangzhou_safety.api.errors import DomainError, Forbidden
from inspections.inbox import services
from inspections.plans.models import PlannedInspection


@login_required
@require_POST
def planned_start(request: HttpRequest, pk: int) -> HttpResponse:
    planned = get_object_or_404(PlannedInspection.objects.visible_to(request.user)
                                .select_related("enterprise", "draw__scheme"), pk=pk)
    try:
        inspection = services.start_planned(planned, actor=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("web:home")
    if inspection is None:  # fewer than two assigned: the form asks for the second
        return redirect(reverse("inspections:inspection_create") + f"?planned={planned.pk}")
    messages.success(request, _("已创建检查任务。到达现场后请点击“开始检查”。"))
    return redirect("inspections:inspection_detail", pk=inspection.pk)
