"""Serializers of the disclosure API (staff)."""

from __future__ import annotations

from rest_framework import serializers

from .models import Disclosure, DisclosureObjection, HoldBackReason, Severity


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisclosureObjection
        fields = ["id", "text", "contact_name", "contact", "submitted_at", "due_date",
                  "answer", "answered_by", "answered_at", "timeliness"]


class DisclosureListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disclosure
        fields = ["id", "case", "decision", "measure", "decision_type", "decided_on",
                  "party_name", "status", "due_date", "timeliness", "severity", "published_at",
                  "publication_ends_on", "hold_back_reason", "withdrawal_due", "version"]


class DisclosureDetailSerializer(serializers.ModelSerializer):
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = Disclosure
        fields = [*DisclosureListSerializer.Meta.fields, "original_text", "public_text",
                  "masks", "marked_names", "marked_phrases", "hold_back_note",
                  "publication_months", "submitted_by", "reviewer", "reviewed_at",
                  "withdrawal_reason", "withdrawn_at", "withdrawal_timeliness",
                  "republish_after_withdrawal", "repair_reason", "ended_at", "objections"]


def _mark() -> serializers.CharField:
    return serializers.CharField(max_length=200)


class DisclosureSubmitInput(serializers.Serializer):
    names = serializers.ListField(child=_mark(), required=False, default=list, max_length=50)
    phrases = serializers.ListField(child=_mark(), required=False, default=list, max_length=50)


class ApproveInput(DisclosureSubmitInput):
    severity = serializers.ChoiceField(choices=Severity.choices)
    months = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      min_value=0, max_value=120)


class DisclosureReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DisclosureOptionalReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, default="",
                                   allow_blank=True)


class DisclosureHoldBackInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=HoldBackReason.choices)
    note = serializers.CharField(max_length=2000, required=False, default="",
                                 allow_blank=True)


class DisclosureObjectionInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    contact_name = serializers.CharField(max_length=64, required=False, default="",
                                         allow_blank=True)
    contact = serializers.CharField(max_length=64, required=False, default="",
                                    allow_blank=True)


class DisclosureAnswerInput(serializers.Serializer):
    objection = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    answer = serializers.CharField(max_length=4000)
