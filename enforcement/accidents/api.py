"""REST API of accidents: /api/v1/accidents/ (list, register) and /api/v1/accidents/{id}/
with one POST per step. Objects are read through ``visible_to`` (another jurisdiction's
is a 404); every role reads, the field and head roles write, and each service checks
role, jurisdiction and the investigation level again. An illegal move is a 409, bad
input a 400."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enforcement.cases.serializers import CaseDetailSerializer
from enforcement.cases.services import OFFICER_ROLES
from enterprises.models import Enterprise
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.filters import FastFilterSet
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import ERRORS, step_schema, validated, visible_users

from . import services
from .models import Accident, Grade
from .selectors import accident_detail, visible_accidents
from .serializers import (
    AccidentCreateSerializer,
    AccidentDetailSerializer,
    AccidentListSerializer,
    CloseInput,
    ConcludeInput,
    FlagInput,
    OfficersInput,
    PassUpInput,
)

AccidentPermission = roles_allowed(*OFFICER_ROLES, read_roles=ALL_ROLES)


class AccidentFilter(FastFilterSet):
    status = django_filters.ChoiceFilter(choices=Accident.Status.choices)
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")

    class Meta:
        model = Accident
        fields = ["status", "grade", "enterprise"]


class AccidentViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """生产安全事故：接报、上报、迟报谎报瞒报立案、按等级调查、调查报告责任认定立案、结案。"""

    permission_classes = [AccidentPermission]
    filterset_class = AccidentFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Accident]:
        user = self.request.user
        rows = accident_detail(user) if self.action != "list" else visible_accidents(user)
        return rows.order_by("-id")

    def get_serializer_class(self) -> type[Any]:
        return AccidentListSerializer if self.action == "list" else AccidentDetailSerializer

    def _detail(self, row: Accident, code: int = status.HTTP_200_OK) -> Response:
        fresh = accident_detail(self.request.user).get(pk=row.pk)
        return Response(AccidentDetailSerializer(fresh).data, status=code)

    @extend_schema(request=AccidentCreateSerializer,
                   responses={201: AccidentDetailSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = validated(AccidentCreateSerializer, request)
        enterprise = Enterprise.objects.visible_to(request.user).filter(
            pk=data.pop("enterprise")).first()
        if enterprise is None:
            raise InvalidInput("事故发生单位不存在或不在您的管辖范围内。",
                               "Unknown or out-of-jurisdiction enterprise.",
                               fields={"enterprise": ["事故发生单位不在您的管辖范围内。"]})
        row = services.register_accident(actor=request.user, enterprise=enterprise, **data)
        return self._detail(row, status.HTTP_201_CREATED)

    @step_schema(PassUpInput, AccidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="pass-up")
    def pass_up(self, request: Request, pk: str) -> Response:
        data = validated(PassUpInput, request)
        return self._detail(services.pass_up(self.get_object(), actor=request.user, **data))

    @step_schema(FlagInput, AccidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def flag(self, request: Request, pk: str) -> Response:
        data = validated(FlagInput, request)
        return self._detail(services.flag_reporting(self.get_object(), actor=request.user,
                                                    **data))

    @extend_schema(request=OfficersInput, responses={201: CaseDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="reporting-case")
    def reporting_case(self, request: Request, pk: str) -> Response:
        data = validated(OfficersInput, request)
        row = self.get_object()
        officers = visible_users(request.user, data["officers"], "officers")
        case = services.open_reporting_case(row, actor=request.user, officers=officers)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @step_schema(None, AccidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-investigation")
    def start_investigation(self, request: Request, pk: str) -> Response:
        return self._detail(services.start_investigation(self.get_object(), actor=request.user))

    @step_schema(ConcludeInput, AccidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk: str) -> Response:
        data = validated(ConcludeInput, request)
        row = self.get_object()
        findings = [{**dict(f), "persons": [dict(p) for p in f["persons"]]}
                    for f in data["findings"]]
        return self._detail(services.conclude_investigation(
            row, actor=request.user, report=data["report"], findings=findings,
            officers=visible_users(request.user, data["officers"], "officers")))

    @step_schema(CloseInput, AccidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = validated(CloseInput, request)
        return self._detail(services.close_accident(self.get_object(), actor=request.user,
                                                    note=data["note"]))
