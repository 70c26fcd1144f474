"""Serializers of the key-supervision list."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspections.key_supervision.services import KeyEnterprise


class KeyEnterpriseSerializer(serializers.Serializer):
    enterprise = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField())
    reason_labels = serializers.ListField(child=serializers.CharField())
    category = serializers.CharField()

    def get_enterprise(self, obj: KeyEnterprise) -> dict[str, Any]:
        e = obj.enterprise
        return {"id": e.pk, "name": e.name, "uscc": e.uscc, "risk_level": e.risk_level,
                "is_high_risk": e.is_high_risk}
