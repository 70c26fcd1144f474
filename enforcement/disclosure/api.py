"""REST API of disclosures (/api/v1/disclosures/): list, detail, and each step as a
POST calling one service (illegal move 409, bad input 400, role or jurisdiction 403,
an object outside the caller's jurisdiction 404)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enforcement.cases.steps.common import OFFICER_ROLES
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.filters import FastFilterSet
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import step_schema, validated

from . import services
from .models import Disclosure
from .selectors import visible_disclosures
from .serializers import (
    ApproveInput,
    DisclosureAnswerInput,
    DisclosureDetailSerializer,
    DisclosureHoldBackInput,
    DisclosureListSerializer,
    DisclosureObjectionInput,
    DisclosureOptionalReasonInput,
    DisclosureReasonInput,
    DisclosureSubmitInput,
)

DisclosurePermission = roles_allowed(*OFFICER_ROLES, read_roles=ALL_ROLES)


class DisclosureFilter(FastFilterSet):
    status = django_filters.ChoiceFilter(choices=Disclosure.Status.choices)
    case = django_filters.NumberFilter(field_name="case_id")

    class Meta:
        model = Disclosure
        fields = ["status", "case"]


class DisclosureViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """执法决定信息公开: the original and masked versions, review, publication,
    withdrawal, credit repair, objections."""

    permission_classes = [DisclosurePermission]
    filterset_class = DisclosureFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Disclosure]:
        rows = visible_disclosures(self.request.user)
        return rows.prefetch_related("objections") if self.action != "list" else rows

    def get_serializer_class(self) -> type[Any]:
        return DisclosureListSerializer if self.action == "list" else DisclosureDetailSerializer

    def _detail(self, row: Any) -> Response:
        fresh = self.get_queryset().get(pk=row.disclosure_id if hasattr(
            row, "disclosure_id") else row.pk)
        return Response(DisclosureDetailSerializer(fresh).data)

    @step_schema(DisclosureSubmitInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        data = validated(DisclosureSubmitInput, request)
        return self._detail(services.submit_for_review(self.get_object(), actor=request.user,
                                                       **data))

    @step_schema(ApproveInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        data = validated(ApproveInput, request)
        return self._detail(services.approve_redaction(self.get_object(), actor=request.user,
                                                       **data))

    @step_schema(DisclosureReasonInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str) -> Response:
        data = validated(DisclosureReasonInput, request)
        return self._detail(services.send_back(self.get_object(), actor=request.user,
                                               reason=data["reason"]))

    @step_schema(None, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._detail(services.publish(self.get_object(), actor=request.user))

    @step_schema(DisclosureHoldBackInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hold-back")
    def hold_back(self, request: Request, pk: str) -> Response:
        data = validated(DisclosureHoldBackInput, request)
        return self._detail(services.hold_back(self.get_object(), actor=request.user, **data))

    @step_schema(DisclosureOptionalReasonInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = validated(DisclosureOptionalReasonInput, request)
        return self._detail(services.withdraw(self.get_object(), actor=request.user,
                                              reason=data["reason"]))

    @step_schema(None, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"])
    def republish(self, request: Request, pk: str) -> Response:
        return self._detail(services.republish(self.get_object(), actor=request.user))

    @step_schema(DisclosureReasonInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"], url_path="credit-repair")
    def credit_repair(self, request: Request, pk: str) -> Response:
        data = validated(DisclosureReasonInput, request)
        return self._detail(services.end_by_credit_repair(self.get_object(),
                                                          actor=request.user,
                                                          reason=data["reason"]))

    @step_schema(DisclosureReasonInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"], url_path="recompute-due")
    def recompute_due(self, request: Request, pk: str) -> Response:
        data = validated(DisclosureReasonInput, request)
        return self._detail(services.recompute_due(self.get_object(), actor=request.user,
                                                   reason=data["reason"]))

    @step_schema(DisclosureObjectionInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"])
    def objection(self, request: Request, pk: str) -> Response:
        """An objection received by staff (by phone, by letter) is recorded here."""
        data = validated(DisclosureObjectionInput, request)
        return self._detail(services.submit_objection(self.get_object(), actor=request.user,
                                                      **data))

    @step_schema(DisclosureAnswerInput, DisclosureDetailSerializer)
    @action(detail=True, methods=["post"], url_path="answer-objection")
    def answer_objection(self, request: Request, pk: str) -> Response:
        data = validated(DisclosureAnswerInput, request)
        row = self.get_object()
        objection = row.objections.filter(pk=data["objection"]).first()
        if objection is None:
            raise InvalidInput("异议不属于该公开记录。", "Unknown objection.",
                               fields={"objection": ["异议不存在。"]})
        return self._detail(services.answer_objection(objection, actor=request.user,
                                                      answer=data["answer"]))
