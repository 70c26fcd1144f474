"""Admin of the supervision bases kept as data: enclave agreements (飞地协议) and the
legal basis on which a functional-zone committee supervises (ZoneMandate).

The municipal administrator records them from the governments' documents. Saving one
re-derives the supervisor of every enterprise it covers (services.refresh_supervisors:
each change is a SupervisionChange with an audit event), so the registry never waits
for the daily job. They are never deleted: an agreement or a mandate ends on its
失效日期, which keeps the history of who supervised on what basis.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest

from hangzhou_safety.accounts.admin_access import MunicipalAdminOnly

from .models import EnclaveAgreement, Enterprise, ZoneMandate
from .services import refresh_supervisors


class MunicipalRecordAdmin(MunicipalAdminOnly, admin.ModelAdmin):
    """Kept by the municipal administrator only; ended by date, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _located_in(codes: list[str]) -> list[int]:
    if not codes:
        return []
    area = Q()
    for code in codes:
        area |= Q(location_path__contains=f"{code}/")
    return list(Enterprise.objects.filter(area).values_list("pk", flat=True))


@admin.register(EnclaveAgreement)
class EnclaveAgreementAdmin(MunicipalRecordAdmin):
    list_display = ["title", "document_number", "location_district", "supervising_district",
                    "supervising_authority", "valid_from", "valid_until"]
    list_filter = ["location_district", "supervising_district"]
    search_fields = ["title", "document_number"]
    raw_id_fields = ["enterprises"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any,
                     change: bool) -> None:
        agreement: EnclaveAgreement = form.instance
        before = set(agreement.enterprises.values_list("pk", flat=True)) if change else set()
        old_area = list(EnclaveAgreement.objects.filter(pk=agreement.pk)
                        .values_list("area_codes", flat=True).first() or [])
        super().save_related(request, form, formsets, change)
        covered = (before | set(agreement.enterprises.values_list("pk", flat=True))
                   | set(_located_in(list(agreement.area_codes) + old_area)))
        refresh_supervisors(sorted(covered), actor=request.user,
                            reason=f"飞地协议登记或修改：{agreement.document_number}")


@admin.register(ZoneMandate)
class ZoneMandateAdmin(MunicipalRecordAdmin):
    list_display = ["zone_authority", "kind", "granted_by", "document_number", "valid_from",
                    "valid_until"]
    list_filter = ["kind"]
    search_fields = ["document_number", "granted_by"]

    def save_model(self, request: HttpRequest, obj: ZoneMandate, form: Any,
                   change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The zone committee supervises enterprises located in its jurisdiction: with a
        # valid mandate it may, without one the registry raises it as a problem.
        zone = obj.zone_authority.jurisdiction
        ids = Enterprise.objects.filter(location_path__startswith=zone.path).values_list(
            "pk", flat=True)
        refresh_supervisors(list(ids), actor=request.user,
                            reason=f"功能区监管依据登记或修改：{obj.document_number}")
