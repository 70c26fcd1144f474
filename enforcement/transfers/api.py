"""REST API of criminal transfers: /api/v1/cases/{id}/transfers/ (a case's transfers,
and the officers' report that opens one) and /api/v1/transfers/{id}/ with one POST per
step. Objects are read through ``visible_to`` (another jurisdiction's is a 404); every
role reads, the field and head roles write, and each service checks role, jurisdiction
and separation of duties again. An illegal move is a 409, bad input a 400."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.cases.selectors import visible_cases
from enforcement.cases.services import OFFICER_ROLES
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import ERRORS, step_schema, validated

from . import services
from .models import CriminalTransfer
from .selectors import visible_transfers
from .serializers import (
    DeliverInput,
    ExhibitsInput,
    PoliceDecisionInput,
    PoliceDeclineInput,
    ReconsiderInput,
    TransferApproveInput,
    TransferReasonInput,
    TransferReportInput,
    TransferSerializer,
)

TransferPermission = roles_allowed(*OFFICER_ROLES, read_roles=ALL_ROLES)
CASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="案件 ID")


class CaseTransfersView(APIView):
    """一个案件的涉嫌犯罪案件移送；POST：承办人提出移送的书面报告。"""

    permission_classes = [TransferPermission]

    def _case(self, request: Request, case_id: int) -> Any:
        return get_object_or_404(visible_cases(request.user), pk=case_id)

    @extend_schema(parameters=[CASE_ID], responses={200: TransferSerializer(many=True),
                                                    **ERRORS})
    def get(self, request: Request, id: int) -> Response:
        case = self._case(request, id)
        rows = visible_transfers(request.user).filter(case=case).order_by("-id")
        return Response(TransferSerializer(rows, many=True).data)

    @extend_schema(parameters=[CASE_ID], request=TransferReportInput,
                   responses={201: TransferSerializer, **ERRORS})
    def post(self, request: Request, id: int) -> Response:
        case = self._case(request, id)
        data = validated(TransferReportInput, request)
        row = services.report_transfer(case, actor=request.user, category_code=data["category"],
                                       report=data["report"])
        fresh = visible_transfers(request.user).get(pk=row.pk)
        return Response(TransferSerializer(fresh).data, status=status.HTTP_201_CREATED)


class TransferViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """涉嫌犯罪案件移送：负责人决定、移送、公安机关决定、提请复议、移交涉案物品。"""

    permission_classes = [TransferPermission]
    serializer_class = TransferSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[CriminalTransfer]:
        return visible_transfers(self.request.user).order_by("-id")

    def _detail(self, row: CriminalTransfer) -> Response:
        return Response(TransferSerializer(self.get_queryset().get(pk=row.pk)).data)

    @step_schema(TransferApproveInput, TransferSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        data = validated(TransferApproveInput, request)
        return self._detail(services.decide_transfer(self.get_object(), actor=request.user,
                                                     approve=True, reason=data["reason"]))

    @step_schema(TransferReasonInput, TransferSerializer)
    @action(detail=True, methods=["post"], url_path="not-approve")
    def not_approve(self, request: Request, pk: str) -> Response:
        data = validated(TransferReasonInput, request)
        return self._detail(services.decide_transfer(self.get_object(), actor=request.user,
                                                     approve=False, reason=data["reason"]))

    @step_schema(DeliverInput, TransferSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        data = validated(DeliverInput, request)
        return self._detail(services.record_transfer(
            self.get_object(), actor=request.user, police_organ=data["police_organ"],
            attachments=[dict(a) for a in data["attachments"]],
            transferred_at=data["transferred_at"]))

    @step_schema(PoliceDecisionInput, TransferSerializer)
    @action(detail=True, methods=["post"], url_path="police-filed")
    def police_filed(self, request: Request, pk: str) -> Response:
        data = validated(PoliceDecisionInput, request)
        return self._detail(services.record_police_answer(
            self.get_object(), actor=request.user, accepted=True,
            decision_number=data["decision_number"], received_at=data["received_at"]))

    @step_schema(PoliceDeclineInput, TransferSerializer)
    @action(detail=True, methods=["post"], url_path="police-declined")
    def police_declined(self, request: Request, pk: str) -> Response:
        data = validated(PoliceDeclineInput, request)
        return self._detail(services.record_police_answer(
            self.get_object(), actor=request.user, accepted=False,
            decision_number=data["decision_number"], reason=data["reason"],
            received_at=data["received_at"]))

    @step_schema(ReconsiderInput, TransferSerializer)
    @action(detail=True, methods=["post"])
    def reconsider(self, request: Request, pk: str) -> Response:
        data = validated(ReconsiderInput, request)
        return self._detail(services.request_reconsideration(
            self.get_object(), actor=request.user, reason=data["reason"],
            requested_at=data["requested_at"]))

    @step_schema(TransferReasonInput, TransferSerializer)
    @action(detail=True, methods=["post"], url_path="accept-decline")
    def accept_decline(self, request: Request, pk: str) -> Response:
        data = validated(TransferReasonInput, request)
        return self._detail(services.accept_decline(self.get_object(), actor=request.user,
                                                    reason=data["reason"]))

    @step_schema(ExhibitsInput, TransferSerializer)
    @action(detail=True, methods=["post"])
    def exhibits(self, request: Request, pk: str) -> Response:
        data = validated(ExhibitsInput, request)
        return self._detail(services.record_exhibit_handover(
            self.get_object(), actor=request.user, note=data["note"],
            handed_at=data["handed_at"]))
