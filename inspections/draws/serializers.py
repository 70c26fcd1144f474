"""API shapes of random draws, their directories, item lists and conflicts, and the
key-supervision list. Write serializers only parse; the services in draws/services.py write."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspections.draws.models import ConflictDeclaration, DrawItemList, ObjectDirectory, RandomDraw
from inspections.draws.services import MAX_DRAW_SIZE, draw_report


class ObjectDirectorySerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)

    class Meta:
        model = ObjectDirectory
        fields = ["id", "name", "authority", "authority_name", "filter_params"]
        read_only_fields = fields


class ObjectDirectoryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, error_messages={
        "required": "请填写名录库名称。", "blank": "请填写名录库名称。"})
    filter_params = serializers.DictField(required=False, default=dict,
                                          error_messages={"not_a_dict": "筛选条件应为键值对。"})
    authority = serializers.CharField(required=False, help_text="执法主体编码（默认本单位）")


class DrawItemListSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    templates = serializers.SerializerMethodField()

    class Meta:
        model = DrawItemList
        fields = ["id", "name", "authority", "templates"]
        read_only_fields = fields

    def get_templates(self, obj: DrawItemList) -> list[dict[str, Any]]:
        return [{"id": t.pk, "code": t.code, "name": t.name} for t in obj.templates.all()]


class DrawItemListWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, error_messages={
        "required": "请填写事项清单名称。", "blank": "请填写事项清单名称。"})
    templates = serializers.ListField(child=serializers.IntegerField(), allow_empty=False,
                                      error_messages={"empty": "请至少选择一张检查表。",
                                                      "required": "请至少选择一张检查表。"})
    authority = serializers.CharField(required=False)


class ConflictSerializer(serializers.ModelSerializer):
    inspector_name = serializers.CharField(source="inspector.display_name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = ConflictDeclaration
        fields = ["id", "inspector", "inspector_name", "enterprise", "enterprise_name",
                  "reason", "declared_at"]
        read_only_fields = fields


class ConflictWriteSerializer(serializers.Serializer):
    inspector = serializers.IntegerField(required=False,
                                         help_text="默认本人（执法人员只能为本人声明）")
    enterprise = serializers.IntegerField(error_messages={"required": "请选择单位。"})
    reason = serializers.CharField(max_length=255, error_messages={
        "required": "请填写回避理由。", "blank": "请填写回避理由。"})


class DrawSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    drawn_by_name = serializers.CharField(source="drawn_by.display_name", read_only=True)
    replaced_by = serializers.SerializerMethodField()

    class Meta:
        model = RandomDraw
        fields = ["id", "authority", "plan", "scheme", "object_directory", "item_list",
                  "year", "month", "enterprise_count", "seed", "algorithm_version",
                  "snapshot_sha256", "result", "replaces", "replaced_by",
                  "redraw_reason", "drawn_by", "drawn_by_name", "drawn_at",
                  "results_published_at"]
        read_only_fields = fields

    def get_replaced_by(self, obj: RandomDraw) -> int | None:
        replaced_by = getattr(obj, "replaced_by", None)
        return replaced_by.pk if replaced_by is not None else None


class DrawReportSerializer(serializers.Serializer):
    """What the draw could not do, stored when it was drawn."""

    requested = serializers.IntegerField(help_text="拟抽取企业数")
    eligible = serializers.IntegerField(help_text="符合条件（未达年度检查上限）的企业数")
    drawn = serializers.IntegerField(help_text="实际抽中企业数")
    capped = serializers.ListField(child=serializers.IntegerField(),
                                   help_text="已达年度检查上限的企业 id")
    skipped = serializers.ListField(child=serializers.IntegerField(),
                                    help_text="回避后可用执法人员不足 2 人而未配对的企业 id")
    shortfall = serializers.BooleanField(help_text="实际抽中少于拟抽取数")


class DrawDetailSerializer(DrawSerializer):
    """The list leaves out the snapshot and the report."""

    report = serializers.SerializerMethodField()

    class Meta(DrawSerializer.Meta):
        fields = [*DrawSerializer.Meta.fields, "report", "snapshot"]
        read_only_fields = fields

    @extend_schema_field(DrawReportSerializer)
    def get_report(self, obj: RandomDraw) -> dict[str, Any]:
        return draw_report(obj)


class DrawCreateSerializer(serializers.Serializer):
    object_directory = serializers.IntegerField(
        error_messages={"required": "请选择检查对象名录库。"})
    item_list = serializers.IntegerField(error_messages={"required": "请选择随机抽查事项清单。"})
    year = serializers.IntegerField(min_value=2000, max_value=2100,
                                    error_messages={"required": "请填写年度。"})
    month = serializers.IntegerField(min_value=1, max_value=12,
                                     error_messages={"required": "请填写检查月份。",
                                                     "min_value": "月份应为 1–12。",
                                                     "max_value": "月份应为 1–12。"})
    enterprise_count = serializers.IntegerField(
        min_value=1, max_value=MAX_DRAW_SIZE,
        error_messages={"required": "请填写抽取企业数。",
                        "min_value": "抽取企业数至少为 1。",
                        "max_value": f"抽取企业数最多为 {MAX_DRAW_SIZE}。"})
    plan = serializers.IntegerField(required=False, allow_null=True)
    scheme = serializers.IntegerField(required=False, allow_null=True)
    seed = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                 help_text="留空则随机生成并记录")


class RedrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)
    seed = serializers.CharField(required=False, allow_blank=True, max_length=64)


class VerifySerializer(serializers.Serializer):
    reproducible = serializers.BooleanField()


