"""API shapes of the annual enforcement plan. Write serializers only parse; the
services in plans/services.py validate the domain rules and write."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspections.plans.models import (
    EnforcementPlan,
    PlanCategory,
    PlanQuota,
    PlanReview,
    SpecialCampaign,
)


class PlanListSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    # A plain string, not an enum component: several models name a choice field
    # "status", and the schema must not need a settings override per model.
    status = serializers.CharField(
        read_only=True, help_text="draft | submitted | returned | approved | published | "
                                  "superseded")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    # Annotated by the view (one aggregate, not a query per row).
    planned_total = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = EnforcementPlan
        fields = ["id", "authority", "authority_name", "year", "version", "title", "status",
                  "status_display", "created_by_name", "submitted_at", "approved_at",
                  "published_at", "planned_total"]
        read_only_fields = fields


class QuotaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanQuota
        fields = ["category", "month", "planned"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="proposed | approved | rejected")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SpecialCampaign
        fields = ["id", "name", "reason", "months", "planned", "status", "status_display",
                  "decided_at"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanReview
        fields = ["step", "comment", "actor_name", "created_at"]
        read_only_fields = fields


class PlanDetailSerializer(PlanListSerializer):
    quotas = QuotaSerializer(many=True, read_only=True)
    campaigns = CampaignSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)

    class Meta(PlanListSerializer.Meta):
        fields = [*PlanListSerializer.Meta.fields, "previous", "parent_plan",
                  "enforcement_powers", "staff_count", "certified_staff_count",
                  "registry_snapshot", "equipment", "vehicles", "funding",
                  "officers_per_inspection", "hours_per_inspection", "hours_per_officer",
                  "per_enterprise_cap", "quotas", "campaigns", "reviews"]
        read_only_fields = fields


_INT: dict[str, Any] = {"invalid": "请输入整数。", "min_value": "不能小于 {min_value}。"}
_DEC: dict[str, Any] = {"invalid": "请输入数字。", "min_value": "不能小于 {min_value}。",
        "max_digits": "数字位数过多。", "max_decimal_places": "小数位数过多。"}


class PlanInputsSerializer(serializers.Serializer):
    """The inputs an author may write (plans.INPUT_FIELDS); all optional on PATCH."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                  error_messages={"max_length": "计划名称过长。"})
    enforcement_powers = serializers.CharField(required=False, allow_blank=True)
    staff_count = serializers.IntegerField(min_value=0, required=False, error_messages=_INT)
    certified_staff_count = serializers.IntegerField(min_value=0, required=False,
                                                     error_messages=_INT)
    equipment = serializers.CharField(required=False, allow_blank=True)
    vehicles = serializers.IntegerField(min_value=0, required=False, error_messages=_INT)
    funding = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                       required=False, error_messages=_DEC)
    officers_per_inspection = serializers.IntegerField(min_value=0, max_value=20,
                                                       required=False, error_messages=_INT)
    hours_per_inspection = serializers.DecimalField(max_digits=5, decimal_places=1,
                                                    min_value=0, required=False,
                                                    error_messages=_DEC)
    hours_per_officer = serializers.IntegerField(min_value=0, required=False,
                                                 error_messages=_INT)
    per_enterprise_cap = serializers.IntegerField(min_value=0, max_value=365, required=False,
                                                  error_messages=_INT)


class PlanCreateSerializer(PlanInputsSerializer):
    authority = serializers.CharField(required=False, help_text="执法主体编码（默认本单位）")
    year = serializers.IntegerField(min_value=2000, max_value=2100, error_messages={
        "required": "请填写年度。", "invalid": "年度应为整数。",
        "min_value": "年度无效。", "max_value": "年度无效。"})


class QuotaRowSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=PlanCategory.choices, error_messages={
        "invalid_choice": "未知检查类别：{input}", "required": "请填写检查类别。"})
    month = serializers.IntegerField(min_value=1, max_value=12, error_messages={
        "invalid": "月份应为整数。", "min_value": "月份应为 1–12。",
        "max_value": "月份应为 1–12。", "required": "请填写月份。"})
    planned = serializers.IntegerField(min_value=0, error_messages={
        "invalid": "计划次数应为整数。", "min_value": "计划次数不能为负数。",
        "required": "请填写计划次数。"})


class QuotaListSerializer(serializers.ListSerializer):
    child = QuotaRowSerializer()


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CampaignWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, error_messages={
        "required": "请填写专项行动名称。", "blank": "请填写专项行动名称。"})
    reason = serializers.CharField(error_messages={
        "required": "请填写开展理由。", "blank": "请填写开展理由。"})
    months = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=12), allow_empty=False,
        error_messages={"empty": "请选择实施月份。", "required": "请选择实施月份。"})
    planned = serializers.IntegerField(min_value=1, error_messages={
        "required": "请填写计划检查次数。", "min_value": "计划检查次数至少为 1。"})


def capacity_payload(cap: Any) -> dict[str, Any]:
    return {"planned_inspections": cap.planned_inspections,
            "officer_hours_needed": str(cap.officer_hours_needed),
            "officer_hours_available": str(cap.officer_hours_available),
            "load_percent": cap.load_percent, "over_capacity": cap.over_capacity,
            "warnings": list(cap.warnings)}
