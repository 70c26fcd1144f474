"""Read-only representations of the discretion table for the API."""

from __future__ import annotations

from rest_framework import serializers

from .models import (
    DiscretionBenchmark,
    DiscretionVersion,
    OtherPenalty,
    ResponsiblePerson,
    ViolationType,
)


class DiscretionVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DiscretionVersion
        fields = ["id", "name", "source", "valid_from", "status", "based_on", "note",
                  "published_at"]
        read_only_fields = fields


class ViolationTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ViolationType
        fields = ["id", "version", "code", "name", "breached_statute", "breached_article",
                  "penalty_statute", "penalty_article", "penalty_clause", "order"]
        read_only_fields = fields


class DiscretionBenchmarkSerializer(serializers.ModelSerializer):
    violation_code = serializers.CharField(source="violation.code", read_only=True)
    version = serializers.IntegerField(source="violation.version_id", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    # Blank for a row that fines the unit only; declared so the schema's enum has "".
    person_kind = serializers.ChoiceField(choices=ResponsiblePerson.choices, allow_blank=True,
                                          read_only=True)
    other_penalties = serializers.ListField(
        child=serializers.ChoiceField(choices=OtherPenalty.choices), read_only=True)

    class Meta:
        model = DiscretionBenchmark
        fields = ["id", "version", "violation", "violation_code", "level", "level_label",
                  "circumstance", "unit_clause", "statutory_unit_fine_min",
                  "statutory_unit_fine_max", "unit_fine_min", "unit_fine_max", "person_kind",
                  "person_clause", "statutory_person_fine_min", "statutory_person_fine_max",
                  "person_fine_min", "person_fine_max", "other_penalties",
                  "no_penalty_possible", "illustrative", "source", "note"]
        read_only_fields = fields


class GroundsErrorSerializer(serializers.Serializer):
    """The platform's error body (hangzhou_safety/api/errors.py), for the schema."""

    code = serializers.CharField()
    detail = serializers.CharField(help_text="中文说明")
    detail_en = serializers.CharField(help_text="English message")
    # The metaclass moves declared fields out of the class, so this does not shadow
    # Serializer.errors at run time; only the type checker sees the clash.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False)
