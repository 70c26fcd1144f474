"""Admin of the enforcement rules: only the municipal administrator edits them."""

from __future__ import annotations

from django.contrib import admin

from hangzhou_safety.workdays.admin import CalendarAdminOnly

from .models import ProcedureThreshold


@admin.register(ProcedureThreshold)
class ProcedureThresholdAdmin(CalendarAdminOnly, admin.ModelAdmin):
    list_display = ["code", "party_kind", "amount", "valid_from", "tag", "source"]
    list_filter = ["code", "party_kind", "tag"]
