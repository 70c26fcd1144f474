"""Serializers of criminal transfers: the transfer as read, and one input per step."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from enforcement.cases.serializers import ClockSerializer

from .categories import CHOICES
from .models import Attachment, CriminalTransfer


class TransferSerializer(serializers.ModelSerializer):
    letter_number = serializers.CharField(source="letter.number", read_only=True, default="")
    late_steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    clocks = serializers.SerializerMethodField()

    class Meta:
        model = CriminalTransfer
        fields = ["id", "case", "category", "status", "report", "reported_at", "reported_by",
                  "decided_at", "decided_by", "decision_reason", "decision_late",
                  "transferred_at", "police_organ", "letter", "letter_number", "attachments",
                  "delivery_late", "police_received_at", "police_decision_number",
                  "police_reason", "police_late", "reconsideration_requested_at",
                  "reconsideration_late", "reconsideration_result_at",
                  "reconsideration_number", "exhibits_handed_at", "exhibits_note",
                  "handover_late", "late_steps", "clocks", "created_at"]

    def get_clocks(self, row: CriminalTransfer) -> list[dict[str, Any]]:
        clocks = [c for c in (row.decision_clock, row.delivery_clock, row.acceptance_clock,
                              row.reconsideration_clock, row.handover_clock) if c is not None]
        return list(ClockSerializer(clocks, many=True).data)


class TransferReportInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=CHOICES)
    report = serializers.CharField(max_length=20000)


class TransferReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TransferApproveInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, default="",
                                   allow_blank=True)


class AttachmentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Attachment.choices)
    title = serializers.CharField(max_length=200)


class DeliverInput(serializers.Serializer):
    police_organ = serializers.CharField(max_length=200)
    attachments = serializers.ListField(child=AttachmentInput(), max_length=50)
    transferred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class PoliceDecisionInput(serializers.Serializer):
    decision_number = serializers.CharField(max_length=100)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class PoliceDeclineInput(PoliceDecisionInput):
    reason = serializers.CharField(max_length=2000)


class ReconsiderInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    requested_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ExhibitsInput(serializers.Serializer):
    note = serializers.CharField(max_length=20000)
    handed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
