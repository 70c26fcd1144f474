"""Admin of the publication periods: the municipal administrator's data (信用修复管理办法)."""

from __future__ import annotations

from django.contrib import admin

from hangzhou_safety.accounts.admin_access import MunicipalAdminOnly

from .models import Disclosure, PublicationPeriod


@admin.register(PublicationPeriod)
class PublicationPeriodAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    list_display = ("severity", "min_months", "max_months", "publish", "source", "updated_at")
    readonly_fields = ("updated_at",)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a severity without its period would stop publication


@admin.register(Disclosure)
class DisclosureAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    """Read-only view of the disclosure records for the municipal administrator (the
    steps go through the pages and the API, never through the admin)."""

    list_display = ("id", "party_name", "document_number", "decision_type", "status",
                    "decided_on", "published_at")
    list_filter = ("status", "decision_type", "district_code")
    search_fields = ("party_name", "document_number", "violation")
    list_select_related = False
    show_full_result_count = False
    exclude = ("original_text", "masks", "search_text", "search_bigrams")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
