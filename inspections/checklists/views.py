"""Pages of checklist templates (检查表) and inspection schemes (检查方案).

Schemes are read through InspectionScheme.objects.visible_to(user): an id outside the
user's jurisdiction is a 404, a missing role a 403. Every write goes through
inspections.schemes, whose Chinese messages are shown beside the form fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.web.pagination import keyset_page
from hangzhou_safety.web.views import require_roles
from inspections.checklists import services as schemes
from inspections.checklists.models import (
    ChecklistItem,
    ChecklistTemplate,
    InspectionScheme,
    MajorHazardCriterion,
)
from inspections.plans.models import EnforcementPlan

PAGE_SIZE = 50


# --- Checklist templates ---------------------------------------------------------

def _labelled(template: ChecklistTemplate) -> ChecklistTemplate:
    # ArrayFields of choices have no get_FOO_display: attach the Chinese labels.
    labels = dict(Sector.choices)
    template.sector_labels = [labels.get(s, s) for s in template.sectors]  # type: ignore[attr-defined]
    operations = dict(SpecialOperation.choices)
    template.operation_labels = [  # type: ignore[attr-defined]
        operations.get(s, s) for s in template.special_operations]
    return template


@login_required
def checklist_list(request: HttpRequest) -> HttpResponse:
    templates = (ChecklistTemplate.objects.filter(active=True)
                 .annotate(item_count=Count("items", filter=Q(items__retired_at__isnull=True),
                                            distinct=True),
                           major_count=Count("items", filter=~Q(items__major_hazard_criterion="")
                                             & Q(items__retired_at__isnull=True),
                                             distinct=True))
                 .order_by("code"))
    user: Any = request.user
    return render(request, "inspections/checklists_list.html",
                  {"templates": [_labelled(t) for t in templates],
                   "can_review_bases": user.has_role(*REBASING_ROLES)})


@login_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(
        ChecklistTemplate.objects.prefetch_related(
            Prefetch("items", queryset=ChecklistItem.objects.filter(retired_at__isnull=True)
                     .order_by("order").prefetch_related("criteria"))), pk=pk)
    return render(request, "inspections/checklists_detail.html",
                  {"template": _labelled(template)})


# Who maintains the checklists' legal bases: the municipal administrator, and the
# section chiefs who review legality (法制审核) and read-only auditors.
REBASING_ROLES = (Role.MUNICIPAL_ADMIN, Role.SECTION_CHIEF, Role.AUDITOR)


@login_required
def checklist_rebasing(request: HttpRequest) -> HttpResponse:
    """Items whose cited text was superseded (grouped by law and why), and criteria whose
    text is unverified or missing: what must be re-based on the official texts."""
    require_roles(request, *REBASING_ROLES)
    items = (ChecklistItem.objects.exclude(rebase_note="")
             .filter(template__active=True, retired_at__isnull=True)
             .select_related("template").order_by("law", "template__code", "order"))
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        group = groups.setdefault(item.law, {"law": item.law, "version": item.law_version,
                                             "note": item.rebase_note, "items": []})
        group["items"].append(item)
    criteria = (MajorHazardCriterion.objects
                .exclude(status=MajorHazardCriterion.TextStatus.VERIFIED).order_by("code"))
    return render(request, "inspections/checklists_rebasing.html",
                  {"rebase_groups": list(groups.values()), "open_criteria": criteria})


# --- Inspection schemes ------------------------------------------------------------

class TeamField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.authority is None:
            return str(obj.display_name)
        authority = obj.authority.short_name or obj.authority.name
        return f"{obj.display_name}（{authority}，{obj.certificate_number}）"


class TemplateField(forms.ModelMultipleChoiceField):
    """Another department's template (安全生产法 第十条) says it is used only jointly: the
    inspection carries it only with an officer of that department (checklists.remit)."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.remit == Authority.Department.EMERGENCY:
            return str(obj)
        return _("%(name)s（%(remit)s部门职责，仅联合检查时使用）") % {
            "name": obj, "remit": obj.get_remit_display()}


class SchemeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("方案名称"), max_length=200)
    area = forms.CharField(label=gettext_lazy("检查区域"), widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label=gettext_lazy("检查内容"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    focus = forms.CharField(label=gettext_lazy("检查重点"),
                            widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(label=gettext_lazy("开始日期"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=gettext_lazy("结束日期"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    templates = TemplateField(
        label=gettext_lazy("检查表"), queryset=ChecklistTemplate.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    team = TeamField(
        label=gettext_lazy("检查组成员"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    plan = forms.ModelChoiceField(label=gettext_lazy("年度计划"),
                                  queryset=EnforcementPlan.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        templates = self.fields["templates"]
        team = self.fields["team"]
        plan = self.fields["plan"]
        assert isinstance(templates, forms.ModelMultipleChoiceField)
        assert isinstance(team, forms.ModelMultipleChoiceField)
        assert isinstance(plan, forms.ModelChoiceField)
        templates.queryset = ChecklistTemplate.objects.filter(active=True).order_by("code")
        # Candidates: certified staff in the user's jurisdiction (the service re-checks
        # that at least two certificates cover the whole period).
        team.queryset = (User.objects.visible_to(user).filter(is_active=True)
                         .exclude(certificate_number="").select_related("authority")
                         .order_by("authority__code", "id"))
        authority = getattr(user, "authority", None)
        plan.queryset = (EnforcementPlan.objects.filter(authority=authority)
                         .order_by("-year", "-version")
                         if authority else EnforcementPlan.objects.none())
        for name, field in self.fields.items():
            if name in ("templates", "team"):
                continue
            css = "form-select" if name == "plan" else "form-control"
            field.widget.attrs.setdefault("class", css)

    def add_service_error(self, exc: InvalidInput) -> None:
        placed = False
        for field, errors in exc.fields.items():
            if field in self.fields:
                for error in errors:
                    self.add_error(field, error)
                placed = True
        if not placed:
            self.add_error(None, exc.detail)


def _schemes(request: HttpRequest) -> QuerySet[InspectionScheme]:
    return (InspectionScheme.objects.visible_to(request.user)
            .select_related("authority", "created_by", "approved_by"))


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    qs = _schemes(request)
    status = request.GET.get("status", "")
    if status in InspectionScheme.Status.values:
        qs = qs.filter(status=status)
    page = keyset_page(request, qs, size=PAGE_SIZE)
    user: Any = request.user
    return render(request, "inspections/scheme_list.html", {
        "schemes": page.rows, "page": page, "status": status,
        "statuses": InspectionScheme.Status.choices,
        "can_create": user.has_role(*schemes.WRITE_ROLES),
    })


def _form_page(request: HttpRequest, form: SchemeForm, scheme: InspectionScheme | None,
               code: int = 200) -> HttpResponse:
    return render(request, "inspections/scheme_form.html",
                  {"form": form, "scheme": scheme}, status=code)


@login_required
def scheme_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, *schemes.WRITE_ROLES)
    if request.method != "POST":
        today = timezone.localdate()
        return _form_page(request, SchemeForm(user=request.user,
                                              initial={"start_date": today,
                                                       "end_date": today}), None)
    form = SchemeForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, None, 400)
    try:
        scheme = schemes.create_scheme(dict(form.cleaned_data), actor=request.user)
    except InvalidInput as exc:
        form.add_service_error(exc)
        return _form_page(request, form, None, 400)
    messages.success(request, _("检查方案已保存为草稿。"))
    return redirect("inspections:scheme_detail", pk=scheme.pk)


@login_required
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *schemes.WRITE_ROLES)
    scheme = get_object_or_404(_schemes(request), pk=pk)
    if not schemes.can_edit(scheme, request.user):
        raise PermissionDenied
    if scheme.status != InspectionScheme.Status.DRAFT:
        messages.error(request, _("只有草稿状态的检查方案可以修改。"))
        return redirect("inspections:scheme_detail", pk=scheme.pk)
    if request.method != "POST":
        initial = {"title": scheme.title, "area": scheme.area, "content": scheme.content,
                   "focus": scheme.focus, "start_date": scheme.start_date,
                   "end_date": scheme.end_date, "plan": scheme.plan_id,
                   "templates": list(scheme.templates.all()), "team": list(scheme.team.all())}
        return _form_page(request, SchemeForm(user=request.user, initial=initial), scheme)
    form = SchemeForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, scheme, 400)
    try:
        schemes.update_scheme(scheme, dict(form.cleaned_data), actor=request.user)
    except InvalidInput as exc:
        form.add_service_error(exc)
        return _form_page(request, form, scheme, 400)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("检查方案已更新。"))
    return redirect("inspections:scheme_detail", pk=scheme.pk)


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(
        _schemes(request).prefetch_related(
            Prefetch("templates", queryset=ChecklistTemplate.objects.order_by("code")),
            Prefetch("team", queryset=User.objects.select_related("authority").order_by("id"))),
        pk=pk)
    user: Any = request.user
    draft = scheme.status == InspectionScheme.Status.DRAFT
    submitted = scheme.status == InspectionScheme.Status.SUBMITTED
    reviewer = submitted and schemes.can_review(scheme, user)
    is_author = reviewer and user.pk in schemes.scheme_authors(scheme)
    editor = draft and schemes.can_edit(scheme, user)
    return render(request, "inspections/scheme_detail.html", {
        "scheme": scheme,
        "can_edit": editor,
        "can_submit": editor,
        "can_approve": reviewer and not is_author,
        "can_return": reviewer,
        "is_author_reviewer": is_author,
    })


def _step(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponseRedirect:
    scheme = get_object_or_404(_schemes(request), pk=pk)
    try:
        run(scheme)
    except DomainError as exc:  # illegal move, bad input or a forbidden actor
        if exc.status_code == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect("inspections:scheme_detail", pk=pk)


@login_required
@require_POST
def scheme_submit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *schemes.WRITE_ROLES)
    return _step(request, pk, lambda s: schemes.submit_scheme(s, actor=request.user),
                 _("检查方案已提交科室负责人审批。"))


@login_required
@require_POST
def scheme_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.SECTION_CHIEF)
    comment = request.POST.get("comment", "")
    return _step(request, pk,
                 lambda s: schemes.approve_scheme(s, actor=request.user, comment=comment),
                 _("检查方案已批准。"))


@login_required
@require_POST
def scheme_return(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.SECTION_CHIEF)
    reason = request.POST.get("reason", "")
    return _step(request, pk,
                 lambda s: schemes.return_scheme(s, actor=request.user, reason=reason),
                 _("检查方案已退回修改。"))
