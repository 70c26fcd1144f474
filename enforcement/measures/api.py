"""REST API of compulsory measures: ``/api/v1/cases/{case_id}/measures/`` (list,
propose or record an emergency measure) and ``/api/v1/measures/{id}/`` with one POST
per step. Read through ``visible_to``: another district's case or measure is a 404;
each service checks role, jurisdiction and separation of duties (403), the workflow
(409 ``illegal_transition``) and the input (400)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enforcement.cases.models import Case
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import ERRORS, step_schema, validated, visible_users

from . import change_steps, services
from .models import CompulsoryMeasure, MeasureItem
from .selectors import visible_measures
from .serializers import (
    DisposeInput,
    ExecuteInput,
    ExtendInput,
    LiftInput,
    MeasureChangeInput,
    MeasureOpinionInput,
    MeasureProposeInput,
    MeasureReasonInput,
    MeasureReportInput,
    MeasureSerializer,
    RefusalInput,
)

MeasurePermission = roles_allowed(*services.OFFICER_ROLES, read_roles=ALL_ROLES)


class CaseMeasureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """强制措施 of one case: the list, and a proposal (or an emergency measure already
    executed on the spot, 行政强制法 第十九条)."""

    permission_classes = [MeasurePermission]
    serializer_class = MeasureSerializer
    pagination_class = None

    def _case(self) -> Case:
        return get_object_or_404(Case.objects.visible_to(self.request.user),
                                 pk=self.kwargs["case_id"])

    def get_queryset(self) -> QuerySet[CompulsoryMeasure]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no case
            return CompulsoryMeasure.objects.none()
        return visible_measures(self.request.user).filter(case=self._case())

    @extend_schema(request=MeasureProposeInput, responses={201: MeasureSerializer, **ERRORS})
    def create(self, request: Request, case_id: str) -> Response:
        case = self._case()
        data = validated(MeasureProposeInput, request)
        user: Any = request.user
        items = [dict(i) for i in data["items"]]
        if data["executed_on_spot"]:
            measure = services.execute_emergency(
                case, actor=user, kind=data["kind"], reason=data["reason"], place=data["place"],
                legal_basis=data["legal_basis"], items=items,
                officers=visible_users(user, data["officers"], "officers"),
                executed_at=data["executed_at"],
                onsite_record=data["onsite_record"], party_present=data["party_present"],
                party_signed=data["party_signed"], refusal_note=data["refusal_note"],
                witness=data["witness"])
        else:
            prerequisite = None
            if data["prerequisite"] is not None:
                prerequisite = CompulsoryMeasure.objects.filter(
                    case=case, pk=data["prerequisite"]).first()
                if prerequisite is None:
                    raise InvalidInput("前提措施不属于本案。",
                                       "The prerequisite is not of this case.",
                                       fields={"prerequisite": ["前提措施不属于本案。"]})
            measure = services.propose_measure(
                case, actor=user, kind=data["kind"], reason=data["reason"], place=data["place"],
                legal_basis=data["legal_basis"], planned_at=data["planned_at"],
                emergency=data["emergency"], items=items, prerequisite=prerequisite,
                danger=data["danger"], supplier_name=data["supplier_name"])
        fresh = visible_measures(user).get(pk=measure.pk)
        return Response(MeasureSerializer(fresh).data, status=status.HTTP_201_CREATED)


class MeasureViewSet(LookupFirstMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One measure and its steps."""

    permission_classes = [MeasurePermission]
    serializer_class = MeasureSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[CompulsoryMeasure]:
        return visible_measures(self.request.user)

    def _detail(self, measure: CompulsoryMeasure) -> Response:
        return Response(MeasureSerializer(visible_measures(self.request.user).get(
            pk=measure.pk)).data)

    @step_schema(MeasureOpinionInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        data = validated(MeasureOpinionInput, request)
        return self._detail(services.approve_measure(self.get_object(), actor=request.user,
                                                     opinion=data["opinion"]))

    @step_schema(MeasureReasonInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        data = validated(MeasureReasonInput, request)
        return self._detail(services.refuse_measure(self.get_object(), actor=request.user,
                                                    reason=data["reason"]))

    @step_schema(ExecuteInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, pk: str) -> Response:
        data = validated(ExecuteInput, request)
        measure = self.get_object()
        officers = visible_users(request.user, data.pop("officers"), "officers")
        return self._detail(services.execute_measure(measure, actor=request.user,
                                                     officers=officers, **data))

    @step_schema(MeasureReportInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        data = validated(MeasureReportInput, request)
        return self._detail(services.report_emergency(self.get_object(), actor=request.user,
                                                      report=data["report"]))

    @step_schema(MeasureOpinionInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        data = validated(MeasureOpinionInput, request)
        return self._detail(services.confirm_emergency(self.get_object(), actor=request.user,
                                                       opinion=data["opinion"]))

    @step_schema(MeasureReasonInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def disapprove(self, request: Request, pk: str) -> Response:
        data = validated(MeasureReasonInput, request)
        return self._detail(services.disapprove_emergency(self.get_object(),
                                                          actor=request.user,
                                                          reason=data["reason"]))

    @step_schema(ExtendInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        data = validated(ExtendInput, request)
        return self._detail(services.extend_measure(self.get_object(), actor=request.user,
                                                    days=data["days"], reason=data["reason"]))

    @step_schema(RefusalInput, MeasureSerializer)
    @action(detail=True, methods=["post"], url_path="party-refused")
    def party_refused(self, request: Request, pk: str) -> Response:
        data = validated(RefusalInput, request)
        return self._detail(services.record_party_refusal(self.get_object(),
                                                          actor=request.user, note=data["note"]))

    @step_schema(DisposeInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request: Request, pk: str) -> Response:
        data = validated(DisposeInput, request)
        measure = self.get_object()
        item = MeasureItem.objects.filter(measure=measure, pk=data["item"]).first()
        if item is None:
            raise InvalidInput("物品不属于该措施。", "The item is not one of the measure's.",
                               fields={"item": ["物品不属于该措施。"]})
        services.dispose_item(item, actor=request.user, disposal=data["disposal"],
                              disposed_on=data["disposed_on"], note=data["note"])
        return self._detail(measure)

    @step_schema(LiftInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str) -> Response:
        data = validated(LiftInput, request)
        return self._detail(services.lift_measure(self.get_object(), actor=request.user,
                                                  reason=data["reason"], note=data["note"]))

    @step_schema(MeasureChangeInput, MeasureSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: str) -> Response:
        """The legal reviewer records a 行政复议 / 行政诉讼 outcome or a correction of the
        measure's decision (维持 applies at once; the rest waits for the head)."""
        data = validated(MeasureChangeInput, request)
        measure = self.get_object()
        change_steps.record_measure_change(measure, actor=request.user, **data)
        return self._detail(measure)

    @step_schema(MeasureOpinionInput, MeasureSerializer)
    @action(detail=True, methods=["post"], url_path="approve-change")
    def approve_change(self, request: Request, pk: str) -> Response:
        """The head approves the recorded change: it takes effect."""
        data = validated(MeasureOpinionInput, request)
        measure = self.get_object()
        change_steps.approve_measure_change(measure, actor=request.user,
                                            opinion=data["opinion"])
        return self._detail(measure)

    @step_schema(MeasureReasonInput, MeasureSerializer)
    @action(detail=True, methods=["post"], url_path="reject-change")
    def reject_change(self, request: Request, pk: str) -> Response:
        """The head refuses the recorded change: nothing changes."""
        data = validated(MeasureReasonInput, request)
        measure = self.get_object()
        change_steps.reject_measure_change(measure, actor=request.user,
                                           reason=data["reason"])
        return self._detail(measure)
