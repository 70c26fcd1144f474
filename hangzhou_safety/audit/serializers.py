from __future__ import annotations

from rest_framework import serializers

from .models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "occurred_at", "actor_id", "actor_name", "action", "object_type",
                  "object_id", "object_repr", "jurisdiction_path", "old_values",
                  "new_values", "reason", "client_ip", "prev_hash", "hash"]
        read_only_fields = fields
