"""Admin for the work calendar: only the municipal administrator (and superusers) edit it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.admin_access import MunicipalAdminOnly, is_municipal_admin
from hangzhou_safety.api.errors import DomainError

from .models import CalendarYear, ClockRule, Deadline, DeadlinePause, SpecialDay
from .services import publish_year

HOW_TO_ENTER_A_YEAR = _(
    "国务院办公厅通常于每年11月发布下一年度“部分节假日安排的通知”。通知发布后：\n"
    "1. 新建（或打开系统自动生成的）下一年度记录，来源选“人工录入”，备注填写通知文号；\n"
    "2. 在下方“节假日/调休日”中逐日录入：放假的每一天（含落在周末的放假日）选“法定节假日（放假）”，"
    "周末调休上班的日子选“调休上班日”，名称填节日名称（如：春节）；普通周一至周五无需录入；\n"
    "3. 对照通知核对无误后勾选“已发布”并保存。发布后，跨入该年度的“暂定”期限将自动重新计算。\n"
    "未发布的年度临时按周末及《全国年节及纪念日放假办法》规定的法定节假日休息计算（调休未知），"
    "相关期限标记为“暂定”。已发布年度如需更正，直接修改对应日期即可。"
)


class SpecialDayInline(MunicipalAdminOnly, admin.TabularInline):
    model = SpecialDay
    fields = ["date", "kind", "name"]
    ordering = ["date"]
    extra = 3


@admin.register(CalendarYear)
class CalendarYearAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    list_display = ["year", "published", "source", "holiday_count", "workday_count", "note",
                    "updated_at"]
    list_filter = ["published", "source"]
    readonly_fields = ["warned_on", "updated_at"]
    inlines = [SpecialDayInline]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        # Built per request so the help text is translated into the active language.
        return [(None, {
            "fields": ["year", "published", "source", "note", "warned_on", "updated_at"],
            "description": linebreaksbr(str(HOW_TO_ENTER_A_YEAR)),
        })]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return super().get_queryset(request).annotate(
            n_holidays=Count("special_days", filter=Q(special_days__kind="holiday")),
            n_workdays=Count("special_days", filter=Q(special_days__kind="workday")),
        )

    @admin.display(description=_("放假天数"), ordering="n_holidays")
    def holiday_count(self, obj: Any) -> int:
        return int(getattr(obj, "n_holidays", 0))

    @admin.display(description=_("调休上班天数"), ordering="n_workdays")
    def workday_count(self, obj: Any) -> int:
        return int(getattr(obj, "n_workdays", 0))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The year number is the key the special days hang on: fixed once created.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "year"] if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Publishing goes through publish_year (audit event, recomputation after commit),
        # and only once the inline days are saved, so save unpublished for now.
        was_published = bool(change and CalendarYear.objects.filter(
            pk=obj.pk, published=True).exists())
        obj._publish_requested = obj.published and not was_published
        if obj._publish_requested:
            obj.published = False
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any,
                     change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if getattr(obj, "_publish_requested", False):
            try:
                publish_year(obj.year, actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
            else:
                obj.published = True
                self.message_user(request, _("已发布，暂定期限将自动重新计算。"), messages.SUCCESS)


@admin.register(SpecialDay)
class SpecialDayAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    list_display = ["date", "kind", "name", "calendar_year"]
    list_filter = ["calendar_year", "kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["-date"]


class DeadlinePauseInline(admin.TabularInline):
    model = DeadlinePause
    fields = ["paused_at", "resumed_at", "pause_reason", "resume_reason"]
    readonly_fields = ["paused_at", "resumed_at", "pause_reason", "resume_reason"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: clocks change only through the services (audited)."""

    list_display = ["label", "kind", "amount", "started_at", "due_date", "due_at",
                    "provisional", "status"]
    list_filter = ["status", "kind", "provisional"]
    search_fields = ["label", "legal_basis", "object_id"]
    inlines = [DeadlinePauseInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_municipal_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_municipal_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClockRule)
class ClockRuleAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    """The statutory periods: corrected here when a text changes (a running clock keeps
    the period it started with). Rules are disabled, never deleted: clocks name them."""

    list_display = ["code", "label", "amount", "kind", "legal_basis", "evidence", "active",
                    "updated_at"]
    list_filter = ["kind", "evidence", "active"]
    search_fields = ["code", "label", "legal_basis", "source"]
    readonly_fields = ["updated_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Services look rules up by code: fixed once created.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code"] if obj is not None else fields
