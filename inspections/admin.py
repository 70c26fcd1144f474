"""Admin of the checklist bases: the municipal administrator completes or corrects the
major-hazard criteria texts from the official publications and sees which checklist
items cite a superseded text."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hangzhou_safety.accounts.admin_access import MunicipalAdminOnly
from inspections.checklists.models import ChecklistItem, MajorHazardCriterion


class SeededRowAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    """Rows the seed creates: the municipal administrator corrects them, never adds or
    deletes one."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MajorHazardCriterion)
class MajorHazardCriterionAdmin(SeededRowAdmin):
    list_display = ["code", "standard", "clause", "status"]
    list_filter = ["standard", "status"]
    search_fields = ["code", "clause", "text"]
    readonly_fields = ["code", "standard", "clause"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SeededRowAdmin):
    list_display = ["__str__", "law", "law_version", "article", "needs_rebasing", "retired_at"]
    list_filter = ["template", "law", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "law", "article"]
    readonly_fields = ["template", "order", "criteria"]

    @admin.display(boolean=True, description="依据已修订，待核对")
    def needs_rebasing(self, obj: ChecklistItem) -> bool:
        return obj.needs_rebasing
