"""Serializers of the violation base's staff API (/api/v1/credit/records/). A person's
ID number is shown masked only (``id_number_masked``): persons are identified inside
the system by it, never shown outside it, and an API response leaves the system."""

from __future__ import annotations

from rest_framework import serializers

from .models import PersonRole, ViolationRecord
from .selectors import masked_id_number


class CreditRecordSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    # Blank on a unit's record: the schema must say so (schemathesis checks it).
    person_role = serializers.ChoiceField(choices=PersonRole.choices, allow_blank=True,
                                          read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    person_role_display = serializers.CharField(source="get_person_role_display",
                                                read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True,
                                            allow_null=True, default=None)
    id_number_masked = serializers.SerializerMethodField()
    corrected = serializers.SerializerMethodField()

    class Meta:
        model = ViolationRecord
        fields = ["id", "kind", "subject_kind", "person_role", "person_role_display",
                  "subject_name", "uscc", "id_number_masked", "enterprise", "enterprise_name",
                  "decision", "case", "authority", "authority_name", "decision_number",
                  "violation_type", "facts", "legal_basis", "penalty_kinds", "fine_amount",
                  "decided_on", "final_on", "disclose_until", "status", "status_display",
                  "version", "corrected", "removed_reason", "created_at", "updated_at"]
        read_only_fields = fields

    def get_kind(self, obj: ViolationRecord) -> str:
        """``unit`` or ``person``, the words of the filter."""
        return "person" if obj.subject_kind == "person" else "unit"

    def get_id_number_masked(self, obj: ViolationRecord) -> str:
        return masked_id_number(obj.id_number)

    def get_corrected(self, obj: ViolationRecord) -> bool:
        return obj.version > 1
