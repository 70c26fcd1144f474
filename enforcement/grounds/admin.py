"""Admin of the enforcement rules: only the municipal administrator edits them.

The discretion table is edited as drafts only: a published or superseded version and
its rows open read-only (and the database refuses changes anyway). Publishing and
"new draft from this version" are admin actions calling the services, so they are
audited and go through the transition primitive.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.admin_access import MunicipalAdminOnly
from hangzhou_safety.api.errors import DomainError

from . import services
from .models import DiscretionBenchmark, DiscretionVersion, ProcedureThreshold, ViolationType


@admin.register(ProcedureThreshold)
class ProcedureThresholdAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    list_display = ["code", "party_kind", "amount", "valid_from", "tag", "source"]
    list_filter = ["code", "party_kind", "tag"]


def _draft(version: DiscretionVersion | None) -> bool:
    return version is None or version.status == DiscretionVersion.Status.DRAFT


class RulesAdminOnly(MunicipalAdminOnly):
    """The municipal administrator, and only while the version is a draft."""

    def _version_of(self, obj: Any) -> DiscretionVersion | None:
        if obj is None or isinstance(obj, DiscretionVersion):
            return obj
        return obj.version if isinstance(obj, ViolationType) else obj.violation.version

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (services.is_rules_admin(request.user)
                and _draft(self._version_of(obj)))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)


class ViolationTypeInline(RulesAdminOnly, admin.TabularInline):
    model = ViolationType
    fields = ["order", "code", "name", "breached_article", "penalty_article"]
    show_change_link = True
    extra = 0


@admin.register(DiscretionVersion)
class DiscretionVersionAdmin(RulesAdminOnly, admin.ModelAdmin):
    list_display = ["name", "valid_from", "status", "published_at", "based_on"]
    list_filter = ["status"]
    readonly_fields = ["status", "based_on", "created_at", "published_at", "published_by"]
    fields = ["name", "valid_from", "source", "note", *readonly_fields]
    inlines = [ViolationTypeInline]
    actions = ["publish", "new_draft"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.is_rules_admin(request.user)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not services.is_rules_admin(request.user):
            actions.pop("publish", None)
            actions.pop("new_draft", None)
        return actions

    @admin.action(description=_("发布所选草稿"))
    def publish(self, request: HttpRequest, queryset: QuerySet[DiscretionVersion]) -> None:
        for version in queryset.order_by("id"):
            try:
                services.publish_version(version, actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
            else:
                self.message_user(request, _("已发布：%s") % version.name, messages.SUCCESS)

    @admin.action(description=_("以所选版本新建草稿"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[DiscretionVersion]) -> None:
        for version in queryset.order_by("id"):
            try:
                draft = services.new_draft_from(
                    version, actor=request.user, name=f"{version.name}（修订草稿）",
                    valid_from=timezone.localdate())
            except DomainError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
            else:
                self.message_user(request, _("已新建草稿：%s") % draft.name, messages.SUCCESS)


class DiscretionBenchmarkInline(RulesAdminOnly, admin.StackedInline):
    model = DiscretionBenchmark
    extra = 0
    fieldsets = [
        (None, {"fields": ["level", "circumstance", "other_penalties", "no_penalty_possible",
                           "illustrative", "source", "note"]}),
        (_("单位罚款"), {"fields": ["unit_clause", ("statutory_unit_fine_min",
                                                "statutory_unit_fine_max"),
                                    ("unit_fine_min", "unit_fine_max")]}),
        (_("处罚到人"), {"fields": ["person_kind", "person_clause",
                                    ("statutory_person_fine_min", "statutory_person_fine_max"),
                                    ("person_fine_min", "person_fine_max")]}),
    ]


@admin.register(ViolationType)
class ViolationTypeAdmin(RulesAdminOnly, admin.ModelAdmin):
    list_display = ["code", "name", "penalty_article", "version"]
    list_filter = ["version"]
    search_fields = ["code", "name"]
    inlines = [DiscretionBenchmarkInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Violations are added to drafts only (the trigger refuses the others).
        if db_field.name == "version":
            kwargs["queryset"] = DiscretionVersion.objects.filter(
                status=DiscretionVersion.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
