"""Admin of the document data: abbreviations, patterns, types and notices are edited by
the municipal administrator; issued documents and the serial ledger are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AuthorityNumbering,
    DocumentType,
    IssuedDocument,
    RightsNotice,
    SerialAllocation,
)


class MunicipalOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_municipal", False)) and super() \
            .has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_municipal", False)) and super() \
            .has_change_permission(request, obj)


@admin.register(AuthorityNumbering)
class AuthorityNumberingAdmin(MunicipalOnly):
    list_display = ["authority", "abbreviation", "pattern", "review_body", "court"]
    search_fields = ["authority__name", "abbreviation"]
    raw_id_fields = ["authority"]


@admin.register(DocumentType)
class DocumentTypeAdmin(MunicipalOnly):
    list_display = ["code", "name", "series", "requires", "rights_notice", "source"]
    search_fields = ["code", "name"]


@admin.register(RightsNotice)
class RightsNoticeAdmin(MunicipalOnly):
    list_display = ["key", "text", "source"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SerialAllocation)
class SerialAllocationAdmin(ReadOnly):
    list_display = ["authority", "year", "series", "serial", "status", "gap_reason"]
    list_filter = ["series", "status", "year"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnly):
    list_display = ["number", "title", "authority", "status", "issued_at", "sha256"]
    list_filter = ["status", "doc_type"]
    search_fields = ["number", "title"]
    exclude = ["pdf"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return IssuedDocument.objects.visible_to(request.user)
