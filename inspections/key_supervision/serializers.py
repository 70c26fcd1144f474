"""Serializers of the key-supervision list."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspections.key_supervision.services import KeyEnterprise


class KeyEnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    risk_level = serializers.CharField()
    is_high_risk = serializers.BooleanField()


class KeyEnterpriseSerializer(serializers.Serializer):
    enterprise = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField())
    reason_labels = serializers.ListField(child=serializers.CharField())
    category = serializers.CharField()

    @extend_schema_field(KeyEnterpriseRefSerializer)
    def get_enterprise(self, obj: KeyEnterprise) -> dict[str, Any]:
        e = obj.enterprise
        return {"id": e.pk, "name": e.name, "uscc": e.uscc, "risk_level": e.risk_level,
                "is_high_risk": e.is_high_risk}


class KeySupervisionPageSerializer(serializers.Serializer):
    """One page of the list: newest enterprise first; ``next`` is the URL of the next
    page (``?before=<enterprise id>``), null on the last page."""

    year = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    results = KeyEnterpriseSerializer(many=True)
