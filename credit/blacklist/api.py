"""REST API of the blacklist: staff entries and steps (/api/v1/credit/blacklist/), the
partner query (/api/v1/credit/restrictions/?uscc=) and the public list
(/api/v1/public/blacklist/?q=).

Staff read within their jurisdiction; every step is one service of
credit/blacklist/services.py, which checks role and jurisdiction again (谁处罚、谁决定:
only the head of the authority that punished decides). Partners (联合惩戒成员单位) read
no staff route: they have the restriction query alone, and every query is logged.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.cases.selectors import visible_decisions
from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.filters import FastFilterSet
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import ERROR, ERRORS, step_schema, validated

from . import services
from .models import BlacklistEntry
from .selectors import public_entries, visible_entries
from .serializers import (
    BlacklistDecideInput,
    BlacklistEntrySerializer,
    BlacklistProposeInput,
    BlacklistTextInput,
    PublicBlacklistSerializer,
    RestrictionAnswerSerializer,
)

EntryPermission = roles_allowed(*services.STAFF_ROLES, read_roles=ALL_ROLES)


class EntryFilter(FastFilterSet):
    status = django_filters.ChoiceFilter(choices=BlacklistEntry.Status.choices)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")

    class Meta:
        model = BlacklistEntry
        fields = ["status", "enterprise"]


class BlacklistViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """严重失信主体名单 (应急管理部令第11号): entries of the caller's jurisdiction, the
    proposal and every step from the prior notice to removal."""

    permission_classes = [EntryPermission]
    serializer_class = BlacklistEntrySerializer
    filterset_class = EntryFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[BlacklistEntry]:
        return visible_entries(self.request.user)

    def _answer(self, entry: BlacklistEntry, code: int = status.HTTP_200_OK) -> Response:
        fresh = visible_entries(self.request.user).get(pk=entry.pk)
        return Response(BlacklistEntrySerializer(fresh).data, status=code)

    @extend_schema(request=BlacklistProposeInput,
                   responses={201: BlacklistEntrySerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = validated(BlacklistProposeInput, request)
        decision = visible_decisions(request.user).filter(pk=data.pop("decision")).first()
        if decision is None:
            raise InvalidInput("处罚决定不存在或不在您的管辖范围内。",
                               "Unknown or out-of-jurisdiction decision.",
                               fields={"decision": ["处罚决定不在您的管辖范围内。"]})
        entry = services.propose(decision, actor=request.user, **data)
        return self._answer(entry, status.HTTP_201_CREATED)

    @step_schema(None, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: str) -> Response:
        return self._answer(services.notify(self.get_object(), actor=request.user))

    @step_schema(BlacklistTextInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"])
    def objection(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistTextInput, request)
        return self._answer(services.record_objection(self.get_object(), actor=request.user,
                                                      text=data["text"]))

    @step_schema(BlacklistTextInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"], url_path="answer-objection")
    def answer_objection(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistTextInput, request)
        return self._answer(services.answer_objection(self.get_object(), actor=request.user,
                                                      answer=data["text"]))

    @step_schema(BlacklistDecideInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistDecideInput, request)
        return self._answer(services.decide(self.get_object(), actor=request.user,
                                            decision_number=data["decision_number"]))

    @step_schema(None, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._answer(services.publish_entry(self.get_object(), actor=request.user))

    @step_schema(BlacklistTextInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"], url_path="request-removal")
    def request_removal(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistTextInput, request)
        return self._answer(services.request_early_removal(
            self.get_object(), actor=request.user, application=data["text"]))

    @step_schema(BlacklistTextInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"], url_path="approve-removal")
    def approve_removal(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistTextInput, request)
        return self._answer(services.approve_removal(self.get_object(), actor=request.user,
                                                     reason=data["text"]))

    @step_schema(BlacklistTextInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"], url_path="refuse-removal")
    def refuse_removal(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistTextInput, request)
        return self._answer(services.refuse_removal(self.get_object(), actor=request.user,
                                                    reason=data["text"]))

    @step_schema(BlacklistTextInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"], url_path="revoke-removal")
    def revoke_removal(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistTextInput, request)
        return self._answer(services.revoke_removal(self.get_object(), actor=request.user,
                                                    reason=data["text"]))

    @step_schema(BlacklistTextInput, BlacklistEntrySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = validated(BlacklistTextInput, request)
        return self._answer(services.withdraw(self.get_object(), actor=request.user,
                                              reason=data["text"]))


class IsPartner(BasePermission):
    """A partner department's account (联合惩戒成员单位), and no one else."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active
                    and user.has_role(Role.PARTNER))


class RestrictionQueryView(APIView):
    """Is this credit code restricted today, and why? For partner departments; every
    query is logged and kept 10 years (浙江省公共信用信息管理条例)."""

    permission_classes = [IsPartner]

    @extend_schema(parameters=[OpenApiParameter("uscc", str, required=True,
                                                description="统一社会信用代码（18位）")],
                   responses={200: RestrictionAnswerSerializer, 400: ERROR, 401: ERROR,
                              403: ERROR})
    def get(self, request: Request) -> Response:
        answer = services.restrictions_for(str(request.query_params.get("uscc", "")),
                                           actor=request.user)
        return Response(RestrictionAnswerSerializer(answer).data)


class PublicBlacklistView(ListAPIView):
    """The current blacklist, for anyone (no login; throttled per client)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = PublicBlacklistSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[BlacklistEntry]:
        return public_entries(str(self.request.query_params.get("q", "")))

    @extend_schema(parameters=[OpenApiParameter("q", str, required=False,
                                                description="单位名称或统一社会信用代码")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
