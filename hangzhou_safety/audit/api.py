"""Read-only API over the audit trail, for administrators, auditors and approvers."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.permissions import roles_allowed

from .filters import AuditEventFilter
from .models import AuditEvent
from .serializers import AuditEventSerializer


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    permission_classes = [roles_allowed(Role.MUNICIPAL_ADMIN, Role.AUDITOR,
                                        Role.DISTRICT_APPROVER)]
    filterset_class = AuditEventFilter

    def get_queryset(self) -> QuerySet[AuditEvent]:
        # Out-of-jurisdiction events are simply absent (a 404 on retrieve).
        return AuditEvent.objects.visible_to(self.request.user)
