"""Serializers of the measures API (/api/v1/cases/{id}/measures/, /api/v1/measures/)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from enforcement.cases.changes import ChangeOutcome, ChangeSource

from .changes import MeasureChange
from .models import (
    MANUAL_LIFT_REASONS,
    CompulsoryMeasure,
    Disposal,
    LiftReason,
    MeasureItem,
    MeasureKind,
)


class MeasureItemSerializer(serializers.ModelSerializer):
    # Blank until the item is disposed of: the schema must say so.
    disposal = serializers.ChoiceField(choices=Disposal.choices, allow_blank=True,
                                       read_only=True)

    class Meta:
        model = MeasureItem
        fields = ["id", "description", "quantity", "kept_at", "disposal", "disposed_on",
                  "disposal_note"]
        read_only_fields = fields


class MeasureChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureChange
        fields = ["id", "measure", "case", "source", "outcome", "status", "body",
                  "ruling_number", "ruled_on", "reason", "old_content", "new_content",
                  "recorded_by", "recorded_at", "approved_by", "approved_at",
                  "approval_opinion"]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    items = MeasureItemSerializer(many=True, read_only=True)
    #: 行政复议 / 行政诉讼 outcomes and corrections of the measure's decision.
    changes = MeasureChangeSerializer(many=True, read_only=True)
    officers: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    limit_due_at = serializers.SerializerMethodField()
    report_due_at = serializers.SerializerMethodField()
    decision_document_number = serializers.SerializerMethodField()
    lifting_document_number = serializers.SerializerMethodField()
    # Blank until the measure is lifted.
    lift_reason = serializers.ChoiceField(choices=LiftReason.choices, allow_blank=True,
                                          read_only=True)

    class Meta:
        model = CompulsoryMeasure
        fields = ["id", "case", "kind", "status", "legal_basis", "reason", "place", "emergency",
                  "prerequisite", "danger", "supplier_name", "supplier_notified_at",
                  "party_notified_at", "party_refused_at", "party_refusal_note", "proposed_by",
                  "proposed_at", "planned_at", "approver", "approved_at", "approval_opinion",
                  "approved_after", "refusal_reason", "officers", "executed_at",
                  "onsite_record", "party_present", "party_signed", "refusal_note", "witness",
                  "reported_at", "report_text", "report_late", "limit_until", "limit_due_at",
                  "report_due_at", "extension_days", "extension_reason", "extended_at",
                  "lifted_at", "lift_reason", "lift_note", "items", "decision_document",
                  "decision_document_number", "lifting_document", "lifting_document_number",
                  "changes"]
        read_only_fields = fields

    def get_limit_due_at(self, row: CompulsoryMeasure) -> str | None:
        clock = row.limit_clock
        return clock.due_at.isoformat() if clock is not None else None

    def get_report_due_at(self, row: CompulsoryMeasure) -> str | None:
        clock = row.report_clock
        return clock.due_at.isoformat() if clock is not None else None

    def get_decision_document_number(self, row: CompulsoryMeasure) -> str:
        return row.decision_document.number if row.decision_document is not None else ""

    def get_lifting_document_number(self, row: CompulsoryMeasure) -> str:
        return row.lifting_document.number if row.lifting_document is not None else ""


class ItemInput(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    quantity = serializers.CharField(max_length=50)
    kept_at = serializers.CharField(max_length=200, required=False, default="",
                                    allow_blank=True)


class MeasureProposeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    reason = serializers.CharField(max_length=5000)
    place = serializers.CharField(max_length=200)
    legal_basis = serializers.CharField(max_length=300, required=False, default="",
                                        allow_blank=True)
    planned_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    emergency = serializers.BooleanField(required=False, default=False)
    items = ItemInput(many=True, required=False, default=list)
    prerequisite = serializers.IntegerField(required=False, allow_null=True, default=None,
                                            min_value=1, max_value=2**31 - 1)
    danger = serializers.CharField(max_length=5000, required=False, default="",
                                   allow_blank=True)
    supplier_name = serializers.CharField(max_length=200, required=False, default="",
                                          allow_blank=True)
    # 情况紧急 (行政强制法 第十九条): executed on the spot already; the execution fields
    # below are then required and the measure waits for the report.
    executed_on_spot = serializers.BooleanField(required=False, default=False)
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1,
                                                                    max_value=2**31 - 1),
                                     required=False, default=list, max_length=10)
    executed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    onsite_record = serializers.CharField(max_length=20000, required=False, default="",
                                          allow_blank=True)
    party_present = serializers.BooleanField(required=False, default=True)
    party_signed = serializers.BooleanField(required=False, default=False)
    refusal_note = serializers.CharField(max_length=300, required=False, default="",
                                         allow_blank=True)
    witness = serializers.CharField(max_length=100, required=False, default="",
                                    allow_blank=True)


class MeasureOpinionInput(serializers.Serializer):
    opinion = serializers.CharField(max_length=2000, required=False, default="",
                                    allow_blank=True)


class MeasureReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ExecuteInput(serializers.Serializer):
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1,
                                                                    max_value=2**31 - 1),
                                     max_length=10)
    executed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    onsite_record = serializers.CharField(max_length=20000)
    party_present = serializers.BooleanField(required=False, default=True)
    party_signed = serializers.BooleanField(required=False, default=False)
    refusal_note = serializers.CharField(max_length=300, required=False, default="",
                                         allow_blank=True)
    witness = serializers.CharField(max_length=100, required=False, default="",
                                    allow_blank=True)
    supplier_notified_at = serializers.DateTimeField(required=False, allow_null=True,
                                                     default=None)
    party_notified_at = serializers.DateTimeField(required=False, allow_null=True,
                                                  default=None)


class MeasureReportInput(serializers.Serializer):
    report = serializers.CharField(max_length=5000)


class ExtendInput(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30)
    reason = serializers.CharField(max_length=2000)


class RefusalInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class DisposeInput(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    disposal = serializers.ChoiceField(choices=Disposal.choices)
    disposed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class LiftInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=MANUAL_LIFT_REASONS)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class MeasureChangeInput(serializers.Serializer):
    """Why a measure's decision changes (行政复议, 行政诉讼 or 自行纠正) and, for 变更, the
    new content: a basis, a reason or a place."""

    source = serializers.ChoiceField(choices=ChangeSource.choices)  # type: ignore[assignment]
    outcome = serializers.ChoiceField(choices=ChangeOutcome.choices)
    reason = serializers.CharField(max_length=2000)
    ruled_on = serializers.DateField()
    body = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    ruling_number = serializers.CharField(max_length=100, required=False, default="",
                                          allow_blank=True)
    legal_basis = serializers.CharField(max_length=300, required=False, default="",
                                        allow_blank=True)
    measure_reason = serializers.CharField(max_length=4000, required=False, default="",
                                           allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, default="",
                                  allow_blank=True)
