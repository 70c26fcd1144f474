"""Expiring Bearer tokens for the API (mobile terminals, partner systems)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from hangzhou_safety.accounts.models import ApiToken, User


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(user=user, key_hash=hash_token(raw), created_at=now,
                                    expires_at=now + settings.API_TOKEN_TTL)
    return raw, token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0] != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        token = (ApiToken.objects.select_related("user__authority__jurisdiction")
                 .filter(key_hash=hash_token(parts[1])).first())
        now = timezone.now()
        if token is None or token.expires_at <= now or not token.user.is_active:
            raise exceptions.AuthenticationFailed()
        # Touch at most once a minute: a write per request would serialise the API.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the Bearer scheme in the OpenAPI schema (and /api/docs/'s Authorize)."""

    target_class = "hangzhou_safety.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "POST /api/v1/auth/token/ 获取令牌 / obtain a token"}
