"""REST API of integrity ratings (/api/v1/credit/ratings/) and safety commitments
(/api/v1/credit/commitments/). Staff read within their jurisdiction; each step is one
service of credit/ratings/services.py, which checks role, jurisdiction and that the
reviewer is not the one who computed."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enterprises.models import Enterprise
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.filters import FastFilterSet
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import ERRORS, validated

from . import services
from .models import CreditCommitment, IntegrityRating, RatingLevel
from .selectors import visible_commitments, visible_ratings
from .serializers import (
    CommitmentBreachInput,
    CommitmentInput,
    CommitmentSerializer,
    RatingComputeAnswer,
    RatingComputeInput,
    RatingSerializer,
)

RatingPermission = roles_allowed(*services.STAFF_ROLES, read_roles=ALL_ROLES)


class RatingFilter(FastFilterSet):
    year = django_filters.NumberFilter(field_name="year")
    level = django_filters.ChoiceFilter(choices=RatingLevel.choices)
    status = django_filters.ChoiceFilter(choices=IntegrityRating.Status.choices)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")

    class Meta:
        model = IntegrityRating
        fields = ["year", "level", "status", "enterprise"]


class RatingViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """诚信等级: ratings with their inputs and explanation; the year's computation for the
    caller's authority, review and publication."""

    permission_classes = [RatingPermission]
    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[IntegrityRating]:
        return visible_ratings(self.request.user)

    @extend_schema(request=RatingComputeInput, responses={200: RatingComputeAnswer, **ERRORS})
    @action(detail=False, methods=["post"])
    def compute(self, request: Request) -> Response:
        data = validated(RatingComputeInput, request)
        user: Any = request.user
        if user.authority is None:
            raise InvalidInput("您的账号没有所属执法部门。", "Your account has no authority.")
        count = services.compute_year(user.authority, data["year"], actor=user)
        return Response({"computed": count})

    @extend_schema(request=None, responses={200: RatingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        row = services.review(self.get_object(), actor=request.user)
        return Response(RatingSerializer(visible_ratings(request.user).get(pk=row.pk)).data)

    @extend_schema(request=None, responses={200: RatingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        row = services.publish(self.get_object(), actor=request.user)
        return Response(RatingSerializer(visible_ratings(request.user).get(pk=row.pk)).data)


class CommitmentViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """安全生产承诺: recorded commitments and their breaches (an input of the rating)."""

    permission_classes = [RatingPermission]
    serializer_class = CommitmentSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[CreditCommitment]:
        return visible_commitments(self.request.user)

    @extend_schema(request=CommitmentInput, responses={201: CommitmentSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = validated(CommitmentInput, request)
        enterprise = Enterprise.objects.visible_to(request.user).filter(
            pk=data["enterprise"]).first()
        if enterprise is None:
            raise InvalidInput("生产经营单位不存在或不在您的管辖范围内。",
                               "Unknown or out-of-jurisdiction enterprise.",
                               fields={"enterprise": ["不在您的管辖范围内。"]})
        row = services.record_commitment(enterprise, actor=request.user,
                                         signed_on=data["signed_on"], content=data["content"])
        return Response(CommitmentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommitmentBreachInput, responses={200: CommitmentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def breach(self, request: Request, pk: str) -> Response:
        data = validated(CommitmentBreachInput, request)
        row = services.record_breach(self.get_object(), actor=request.user, on=data["on"],
                                     reason=data["reason"])
        return Response(CommitmentSerializer(row).data)
