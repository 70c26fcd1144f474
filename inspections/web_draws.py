"""Pages of random draws (双随机一公开) and the key-supervision list.

Every queryset goes through visible_to(user): an id outside the user's jurisdiction
is a 404, a missing role a 403. Writes go through inspections.draws; a redraw needs
a reason and makes a new draw (the page of the old one links to it).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.api.errors import DomainError, InvalidInput

from . import draws
from .models import (
    KEY_MIN_INSPECTIONS_PER_YEAR,
    DrawItemList,
    EnforcementPlan,
    ObjectDirectory,
    RandomDraw,
)

LIST_LIMIT = 100
READ_ROLES = tuple(Role.values)


def _require_roles(request: HttpRequest, *roles: str) -> None:
    user: Any = request.user
    if not user.has_role(*roles):
        raise PermissionDenied


def _can_draw(user: Any) -> bool:
    return bool(user.has_role(*draws.DRAW_ROLES))


class DrawForm(forms.Form):
    object_directory = forms.ModelChoiceField(
        queryset=ObjectDirectory.objects.none(), label=gettext_lazy("检查对象名录库"),
        error_messages={"required": gettext_lazy("请选择检查对象名录库。"),
                        "invalid_choice": gettext_lazy("所选名录库不可用。")})
    item_list = forms.ModelChoiceField(
        queryset=DrawItemList.objects.none(), label=gettext_lazy("随机抽查事项清单"),
        error_messages={"required": gettext_lazy("请选择随机抽查事项清单。"),
                        "invalid_choice": gettext_lazy("所选事项清单不可用。")})
    plan = forms.ModelChoiceField(queryset=EnforcementPlan.objects.none(), required=False,
                                  label=gettext_lazy("年度计划（可选）"),
                                  error_messages={"invalid_choice":
                                                  gettext_lazy("所选计划不可用。")})
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100,
                              error_messages={"required": gettext_lazy("请填写年度。")})
    month = forms.IntegerField(label=gettext_lazy("检查月份"), min_value=1, max_value=12,
                               error_messages={"required": gettext_lazy("请填写检查月份。"),
                                               "min_value": gettext_lazy("月份应为 1–12。"),
                                               "max_value": gettext_lazy("月份应为 1–12。")})
    enterprise_count = forms.IntegerField(
        label=gettext_lazy("抽取企业数"), min_value=1, max_value=draws.MAX_DRAW_SIZE,
        error_messages={"required": gettext_lazy("请填写抽取企业数。"),
                        "min_value": gettext_lazy("抽取企业数至少为 1。")})

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["object_directory"].queryset = (ObjectDirectory.objects.visible_to(user)
                                               .order_by("name", "id"))
        fields["item_list"].queryset = DrawItemList.objects.visible_to(user).order_by("name",
                                                                                      "id")
        fields["plan"].queryset = (EnforcementPlan.objects.visible_to(user)
                                   .exclude(status=EnforcementPlan.Status.SUPERSEDED)
                                   .order_by("-year", "id"))
        for field in fields.values():
            field.widget.attrs.setdefault("class", "form-select"
                                          if isinstance(field, forms.ModelChoiceField)
                                          else "form-control")


class RedrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("重抽理由"), max_length=255,
                             error_messages={"required": gettext_lazy("重新抽取必须填写理由。")},
                             widget=forms.TextInput(attrs={"class": "form-control"}))


@login_required
def draw_list(request: HttpRequest) -> HttpResponse:
    _require_roles(request, *READ_ROLES)
    rows = list(RandomDraw.objects.visible_to(request.user)
                .select_related("authority", "object_directory", "drawn_by", "replaced_by")
                .defer("snapshot").order_by("-id")[:LIST_LIMIT])
    return render(request, "inspections/draw_list.html",
                  {"draws": rows, "can_draw": _can_draw(request.user)})


@login_required
def draw_create(request: HttpRequest) -> HttpResponse:
    _require_roles(request, *draws.DRAW_ROLES)
    user: Any = request.user
    today = timezone.localdate()
    form = DrawForm(request.POST or None, user=user,
                    initial={"year": today.year, "month": today.month, "enterprise_count": 10})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draw = draws.perform_draw(user, data["object_directory"], data["item_list"],
                                      data["year"], data["month"], data["enterprise_count"],
                                      plan=data.get("plan"))
        except InvalidInput as exc:
            for field, errors in exc.fields.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
            if not exc.fields:
                form.add_error(None, exc.detail)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("抽取完成，结果已生成计划检查。"))
            return redirect("inspections:draw_detail", pk=draw.pk)
    has_directories = ObjectDirectory.objects.visible_to(user).exists()
    return render(request, "inspections/draw_form.html",
                  {"form": form, "has_directories": has_directories})


def _detail_context(request: HttpRequest, draw: RandomDraw) -> dict[str, Any]:
    inspector_ids = {i for row in draw.result for i in row["inspectors"]}
    enterprise_ids = [row["enterprise"] for row in draw.result]
    names = dict(User.objects.filter(pk__in=inspector_ids).values_list("pk", "full_name"))
    usernames = dict(User.objects.filter(pk__in=inspector_ids).values_list("pk", "username"))
    enterprises = {e.pk: e for e in Enterprise.objects.filter(pk__in=enterprise_ids)}
    rows = [{"enterprise": enterprises.get(row["enterprise"]),
             "enterprise_id": row["enterprise"],
             "inspectors": [names.get(i) or usernames.get(i) or str(i)
                            for i in row["inspectors"]]}
            for row in draw.result]
    replaced_by = RandomDraw.objects.filter(replaces=draw).first()
    superseded = replaced_by is not None
    can_draw = _can_draw(request.user)
    return {"draw": draw, "rows": rows, "report": draws.draw_report(draw),
            "replaced_by": replaced_by,
            "can_redraw": can_draw and not superseded and draw.results_published_at is None,
            "can_publish": can_draw and not superseded and draw.results_published_at is None,
            "redraw_form": RedrawForm(), "verified": None}


def _visible_draw(request: HttpRequest, pk: int) -> RandomDraw:
    return get_object_or_404(RandomDraw.objects.visible_to(request.user)
                             .select_related("authority", "object_directory", "item_list",
                                             "plan", "drawn_by", "replaces"), pk=pk)


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_roles(request, *READ_ROLES)
    draw = _visible_draw(request, pk)
    return render(request, "inspections/draw_detail.html", _detail_context(request, draw))


@login_required
def draw_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """验证可复现: a fragment for htmx, the whole page without JavaScript."""
    _require_roles(request, *READ_ROLES)
    draw = _visible_draw(request, pk)
    verified = draws.verify_draw(draw)
    if request.headers.get("HX-Request"):
        return render(request, "inspections/draw_verify_result.html", {"verified": verified})
    context = _detail_context(request, draw)
    context["verified"] = verified
    return render(request, "inspections/draw_detail.html", context)


@login_required
@require_POST
def draw_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    _require_roles(request, *draws.DRAW_ROLES)
    draw = _visible_draw(request, pk)
    form = RedrawForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, draw)
        context["redraw_form"] = form
        return render(request, "inspections/draw_detail.html", context, status=400)
    try:
        new = draws.redraw(draw, request.user, form.cleaned_data["reason"])
    except DomainError as exc:
        context = _detail_context(request, draw)
        context["redraw_form"] = form
        form.add_error(None, exc.detail)
        return render(request, "inspections/draw_detail.html", context,
                      status=400 if isinstance(exc, InvalidInput) else 409)
    messages.success(request, _("已重新抽取，原抽取结果及其计划检查已作废。"))
    return redirect("inspections:draw_detail", pk=new.pk)


@login_required
@require_POST
def draw_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_roles(request, *draws.DRAW_ROLES)
    draw = _visible_draw(request, pk)
    try:
        draws.publish_results(draw, request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("抽取结果已公示。"))
    return redirect("inspections:draw_detail", pk=draw.pk)


@login_required
def key_supervision(request: HttpRequest) -> HttpResponse:
    _require_roles(request, *READ_ROLES)
    raw = request.GET.get("year", "")
    error = ""
    year = timezone.localdate().year
    if raw:
        if raw.isdigit() and 2000 <= int(raw) <= 2100:
            year = int(raw)
        else:
            error = _("年度无效，已显示本年度。")
    user: Any = request.user
    rows = draws.key_supervision_list(user, year)
    return render(request, "inspections/draw_key_supervision.html",
                  {"rows": rows, "year": year, "error": error,
                   "min_inspections": KEY_MIN_INSPECTIONS_PER_YEAR})
