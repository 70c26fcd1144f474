"""Serializers of accidents: the accident as read, and one input per step."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from enforcement.cases.serializers import ClockSerializer

from .models import PERSON_ROLES, Accident, AccidentFinding


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccidentFinding
        fields = ["id", "unit_name", "identifier", "enterprise", "responsibility", "persons",
                  "case"]


class AccidentListSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Accident
        fields = ["id", "authority", "enterprise", "enterprise_name", "status", "grade",
                  "occurred_at", "place", "deaths", "serious_injuries", "direct_loss",
                  "late_report", "pass_up_late", "false_report", "concealed", "created_at"]


class AccidentDetailSerializer(AccidentListSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    reporting_flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    clocks = serializers.SerializerMethodField()

    class Meta(AccidentListSerializer.Meta):
        fields = [*AccidentListSerializer.Meta.fields, "summary", "reported_by_unit_at",
                  "received_at", "passed_up_at", "passed_up_to", "flag_reason",
                  "reporting_case", "reporting_flags", "investigating_authority",
                  "investigation_started_at", "investigation_report", "concluded_at",
                  "closed_at", "findings", "clocks"]

    def get_clocks(self, row: Accident) -> list[dict[str, Any]]:
        clocks = [c for c in (row.unit_report_clock, row.pass_up_clock) if c is not None]
        return list(ClockSerializer(clocks, many=True).data)


class AccidentCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, default="", allow_blank=True,
                                    max_length=20000)
    deaths = serializers.IntegerField(min_value=0, max_value=100000)
    serious_injuries = serializers.IntegerField(min_value=0, max_value=100000)
    direct_loss = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    reported_by_unit_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class PassUpInput(serializers.Serializer):
    to = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    passed_up_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class FlagInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("false", "谎报"), ("concealed", "瞒报")])
    reason = serializers.CharField(max_length=2000)


class OfficersInput(serializers.Serializer):
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1,
                                                                    max_value=2**31 - 1),
                                     max_length=20)


class PersonInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in PERSON_ROLES])
    identifier = serializers.CharField(max_length=32, required=False, default="",
                                       allow_blank=True)
    responsibility = serializers.CharField(max_length=2000, required=False, default="",
                                           allow_blank=True)


class FindingInput(serializers.Serializer):
    unit_name = serializers.CharField(max_length=200)
    identifier = serializers.CharField(max_length=32, required=False, default="",
                                       allow_blank=True)
    enterprise = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False,
                                          allow_null=True, default=None)
    responsibility = serializers.CharField(max_length=5000)
    persons = serializers.ListField(child=PersonInput(), required=False, default=list,
                                    max_length=20)


class ConcludeInput(OfficersInput):
    report = serializers.CharField(max_length=50000)
    findings = serializers.ListField(child=FindingInput(), max_length=20)


class CloseInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
