from __future__ import annotations

import django_filters

from hangzhou_safety.api.filters import FastFilterSet

from .models import AuditEvent


class AuditEventFilter(FastFilterSet):
    # "plan." lists every step of the plan workflow.
    action_prefix = django_filters.CharFilter(field_name="action", lookup_expr="startswith")
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at",
                                                      lookup_expr="gte")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at",
                                                       lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "object_type", "object_id", "actor_id"]
