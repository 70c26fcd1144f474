"""API shapes of the annual enforcement plan. Write serializers only parse; the
services in plans/services.py validate the domain rules and write."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from hangzhou_safety.api.fields import ChoiceLabelField
from inspections.plans.models import (
    CAMPAIGN_NAME_MAX_LENGTH,
    CAMPAIGN_PLANNED_BOUND,
    MONTH_MAX,
    MONTH_MIN,
    PLAN_INPUT_BOUNDS,
    PLAN_TITLE_MAX_LENGTH,
    PLAN_YEAR_MAX,
    PLAN_YEAR_MIN,
    QUOTA_PLANNED_BOUND,
    Bound,
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
    # A cached label, not get_status_display() through DRF's per-row signature check.
    status_display = ChoiceLabelField(EnforcementPlan.Status, source="status")
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


def _messages(bound: Bound, label: str) -> dict[str, Any]:
    """Chinese field errors (DRF formats {min_value}, {max_value}, {max_digits}...)."""
    out_of_range = bound.message(label)
    return {"invalid": f"{label}应为{'整数' if bound.places is None else '数字'}。",
            "required": f"请填写{label}。", "null": f"请填写{label}。",
            "min_value": bound.below or out_of_range, "max_value": out_of_range,
            "max_string_length": out_of_range, "max_digits": out_of_range,
            "max_whole_digits": out_of_range,
            "max_decimal_places": f"{label}最多保留 {bound.places} 位小数。"}


def bounded_int(label: str, bound: Bound, **kwargs: Any) -> serializers.IntegerField:
    """An integer within ``bound`` (plans/models.py), documented as such in the schema."""
    return serializers.IntegerField(min_value=int(bound.low), max_value=int(bound.high),
                                    error_messages=_messages(bound, label), **kwargs)


def bounded_decimal(label: str, bound: Bound, **kwargs: Any) -> serializers.DecimalField:
    whole = len(str(int(bound.high)))
    return serializers.DecimalField(max_digits=whole + (bound.places or 0),
                                    decimal_places=bound.places, min_value=bound.low,
                                    max_value=bound.high,
                                    error_messages=_messages(bound, label), **kwargs)


B = PLAN_INPUT_BOUNDS


class PlanInputsSerializer(serializers.Serializer):
    """The inputs an author may write (plans.INPUT_FIELDS); all optional on PATCH.
    Numbers are bounded by plans/models.py; the services check them again."""

    title = serializers.CharField(max_length=PLAN_TITLE_MAX_LENGTH, required=False,
                                  allow_blank=True,
                                  error_messages={"max_length": "计划名称过长。"})
    enforcement_powers = serializers.CharField(required=False, allow_blank=True)
    staff_count = bounded_int("执法人员数", B["staff_count"], required=False)
    certified_staff_count = bounded_int("持证执法人员数", B["certified_staff_count"],
                                        required=False)
    equipment = serializers.CharField(required=False, allow_blank=True)
    vehicles = bounded_int("执法车辆", B["vehicles"], required=False)
    funding = bounded_decimal("执法经费（万元）", B["funding"], required=False)
    officers_per_inspection = bounded_int("每次检查人数", B["officers_per_inspection"],
                                          required=False)
    hours_per_inspection = bounded_decimal("每次检查工时（小时）", B["hours_per_inspection"],
                                           required=False)
    hours_per_officer = bounded_int("每名持证人员年度可用于检查的工时",
                                    B["hours_per_officer"], required=False)
    per_enterprise_cap = bounded_int("单个企业年度检查上限", B["per_enterprise_cap"],
                                     required=False)


class PlanCreateSerializer(PlanInputsSerializer):
    authority = serializers.CharField(required=False, help_text="执法主体编码（默认本单位）")
    year = serializers.IntegerField(min_value=PLAN_YEAR_MIN, max_value=PLAN_YEAR_MAX,
                                    error_messages={
                                        "required": "请填写年度。", "invalid": "年度应为整数。",
                                        "min_value": "年度无效。", "max_value": "年度无效。",
                                        "max_string_length": "年度无效。"})


_MONTH_RANGE = f"月份应为 {MONTH_MIN}–{MONTH_MAX}。"
_MONTH_MESSAGES: dict[str, Any] = {"invalid": "月份应为整数。", "min_value": _MONTH_RANGE,
                                   "max_value": _MONTH_RANGE, "required": "请填写月份。",
                                   "null": "请填写月份。", "max_string_length": _MONTH_RANGE}


class QuotaRowSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=PlanCategory.choices, error_messages={
        "invalid_choice": "未知检查类别：{input}", "required": "请填写检查类别。"})
    month = serializers.IntegerField(min_value=MONTH_MIN, max_value=MONTH_MAX,
                                     error_messages=_MONTH_MESSAGES)
    planned = bounded_int("计划次数", QUOTA_PLANNED_BOUND)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MonthsField(serializers.ListField):
    """A non-empty list of months 1–12, with one flat Chinese message per bad item
    (a ListField would nest its child's errors by index)."""

    child = serializers.IntegerField(min_value=MONTH_MIN, max_value=MONTH_MAX)
    default_error_messages = {"not_a_list": "实施月份应为月份列表，如 [6, 7]。",
                              "empty": "请选择实施月份。"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty", False)
        kwargs.setdefault("max_length", MONTH_MAX)
        super().__init__(**kwargs)

    def run_child_validation(self, data: list[Any]) -> list[Any]:
        result, errors = [], []
        for index, item in enumerate(data, start=1):
            try:
                result.append(self.child.run_validation(item))
            except serializers.ValidationError:
                errors.append(f"第{index}项：实施月份应为 {MONTH_MIN}–{MONTH_MAX} 的整数。")
        if errors:
            raise serializers.ValidationError(errors)
        return result


class CampaignWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=CAMPAIGN_NAME_MAX_LENGTH, error_messages={
        "required": "请填写专项行动名称。", "blank": "请填写专项行动名称。",
        "max_length": f"专项行动名称不能超过 {CAMPAIGN_NAME_MAX_LENGTH} 个字。"})
    reason = serializers.CharField(error_messages={
        "required": "请填写开展理由。", "blank": "请填写开展理由。"})
    months = MonthsField(error_messages={"required": "请选择实施月份。",
                                         "max_length": "实施月份不能超过 12 个。"})
    planned = bounded_int("计划检查次数", CAMPAIGN_PLANNED_BOUND)


# --- Read-only views of a plan (their own response shapes) ---

class CapacitySerializer(serializers.Serializer):
    planned_inspections = serializers.IntegerField(
        help_text="指标 + 已批准专项 + 待批准专项 (quotas + approved + proposed campaigns)")
    quota_inspections = serializers.IntegerField()
    approved_campaign_inspections = serializers.IntegerField()
    proposed_campaign_inspections = serializers.IntegerField()
    officer_hours_needed = serializers.CharField(help_text="小时（十进制字符串）")
    officer_hours_available = serializers.CharField(help_text="小时（十进制字符串）")
    load_percent = serializers.IntegerField()
    over_capacity = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    over_cap_enterprises = serializers.ListField(
        child=serializers.DictField(), help_text="[{enterprise, name, planned}]")


class ProgressMonthSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    planned = serializers.IntegerField()
    done = serializers.IntegerField()


class ProgressRowSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    months = ProgressMonthSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    rows = ProgressRowSerializer(many=True)
    planned = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.IntegerField()


class DiffChangeSerializer(serializers.Serializer):
    field = serializers.CharField(  # type: ignore[assignment]
        help_text="an input field name, or \"quota\"")
    label = serializers.CharField()  # type: ignore[assignment]
    old = serializers.JSONField(help_text="number or text (decimals as strings)")
    new = serializers.JSONField(help_text="number or text (decimals as strings)")


class DiffSerializer(serializers.Serializer):
    previous = serializers.IntegerField(allow_null=True, help_text="id of the previous "
                                        "version, null for a first version")
    previous_version = serializers.IntegerField(required=False)
    version = serializers.IntegerField(required=False)
    changes = DiffChangeSerializer(many=True)


def capacity_payload(cap: Any) -> dict[str, Any]:
    return {"planned_inspections": cap.planned_inspections,
            "quota_inspections": cap.quota_inspections,
            "approved_campaign_inspections": cap.approved_campaign_inspections,
            "proposed_campaign_inspections": cap.proposed_campaign_inspections,
            "officer_hours_needed": str(cap.officer_hours_needed),
            "officer_hours_available": str(cap.officer_hours_available),
            "load_percent": cap.load_percent, "over_capacity": cap.over_capacity,
            "warnings": list(cap.warnings)}
