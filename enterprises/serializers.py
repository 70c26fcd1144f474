"""API representations of the registry.

Read serializers only read attributes the viewsets load with select_related /
prefetch_related, so a page costs a fixed number of queries. Write serializers
parse and check the input (codes, choices, Chinese messages per field) and hand a
plain dict to the services, which own every write.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.api.fields import (
    ChoiceLabelField,
    CodeNameField,
    CodeNameSerializer,
)

from .codes import mask_id_number, normalise_uscc, validate_id_number
from .codes import validate_uscc as check_uscc
from .models import (
    Enterprise,
    IndustryClass,
    InsurancePolicy,
    MajorHazardSource,
    OccupationalHazard,
    RiskLevel,
    Sector,
    SpecialOperation,
    StandardisationGrade,
    SupervisionBasis,
)

# Enterprises sit in a street, town or township: the leaves of the jurisdiction tree.
LOCATION_KINDS = (Jurisdiction.Kind.STREET, Jurisdiction.Kind.TOWN, Jurisdiction.Kind.TOWNSHIP)


# --- Small nested read shapes ---------------------------------------------------

_NAMED_CHOICE_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


def enum_field(choices: Any, component_name: str, label: str,
               **kwargs: Any) -> serializers.ChoiceField:
    """A choice field published in the schema under its own enum name.

    Several models call their choice field "status" or "kind"; without a name of
    their own drf-spectacular warns about colliding enums (and the schema test fails).
    """
    field_class = _NAMED_CHOICE_FIELDS.get(component_name)
    if field_class is None:
        # One class per component name: drf-spectacular tells components apart by
        # the identity of the class that declared them.
        schema = {"type": "string", "enum": list(choices.values),
                  "description": "\n".join(f"* `{v}` - {n}" for v, n in choices.choices)}
        field_class = extend_schema_field(schema, component_name=component_name)(
            type(component_name.removesuffix("Enum") + "Field", (serializers.ChoiceField,),
                 {"__module__": __name__}))
        _NAMED_CHOICE_FIELDS[component_name] = field_class
    return field_class(choices=choices.choices, error_messages={
        "invalid_choice": f"{label}“{{input}}”不是有效选项。"}, **kwargs)


# --- Enterprise: read -----------------------------------------------------------

class EnterpriseListSerializer(serializers.ModelSerializer):
    """One row of the list. The operator's ID number never appears here."""

    status = enum_field(Enterprise.Status, "EnterpriseStatusEnum", "经营状态", read_only=True)
    sector = enum_field(Sector, "SectorEnum", "监管行业", read_only=True)
    # Labels and related codes through the platform's per-row-cheap fields (issue 15).
    status_display = ChoiceLabelField(Enterprise.Status, source="status")
    sector_display = ChoiceLabelField(Sector, source="sector")
    risk_level_display = ChoiceLabelField(RiskLevel, source="risk_level")
    supervision_basis_display = ChoiceLabelField(SupervisionBasis,
                                                 source="supervision_basis")
    identifier = serializers.CharField(read_only=True)
    location = CodeNameField()
    district = CodeNameField(source="location.parent")
    supervising_authority = CodeNameField(allow_null=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "uscc", "identifier", "status", "status_display",
                  "location", "district", "address", "sector", "sector_display",
                  "is_high_risk", "risk_level", "risk_level_display", "risk_score",
                  "supervising_authority", "supervision_basis",
                  "supervision_basis_display", "updated_at"]
        read_only_fields = fields


class EnterpriseDetailSerializer(EnterpriseListSerializer):
    """The full record. The operator's ID number is shown masked, never in full."""

    operator_id_number = serializers.SerializerMethodField()
    registration_jurisdiction = CodeNameSerializer(read_only=True, allow_null=True)
    industry = CodeNameSerializer(read_only=True, allow_null=True)
    standardisation_grade_display = serializers.CharField(
        source="get_standardisation_grade_display", read_only=True)
    duty_departments = CodeNameSerializer(many=True, read_only=True)
    # Beside the enforcing supervisor: the registration place keeps its
    # 行业安全生产管理职责 (enclave agreements).
    registration_authority = CodeNameSerializer(read_only=True, allow_null=True)

    class Meta(EnterpriseListSerializer.Meta):
        fields = [*EnterpriseListSerializer.Meta.fields,
                  "operator_id_number", "legal_representative", "principal_name",
                  "principal_phone", "safety_manager_name", "safety_manager_phone",
                  "contact_phone", "registration_jurisdiction", "latitude", "longitude",
                  "in_chemical_park", "within_pipeline_distance", "industry", "employees",
                  "annual_revenue", "above_designated_size", "standardisation_grade",
                  "standardisation_grade_display", "special_operations",
                  "occupational_hazards", "duty_departments", "registration_authority",
                  "risk_explanation",
                  "risk_computed_at", "created_at"]
        read_only_fields = fields

    def get_operator_id_number(self, obj: Enterprise) -> str | None:
        return mask_id_number(obj.operator_id_number) if obj.operator_id_number else None


# --- Enterprise: write ----------------------------------------------------------

def _slug_field(queryset: Any, label: str, **kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=queryset,
        error_messages={"does_not_exist": f"{label}代码“{{value}}”不存在。",
                        "invalid": f"{label}代码格式有误。",
                        "null": f"请填写{label}。",
                        "required": f"请填写{label}。"},
        **kwargs)


def _choice_field(choices: Any, label: str, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices,
        error_messages={"invalid_choice": f"{label}“{{input}}”不是有效选项。"},
        **kwargs)


class EnterpriseWriteSerializer(serializers.Serializer):
    """Input for create (POST), replace (PUT) and partial update (PATCH).

    Relations are given by code (street code, GB/T 4754 code, authority code), never
    by database id: district offices know the codes, not our keys.
    """

    name = serializers.CharField(max_length=200, error_messages={
        "required": "请填写单位名称。", "blank": "请填写单位名称。",
        "max_length": "单位名称不能超过 200 个字符。"})
    uscc = serializers.CharField(max_length=32, required=False, allow_null=True,
                                 allow_blank=True)
    operator_id_number = serializers.CharField(max_length=32, required=False,
                                               allow_null=True, allow_blank=True)
    legal_representative = serializers.CharField(max_length=64, required=False,
                                                 allow_blank=True)
    principal_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    principal_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    safety_manager_name = serializers.CharField(max_length=64, required=False,
                                                allow_blank=True)
    safety_manager_phone = serializers.CharField(max_length=32, required=False,
                                                 allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    status = enum_field(Enterprise.Status, "EnterpriseStatusEnum", "经营状态", required=False)
    location = _slug_field(Jurisdiction.objects.filter(kind__in=LOCATION_KINDS),
                           "所在街道/乡镇")
    registration_jurisdiction = _slug_field(Jurisdiction.objects.all(), "注册地辖区",
                                            required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False,
                                        allow_null=True, min_value=Decimal("-90"),
                                        max_value=Decimal("90"))
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False,
                                         allow_null=True, min_value=Decimal("-180"),
                                         max_value=Decimal("180"))
    in_chemical_park = serializers.BooleanField(required=False)
    within_pipeline_distance = serializers.BooleanField(required=False)
    industry = _slug_field(IndustryClass.objects.all(), "国民经济行业", required=False,
                           allow_null=True)
    sector = enum_field(Sector, "SectorEnum", "监管行业", required=False)
    employees = serializers.IntegerField(min_value=0, required=False, error_messages={
        "min_value": "从业人数不能为负数。", "invalid": "从业人数应为整数。"})
    annual_revenue = serializers.DecimalField(max_digits=14, decimal_places=2,
                                              required=False, allow_null=True,
                                              min_value=Decimal("0"))
    above_designated_size = serializers.BooleanField(required=False)
    standardisation_grade = _choice_field(StandardisationGrade.choices, "安全生产标准化等级",
                                          required=False)
    special_operations = serializers.ListField(
        child=_choice_field(SpecialOperation.choices, "重点作业"), required=False)
    occupational_hazards = serializers.ListField(
        child=_choice_field(OccupationalHazard.choices, "职业病危害因素"), required=False)
    duty_departments = _slug_field(Authority.objects.all(), "行业主管部门", many=True,
                                   required=False)

    #: Accepted beside the fields: the reason recorded in the audit event of an update.
    extra_keys = frozenset({"reason"})

    def to_internal_value(self, data: Any) -> Any:
        # Derived fields (supervisor, risk, high-risk flag) and typos are refused rather
        # than silently dropped, so a client never believes it changed them.
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields) - self.extra_keys)
            if unknown:
                raise serializers.ValidationError(
                    {key: ["该字段不可填写或不存在（由系统推导或计算）。"] for key in unknown})
        return super().to_internal_value(data)

    def validate_uscc(self, value: str | None) -> str | None:
        if not value:
            return None
        code = normalise_uscc(value)
        try:
            check_uscc(code)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        # Duplicates are checked over the whole registry, not the caller's view: the
        # code is unique city-wide. The other holder's name is not disclosed.
        taken = Enterprise.objects.filter(uscc=code)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("该统一社会信用代码已登记，不能重复录入。")
        return code

    def validate_operator_id_number(self, value: str | None) -> str | None:
        if not value:
            return None
        number = value.strip().upper()
        try:
            validate_id_number(number)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        taken = Enterprise.objects.filter(operator_id_number=number)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("该经营者身份证号码已登记，不能重复录入。")
        return number

    def validate_special_operations(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate_occupational_hazards(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        def current(field: str) -> Any:
            if field in attrs:
                return attrs[field]
            return getattr(self.instance, field, None) if self.instance else None

        if not current("uscc") and not current("operator_id_number"):
            message = _("须填写统一社会信用代码；无代码的个体工商户须填写经营者身份证号码。")
            raise serializers.ValidationError({"uscc": [message]})
        return attrs


# --- Major hazard sources -------------------------------------------------------

class HazardSourceSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status = enum_field(MajorHazardSource.Status, "HazardSourceStatusEnum", "备案状态",
                        read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    monitoring_display = serializers.CharField(source="get_monitoring_display",
                                               read_only=True)
    filing_authority = CodeNameSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MajorHazardSource
        fields = ["id", "enterprise", "name", "level", "level_display", "substances",
                  "safety_measures", "emergency_measures", "monitoring",
                  "monitoring_display", "status", "status_display", "filing_date",
                  "filing_authority", "cancelled_at", "cancellation_reason", "created_at"]
        read_only_fields = fields


class SubstanceSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, error_messages={
        "required": "请填写危险物质名称。", "blank": "请填写危险物质名称。"})
    cas = serializers.CharField(max_length=32, required=False, allow_blank=True)
    quantity_t = serializers.DecimalField(max_digits=14, decimal_places=3, error_messages={
        "required": "请填写危险物质数量（吨）。", "invalid": "危险物质数量应为数字（吨）。"})
    threshold_t = serializers.DecimalField(max_digits=14, decimal_places=3, required=False,
                                           allow_null=True)


class HazardSourceWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, error_messages={
        "required": "请填写危险源名称。", "blank": "请填写危险源名称。"})
    level = _choice_field(MajorHazardSource.Level.choices, "危险源级别")
    substances = SubstanceSerializer(many=True, error_messages={
        "required": "请填写危险物质及数量。", "not_a_list": "危险物质应为列表。"})
    safety_measures = serializers.CharField(required=False, allow_blank=True)
    emergency_measures = serializers.CharField(required=False, allow_blank=True)
    monitoring = _choice_field(MajorHazardSource.Monitoring.choices, "监测监控状态",
                               required=False)


class HazardSourceFileSerializer(serializers.Serializer):
    filing_date = serializers.DateField(required=False, allow_null=True)


class HazardSourceCancelSerializer(serializers.Serializer):
    # Blank allowed here so the service gives its own Chinese message for a missing reason.
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True,
                                   default="")


# --- Insurance ------------------------------------------------------------------

class InsurancePolicySerializer(serializers.ModelSerializer):
    kind = enum_field(InsurancePolicy.Kind, "InsurancePolicyKindEnum", "险种", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = InsurancePolicy
        fields = ["id", "enterprise", "kind", "kind_display", "insurer", "policy_number",
                  "start_date", "end_date", "cover_amount"]
        read_only_fields = fields


class InsurancePolicyWriteSerializer(serializers.Serializer):
    kind = enum_field(InsurancePolicy.Kind, "InsurancePolicyKindEnum", "险种")
    insurer = serializers.CharField(max_length=100, error_messages={
        "required": "请填写承保机构。", "blank": "请填写承保机构。"})
    policy_number = serializers.CharField(max_length=64, error_messages={
        "required": "请填写保单号。", "blank": "请填写保单号。"})
    start_date = serializers.DateField(error_messages={
        "required": "请填写保险起期。", "invalid": "保险起期格式有误（YYYY-MM-DD）。"})
    end_date = serializers.DateField(error_messages={
        "required": "请填写保险止期。", "invalid": "保险止期格式有误（YYYY-MM-DD）。"})
    cover_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False,
                                            allow_null=True, min_value=Decimal("0"))


# --- Reports --------------------------------------------------------------------

class SupervisionProblemSerializer(serializers.Serializer):
    enterprise = EnterpriseListSerializer(read_only=True)
    problem = serializers.CharField(read_only=True)
