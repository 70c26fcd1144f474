"""REST API of random draws (双随机一公开) and the key-supervision list.

Every queryset goes through visible_to(user): a draw, directory or item list outside
the caller's jurisdiction is a 404. Section chiefs, approvers and the municipal admin
draw; inspectors and auditors read (403 on POST; inspectors may declare their own
conflicts). Writes go through inspections.draws.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from inspections.checklists.models import ChecklistTemplate, InspectionScheme
from inspections.draws import services as draws
from inspections.draws.models import ConflictDeclaration, DrawItemList, ObjectDirectory, RandomDraw
from inspections.draws.serializers import (
    ConflictSerializer,
    ConflictWriteSerializer,
    DrawCreateSerializer,
    DrawDetailSerializer,
    DrawItemListSerializer,
    DrawItemListWriteSerializer,
    DrawSerializer,
    ObjectDirectorySerializer,
    ObjectDirectoryWriteSerializer,
    RedrawSerializer,
    VerifySerializer,
)
from inspections.plans.models import EnforcementPlan

DrawPermission = roles_allowed(*draws.DRAW_ROLES, read_roles=ALL_ROLES)
ConflictPermission = roles_allowed(*draws.DRAW_ROLES, Role.INSPECTOR, read_roles=ALL_ROLES)
ReadPermission = roles_allowed(*ALL_ROLES)


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


def _authority_by_code(user: Any, code: str) -> Authority:
    authority = Authority.objects.visible_to(user).filter(code=code).first()
    if authority is None:
        raise InvalidInput("执法主体不存在或不在您的管辖范围内。",
                           "Unknown or out-of-jurisdiction authority.",
                           fields={"authority": ["执法主体不存在或不在您的管辖范围内。"]})
    return authority


class ObjectDirectoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, viewsets.GenericViewSet):
    """检查对象名录库: saved EnterpriseFilter parameters (operating enterprises only)."""

    permission_classes = [DrawPermission]
    serializer_class = ObjectDirectorySerializer
    filterset_class = None
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ObjectDirectory]:
        return ObjectDirectory.objects.visible_to(self.request.user).select_related("authority")

    @extend_schema(request=ObjectDirectoryWriteSerializer, responses=ObjectDirectorySerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ObjectDirectoryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        authority = (_authority_by_code(request.user, data["authority"])
                     if data.get("authority") else None)
        directory = draws.create_object_directory(request.user, data["name"],
                                                  data.get("filter_params") or {}, authority)
        return Response(ObjectDirectorySerializer(directory).data,
                        status=status.HTTP_201_CREATED)


class DrawItemListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    """随机抽查事项清单: a set of checklist templates."""

    permission_classes = [DrawPermission]
    serializer_class = DrawItemListSerializer
    filterset_class = None
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[DrawItemList]:
        return (DrawItemList.objects.visible_to(self.request.user)
                .select_related("authority").prefetch_related("templates"))

    @extend_schema(request=DrawItemListWriteSerializer, responses=DrawItemListSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = DrawItemListWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = set(data["templates"])
        templates = list(ChecklistTemplate.objects.filter(pk__in=ids))
        if len(templates) != len(ids):
            raise InvalidInput("所选检查表不存在。", "Unknown checklist template.",
                               fields={"templates": ["所选检查表不存在。"]})
        authority = (_authority_by_code(request.user, data["authority"])
                     if data.get("authority") else None)
        item_list = draws.create_item_list(request.user, data["name"], templates, authority)
        return Response(DrawItemListSerializer(item_list).data,
                        status=status.HTTP_201_CREATED)


class ConflictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """回避声明: an inspector's declared conflict with an enterprise."""

    permission_classes = [ConflictPermission]
    serializer_class = ConflictSerializer
    filterset_class = None
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ConflictDeclaration]:
        user = self.request.user
        return (ConflictDeclaration.objects
                .filter(enterprise__in=Enterprise.objects.visible_to(user),
                        inspector__in=User.objects.visible_to(user))
                .select_related("inspector", "enterprise"))

    @extend_schema(request=ConflictWriteSerializer, responses=ConflictSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ConflictWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user: Any = request.user
        inspector = (_visible_or_400(User.objects.visible_to(user), data["inspector"],
                                     "inspector", "执法人员")
                     if data.get("inspector") is not None else user)
        enterprise = _visible_or_400(Enterprise.objects.visible_to(user), data["enterprise"],
                                     "enterprise", "单位")
        try:
            conflict = draws.declare_conflict(user, inspector, enterprise, data["reason"])
        except IntegrityError as exc:  # a concurrent duplicate met the unique constraint
            raise DomainError("该执法人员已就该单位声明回避。",
                              "This conflict is already declared.", code="duplicate") from exc
        return Response(ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)


class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, viewsets.GenericViewSet):
    """双随机抽取. POST performs a new draw; a draw is never edited, only replaced
    through /redraw/ with a reason."""

    permission_classes = [DrawPermission]
    filterset_class = None
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[RandomDraw]:
        qs = (RandomDraw.objects.visible_to(self.request.user)
              .select_related("authority", "drawn_by", "replaced_by"))
        # The snapshot can be large (a city-wide directory): only the detail carries it.
        return qs.defer("snapshot", "report") if self.action == "list" else qs

    def get_serializer_class(self) -> Any:
        return DrawDetailSerializer if self.action == "retrieve" else DrawSerializer

    def _detail(self, draw: RandomDraw, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=draw.pk)
        return Response(DrawDetailSerializer(fresh).data, status=code)

    @extend_schema(request=DrawCreateSerializer, responses=DrawDetailSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = DrawCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user: Any = request.user
        directory = _visible_or_400(ObjectDirectory.objects.visible_to(user),
                                    data["object_directory"], "object_directory",
                                    "检查对象名录库")
        item_list = _visible_or_400(DrawItemList.objects.visible_to(user), data["item_list"],
                                    "item_list", "随机抽查事项清单")
        plan = _visible_or_400(EnforcementPlan.objects.visible_to(user), data.get("plan"),
                               "plan", "年度计划")
        scheme = _visible_or_400(InspectionScheme.objects.visible_to(user),
                                 data.get("scheme"), "scheme", "检查方案")
        draw = draws.perform_draw(user, directory, item_list, data["year"], data["month"],
                                  data["enterprise_count"], plan=plan, scheme=scheme,
                                  seed=data.get("seed") or None)
        return self._detail(draw, status.HTTP_201_CREATED)

    @extend_schema(request=RedrawSerializer, responses={201: DrawDetailSerializer})
    @action(detail=True, methods=["post"])
    def redraw(self, request: Request, pk: str | None = None) -> Response:
        draw = self.get_object()
        serializer = RedrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = draws.redraw(draw, request.user, serializer.validated_data.get("reason", ""),
                           seed=serializer.validated_data.get("seed") or None)
        return self._detail(new, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DrawDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        draw = draws.publish_results(self.get_object(), request.user)
        return self._detail(draw)

    @extend_schema(responses=VerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Recompute the result from the stored seed, snapshot and algorithm version."""
        return Response({"reproducible": draws.verify_draw(self.get_object())})


