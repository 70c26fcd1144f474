"""Serializers of checklist templates (read-only) and inspection schemes."""

from __future__ import annotations

from rest_framework import serializers

from hangzhou_safety.accounts.models import User
from inspections.checklists.models import (
    ChecklistItem,
    ChecklistTemplate,
    InspectionScheme,
    MajorHazardCriterion,
)
from inspections.plans.models import EnforcementPlan


class CriterionSerializer(serializers.ModelSerializer):
    citation = serializers.CharField(read_only=True)
    # Plain strings: "ling10" | "hc121" | "cn2022"; "verified" | "unverified" |
    # "not_retrieved" (no second enum of an existing name in the schema).
    standard = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = MajorHazardCriterion
        fields = ["code", "standard", "clause", "citation", "text", "status", "note"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    legal_basis = serializers.CharField(read_only=True)
    is_major_hazard_item = serializers.BooleanField(read_only=True)
    needs_rebasing = serializers.BooleanField(read_only=True)
    # The criteria an inspector may name (by code) when recording the failure as major.
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "text", "law", "law_version", "article", "legal_basis",
                  "needs_rebasing", "rebase_note", "major_hazard_criterion", "criteria",
                  "is_major_hazard_item", "occupational_health"]


class ChecklistTemplateListSerializer(serializers.ModelSerializer):
    # Plain strings (Sector / SpecialOperation values): as choice fields the schema would
    # name the sector enum a second time ("SectorsEnum"), which the schema test refuses.
    sectors = serializers.ListField(child=serializers.CharField(), read_only=True)
    special_operations = serializers.ListField(child=serializers.CharField(),
                                               read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    # A plain string (an Authority.Department value), for the same reason as sectors.
    remit = serializers.CharField(read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "name", "remit", "sectors", "special_operations", "version",
                  "active", "item_count"]


class ChecklistTemplateDetailSerializer(ChecklistTemplateListSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta(ChecklistTemplateListSerializer.Meta):
        fields = [*ChecklistTemplateListSerializer.Meta.fields, "items"]


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "role", "certificate_number", "certificate_valid_until"]


class TemplateRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "name"]


class InspectionSchemeSerializer(serializers.ModelSerializer):
    authority: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    # draft / submitted / approved; a plain string so the schema does not need a third
    # enum called "status" beside the plan's and the draw's.
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    templates = TemplateRefSerializer(many=True, read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.display_name", read_only=True)
    # null until the scheme is approved.
    approved_by = serializers.CharField(source="approved_by.display_name", read_only=True,
                                        default=None, allow_null=True)

    class Meta:
        model = InspectionScheme
        fields = ["id", "authority", "authority_name", "plan", "title", "area", "content",
                  "focus", "templates", "team", "start_date", "end_date", "status",
                  "status_display", "created_by", "approved_by", "approved_at"]


class InspectionSchemeWriteSerializer(serializers.Serializer):
    """Shapes only; the rules (dates, templates, certified team) live in checklists/services.py so
    the pages and the API answer the same Chinese messages."""

    title = serializers.CharField(label="方案名称", max_length=200, required=False)
    area = serializers.CharField(label="检查区域", required=False)
    content = serializers.CharField(label="检查内容", required=False)
    focus = serializers.CharField(label="检查重点", required=False)
    start_date = serializers.DateField(label="开始日期", required=False)
    end_date = serializers.DateField(label="结束日期", required=False)
    templates = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                      label="检查表", required=False)
    team = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                 label="检查组成员", required=False)
    plan = serializers.PrimaryKeyRelatedField(queryset=EnforcementPlan.objects.all(),
                                              label="年度计划", required=False,
                                              allow_null=True)


class SchemeReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(label="退回理由", allow_blank=True, required=False,
                                   default="")


class SchemeApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(label="审批意见", allow_blank=True, required=False,
                                    default="")
