"""REST API of the violation base (安全生产违法信息库): /api/v1/credit/records/, staff only,
scoped to the caller's jurisdiction (the authority that punished), read-only (records
are written by the enforcement signals, never by hand). Filters: ``uscc``,
``enterprise``, ``kind`` (unit / person), ``status`` (current / corrected / removed /
expired), ``year`` (of the decision). ID numbers are masked (serializers.py)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from hangzhou_safety.api.filters import FastFilterSet
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import ERROR

from .models import SubjectKind, ViolationRecord
from .selectors import visible_records
from .serializers import CreditRecordSerializer

V = ViolationRecord.Status
RecordPermission = roles_allowed(*ALL_ROLES)
KINDS = (("unit", "生产经营单位"), ("person", "责任人员"))
STATUSES = (("current", "公示中"), ("corrected", "已更正（公示中）"), ("removed", "已撤除"),
            ("expired", "期满删除"))


class CreditRecordFilter(FastFilterSet):
    uscc = django_filters.CharFilter(method="by_uscc", max_length=18)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    kind = django_filters.ChoiceFilter(choices=KINDS, method="by_kind")
    status = django_filters.ChoiceFilter(choices=STATUSES, method="by_status")
    year = django_filters.NumberFilter(field_name="decided_on__year", min_value=1900,
                                       max_value=9999)

    class Meta:
        model = ViolationRecord
        fields = ["uscc", "enterprise", "kind", "status", "year"]

    def by_uscc(self, rows: QuerySet[ViolationRecord], name: str, value: str) -> Any:
        # A person's record carries no code: it is found through its enterprise's.
        return rows.filter(enterprise__uscc=value.strip().upper())

    def by_kind(self, rows: QuerySet[ViolationRecord], name: str, value: str) -> Any:
        return rows.filter(subject_kind=SubjectKind.PERSON if value == "person"
                           else SubjectKind.ENTERPRISE)

    def by_status(self, rows: QuerySet[ViolationRecord], name: str, value: str) -> Any:
        if value == "current":
            return rows.filter(status=V.ACTIVE)
        if value == "corrected":
            return rows.filter(status=V.ACTIVE, version__gt=1)
        return rows.filter(status=value)


@extend_schema_view(
    list=extend_schema(responses={200: CreditRecordSerializer(many=True), 400: ERROR,
                                  403: ERROR}),
    retrieve=extend_schema(responses={200: CreditRecordSerializer, 403: ERROR,
                                      404: ERROR}))
class CreditRecordViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """违法信息: the violation records of units and responsible persons in the caller's
    jurisdiction, newest first; ID numbers masked."""

    permission_classes = [RecordPermission]
    serializer_class = CreditRecordSerializer
    filterset_class = CreditRecordFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ViolationRecord]:
        return visible_records(self.request.user)
