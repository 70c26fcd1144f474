"""API of checklist templates (read-only) and inspection schemes (/api/v1/schemes/).

Templates are maintained by the municipal bureau and readable by every staff role.
Schemes are scoped: every queryset starts from InspectionScheme.objects.visible_to,
so a scheme outside the caller's jurisdiction is a 404. Writes and workflow steps go
through inspections.schemes; its DomainError (409), InvalidInput (400) and
Forbidden (403) reach the project's exception handler unchanged.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from inspections.checklists import services as schemes
from inspections.checklists.models import ChecklistItem, ChecklistTemplate, InspectionScheme
from inspections.checklists.serializers import (
    ChecklistTemplateDetailSerializer,
    ChecklistTemplateListSerializer,
    InspectionSchemeSerializer,
    InspectionSchemeWriteSerializer,
    SchemeApproveSerializer,
    SchemeReturnSerializer,
)

# Templates are read here; they are maintained through the seed loader and the admin.
TemplatePermission = roles_allowed(Role.MUNICIPAL_ADMIN, read_roles=ALL_ROLES)
SchemePermission = roles_allowed(*schemes.WRITE_ROLES, read_roles=ALL_ROLES)
# Approving and returning: section chiefs (superusers pass has_role too); the service
# then checks the authority relation and the four-eyes rule.
ReviewPermission = roles_allowed(Role.SECTION_CHIEF)


class ChecklistTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """检查表: templates with their items (legal basis, major-hidden-danger criterion)."""

    permission_classes = [TemplatePermission]
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ChecklistTemplate]:
        qs = ChecklistTemplate.objects.annotate(
            item_count=Count("items", filter=Q(items__retired_at__isnull=True)))
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("items", queryset=ChecklistItem.objects.filter(
                    retired_at__isnull=True).order_by("order").prefetch_related("criteria")))
        return qs

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return ChecklistTemplateDetailSerializer
        return ChecklistTemplateListSerializer


class InspectionSchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """检查方案 with the workflow steps submit / approve / return as POSTs."""

    permission_classes = [SchemePermission]
    serializer_class = InspectionSchemeSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[InspectionScheme]:
        return (InspectionScheme.objects.visible_to(self.request.user)
                .select_related("authority__jurisdiction", "created_by", "approved_by")
                .prefetch_related(
                    Prefetch("templates", queryset=ChecklistTemplate.objects.order_by("code")),
                    Prefetch("team", queryset=User.objects.order_by("id"))))

    def _detail(self, scheme: InspectionScheme, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=scheme.pk)
        return Response(InspectionSchemeSerializer(fresh).data, status=code)

    @extend_schema(request=InspectionSchemeWriteSerializer,
                   responses=InspectionSchemeSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = InspectionSchemeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheme = schemes.create_scheme(dict(serializer.validated_data), actor=request.user)
        return self._detail(scheme, status.HTTP_201_CREATED)

    @extend_schema(request=InspectionSchemeWriteSerializer,
                   responses=InspectionSchemeSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # 404 outside the caller's jurisdiction
        serializer = InspectionSchemeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheme = schemes.update_scheme(instance, dict(serializer.validated_data),
                                       actor=request.user)
        return self._detail(scheme)

    @extend_schema(request=InspectionSchemeWriteSerializer,
                   responses=InspectionSchemeSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance: InspectionScheme) -> None:
        schemes.delete_scheme(instance, actor=self.request.user)

    @extend_schema(request=None, responses=InspectionSchemeSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scheme = schemes.submit_scheme(self.get_object(), actor=request.user)
        return self._detail(scheme)

    @extend_schema(request=SchemeApproveSerializer, responses=InspectionSchemeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReviewPermission])
    def approve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scheme = self.get_object()
        serializer = SchemeApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheme = schemes.approve_scheme(scheme, actor=request.user,
                                        comment=serializer.validated_data["comment"])
        return self._detail(scheme)

    @extend_schema(request=SchemeReturnSerializer, responses=InspectionSchemeSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return",
            permission_classes=[ReviewPermission])
    def return_(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scheme = self.get_object()
        serializer = SchemeReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheme = schemes.return_scheme(scheme, actor=request.user,
                                       reason=serializer.validated_data["reason"])
        return self._detail(scheme)
