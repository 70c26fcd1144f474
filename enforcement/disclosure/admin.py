"""Admin of the publication periods: the municipal administrator's data (信用修复管理办法)."""

from __future__ import annotations

from django.contrib import admin

from hangzhou_safety.accounts.admin_access import MunicipalAdminOnly

from .models import PublicationPeriod


@admin.register(PublicationPeriod)
class PublicationPeriodAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    list_display = ("severity", "min_months", "max_months", "publish", "source", "updated_at")
    readonly_fields = ("updated_at",)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a severity without its period would stop publication
