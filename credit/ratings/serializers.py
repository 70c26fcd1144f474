"""Serializers of the ratings API."""

from __future__ import annotations

from rest_framework import serializers

from .models import CreditCommitment, IntegrityRating


class RatingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    explanation = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = IntegrityRating
        fields = ["id", "enterprise", "enterprise_name", "uscc", "authority", "year",
                  "level", "level_display", "reason", "status", "status_display", "inputs",
                  "explanation", "computed_at", "reviewed_at", "published_at"]
        read_only_fields = fields


class RatingComputeInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class RatingComputeAnswer(serializers.Serializer):
    computed = serializers.IntegerField()


class CommitmentSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = CreditCommitment
        fields = ["id", "enterprise", "enterprise_name", "authority", "signed_on", "content",
                  "recorded_at", "broken_on", "broken_reason"]
        read_only_fields = fields


class CommitmentInput(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    signed_on = serializers.DateField()
    content = serializers.CharField(max_length=4000)


class CommitmentBreachInput(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=4000)
