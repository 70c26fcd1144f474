"""Public decisions API (no login, throttled per client; API.md "Public, no login"):

- ``GET /api/v1/public/decisions/?q=&district=&year=&decision_type=`` published
  decisions, newest first, cursor-paginated ``{"next", "previous", "results"}``;
- ``GET /api/v1/public/decisions/<id>/`` one of them with its masked public text.

A bad filter value is a 400 ``{"code", "detail", "detail_en"}``; a decision that is
not published (pending, withdrawn, expired, held back) is a 404 like one that never
existed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from enforcement.disclosure.models import Disclosure
from enforcement.disclosure.rules import DecisionType
from hangzhou_safety.api.pagination import IdCursorPagination
from hangzhou_safety.api.steps import ERROR
from hangzhou_safety.boundary.throttling import AnonClientRateThrottle

from . import selectors
from .serializers import PublicDecisionDetailSerializer, PublicDecisionSerializer

FILTER_PARAMETERS = [
    OpenApiParameter("q", str, required=False,
                     description="当事人、文号或违法行为（至少两个字）/ party, document "
                                 "number or violation (2+ characters)"),
    OpenApiParameter("district", str, required=False, description="区县代码 / district code"),
    OpenApiParameter("year", int, required=False, description="决定年份 / year of decision"),
    OpenApiParameter("decision_type", str, required=False, enum=DecisionType.values,
                     description="决定类型 / decision type"),
]


class PublicDecisionPagination(IdCursorPagination):
    page_size = 20
    max_page_size = 100


class PublicDecisionListView(ListAPIView):
    """Published enforcement decisions (公开的执法决定), newest first (served through
    ``cached_answer``: see urls.py)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AnonClientRateThrottle]
    serializer_class = PublicDecisionSerializer
    pagination_class = PublicDecisionPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Disclosure]:
        filters = selectors.parse_filters(self.request.query_params)
        return selectors.search(filters).select_related("authority")

    @extend_schema(parameters=FILTER_PARAMETERS,
                   responses={200: PublicDecisionSerializer(many=True), 400: ERROR,
                              429: ERROR})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PublicDecisionDetailView(RetrieveAPIView):
    """One published decision: its public (masked) version."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AnonClientRateThrottle]
    serializer_class = PublicDecisionDetailSerializer
    lookup_field = "pk"
    lookup_url_kwarg = "disclosure_id"

    def get_queryset(self) -> QuerySet[Disclosure]:
        return selectors.public_rows(detail=True)

    @extend_schema(responses={200: PublicDecisionDetailSerializer, 404: ERROR, 429: ERROR})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
