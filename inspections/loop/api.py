"""REST API of the four-checklist loop (/api/v1/inspections/, /api/v1/hazards/).

The pages and the mobile terminal use the same endpoints. Every object is read
through Inspection.objects.visible_to(user): an inspection outside the caller's
jurisdiction is a 404, and so is every route nested under it; an item or hidden
danger that is not part of the inspection in the URL is a 404 too. Every role reads;
field roles write (an auditor's POST is a 403). Each step calls one service in
loop/services.py (deadline extensions: loop/extensions.py), which checks the role and
team (Forbidden → 403), the move (DomainError → 409) and the input (InvalidInput → 400).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.api.filters import FastFilterSet
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from inspections.checklists.models import InspectionScheme
from inspections.loop import extensions as deadlines
from inspections.loop import services as loop
from inspections.loop import supervision
from inspections.loop.models import (
    DeadlineExtension,
    Hazard,
    Inspection,
    InspectionItem,
)
from inspections.loop.serializers import (
    AnswerSerializer,
    DeadlineExtensionDecisionSerializer,
    DeadlineExtensionRequestSerializer,
    DeadlineExtensionSerializer,
    HazardCreateSerializer,
    HazardSerializer,
    InspectionCreateSerializer,
    InspectionDetailSerializer,
    InspectionListSerializer,
    ItemSerializer,
    NoteSerializer,
    OrderWriteSerializer,
    ReportRectifiedSerializer,
    StepReasonSerializer,
)
from inspections.loop.supervision_serializers import (
    DelistWriteSerializer,
    ListingWriteSerializer,
    MajorReportWriteSerializer,
    PublicationWriteSerializer,
    ResumeReviewWriteSerializer,
    ResumeWriteSerializer,
)
from inspections.plans.models import PlannedInspection

LoopPermission = roles_allowed(*loop.FIELD_ROLES, read_roles=ALL_ROLES)


def visible_inspections(user: Any) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user).select_related("authority", "enterprise")


def visible_hazards(user: Any) -> QuerySet[Hazard]:
    return Hazard.objects.filter(inspection__in=Inspection.objects.visible_to(user))


def hazard_queryset() -> QuerySet[Hazard]:
    # The order is a reverse one-to-one: joined, so a hazard without one costs nothing.
    return (Hazard.objects.select_related("order", "listing")
            .prefetch_related("rechecks", "major_reports", "resume_applications",
                              Prefetch("order__extensions", queryset=extension_queryset()))
            .order_by("id"))


def extension_queryset() -> QuerySet[DeadlineExtension]:
    return DeadlineExtension.objects.select_related("order", "registered_by", "decided_by")


def _visible_or_400(qs: QuerySet, pk: Any, field: str, label: str) -> Any:
    """An id in a request body: unknown or out of jurisdiction is bad input (400)."""
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        message = f"{label}不存在或不在您的管辖范围内。"
        raise InvalidInput(message, f"Unknown or out-of-jurisdiction {field}.",
                           fields={field: [message]})
    return obj


class InspectionFilter(FastFilterSet):
    status = django_filters.ChoiceFilter(choices=Inspection.Status.choices)
    # A plain number (no ModelChoiceFilter): no extra query to validate the id, and an
    # out-of-jurisdiction enterprise simply matches nothing in the scoped queryset.
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")

    class Meta:
        model = Inspection
        fields = ["status", "enterprise"]


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """检查任务: list, detail with items and hidden dangers, create, and the loop's steps."""

    permission_classes = [LoopPermission]
    filterset_class = InspectionFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Inspection]:
        qs = visible_inspections(self.request.user)
        if self.action == "list":
            return qs.prefetch_related("inspectors")
        if self.action == "retrieve":
            return self._with_details(qs)
        return qs

    @staticmethod
    def _with_details(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
        return qs.select_related("created_by").prefetch_related(
            "inspectors",
            Prefetch("items", queryset=InspectionItem.objects.select_related("checklist_item")
                     .order_by("order")),
            Prefetch("hazards", queryset=hazard_queryset()))

    def get_serializer_class(self) -> type[Any]:
        return InspectionListSerializer if self.action == "list" else InspectionDetailSerializer

    def _detail(self, inspection: Inspection, code: int = status.HTTP_200_OK) -> Response:
        fresh = self._with_details(visible_inspections(self.request.user)).get(
            pk=inspection.pk)
        return Response(InspectionDetailSerializer(fresh).data, status=code)

    def _hazard(self, inspection: Inspection, hid: str) -> Hazard:
        return get_object_or_404(Hazard.objects.select_related("inspection"),
                                 inspection=inspection, pk=hid)

    def _hazard_response(self, hazard: Hazard, code: int = status.HTTP_200_OK) -> Response:
        fresh = hazard_queryset().get(pk=hazard.pk)
        return Response(HazardSerializer(fresh).data, status=code)

    @extend_schema(request=InspectionCreateSerializer,
                   # 200: the same client id sent again (idempotent), 201: created.
                   responses={200: InspectionDetailSerializer, 201: InspectionDetailSerializer})
    def create(self, request: Request) -> Response:
        body = InspectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user: Any = request.user
        client_id = data["client_id"]
        # A resend of the same client id answers 200 with the first inspection.
        resent = client_id is not None and Inspection.objects.filter(
            client_id=client_id).exists()
        enterprise = _visible_or_400(Enterprise.objects.visible_to(user), data["enterprise"],
                                     "enterprise", "被检查单位")
        ids = list(dict.fromkeys(data["inspectors"]))
        inspectors = list(User.objects.visible_to(user).filter(pk__in=ids))
        if len(inspectors) != len(ids):
            message = "执法人员不存在或不在您的管辖范围内。"
            raise InvalidInput(message, "Unknown or out-of-jurisdiction inspector.",
                               fields={"inspectors": [message]})
        planned = _visible_or_400(PlannedInspection.objects.visible_to(user), data["planned"],
                                  "planned", "计划检查")
        scheme = _visible_or_400(InspectionScheme.objects.visible_to(user), data["scheme"],
                                 "scheme", "检查方案")
        inspection = loop.create_inspection(
            actor=user, enterprise=enterprise, inspectors=inspectors, source=data["source"],
            planned=planned, scheme=scheme, planned_date=data["planned_date"],
            partner_officers=[dict(o) for o in data["partner_officers"]],
            client_id=client_id)
        return self._detail(inspection,
                            status.HTTP_200_OK if resent else status.HTTP_201_CREATED)

    # --- Steps of the inspection ---

    @extend_schema(request=None, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._detail(loop.start_inspection(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._detail(loop.complete_findings(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._detail(loop.close_inspection(self.get_object(), actor=request.user))

    @extend_schema(request=StepReasonSerializer, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        body = StepReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(loop.cancel_inspection(
            self.get_object(), actor=request.user, reason=body.validated_data["reason"]))

    # --- List 2: findings ---

    @extend_schema(request=AnswerSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>[0-9]+)/answer",
            url_name="item-answer")
    def answer(self, request: Request, pk: str, item_id: str) -> Response:
        inspection = self.get_object()
        item = get_object_or_404(InspectionItem.objects, inspection=inspection, pk=item_id)
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        hazard = dict(data["hazard"]) if data["hazard"] else None
        loop.record_answer(inspection, item.pk, actor=request.user, result=data["result"],
                           note=data["note"], hazard=hazard)
        fresh = InspectionItem.objects.select_related("checklist_item").get(pk=item.pk)
        payload = dict(ItemSerializer(fresh).data)
        found = hazard_queryset().filter(item=fresh).first()
        payload["hazard"] = HazardSerializer(found).data if found else None
        return Response(payload)

    @extend_schema(request=HazardCreateSerializer,
                   responses={200: HazardSerializer, 201: HazardSerializer})
    @action(detail=True, methods=["post"], url_path="hazards", url_name="hazards")
    def hazards(self, request: Request, pk: str) -> Response:
        inspection = self.get_object()
        body = HazardCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        existing = (Hazard.objects.filter(client_id=data["client_id"]).first()
                    if data["client_id"] is not None else None)
        if existing is not None and existing.inspection_id != inspection.pk:
            raise DomainError("该提交编号已被使用。", "This client id is already used.",
                              code="duplicate_client_id")
        hazard = loop.add_hazard(inspection, actor=request.user, **data)
        return self._hazard_response(
            hazard, status.HTTP_200_OK if existing is not None else status.HTTP_201_CREATED)

    # --- List 3: rectification orders ---

    @extend_schema(request=OrderWriteSerializer, responses={201: HazardSerializer})
    @action(detail=True, methods=["post"], url_path=r"hazards/(?P<hid>[0-9]+)/order",
            url_name="hazard-order")
    def order(self, request: Request, pk: str, hid: str) -> Response:
        hazard = self._hazard(self.get_object(), hid)
        body = OrderWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loop.issue_order(hazard, actor=request.user, **body.validated_data)
        return self._hazard_response(hazard, status.HTTP_201_CREATED)

    # --- List 4: re-check and acceptance ---

    @extend_schema(request=ReportRectifiedSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"],
            url_path=r"hazards/(?P<hid>[0-9]+)/report-rectified",
            url_name="hazard-report-rectified")
    def report_rectified(self, request: Request, pk: str, hid: str) -> Response:
        hazard = self._hazard(self.get_object(), hid)
        body = ReportRectifiedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loop.report_rectified(hazard, actor=request.user,
                              reported_on=body.validated_data["reported_on"])
        return self._hazard_response(hazard)

    @extend_schema(request=StepReasonSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"],
            url_path=r"hazards/(?P<hid>[0-9]+)/withdraw-report",
            url_name="hazard-withdraw-report")
    def withdraw_report(self, request: Request, pk: str, hid: str) -> Response:
        hazard = self._hazard(self.get_object(), hid)
        body = StepReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loop.withdraw_report(hazard, actor=request.user, reason=body.validated_data["reason"])
        return self._hazard_response(hazard)

    def _recheck(self, request: Request, hid: str, passed: bool) -> Response:
        hazard = self._hazard(self.get_object(), hid)
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loop.record_recheck(hazard, actor=request.user, passed=passed,
                            note=body.validated_data["note"])
        return self._hazard_response(hazard)

    @extend_schema(request=NoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path=r"hazards/(?P<hid>[0-9]+)/accept",
            url_name="hazard-accept")
    def accept(self, request: Request, pk: str, hid: str) -> Response:
        return self._recheck(request, hid, True)

    @extend_schema(request=NoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path=r"hazards/(?P<hid>[0-9]+)/reject",
            url_name="hazard-reject")
    def reject(self, request: Request, pk: str, hid: str) -> Response:
        return self._recheck(request, hid, False)


    # --- 整改延期: the enterprise's written request, and its decision ---

    def _extension_response(self, extension: DeadlineExtension,
                            code: int = status.HTTP_200_OK) -> Response:
        fresh = extension_queryset().get(pk=extension.pk)
        return Response(DeadlineExtensionSerializer(fresh).data, status=code)

    @extend_schema(request=DeadlineExtensionRequestSerializer,
                   responses={201: DeadlineExtensionSerializer})
    @action(detail=True, methods=["post"], url_path=r"hazards/(?P<hid>[0-9]+)/extensions",
            url_name="hazard-extensions")
    def extensions(self, request: Request, pk: str, hid: str) -> Response:
        hazard = self._hazard(self.get_object(), hid)
        body = DeadlineExtensionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        extension = deadlines.request_extension(hazard, actor=request.user,
                                                **body.validated_data)
        return self._extension_response(extension, status.HTTP_201_CREATED)

    @extend_schema(request=DeadlineExtensionDecisionSerializer,
                   responses=DeadlineExtensionSerializer)
    @action(detail=True, methods=["post"],
            url_path=r"hazards/(?P<hid>[0-9]+)/extensions/(?P<eid>[0-9]+)/decide",
            url_name="hazard-extension-decide")
    def decide_extension(self, request: Request, pk: str, hid: str, eid: str) -> Response:
        hazard = self._hazard(self.get_object(), hid)
        extension = get_object_or_404(DeadlineExtension.objects.select_related("order"),
                                      order__hazard=hazard, pk=eid)
        body = DeadlineExtensionDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decided = deadlines.decide_extension(extension, actor=request.user,
                                             approve=data["approve"],
                                             reason=data["decision_reason"])
        return self._extension_response(decided)


class HazardViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A hidden danger on its own: a major one's own path (挂牌督办 and 核销 by a chief,
    the enterprise's reports and its application to resume registered by the team)."""

    permission_classes = [LoopPermission]
    serializer_class = HazardSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Hazard]:
        return hazard_queryset().filter(
            inspection__in=Inspection.objects.visible_to(self.request.user))

    def _answer(self, hazard: Hazard, code: int = status.HTTP_200_OK) -> Response:
        return Response(HazardSerializer(self.get_queryset().get(pk=hazard.pk)).data,
                        status=code)

    def _parse(self, request: Request, shape: type[serializers.Serializer]) -> dict[str, Any]:
        body = shape(data=request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    # --- A major hidden danger's own path (supervision.py) ---

    @extend_schema(request=ListingWriteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="list", url_name="list-supervision")
    def list_supervision(self, request: Request, pk: str) -> Response:
        hazard = self.get_object()
        supervision.list_for_supervision(hazard, actor=request.user,
                                         **self._parse(request, ListingWriteSerializer))
        return self._answer(hazard)

    @extend_schema(request=PublicationWriteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="publish", url_name="publish-listing")
    def publish(self, request: Request, pk: str) -> Response:
        hazard = self.get_object()
        supervision.publish_listing(hazard, actor=request.user,
                                    **self._parse(request, PublicationWriteSerializer))
        return self._answer(hazard)

    @extend_schema(request=DelistWriteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="delist", url_name="delist")
    def delist(self, request: Request, pk: str) -> Response:
        hazard = self.get_object()
        supervision.delist_hazard(hazard, actor=request.user,
                                  **self._parse(request, DelistWriteSerializer))
        return self._answer(hazard)

    @extend_schema(request=MajorReportWriteSerializer, responses={201: HazardSerializer})
    @action(detail=True, methods=["post"], url_path="major-reports",
            url_name="major-reports")
    def major_reports(self, request: Request, pk: str) -> Response:
        hazard = self.get_object()
        supervision.record_major_report(hazard, actor=request.user,
                                        **self._parse(request, MajorReportWriteSerializer))
        return self._answer(hazard, status.HTTP_201_CREATED)

    @extend_schema(request=ResumeWriteSerializer, responses={201: HazardSerializer})
    @action(detail=True, methods=["post"], url_path="resume-applications",
            url_name="resume-applications")
    def resume_applications(self, request: Request, pk: str) -> Response:
        hazard = self.get_object()
        supervision.register_resume_application(
            hazard, actor=request.user, **self._parse(request, ResumeWriteSerializer))
        return self._answer(hazard, status.HTTP_201_CREATED)

    @extend_schema(request=ResumeReviewWriteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="resume-review", url_name="resume-review")
    def resume_review(self, request: Request, pk: str) -> Response:
        hazard = self.get_object()
        data = self._parse(request, ResumeReviewWriteSerializer)
        supervision.review_resume(supervision.pending_application(hazard),
                                  actor=request.user, consent=data["consent"],
                                  note=data["note"])
        return self._answer(hazard)
