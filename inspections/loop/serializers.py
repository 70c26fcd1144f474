"""API shapes of the four-checklist loop (/api/v1/inspections/).

Read serializers only read what the view prefetched (no query per row). Write
serializers only parse: the services in loop/services.py check the domain rules and write.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hangzhou_safety.api.fields import ChoiceLabelField, StrictBooleanField
from inspections.loop.models import (
    DeadlineExtension,
    Hazard,
    Inspection,
    InspectionItem,
    ReCheck,
    RectificationOrder,
)
from inspections.loop.services import MAX_RECTIFICATION_DAYS
from inspections.loop.supervision_serializers import (
    ListingSerializer,
    MajorReportSerializer,
    ResumeApplicationSerializer,
)

_REQUIRED: dict[str, Any] = {"required": "该字段为必填项。", "null": "该字段不能为空。",
                             "blank": "该字段不能为空。"}
_INT: dict[str, Any] = {**_REQUIRED, "invalid": "请输入整数。",
                        "min_value": "不能小于 {min_value}。",
                        "max_value": "不能大于 {max_value}。"}


class InspectorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    certificate_number = serializers.CharField(read_only=True)
    certificate_valid_until = serializers.DateField(read_only=True)


class InspectionListSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    # Plain strings, not enum components (several models name a choice field "status").
    # The field is named after the model's "source"; the stubs type Field.source as str.
    source = serializers.CharField(  # type: ignore[assignment]
        read_only=True,
        help_text="draw | key_list | report_12350 | accident | recheck | ad_hoc")
    # Cached labels, not get_FOO_display() through DRF's per-row signature check.
    source_display = ChoiceLabelField(Inspection.Source, source="source")
    status = serializers.CharField(
        read_only=True, help_text="planned | in_progress | rectifying | closed | cancelled")
    status_display = ChoiceLabelField(Inspection.Status, source="status")
    inspectors = InspectorSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "authority", "enterprise", "enterprise_name", "source",
                  "source_display", "status", "status_display", "planned_date",
                  "started_at", "findings_done_at", "closed_at", "verification_code",
                  "client_id", "inspectors", "created_at"]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="checklist_item.text", read_only=True)
    legal_basis = serializers.CharField(source="checklist_item.legal_basis", read_only=True)
    major_criterion = serializers.CharField(source="checklist_item.major_hazard_criterion",
                                            read_only=True)
    occupational_health = serializers.BooleanField(
        source="checklist_item.occupational_health", read_only=True)
    result = serializers.CharField(
        read_only=True, help_text="pending | compliant | non_compliant | not_applicable")
    result_display = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = InspectionItem
        fields = ["id", "order", "checklist_item", "text", "legal_basis", "major_criterion",
                  "occupational_health", "result", "result_display", "note", "answered_at"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="on_spot | deadline")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    onsite_measure = serializers.CharField(read_only=True)

    class Meta:
        model = RectificationOrder
        fields = ["id", "kind", "kind_display", "deadline_days", "due_date",
                  "due_provisional", "responsible_person", "measures", "funds",
                  "emergency_plan", "onsite_measure", "onsite_measure_until",
                  "onsite_measure_until_provisional", "onsite_measure_lapsed_flagged_at",
                  "issued_at", "reported_done_at", "overdue_flagged_at"]
        read_only_fields = fields


class ReCheckSerializer(serializers.ModelSerializer):
    result = serializers.CharField(read_only=True, help_text="'' (pending) | passed | failed")

    class Meta:
        model = ReCheck
        fields = ["id", "due_date", "due_provisional", "result", "note", "checked_at",
                  "overdue_flagged_at"]
        read_only_fields = fields


class DeadlineExtensionSerializer(serializers.ModelSerializer):
    """整改延期申请 as registered and decided (loop/extensions.py)."""

    status = serializers.CharField(read_only=True, help_text="pending | approved | refused")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    hazard = serializers.IntegerField(source="order.hazard_id", read_only=True)
    registered_by_name = serializers.CharField(source="registered_by.display_name",
                                               read_only=True)
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = DeadlineExtension
        fields = ["id", "hazard", "requested_on", "extra_days", "reason", "status",
                  "status_display", "registered_by", "registered_by_name", "registered_at",
                  "old_due_date", "new_due_date", "decided_by", "decided_by_name",
                  "decided_at", "decision_reason"]
        read_only_fields = fields

    def get_decided_by_name(self, extension: DeadlineExtension) -> str | None:
        return extension.decided_by.display_name if extension.decided_by else None


class HazardSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="open | rectifying | reported | accepted | escalated")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    order = serializers.SerializerMethodField()
    rechecks = ReCheckSerializer(many=True, read_only=True)
    listing = serializers.SerializerMethodField()
    major_reports = MajorReportSerializer(many=True, read_only=True)
    resume_applications = ResumeApplicationSerializer(many=True, read_only=True)
    extensions = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = ["id", "inspection", "item", "description", "legal_basis", "is_major",
                  "major_criterion", "plant_location", "status", "status_display",
                  "listed_at", "delisted_at", "client_id", "created_at", "order",
                  "rechecks", "listing", "major_reports", "resume_applications",
                  "extensions"]
        read_only_fields = fields

    def get_listing(self, hazard: Hazard) -> dict[str, Any] | None:
        try:
            listing = hazard.listing
        except ObjectDoesNotExist:
            return None
        return dict(ListingSerializer(listing).data)

    def get_order(self, hazard: Hazard) -> dict[str, Any] | None:
        # The view select_related()s the reverse one-to-one: a missing order costs nothing.
        try:
            order = hazard.order
        except ObjectDoesNotExist:
            return None
        return dict(OrderSerializer(order).data)

    @extend_schema_field(DeadlineExtensionSerializer(many=True))
    def get_extensions(self, hazard: Hazard) -> list[dict[str, Any]]:
        # The order's extension requests, oldest first (hazard_queryset() prefetches
        # them with their registering and deciding officers).
        try:
            order = hazard.order
        except ObjectDoesNotExist:
            return []
        return list(DeadlineExtensionSerializer(order.extensions.all(), many=True).data)


class InspectionDetailSerializer(InspectionListSerializer):
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    items = ItemSerializer(many=True, read_only=True)
    hazards = HazardSerializer(many=True, read_only=True)

    class Meta(InspectionListSerializer.Meta):
        fields = [*InspectionListSerializer.Meta.fields, "planned", "scheme",
                  "partner_officers", "created_by_name", "items", "hazards"]
        read_only_fields = fields


# --- Write shapes ---

class PartnerOfficerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, error_messages=_REQUIRED)
    department = serializers.CharField(max_length=100, error_messages=_REQUIRED)
    certificate = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                        default="")


class InspectionCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(error_messages=_INT)
    inspectors = serializers.ListField(child=serializers.IntegerField(error_messages=_INT),
                                       error_messages={**_REQUIRED,
                                                       "not_a_list": "执法人员应为列表。"})
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=16, error_messages=_REQUIRED)
    planned = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       error_messages=_INT)
    scheme = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      error_messages=_INT)
    planned_date = serializers.DateField(required=False, allow_null=True, default=None,
                                         error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})
    partner_officers = PartnerOfficerSerializer(many=True, required=False, default=list)
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None,
                                      error_messages={"invalid": "提交编号应为 UUID。"})


class HazardDetailsSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, default="")
    is_major = serializers.BooleanField(required=False)
    # The major-hazard criterion (its code) the inspector finds applies, and the reason
    # when departing from the item's classification (kept in the audit trail).
    criterion = serializers.CharField(required=False, allow_blank=True, default="",
                                      max_length=16)
    major_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                         max_length=500)
    plant_location = serializers.CharField(required=False, allow_blank=True, default="",
                                           max_length=200)


class AnswerSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=16, error_messages=_REQUIRED)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    hazard = HazardDetailsSerializer(required=False, allow_null=True, default=None)


class HazardCreateSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True, error_messages=_REQUIRED)
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=200)
    is_major = serializers.BooleanField(required=False, default=False)
    plant_location = serializers.CharField(required=False, allow_blank=True, default="",
                                           max_length=200)
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None,
                                      error_messages={"invalid": "提交编号应为 UUID。"})


class OrderWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=16, error_messages=_REQUIRED)
    deadline_days = serializers.IntegerField(required=False, allow_null=True, default=None,
                                             error_messages=_INT)
    responsible_person = serializers.CharField(required=False, allow_blank=True, default="",
                                               max_length=64)
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    funds = serializers.DecimalField(max_digits=12, decimal_places=2, required=False,
                                     allow_null=True, default=None,
                                     error_messages={"invalid": "请输入数字。"})
    emergency_plan = serializers.CharField(required=False, allow_blank=True, default="")
    onsite_measure = serializers.CharField(required=False, allow_blank=True, default="",
                                           max_length=16)


class ReportRectifiedSerializer(serializers.Serializer):
    reported_on = serializers.DateField(required=False, allow_null=True, default=None,
                                        error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})


class StepReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


_DAYS = f"延长天数应为 1–{MAX_RECTIFICATION_DAYS} 日。"


class DeadlineExtensionRequestSerializer(serializers.Serializer):
    """The enterprise's written request as an officer registers it. Missing or blank
    parts reach the service, which names each one (loop/extensions.py)."""

    requested_on = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text="单位书面申请的日期 (the date of the written request), on or before "
                  "the deadline and not in the future",
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})
    extra_days = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        max_value=MAX_RECTIFICATION_DAYS, help_text="申请延长的自然日 (calendar days)",
        error_messages={**_INT, "min_value": _DAYS, "max_value": _DAYS})
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   max_length=2000, help_text="单位申请延期的理由")


class DeadlineExtensionDecisionSerializer(serializers.Serializer):
    approve = StrictBooleanField(help_text="true: 批准 (approve), false: 不予批准 "
                                           "(refuse); a JSON boolean only")
    decision_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                            max_length=2000,
                                            help_text="审批意见, required either way")
