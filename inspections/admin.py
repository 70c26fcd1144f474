"""Admin of the checklist bases: the municipal administrator completes or corrects the
major-hazard criteria texts from the official publications and sees which checklist
items cite a superseded text."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hangzhou_safety.accounts.models import Role
from inspections.checklists.models import ChecklistItem, MajorHazardCriterion


def _is_municipal_admin(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and (user.is_superuser or user.role == Role.MUNICIPAL_ADMIN))


@admin.register(MajorHazardCriterion)
class MajorHazardCriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "standard", "clause", "status"]
    list_filter = ["standard", "status"]
    search_fields = ["code", "clause", "text"]
    readonly_fields = ["code", "standard", "clause"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_municipal_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_municipal_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_municipal_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "law", "law_version", "article", "needs_rebasing", "retired_at"]
    list_filter = ["template", "law", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "law", "article"]
    readonly_fields = ["template", "order", "criteria"]

    @admin.display(boolean=True, description="依据已修订，待核对")
    def needs_rebasing(self, obj: ChecklistItem) -> bool:
        return obj.needs_rebasing

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_municipal_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_municipal_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_municipal_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
