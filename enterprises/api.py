"""REST API of the registry: /api/v1/enterprises/ and the facts nested under it.

Every queryset starts from Enterprise.objects.visible_to(user): an enterprise
outside the caller's jurisdiction, and everything nested under it, is a 404.
Writes go through services.py / facts.py; their DomainError (409) and
InvalidInput (400) reach the project's exception handler unchanged.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hangzhou_safety.accounts.models import Authority, Role
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.rows import ValuesRows

from . import facts, services
from .filters import EnterpriseFilter
from .models import Enterprise, InsurancePolicy, MajorHazardSource
from .serializers import (
    EnterpriseDetailSerializer,
    EnterpriseListSerializer,
    EnterpriseWriteSerializer,
    HazardSourceCancelSerializer,
    HazardSourceFileSerializer,
    HazardSourceSerializer,
    HazardSourceWriteSerializer,
    InsurancePolicySerializer,
    InsurancePolicyWriteSerializer,
    SupervisionProblemSerializer,
)

# Every staff role reads; the auditor only reads.
WRITE_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER,
               Role.MUNICIPAL_ADMIN)
RegistryPermission = roles_allowed(*WRITE_ROLES, read_roles=ALL_ROLES)
# Supervision problems are a management report, for whoever assigns supervisors.
ProblemReportPermission = roles_allowed(Role.MUNICIPAL_ADMIN, Role.DISTRICT_APPROVER)


def _duplicate_identifier() -> InvalidInput:
    # Two requests racing past the serializer's uniqueness check meet the unique index.
    message = "该统一社会信用代码或经营者身份证号码已登记，不能重复录入。"
    return InvalidInput(message, "The credit code or ID number is already registered.",
                        fields={"uscc": [message]})


#: The columns EnterpriseListSerializer reads (a test keeps the two in step).
LIST_COLUMNS = (
    "id", "name", "uscc", "status", "address", "sector", "is_high_risk", "risk_level",
    "risk_score", "supervision_basis", "updated_at",
    "location__code", "location__name", "location__parent__code", "location__parent__name",
    "supervising_authority__code", "supervising_authority__name",
)


#: The list's rows, read from .values(): the same JSON as EnterpriseListSerializer
#: (tests/enterprises/test_enterprise_list_rows.py holds them equal).
LIST_ROWS = ValuesRows(EnterpriseListSerializer, computed={
    # Enterprise.identifier, on the row's column rather than an instance.
    "identifier": (("uscc",), lambda row: Enterprise.identifier.fget(  # type: ignore[attr-defined]
        SimpleNamespace(uscc=row["uscc"]))),
})


class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin,
                        viewsets.GenericViewSet):
    """生产经营单位台账. Filters: district, street, sector, high_risk, risk_level, status,
    has_hazard_sources, insurance_missing, supervisor, supervision_basis, search."""

    permission_classes = [RegistryPermission]
    filterset_class = EnterpriseFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Enterprise]:
        qs = Enterprise.objects.visible_to(self.request.user).select_related(
            "location__parent", "supervising_authority")
        if self.action in ("list", "insurance_warnings"):
            # Read only the columns the list shows: building 40-column instances for
            # 15 shown columns was a third of a list request's Python time (issue 15).
            return qs.only(*LIST_COLUMNS)
        if self.action != "supervision_problems":
            qs = qs.select_related("registration_jurisdiction", "registration_authority",
                                   "industry").prefetch_related(
                Prefetch("duty_departments", queryset=Authority.objects.order_by("code")))
        return qs

    def get_serializer_class(self) -> Any:
        if self.action in ("create", "update", "partial_update"):
            return EnterpriseWriteSerializer
        if self.action in ("list", "insurance_warnings"):
            return EnterpriseListSerializer
        return EnterpriseDetailSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The serializer's rows built from .values() (hangzhou_safety.api.rows): no
        model instance per row and related row, no DRF field walk (issue 15)."""
        qs = self.filter_queryset(self.get_queryset()).values(*LIST_ROWS.columns)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(LIST_ROWS.serialise(page or []))

    def _detail(self, enterprise: Enterprise, code: int = status.HTTP_200_OK) -> Response:
        # Re-read through the scoped, related-loaded queryset for the response body.
        fresh = self.get_queryset().get(pk=enterprise.pk)
        serializer = EnterpriseDetailSerializer(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=code)

    @extend_schema(request=EnterpriseWriteSerializer, responses=EnterpriseDetailSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            enterprise = services.create_enterprise(dict(serializer.validated_data),
                                                    actor=request.user)
        except IntegrityError as exc:
            raise _duplicate_identifier() from exc
        return self._detail(enterprise, status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseWriteSerializer, responses=EnterpriseDetailSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()  # 404 outside the caller's jurisdiction
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = str(request.data.get("reason", "")) if hasattr(request.data, "get") else ""
        try:
            enterprise = services.update_enterprise(instance, data, actor=request.user,
                                                    reason=reason)
        except IntegrityError as exc:
            raise _duplicate_identifier() from exc
        return self._detail(enterprise)

    # The whole report, unfiltered and unpaginated: {"count", "results"}.
    @extend_schema(filters=False, responses=inline_serializer(
        "SupervisionProblemReport", {"count": serializers.IntegerField(),
                                     "results": SupervisionProblemSerializer(many=True)}))
    @action(detail=False, url_path="supervision-problems",
            permission_classes=[ProblemReportPermission])
    def supervision_problems(self, request: Request) -> Response:
        """Enterprises visible to the caller with no supervisor or a conflicting one."""
        problems = {p["enterprise"].pk: p["problem"] for p in services.supervision_problems()}
        # Re-read through the caller's scope with the list's related rows loaded: the
        # report costs a fixed number of queries and shows nothing out of jurisdiction.
        visible = self.get_queryset().filter(pk__in=list(problems)).order_by("id")
        rows = [{"enterprise": e, "problem": problems[e.pk]} for e in visible]
        data = SupervisionProblemSerializer(rows, many=True).data
        return Response({"count": len(rows), "results": data})

    @extend_schema(responses=EnterpriseListSerializer(many=True))
    @action(detail=False, url_path="insurance-warnings")
    def insurance_warnings(self, request: Request) -> Response:
        """High-risk enterprises without a valid 安责险 policy today (other filters apply)."""
        params = request.query_params.copy()
        params["insurance_missing"] = "true"
        filterset = EnterpriseFilter(params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        serializer = EnterpriseListSerializer(page, many=True,
                                              context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


class _EnterpriseChildViewSet(viewsets.GenericViewSet):
    """Resolves the parent enterprise through visible_to: out of scope → 404."""

    _enterprise: Enterprise | None = None

    def get_enterprise(self) -> Enterprise:
        if self._enterprise is None:
            self._enterprise = get_object_or_404(
                Enterprise.objects.visible_to(self.request.user),
                pk=self.kwargs["enterprise_pk"])
        return self._enterprise


class HazardSourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          _EnterpriseChildViewSet):
    """重大危险源 of one enterprise, with the filing steps file / cancel."""

    permission_classes = [RegistryPermission]
    serializer_class = HazardSourceSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MajorHazardSource]:
        return (MajorHazardSource.objects.filter(enterprise=self.get_enterprise())
                .select_related("filing_authority"))

    @extend_schema(request=HazardSourceWriteSerializer, responses=HazardSourceSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enterprise = self.get_enterprise()
        serializer = HazardSourceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["substances"] = [dict(s) for s in data.get("substances", [])]
        source = facts.create_hazard_source(enterprise, data, actor=request.user)
        return Response(HazardSourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HazardSourceFileSerializer, responses=HazardSourceSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        serializer = HazardSourceFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = services.file_hazard_source(
            source, actor=request.user,
            filing_date=serializer.validated_data.get("filing_date"))
        return Response(HazardSourceSerializer(self.get_queryset().get(pk=source.pk)).data)

    @extend_schema(request=HazardSourceCancelSerializer, responses=HazardSourceSerializer)
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        serializer = HazardSourceCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = services.cancel_hazard_source(source, actor=request.user,
                                               reason=serializer.validated_data["reason"])
        return Response(HazardSourceSerializer(self.get_queryset().get(pk=source.pk)).data)


class InsurancePolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             _EnterpriseChildViewSet):
    """Insurance policies (工伤保险, 安责险) of one enterprise."""

    permission_classes = [RegistryPermission]
    serializer_class = InsurancePolicySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[InsurancePolicy]:
        return InsurancePolicy.objects.filter(enterprise=self.get_enterprise())

    @extend_schema(request=InsurancePolicyWriteSerializer, responses=InsurancePolicySerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enterprise = self.get_enterprise()
        serializer = InsurancePolicyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = facts.create_insurance_policy(enterprise, dict(serializer.validated_data),
                                               actor=request.user)
        return Response(InsurancePolicySerializer(policy).data,
                        status=status.HTTP_201_CREATED)
