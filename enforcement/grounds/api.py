"""Read-only API of the discretion table (/api/v1/grounds/...).

Every staff role reads the published table (the bureau publishes it anyway,
行政处罚法 第三十四条); drafts are visible to the municipal administrator only.
Without ``?version=`` the lists show the version in force today. The table is
maintained in the admin by the municipal administrator through the services, so the
API has no write routes (a POST is 405 for every role, 401 without credentials).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.pagination import IdCursorPagination
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed

from . import selectors
from .models import DiscretionBenchmark, DiscretionVersion, ViolationType
from .serializers import (
    DiscretionBenchmarkSerializer,
    DiscretionVersionSerializer,
    GroundsErrorSerializer,
    ViolationTypeSerializer,
)
from .services import is_rules_admin

GroundsRead = roles_allowed(*ALL_ROLES)
ERRORS = {400: GroundsErrorSerializer, 401: GroundsErrorSerializer,
          403: GroundsErrorSerializer, 404: GroundsErrorSerializer,
          409: GroundsErrorSerializer}
VERSION_PARAM = OpenApiParameter(
    "version", int, description="裁量基准版本 id；缺省为今日施行的版本 (default: in force today)")


class InTableOrder(IdCursorPagination):
    """Keyset pagination in the table's own order (rows were entered in order)."""

    ordering = "id"


def visible_versions(user: Any) -> QuerySet[DiscretionVersion]:
    qs = DiscretionVersion.objects.all()
    return qs if is_rules_admin(user) else qs.exclude(status=DiscretionVersion.Status.DRAFT)


def _requested_version(request: Any) -> DiscretionVersion:
    raw = request.query_params.get("version", "")
    if raw == "":
        return selectors.version_in_force(timezone.localdate())
    version = (visible_versions(request.user).filter(pk=int(raw)).first()
               if raw.isdigit() and len(raw) < 19 else None)
    if version is None:
        message = "裁量基准版本不存在。"
        raise InvalidInput(message, "Unknown discretion table version.",
                           fields={"version": [message]})
    return version


@extend_schema_view(
    list=extend_schema(summary="裁量基准版本", responses={200: DiscretionVersionSerializer,
                                                    **ERRORS}),
    retrieve=extend_schema(summary="裁量基准版本详情",
                           responses={200: DiscretionVersionSerializer, **ERRORS}),
)
class DiscretionVersionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [GroundsRead]
    serializer_class = DiscretionVersionSerializer
    pagination_class = IdCursorPagination
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[DiscretionVersion]:
        return visible_versions(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="违法行为（处罚依据）", parameters=[VERSION_PARAM],
                       responses={200: ViolationTypeSerializer, **ERRORS}),
)
class ViolationTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [GroundsRead]
    serializer_class = ViolationTypeSerializer
    pagination_class = InTableOrder
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ViolationType]:
        return selectors.violations(_requested_version(self.request))


@extend_schema_view(
    list=extend_schema(
        summary="裁量基准行", parameters=[
            VERSION_PARAM,
            OpenApiParameter("violation", str, description="违法行为编码 (violation code)")],
        responses={200: DiscretionBenchmarkSerializer, **ERRORS}),
)
class DiscretionBenchmarkViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [GroundsRead]
    serializer_class = DiscretionBenchmarkSerializer
    pagination_class = InTableOrder
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[DiscretionBenchmark]:
        code = self.request.query_params.get("violation", "").strip()[:32]
        return selectors.benchmarks(_requested_version(self.request), code or None)
