"""REST API of the annual enforcement plan (/api/v1/plans/).

Every queryset goes through EnforcementPlan.objects.visible_to(user): a plan outside
the caller's jurisdiction is a 404. Any staff role reads; the services in plans/services.py
check the role of each write and step (Forbidden → 403), the legality of
the step (DomainError → 409) and the input (InvalidInput → 400).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from inspections.plans import services as plans
from inspections.plans.models import EnforcementPlan
from inspections.plans.selectors import approver_queue, visible_plans
from inspections.plans.serializers import (
    CampaignSerializer,
    CampaignWriteSerializer,
    CapacitySerializer,
    CommentSerializer,
    DiffSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanInputsSerializer,
    PlanListSerializer,
    ProgressSerializer,
    QuotaRowSerializer,
    ReasonSerializer,
    capacity_payload,
)


def _authority_for(user: Any, code: str | None) -> Authority:
    if not code:
        if user.authority_id is None:
            raise InvalidInput("请指定执法主体。", "Give the authority.",
                               fields={"authority": ["请指定执法主体。"]})
        return user.authority
    authority = Authority.objects.visible_to(user).filter(code=code).first()
    if authority is None:
        message = "执法主体不存在或不在您的管辖范围内。"
        raise InvalidInput(message, "Unknown or out-of-jurisdiction authority.",
                           fields={"authority": [message]})
    return authority


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """年度监督检查计划: list, detail, create, PATCH while draft/returned, workflow steps.

    There is no PUT of a plan (the router offers only the methods defined here): the
    inputs change by PATCH, the quotas by PUT .../quotas/, the status by the steps.
    """

    serializer_class = PlanDetailSerializer
    # Every staff role reads; a role that can take no step is refused (403) before its
    # body is validated. The services still check each step's role and jurisdiction.
    permission_classes = [roles_allowed(*plans.AUTHOR_ROLES, read_roles=ALL_ROLES)]
    filterset_class = None
    filterset_fields = ["year", "status"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[EnforcementPlan]:
        qs = visible_plans(self.request.user)
        if self.action == "list":
            return qs.annotate(planned_total=Coalesce(Sum("quotas__planned"), 0))
        return qs.prefetch_related("quotas", "campaigns", "reviews")

    def get_serializer_class(self) -> type[Any]:
        return PlanListSerializer if self.action in ("list", "queue") else PlanDetailSerializer

    def _detail(self, plan: EnforcementPlan, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(PlanDetailSerializer(fresh).data, status=code)

    @extend_schema(request=PlanCreateSerializer, responses=PlanDetailSerializer)
    def create(self, request: Request) -> Response:
        serializer = PlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        authority = _authority_for(request.user, data.pop("authority", None))
        year = data.pop("year")
        plan = plans.create_plan(authority=authority, year=year, actor=request.user, **data)
        return self._detail(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanInputsSerializer, responses=PlanDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        serializer = PlanInputsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = plans.update_plan(plan, actor=request.user, **serializer.validated_data)
        return self._detail(updated)

    # --- Workflow steps ---

    @extend_schema(request=CommentSerializer, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(plans.submit_plan(self.get_object(), actor=request.user,
                                              comment=body.validated_data["comment"]))

    @extend_schema(request=CommentSerializer, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_plan(self, request: Request, pk: str) -> Response:
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(plans.return_plan(self.get_object(), actor=request.user,
                                              comment=body.validated_data["comment"]))

    @extend_schema(request=CommentSerializer, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(plans.approve_plan(self.get_object(), actor=request.user,
                                               comment=body.validated_data["comment"]))

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._detail(plans.publish_plan(self.get_object(), actor=request.user))

    @extend_schema(request=ReasonSerializer, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(plans.amend_plan(self.get_object(), actor=request.user,
                                             reason=body.validated_data["reason"]))

    # --- Content ---

    @extend_schema(request=QuotaRowSerializer(many=True), responses=PlanDetailSerializer)
    @action(detail=True, methods=["put"])
    def quotas(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        if not isinstance(request.data, list):
            raise InvalidInput("检查指标应为列表：[{category, month, planned}]。",
                               "Quotas must be a list of {category, month, planned}.",
                               fields={"quotas": ["检查指标应为列表。"]})
        rows = QuotaRowSerializer(data=request.data, many=True)
        if not rows.is_valid():
            errors = _row_errors(rows.errors)
            raise InvalidInput("；".join(errors), "Invalid quotas; see the field errors.",
                               fields={"quotas": errors})
        plans.set_quotas(plan, [dict(r) for r in rows.validated_data], actor=request.user)
        return self._detail(plan)

    @extend_schema(request=CampaignWriteSerializer, responses={201: CampaignSerializer})
    @action(detail=True, methods=["post"])
    def campaigns(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        body = CampaignWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        campaign = plans.propose_campaign(plan, actor=request.user, **body.validated_data)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    def _campaign(self, cid: str) -> Any:
        return get_object_or_404(self.get_object().campaigns.select_related("plan__authority"),
                                 pk=cid)

    @extend_schema(request=CommentSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"], url_path=r"campaigns/(?P<cid>[0-9]+)/approve",
            url_name="campaign-approve")
    def approve_campaign(self, request: Request, pk: str, cid: str) -> Response:
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = plans.approve_campaign(self._campaign(cid), actor=request.user,
                                         comment=body.validated_data["comment"])
        return Response(CampaignSerializer(decided).data)

    @extend_schema(request=CommentSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"], url_path=r"campaigns/(?P<cid>[0-9]+)/reject",
            url_name="campaign-reject")
    def reject_campaign(self, request: Request, pk: str, cid: str) -> Response:
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = plans.reject_campaign(self._campaign(cid), actor=request.user,
                                        comment=body.validated_data["comment"])
        return Response(CampaignSerializer(decided).data)

    # --- Read-only views of a plan ---

    @extend_schema(responses=CapacitySerializer)
    @action(detail=True, methods=["get"])
    def capacity(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        payload = {**capacity_payload(plans.capacity(plan)),
                   "over_cap_enterprises": plans.over_cap_enterprises(plan)}
        return Response(CapacitySerializer(payload).data)

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str) -> Response:
        return Response(ProgressSerializer(plans.progress(self.get_object())).data)

    @extend_schema(responses=DiffSerializer)
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        previous = plan.previous
        if previous is None:
            return Response(DiffSerializer({"previous": None, "changes": []}).data)
        changes = plans.plan_diff(previous, plan)  # JSON values (Decimals as strings)
        return Response(DiffSerializer({
            "previous": previous.pk, "previous_version": previous.version,
            "version": plan.version, "changes": changes}).data)

    @extend_schema(responses=PlanListSerializer(many=True))
    @action(detail=False, methods=["get"])
    def queue(self, request: Request) -> Response:
        """Submitted plans the caller may decide on (never one they wrote or changed),
        cursor paginated like every list."""
        user: Any = request.user
        if not user.has_role(*plans.APPROVER_ROLES):
            raise Forbidden("只有审批负责人有待审批计划。", "Only approvers have a queue.")
        rows = self.filter_queryset(approver_queue(user)).annotate(
            planned_total=Coalesce(Sum("quotas__planned"), 0))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PlanListSerializer(page, many=True).data)


def _row_errors(errors: Any) -> list[str]:
    """Flat Chinese messages ("第2行 month：...") for a many=True serializer's errors
    (DRF gives {row index: {field: [messages]}}, or a list in older versions)."""
    rows = errors.items() if isinstance(errors, dict) else enumerate(errors)
    out = []
    for index, row in sorted(rows, key=lambda item: int(item[0])):
        for name, messages in (row or {}).items():
            where = "" if name == "non_field_errors" else f" {name}"
            for message in messages if isinstance(messages, list) else [messages]:
                out.append(f"第{int(index) + 1}行{where}：{message}")
    return out


