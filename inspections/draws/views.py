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
from hangzhou_safety.web.pagination import keyset_page
from hangzhou_safety.web.views import require_roles
from inspections.checklists.models import ChecklistTemplate
from inspections.draws import services as draws
from inspections.draws.models import ConflictDeclaration, DrawItemList, ObjectDirectory, RandomDraw
from inspections.draws.selectors import DRAWABLE_ROLES, directory_enterprises, inspector_pool
from inspections.plans.models import EnforcementPlan

READ_ROLES = tuple(Role.values)
DIRECTORY_PAGE_SIZE = 20


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
    require_roles(request, *READ_ROLES)
    page = keyset_page(request, RandomDraw.objects.visible_to(request.user)
                       .select_related("authority", "object_directory", "drawn_by",
                                       "replaced_by")
                       .defer("snapshot", "report"))
    return render(request, "inspections/draw_list.html",
                  {"draws": page.rows, "page": page, "can_draw": _can_draw(request.user)})


@login_required
def draw_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, *draws.DRAW_ROLES)
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
    has_item_lists = DrawItemList.objects.visible_to(user).exists()
    return render(request, "inspections/draw_form.html",
                  {"form": form, "has_directories": has_directories,
                   "has_item_lists": has_item_lists})


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
    require_roles(request, *READ_ROLES)
    draw = _visible_draw(request, pk)
    return render(request, "inspections/draw_detail.html", _detail_context(request, draw))


@login_required
def draw_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """验证可复现: a fragment for htmx, the whole page without JavaScript."""
    require_roles(request, *READ_ROLES)
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
    require_roles(request, *draws.DRAW_ROLES)
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
    require_roles(request, *draws.DRAW_ROLES)
    draw = _visible_draw(request, pk)
    try:
        draws.publish_results(draw, request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("抽取结果已公示。"))
    return redirect("inspections:draw_detail", pk=draw.pk)


# --- Draw setup: object directories, item lists, inspectors, conflicts -------------

#: The registry filters a directory may save (EnterpriseFilter parameters).
DIRECTORY_FILTER_FIELDS = ("district", "street", "sector", "high_risk", "risk_level",
                           "has_hazard_sources")
FILTER_LABELS: dict[str, Any] = {
    "district": gettext_lazy("区县"),
    "street": gettext_lazy("街道/乡镇"),
    "sector": gettext_lazy("监管行业"),
    "high_risk": gettext_lazy("高危行业"),
    "risk_level": gettext_lazy("风险等级"),
    "has_hazard_sources": gettext_lazy("有重大危险源"),
    "insurance_missing": gettext_lazy("高危未投保安责险"),
    "supervisor": gettext_lazy("监管主体"),
    "supervision_basis": gettext_lazy("监管依据"),
    "search": gettext_lazy("名称或统一社会信用代码"),
}
BOOLEAN_FILTERS = ("high_risk", "has_hazard_sources", "insurance_missing")


def _apply_service_errors(form: forms.Form, exc: DomainError) -> None:
    """InvalidInput.fields onto the form's fields (others as a form error)."""
    fields = getattr(exc, "fields", None) or {}
    for field, errors in fields.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)
    if not fields:
        form.add_error(None, exc.detail)


class DirectoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名录库名称"), max_length=200,
                           error_messages={"required": gettext_lazy("请填写名称。"),
                                           "max_length": gettext_lazy("名称最多 200 个字符。")},
                           widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from enterprises.forms import EnterpriseFilterForm

        super().__init__(*args, **kwargs)
        registry = EnterpriseFilterForm(user=user)
        for name in DIRECTORY_FILTER_FIELDS:
            field = registry.fields[name]
            field.error_messages["invalid_choice"] = gettext_lazy("所选项不可用。")
            field.widget.attrs["class"] = "form-select"
            self.fields[name] = field

    def filter_params(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in DIRECTORY_FILTER_FIELDS
                if self.cleaned_data.get(name)}


class ItemListForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("事项清单名称"), max_length=200,
                           error_messages={"required": gettext_lazy("请填写名称。"),
                                           "max_length": gettext_lazy("名称最多 200 个字符。")},
                           widget=forms.TextInput(attrs={"class": "form-control"}))
    templates = forms.ModelMultipleChoiceField(
        queryset=ChecklistTemplate.objects.filter(active=True).order_by("code"),
        label=gettext_lazy("检查表"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一张检查表。"),
                        "invalid_choice": gettext_lazy("所选检查表不可用。"),
                        "invalid_pk_value": gettext_lazy("所选检查表不可用。")})


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.certificate_number or _('无执法证')}）"


class ConflictForm(forms.Form):
    inspector = InspectorChoiceField(
        queryset=User.objects.none(), label=gettext_lazy("执法人员"),
        error_messages={"required": gettext_lazy("请选择执法人员。"),
                        "invalid_choice": gettext_lazy("所选执法人员不可用。")},
        widget=forms.Select(attrs={"class": "form-select"}))
    uscc = forms.CharField(label=gettext_lazy("单位统一社会信用代码"), max_length=32,
                           error_messages={"required":
                                           gettext_lazy("请填写单位的统一社会信用代码。")},
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "autocomplete": "off"}))
    reason = forms.CharField(label=gettext_lazy("回避理由"), max_length=255,
                             error_messages={"required": gettext_lazy("请填写回避理由。"),
                                             "max_length":
                                             gettext_lazy("回避理由最多 255 个字符。")},
                             widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_role(*draws.DRAW_ROLES):
            field: Any = self.fields["inspector"]
            field.queryset = (User.objects.visible_to(user)
                              .filter(is_active=True, role__in=DRAWABLE_ROLES)
                              .order_by("authority_id", "full_name", "username"))
        else:
            # An inspector declares their own conflicts only.
            del self.fields["inspector"]

    def clean_uscc(self) -> Enterprise:
        from enterprises.codes import normalise_uscc

        code = normalise_uscc(self.cleaned_data["uscc"])
        enterprise = Enterprise.objects.visible_to(self.user).filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(
                _("未找到该统一社会信用代码对应的单位，或该单位不在您的管辖范围内。"))
        return enterprise


def _describe_filters(directories: list[ObjectDirectory],
                      user: Any) -> dict[int, list[tuple[Any, Any]]]:
    """Each directory's saved filter as [(label, value)] in Chinese, by directory id."""
    from enterprises.models import RiskLevel, Sector, SupervisionBasis
    from hangzhou_safety.accounts.models import Authority, Jurisdiction

    codes = {str(d.filter_params.get(k)) for d in directories
             for k in ("district", "street") if (d.filter_params or {}).get(k)}
    places = dict(Jurisdiction.objects.visible_to(user).filter(code__in=codes)
                  .values_list("code", "name"))
    supervisors = {str((d.filter_params or {}).get("supervisor")) for d in directories}
    authorities = dict(Authority.objects.visible_to(user).filter(code__in=supervisors)
                       .values_list("code", "name"))
    choices: dict[str, dict[str, Any]] = {
        "sector": dict(Sector.choices), "risk_level": dict(RiskLevel.choices),
        "supervision_basis": dict(SupervisionBasis.choices)}
    yes, no = gettext_lazy("是"), gettext_lazy("否")
    described: dict[int, list[tuple[Any, Any]]] = {}
    for directory in directories:
        rows: list[tuple[Any, Any]] = []
        for key, raw in sorted((directory.filter_params or {}).items(),
                               key=lambda kv: (list(FILTER_LABELS).index(kv[0])
                                               if kv[0] in FILTER_LABELS else 99, kv[0])):
            value: Any = str(raw)
            if key in ("district", "street"):
                value = places.get(value, value)
            elif key == "supervisor":
                value = authorities.get(value, value)
            elif key in choices:
                value = choices[key].get(value, value)
            elif key in BOOLEAN_FILTERS:
                value = yes if value.lower() in ("true", "1", "yes", "on") else no
            rows.append((FILTER_LABELS.get(key, key), value))
        described[directory.pk] = rows
    return described


@login_required
def directory_list(request: HttpRequest) -> HttpResponse:
    """检查对象名录库: the saved registry filters and how many units each selects now."""
    require_roles(request, *READ_ROLES)
    user: Any = request.user
    can_create = _can_draw(user)
    if request.method == "POST" and not can_create:
        raise PermissionDenied
    form = DirectoryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            directory = draws.create_object_directory(user, form.cleaned_data["name"],
                                                      form.filter_params())
        except DomainError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, _("名录库“%(name)s”已建立。") % {"name": directory.name})
            return redirect("inspections:draw_directories")
    # Each row counts the units its filter selects now: a shorter page keeps that cheap.
    page = keyset_page(request, ObjectDirectory.objects.visible_to(user)
                       .select_related("authority__jurisdiction"), size=DIRECTORY_PAGE_SIZE)
    directories = page.rows
    described = _describe_filters(directories, user)
    rows: list[dict[str, Any]] = []
    for directory in directories:
        try:
            count: int | None = directory_enterprises(directory, user).count()
        except InvalidInput:
            count = None
        rows.append({"directory": directory, "filters": described[directory.pk],
                     "count": count})
    return render(request, "inspections/draw_setup_directories.html",
                  {"form": form, "directories": rows, "page": page, "can_create": can_create},
                  status=400 if form.errors else 200)


@login_required
def item_list_list(request: HttpRequest) -> HttpResponse:
    """随机抽查事项清单: sets of checklist templates."""
    require_roles(request, *READ_ROLES)
    user: Any = request.user
    can_create = _can_draw(user)
    if request.method == "POST" and not can_create:
        raise PermissionDenied
    form = ItemListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item_list = draws.create_item_list(user, form.cleaned_data["name"],
                                               form.cleaned_data["templates"])
        except DomainError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, _("事项清单“%(name)s”已建立。") % {"name": item_list.name})
            return redirect("inspections:draw_item_lists")
    page = keyset_page(request, DrawItemList.objects.visible_to(user)
                       .select_related("authority").prefetch_related("templates"))
    return render(request, "inspections/draw_setup_item_lists.html",
                  {"form": form, "item_lists": page.rows, "page": page,
                   "can_create": can_create},
                  status=400 if form.errors else 200)


@login_required
def inspector_directory(request: HttpRequest) -> HttpResponse:
    """执法检查人员名录库: who a draw of the authority may pick today, and who not."""
    from hangzhou_safety.accounts.models import Authority

    require_roles(request, *READ_ROLES)
    user: Any = request.user
    authorities = list(Authority.objects.visible_to(user).filter(
        pk__in=User.objects.filter(role__in=DRAWABLE_ROLES).values("authority_id"))
        .order_by("code"))
    code = request.GET.get("authority", "")
    authority = (get_object_or_404(Authority.objects.visible_to(user), code=code) if code
                 else user.authority)
    today = timezone.localdate()
    pool: list[User] = []
    expired: list[User] = []
    uncertified = 0
    if authority is not None:
        pool = list(inspector_pool(authority, today).order_by("full_name", "username"))
        others = (User.objects.visible_to(user)
                  .filter(authority=authority, is_active=True, role__in=DRAWABLE_ROLES)
                  .exclude(pk__in=[u.pk for u in pool]))
        expired = list(others.exclude(certificate_number="")
                       .order_by("full_name", "username"))
        uncertified = others.filter(certificate_number="").count()
    return render(request, "inspections/draw_setup_inspectors.html",
                  {"authority": authority, "authorities": authorities, "pool": pool,
                   "expired": expired, "uncertified": uncertified, "today": today})


@login_required
def conflict_list(request: HttpRequest) -> HttpResponse:
    """回避声明: declared conflicts of interest; an inspector declares their own."""
    require_roles(request, *READ_ROLES)
    user: Any = request.user
    can_declare = bool(user.has_role(*draws.DRAW_ROLES, Role.INSPECTOR))
    if request.method == "POST" and not can_declare:
        raise PermissionDenied
    form = ConflictForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        inspector = data.get("inspector") or user
        try:
            conflict = draws.declare_conflict(user, inspector, data["uscc"], data["reason"])
        except InvalidInput as exc:
            if "enterprise" in exc.fields:
                exc.fields["uscc"] = exc.fields.pop("enterprise")
            _apply_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("已声明回避：%(name)s")
                             % {"name": conflict.enterprise.name})
            return redirect("inspections:draw_conflicts")
    page = keyset_page(request, ConflictDeclaration.objects
                       .filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
                       .select_related("inspector", "enterprise"))
    return render(request, "inspections/draw_setup_conflicts.html",
                  {"form": form, "conflicts": page.rows, "page": page,
                   "can_declare": can_declare},
                  status=400 if form.errors else 200)
