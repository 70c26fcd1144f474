"""API endpoints for accounts: tokens, the current user, jurisdictions, authorities, staff."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hangzhou_safety.api.authentication import issue_token
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.permissions import roles_allowed
from hangzhou_safety.boundary.throttling import AnonClientRateThrottle

from .models import Authority, Jurisdiction, Role, User
from .serializers import (
    AuthoritySerializer,
    JurisdictionSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)


class TokenView(APIView):
    """Exchange a username and password for an expiring Bearer token."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    # The trusted client address (X-Forwarded-For is not believed), as every anonymous
    # view; django-axes locks the account and the address out after failures.
    throttle_classes = [AnonClientRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer)
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # authenticate() goes through django-axes: failures are counted, lockouts apply,
        # and the login signals write the audit trail.
        user = authenticate(request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None or not (user.is_superuser or user.authority_id):
            raise InvalidInput("用户名或密码错误。", "Wrong username or password.",
                               code="invalid_credentials")
        raw, token = issue_token(user)
        from hangzhou_safety.audit.services import record_event

        record_event("auth.token_issued", actor=user, obj=user, request=request._request,
                     new={"expires": token.expires_at.isoformat()})
        return Response({"token": raw, "expires": token.expires_at})


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


class JurisdictionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JurisdictionSerializer
    lookup_field = "code"
    filterset_fields = ["kind"]
    pagination_class = None  # at most ~220 nodes; clients want the whole tree

    def get_queryset(self) -> QuerySet[Jurisdiction]:
        return (Jurisdiction.objects.visible_to(self.request.user)
                .select_related("parent").order_by("path"))


class AuthorityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuthoritySerializer
    filterset_fields = ["kind", "department"]

    def get_queryset(self) -> QuerySet[Authority]:
        return (Authority.objects.visible_to(self.request.user)
                .select_related("jurisdiction__parent", "parent"))


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff directory: for those who assign and review work, not for inspectors."""

    serializer_class = UserSerializer
    permission_classes = [roles_allowed(Role.MUNICIPAL_ADMIN, Role.DISTRICT_APPROVER,
                                        Role.SECTION_CHIEF, Role.AUDITOR)]
    filterset_fields = ["role", "is_active"]

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.visible_to(self.request.user).select_related("authority")
