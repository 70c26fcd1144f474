"""Phone pages of an inspection on site: the four-checklist loop in the browser.

Every queryset goes through visible_to(user): an inspection outside the user's
jurisdiction is a 404, a role that may not carry out inspections gets a 403 on every
POST. State changes go only through inspections.loop (each service is atomic, so a
refused step writes nothing); a refusal comes back as a Chinese message next to the
form that was sent. Each answer is saved as it is given (htmx posts the card on
change), so a reload on a slow connection loses nothing.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST
from pypinyin import Style, lazy_pinyin

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.web.pagination import keyset_page
from hangzhou_safety.web.rows import link_rows
from hangzhou_safety.workdays.services import add_calendar_days
from inspections.loop import extensions
from inspections.loop import services as loop
from inspections.loop.given_at import parse_given_at
from inspections.loop.models import (
    HAZARD_SETTLED,
    DeadlineExtension,
    Hazard,
    Inspection,
    InspectionItem,
    OnSiteMeasure,
    ReCheck,
    RectificationOrder,
)
from inspections.loop.phrases import standard_phrase
from inspections.loop.resend import parse_client_id
from inspections.loop.selectors import kept_offline, major_context
from inspections.plans.models import PlannedInspection

PAGE_SIZE = 20
#: What a row of the inspection list shows (templates/inspections/inspection_list.html).
LIST_COLUMNS = ("id", "status", "source", "planned_date", "verification_code",
                "enterprise__name")
SEARCH_LIMIT = 20
STATUS_BADGES: dict[str, str] = {
    Inspection.Status.PLANNED: "text-bg-secondary",
    Inspection.Status.IN_PROGRESS: "text-bg-primary",
    Inspection.Status.RECTIFYING: "text-bg-warning",
    Inspection.Status.CLOSED: "text-bg-success",
    Inspection.Status.CANCELLED: "text-bg-light border",
}
HAZARD_BADGES: dict[str, str] = {
    Hazard.Status.OPEN: "text-bg-danger",
    Hazard.Status.RECTIFYING: "text-bg-warning",
    Hazard.Status.REPORTED: "text-bg-info",
    Hazard.Status.ACCEPTED: "text-bg-success",
    Hazard.Status.ESCALATED: "text-bg-dark",
}
ANSWER_CHOICES = [(InspectionItem.Result.COMPLIANT, _lazy("符合"), "btn-outline-success"),
                  (InspectionItem.Result.NON_COMPLIANT, _lazy("不符合"), "btn-outline-danger"),
                  (InspectionItem.Result.NOT_APPLICABLE, _lazy("不适用"),
                   "btn-outline-secondary")]
PLANNED_SOURCES: dict[str, str] = {PlannedInspection.Source.DRAW: Inspection.Source.DRAW,
                   PlannedInspection.Source.KEY_LIST: Inspection.Source.KEY_LIST}


# --- helpers ---

def _visible(user: Any) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user)


def _require_field_role(user: Any) -> None:
    """Auditors and other read-only roles may look, never file (403)."""
    if not user.has_role(*loop.FIELD_ROLES):
        raise PermissionDenied(_("您的角色无权开展现场检查。"))


def _get_for_post(request: HttpRequest, pk: int) -> Inspection:
    inspection = get_object_or_404(_visible(request.user), pk=pk)
    _require_field_role(request.user)
    return inspection


def _detail_url(inspection_id: int, anchor: str = "") -> str:
    url = reverse("inspections:inspection_detail", args=[inspection_id])
    return f"{url}#{anchor}" if anchor else url


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _error_text(exc: DomainError) -> str:
    return str(exc.detail)


def _field_errors(form: forms.Form, exc: DomainError) -> None:
    if exc.fields:
        for name, errors in exc.fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc.detail)


def certified_colleagues(user: Any, day: datetime.date | None = None) -> QuerySet[User]:
    """Certified staff of the user's own authority (the second inspector)."""
    day = day or timezone.localdate()
    return (User.objects.visible_to(user)
            .filter(authority_id=user.authority_id, is_active=True,
                    role__in=loop.FIELD_ROLES, certificate_valid_until__gte=day)
            .exclude(certificate_number="").exclude(pk=user.pk)
            .order_by("full_name", "username"))


# --- list ---

@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    # Only the columns a row shows (issue 15): not the whole inspection and enterprise.
    rows = _visible(user).select_related("enterprise").only(*LIST_COLUMNS)
    if status in Inspection.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    if mine:
        rows = rows.filter(inspectors=user)
    elif not user.is_municipal:
        # Mine and my authority's: an inspector of another department on the same
        # jurisdiction sees the inspections they took part in too. EXISTS rather than
        # a join on the officers: no duplicate rows, so no DISTINCT over every column
        # (which made PostgreSQL sort the whole authority's inspections).
        took_part = Inspection.inspectors.through.objects.filter(
            inspection_id=OuterRef("pk"), user_id=user.pk)
        rows = rows.filter(Q(Exists(took_part)) | Q(authority_id=user.authority_id))
    # Keyset pagination on the primary key (the shared helper): newest first, stable
    # under inserts, no COUNT(*) and no truncation.
    page = keyset_page(request, rows, size=PAGE_SIZE)
    for row in page.rows:
        row.badge = STATUS_BADGES.get(row.status, "")  # type: ignore[attr-defined]
    link_rows(page.rows, "inspections:inspection_detail")
    return render(request, "inspections/inspection_list.html", {
        "inspections": page.rows, "page": page, "status": status, "mine": mine,
        "statuses": Inspection.Status.choices,
        "next_before": page.next_before,
        "can_create": user.has_role(*loop.FIELD_ROLES) and user.authority_id is not None,
    })


# --- create ---

def pinyin_key(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a Chinese name: the list's order and its search."""
    # errors="ignore": only the Chinese characters (not a certificate number beside them).
    return ("".join(lazy_pinyin(name, errors="ignore")),
            "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")))


class PinyinSelect(forms.Select):
    """A select whose options carry their label's pinyin (data-pinyin), for the
    filter box above it (static/js/field-forms.js)."""

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int,
                      subindex: int | None = None, attrs: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value not in ("", None):
            full, initials = pinyin_key(str(label))
            option["attrs"]["data-pinyin"] = f"{full} {initials}"
        return option


class InspectionCreateForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    planned = forms.IntegerField(widget=forms.HiddenInput, required=False)
    enterprise = forms.IntegerField(
        label=_lazy("被检查单位"),
        error_messages={"required": _lazy("请选择被检查单位。"),
                        "invalid": _lazy("请选择被检查单位。")})
    second_inspector = forms.TypedChoiceField(
        label=_lazy("第二名执法人员"), coerce=int, widget=PinyinSelect,
        error_messages={"required": _lazy("请选择第二名执法人员。"),
                        "invalid_choice": _lazy("请选择本单位持证执法人员。")})
    source = forms.ChoiceField(label=_lazy("检查来源"), choices=Inspection.Source.choices,
                               initial=Inspection.Source.AD_HOC)
    planned_date = forms.DateField(label=_lazy("检查日期"),
                                   widget=forms.DateInput(attrs={"type": "date"},
                                                          format="%Y-%m-%d"),
                                   error_messages={"required": _lazy("请填写检查日期。"),
                                                   "invalid": _lazy("日期格式无效。")})

    partner_officers = forms.CharField(
        label=_lazy("联合检查人员（可选）"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("其他部门参加联合检查的人员，每行一人：姓名，部门，执法证号"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Certified colleagues only, in pinyin order (the order a Chinese list is read in).
        colleagues = sorted(certified_colleagues(user),
                            key=lambda u: (pinyin_key(u.display_name), u.username))
        field: Any = self.fields["second_inspector"]
        field.choices = [("", _("请选择"))] + [
            (u.pk, f"{u.display_name}（{u.certificate_number}）") for u in colleagues]
        field.widget.attrs["data-testid"] = "second-inspector"
        for name in ("second_inspector", "source"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["planned_date"].widget.attrs["class"] = "form-control"
        self.fields["partner_officers"].widget.attrs["class"] = "form-control"

    def clean_partner_officers(self) -> list[dict[str, str]]:
        """One officer per line: name, department, certificate number (，or , between)."""
        officers = []
        for n, line in enumerate(self.cleaned_data["partner_officers"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    _("第%(n)s行应为“姓名，部门，执法证号”。") % {"n": n})
            officers.append({"name": parts[0][:64], "department": parts[1][:100],
                             "certificate": parts[2][:32]})
        return officers

    def clean_enterprise(self) -> Enterprise:
        pk = self.cleaned_data["enterprise"]
        enterprise = Enterprise.objects.visible_to(self.user).filter(pk=pk).first()
        if enterprise is None:
            raise forms.ValidationError(_("被检查单位不存在或不在您的管辖范围内。"))
        return enterprise


def _search_enterprises(user: Any, q: str) -> list[Enterprise]:
    q = q.strip()
    if not q:
        return []
    return list(Enterprise.objects.visible_to(user)
                .filter(Q(name__icontains=q) | Q(uscc__istartswith=q.upper()))
                .order_by("name")[:SEARCH_LIMIT])


@login_required
@require_GET
def enterprise_search(request: HttpRequest) -> HttpResponse:
    """The options under the search box (htmx swaps them in as the inspector types)."""
    return render(request, "inspections/inspection_enterprise_options.html", {
        "results": _search_enterprises(request.user, request.GET.get("q", "")),
        "q": request.GET.get("q", ""), "selected": None,
    })


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_field_role(user)
    if user.authority_id is None:
        raise PermissionDenied(_("您未隶属执法单位，不能创建检查。"))
    planned: PlannedInspection | None = None
    planned_id = request.POST.get("planned") or request.GET.get("planned")
    if planned_id:
        planned = get_object_or_404(
            PlannedInspection.objects.visible_to(user).select_related("enterprise", "draw"),
            pk=planned_id if str(planned_id).isdigit() else 0)
    if request.method == "POST":
        form = InspectionCreateForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            second = User.objects.visible_to(user).filter(pk=data["second_inspector"]).first()
            team = [user, *([second] if second else [])]
            try:
                inspection = loop.create_inspection(
                    actor=user, enterprise=data["enterprise"], inspectors=team,
                    source=data["source"], planned=planned,
                    scheme=planned.draw.scheme if planned and planned.draw else None,
                    planned_date=data["planned_date"], client_id=data["client_id"],
                    partner_officers=data["partner_officers"])
            except Forbidden as exc:
                raise PermissionDenied(exc.detail) from exc
            except DomainError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("已创建检查任务。到达现场后请点击“开始检查”。"))
                return redirect("inspections:inspection_detail", pk=inspection.pk)
        selected = form.cleaned_data.get("enterprise") if hasattr(form, "cleaned_data") \
            else None
        if not isinstance(selected, Enterprise):
            selected = Enterprise.objects.visible_to(user).filter(
                pk=request.POST.get("enterprise") or 0).first() \
                if str(request.POST.get("enterprise", "")).isdigit() else None
    else:
        initial: dict[str, Any] = {"client_id": uuid.uuid4(),
                                   "planned_date": timezone.localdate(),
                                   "source": Inspection.Source.AD_HOC}
        selected = None
        if planned is not None:
            selected = planned.enterprise
            initial.update(planned=planned.pk, enterprise=planned.enterprise_id,
                           source=PLANNED_SOURCES.get(planned.source,
                                                      Inspection.Source.AD_HOC))
            others = [u.pk for u in planned.inspectors.all() if u.pk != user.pk]
            if others:
                initial["second_inspector"] = others[0]
        form = InspectionCreateForm(initial=initial, user=user)
    q = request.GET.get("q", "")
    return render(request, "inspections/inspection_form.html", {
        "form": form, "planned": planned, "selected": selected, "q": q,
        "results": _search_enterprises(user, q),
    })


# --- the inspection page ---

class OrderForm(forms.Form):
    """The rectification order; loop.issue_order checks the rules (五到位 for majors)."""

    kind = forms.ChoiceField(label=_lazy("整改方式"), choices=RectificationOrder.Kind.choices,
                             initial=RectificationOrder.Kind.DEADLINE,
                             widget=forms.RadioSelect)
    deadline_days = forms.IntegerField(label=_lazy("整改期限（自然日）"), required=False,
                                       min_value=1, max_value=loop.MAX_RECTIFICATION_DAYS,
                                       error_messages={"invalid": _lazy("请填写整数天数。")})
    responsible_person = forms.CharField(label=_lazy("整改责任人"), max_length=64,
                                         required=False)
    measures = forms.CharField(label=_lazy("整改措施"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    funds = forms.DecimalField(label=_lazy("整改资金（万元）"), required=False, min_value=0,
                               max_digits=12, decimal_places=2,
                               error_messages={"invalid": _lazy("请填写金额。")})
    emergency_plan = forms.CharField(label=_lazy("应急预案"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    onsite_measure = forms.ChoiceField(label=_lazy("现场处理措施"), required=False,
                                       choices=OnSiteMeasure.choices)

    def __init__(self, *args: Any, hazard: Hazard, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"h{hazard.pk}")
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        # The due date is shown as the days are typed or picked (the calendar
        # service answers an htmx GET; the order itself recomputes it).
        self.fields["deadline_days"].widget.attrs.update({
            "hx-get": reverse("inspections:order_due_date"),
            "hx-trigger": "input changed delay:300ms, load",
            "hx-target": f"#due-h{hazard.pk}", "inputmode": "numeric"})
        for name, field in self.fields.items():
            if name == "kind":
                continue
            field.widget.attrs["class"] = ("form-select" if name == "onsite_measure"
                                           else "form-control")
        if hazard.is_major:
            # 五到位: shown as required; the service enforces it.
            for name in ("deadline_days", "responsible_person", "measures", "funds",
                         "emergency_plan"):
                self.fields[name].widget.attrs["required"] = "required"
                self.fields[name].label = f"{self.fields[name].label} *"


def _page_queryset(user: Any) -> QuerySet[Inspection]:
    """One query per relation whatever the number of items or hidden dangers."""
    return (_visible(user).select_related("enterprise", "authority", "planned")
            .prefetch_related(
                "inspectors",
                Prefetch("items", InspectionItem.objects.select_related(
                    "checklist_item", "hazard").prefetch_related(
                    "hazard__evidence", "checklist_item__criteria").order_by("order")),
                Prefetch("hazards", Hazard.objects.select_related(
                    "order", "item__checklist_item", "listing").prefetch_related(
                    Prefetch("rechecks", ReCheck.objects.order_by("id")),
                    "order__extensions", "major_reports",
                    "resume_applications").order_by("id"))))


def _hazard_row(hazard: Hazard, user: Any, *, bound: OrderForm | None, error: str,
                last_person: str) -> dict[str, Any]:
    is_chief = user.has_role(Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
    order = getattr(hazard, "order", None)
    rechecks = list(hazard.rechecks.all())
    open_recheck = next((r for r in rechecks if not r.result), None)
    extensions_of = list(order.extensions.all()) if order is not None else []
    pending = next((e for e in extensions_of if e.status == DeadlineExtension.Status.PENDING),
                   None)
    major = major_context(hazard, order, is_chief)
    # Under a stop measure a major hidden danger is reported and re-checked through the
    # enterprise's application to resume (its review), not the ordinary steps.
    ordinary = not major["needs_resume"]
    return {
        **major,
        "hazard": hazard, "order": order, "rechecks": rechecks,
        "open_recheck": open_recheck,
        "badge": HAZARD_BADGES.get(hazard.status, ""),
        "form": bound or (
            OrderForm(hazard=hazard, initial={"responsible_person": last_person})
            if hazard.status == Hazard.Status.OPEN else None),
        "can_report": ordinary and hazard.status == Hazard.Status.RECTIFYING,
        "can_withdraw": hazard.status == Hazard.Status.REPORTED,
        # Under a stop measure only a failing re-check is recorded here (acceptance is
        # the consent on the application to resume), and not while one is pending.
        "can_recheck": hazard.status in (Hazard.Status.RECTIFYING, Hazard.Status.REPORTED)
        and not major["pending_resume"],
        "can_pass_recheck": ordinary,
        # 停产停业 / 停止使用 past its limit (flagged by the daily sweep), danger unsettled.
        "measure_lapsed": (order is not None and order.onsite_measure_lapsed_flagged_at
                           is not None and hazard.status not in HAZARD_SETTLED),
        "criminal_check": (hazard.status == Hazard.Status.ESCALATED and hazard.is_major
                           and order is not None
                           and order.onsite_measure in loop.STOP_MEASURES),
        # 整改延期: registered while the deadline runs; decided by a chief who did not
        # register it (the service checks it again).
        "extensions": extensions_of,
        "pending_extension": pending,
        "can_extend": (order is not None and order.kind == RectificationOrder.Kind.DEADLINE
                       and hazard.status == Hazard.Status.RECTIFYING and pending is None),
        "can_decide_extension": (pending is not None and is_chief
                                 and pending.registered_by_id != user.pk),
        "error": error,
    }


def _hazard_rows(inspection: Inspection, user: Any, bound: dict[int, OrderForm],
                 errors: dict[str, str]) -> list[dict[str, Any]]:
    # The next order repeats the responsible person of the last one issued here
    # (usually the same plant manager), read from the prefetched orders.
    issued = [o for h in inspection.hazards.all() if (o := getattr(h, "order", None))]
    last_person = max(issued, key=lambda o: (o.issued_at, o.pk)).responsible_person \
        if issued else ""
    return [_hazard_row(hazard, user, bound=bound.get(hazard.pk),
                        error=errors.get(f"hazard-{hazard.pk}", ""), last_person=last_person)
            for hazard in inspection.hazards.all()]


def _last_responsible_person(inspection: Inspection) -> str:
    last = (RectificationOrder.objects.filter(hazard__inspection=inspection)
            .order_by("-issued_at", "-pk").values_list("responsible_person", flat=True)
            .first())
    return last or ""


def _render_detail(request: HttpRequest, pk: int, *, bound: dict[int, OrderForm] | None = None,
                   errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    user: Any = request.user
    inspection = get_object_or_404(_page_queryset(user), pk=pk)
    items = list(inspection.items.all())
    for it in items:
        _give_phrase(it)
    inspectors = list(inspection.inspectors.all())
    editable = (inspection.status == Inspection.Status.IN_PROGRESS
                and user.has_role(*loop.FIELD_ROLES))
    tally = {value: sum(1 for i in items if i.result == value)
             for value in InspectionItem.Result.values}
    answered = len(items) - tally[InspectionItem.Result.PENDING]
    first_pending = next((i.pk for i in items if i.result == InspectionItem.Result.PENDING),
                         None)
    rows = _hazard_rows(inspection, user, bound or {}, errors or {})
    hazards = rows
    if editable:
        # While answering, a failed item's hidden danger (and its order form) opens
        # inside the item's card; only findings outside the checklist stay on top.
        by_item = {row["hazard"].item_id: row for row in rows if row["hazard"].item_id}
        for it in items:
            it.hazard_row = by_item.get(it.pk)  # type: ignore[attr-defined]
        hazards = [row for row in rows if not row["hazard"].item_id]
    # The re-check form's choice of a second officer (only when a re-check is due).
    recheck_officers = (list(certified_colleagues(user))
                        if any(r["can_recheck"] or r["can_review_resume"] for r in rows)
                        else [])
    return render(request, "inspections/inspection_detail.html", {
        "recheck_officers": recheck_officers,
        "inspection": inspection, "items": items, "inspectors": inspectors,
        "badge": STATUS_BADGES.get(inspection.status, ""),
        "editable": editable, "answered": answered, "hazards": hazards,
        "tally": tally, "first_pending": first_pending,
        "answer_choices": ANSWER_CHOICES, "errors": errors or {},
        "deadline_presets": DEADLINE_PRESETS,
        "can_act": user.has_role(*loop.FIELD_ROLES),
        "open_hazards": sum(1 for h in rows
                            if h["hazard"].status not in HAZARD_SETTLED),
        "awaiting_delisting": sum(1 for h in rows if h["listing"] is not None
                                  and h["listing"].status == "listed"
                                  and h["hazard"].status == Hazard.Status.ACCEPTED),
        "offline_pages": kept_offline(inspection, user),
    }, status=status)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, pk)


STEPS: dict[str, Any] = {"start": loop.start_inspection, "complete": loop.complete_findings,
                         "close": loop.close_inspection, "cancel": loop.cancel_inspection}
STEP_MESSAGES = {"start": _lazy("检查已开始，请逐项记录检查结果。"),
                 "complete": _lazy("检查结果已提交。"),
                 "close": _lazy("检查已闭环。"),
                 "cancel": _lazy("检查任务已取消。")}


@login_required
@require_POST
def inspection_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    inspection = _get_for_post(request, pk)
    service = STEPS.get(step)
    if service is None:
        return HttpResponse(status=404)
    try:
        extra = {"reason": request.POST.get("reason", "")} if step == "cancel" else {}
        service(inspection, actor=request.user, **extra)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        # Shown next to the button that was pressed; the service wrote nothing.
        return _render_detail(request, pk, errors={f"step-{step}": _error_text(exc)},
                              status=exc.status_code)
    messages.success(request, str(STEP_MESSAGES[step]))
    return redirect(_detail_url(pk))


# --- answers (htmx) ---

def _give_phrase(item: InspectionItem) -> None:
    """Each rendering of a card offers the standard phrase of its question for a
    non-compliance. (Its camera form needs no id from here: the phone's queue gives
    every photo its own client id when it is taken.)"""
    item.standard_phrase = standard_phrase(  # type: ignore[attr-defined]
        item.checklist_item.text)


def _render_card(request: HttpRequest, item: InspectionItem, *, saved: bool = False,
                 error: str = "", note: str | None = None, status: int = 200) -> HttpResponse:
    _give_phrase(item)
    hazard = getattr(item, "hazard", None)
    if item.result == InspectionItem.Result.NON_COMPLIANT and hazard is not None:
        item.hazard_row = _hazard_row(  # type: ignore[attr-defined]
            hazard, request.user, bound=None, error="",
            last_person=_last_responsible_person(item.inspection))
    row = getattr(item, "hazard_row", None)
    return render(request, "inspections/inspection_item_card.html", {
        "recheck_officers": (list(certified_colleagues(request.user))
                             if row and (row["can_recheck"] or row["can_review_resume"])
                             else []),
        "can_act": True, "deadline_presets": DEADLINE_PRESETS,
        "item": item, "inspection": item.inspection, "editable": True, "saved": saved,
        "error": error, "note": item.note if note is None else note,
        "answer_choices": ANSWER_CHOICES, "no_criterion": NO_CRITERION,
        "criterion": request.POST.get("criterion", ""),
        "major_reason": request.POST.get("major_reason", ""),
    }, status=status)


#: The criterion select's value for "none of the item's criteria applies".
NO_CRITERION = "none"


def _classification_input(request: HttpRequest, result: str) -> dict[str, Any] | None:
    """The inspector's statement of which major-hazard criterion a failure falls under
    (the card's select, shown on items with several criteria), or why none does; the
    service (checklists.classification) decides and audits it."""
    if result != InspectionItem.Result.NON_COMPLIANT:
        return None
    criterion = request.POST.get("criterion", "").strip()
    reason = request.POST.get("major_reason", "").strip()
    if criterion == NO_CRITERION:
        return {"is_major": False, "major_reason": reason}
    if criterion or reason:
        return {"criterion": criterion, "major_reason": reason}
    return None


@login_required
@require_POST
def answer_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    inspection = _get_for_post(request, pk)
    result = request.POST.get("result", "")
    note = request.POST.get("note", "").strip()
    error = ""
    try:
        # Sent by the phone's queue (static/js/offline-queue.js): the answer's own id
        # and when it was given on site.
        client_id = parse_client_id(request.POST.get("client_id"))
        given = parse_given_at(request.POST.get("given_at"))
        loop.record_answer(inspection, item_id, actor=request.user, result=result, note=note,
                           hazard=_classification_input(request, result),
                           client_id=client_id, given=given)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        error = _error_text(exc)
        if not result:
            error = _("请先选择符合、不符合或不适用，备注会一并保存。")
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(_detail_url(pk, f"item-{item_id}"))
    item = get_object_or_404(InspectionItem.objects.select_related(
        "checklist_item", "hazard", "inspection").prefetch_related("checklist_item__criteria"),
        inspection=inspection, pk=item_id)
    # htmx swaps only 2xx answers: an error is still a 200 with the message in the card.
    return _render_card(request, item, saved=not error, error=error,
                        note=note if error else None)


# --- hidden dangers ---

DEADLINE_PRESETS = (3, 7, 15, 30)


@login_required
@require_GET
def order_due_date(request: HttpRequest) -> HttpResponse:
    """The due date of an order of N calendar days issued today, from the calendar
    service (the same arithmetic issue_order uses). The field is prefixed per hidden
    danger, so any parameter ending in deadline_days is read."""
    raw = str(next((v for k, v in request.GET.items() if k.endswith("deadline_days")), ""))
    due = None
    if raw.strip().isdigit() and 1 <= int(raw) <= loop.MAX_RECTIFICATION_DAYS:
        due = add_calendar_days(timezone.localdate(), int(raw))
    return render(request, "inspections/order_due_date.html",
                  {"due": due, "raw": raw, "max_days": loop.MAX_RECTIFICATION_DAYS})


def _hazard_for_post(request: HttpRequest, pk: int, hid: int) -> tuple[Inspection, Hazard]:
    inspection = _get_for_post(request, pk)
    hazard = get_object_or_404(Hazard.objects.select_related("inspection"),
                               inspection=inspection, pk=hid)
    return inspection, hazard


@login_required
@require_POST
def hazard_order(request: HttpRequest, pk: int, hid: int) -> HttpResponse:
    inspection, hazard = _hazard_for_post(request, pk, hid)
    form = OrderForm(request.POST, hazard=hazard)
    if form.is_valid():
        data = form.cleaned_data
        funds: Decimal | None = data.get("funds")
        try:
            loop.issue_order(hazard, actor=request.user, kind=data["kind"],
                             responsible_person=data.get("responsible_person") or "",
                             measures=data.get("measures") or "",
                             deadline_days=data.get("deadline_days"), funds=funds,
                             emergency_plan=data.get("emergency_plan") or "",
                             onsite_measure=data.get("onsite_measure") or "")
        except Forbidden as exc:
            raise PermissionDenied(exc.detail) from exc
        except DomainError as exc:
            _field_errors(form, exc)
            return _render_detail(request, inspection.pk, bound={hazard.pk: form},
                                  errors={f"hazard-{hazard.pk}": _error_text(exc)},
                                  status=exc.status_code)
        messages.success(request, _("已下达整改指令。"))
        return redirect(_detail_url(inspection.pk, f"hazard-{hazard.pk}"))
    return _render_detail(request, inspection.pk, bound={hazard.pk: form},
                          errors={f"hazard-{hazard.pk}": _("整改指令填写有误，请检查标注的项目。")},
                          status=400)


def _second_officer(request: HttpRequest) -> list[User]:
    """The re-check's second officer chosen on the form (a certified colleague), or
    none: the service then takes the inspection's own team."""
    raw = request.POST.get("second_officer", "").strip()
    if not raw:
        return []
    officer = certified_colleagues(request.user).filter(pk=_int_or_none(raw) or 0).first()
    if officer is None:
        raise InvalidInput(_("所选复查人员不是本单位持有效执法证的执法人员。"),
                           "The second officer is not a certified colleague.",
                           fields={"second_officer": [_("请重新选择复查人员。")]})
    return [officer]


def _int_or_none(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 6 else None


def _date_or_400(request: HttpRequest, field: str) -> datetime.date | None:
    """An optional YYYY-MM-DD field of a page form; anything else is bad input."""
    raw = request.POST.get(field)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        message = _("日期格式应为 YYYY-MM-DD。")
        raise InvalidInput(message, "Dates are YYYY-MM-DD.",
                           fields={field: [message]}) from exc


@login_required
@require_POST
def hazard_action(request: HttpRequest, pk: int, hid: int, action: str) -> HttpResponse:
    inspection, hazard = _hazard_for_post(request, pk, hid)
    user: Any = request.user
    note = request.POST.get("note", "")
    try:
        if action == "report":
            loop.report_rectified(hazard, actor=user,
                                  reported_on=_date_or_400(request, "reported_on"))
            done = _("已记录单位报告整改完成，请在期限内复查。")
        elif action in ("accept", "fail"):
            loop.record_recheck(hazard, actor=user, passed=action == "accept", note=note,
                                inspectors=_second_officer(request))
            done = (_("复查通过，隐患已销号。") if action == "accept"
                    else _("复查不合格，已移交立案。"))
        elif action == "withdraw":
            loop.withdraw_report(hazard, actor=user, reason=request.POST.get("reason", ""))
            done = _("已撤回整改完成报告，继续整改。")
        elif action == "extend":
            extensions.request_extension(
                hazard, actor=user, requested_on=_date_or_400(request, "requested_on"),
                extra_days=_int_or_none(request.POST.get("extra_days")),
                reason=request.POST.get("reason", ""))
            done = _("已登记单位的延期申请，待科室负责人审批。")
        elif action == "extension":
            pending = DeadlineExtension.objects.filter(
                order__hazard=hazard, status=DeadlineExtension.Status.PENDING).first()
            if pending is None:
                raise DomainError("没有待审批的延期申请。", "No extension request is pending.")
            approve = request.POST.get("decision") == "approve"
            extensions.decide_extension(pending, actor=user, approve=approve,
                                        reason=request.POST.get("decision_reason", ""))
            done = _("已批准延期，整改期限已顺延。") if approve else _("已决定不予延期。")
        else:
            return HttpResponse(status=404)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        return _render_detail(request, inspection.pk,
                              errors={f"hazard-{hazard.pk}": _error_text(exc)},
                              status=exc.status_code)
    messages.success(request, done)
    return redirect(_detail_url(inspection.pk, f"hazard-{hazard.pk}"))
