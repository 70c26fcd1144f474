"""API error bodies: {"code", "detail" (Chinese), "detail_en"} on every error.

Domain services raise DomainError subclasses carrying both languages; DRF's own
exceptions are mapped to a Chinese message with the English one beside it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """An illegal move or bad input detected by a service. The API answers 409 or 400."""

    status_code: int = status.HTTP_409_CONFLICT
    code = "illegal_step"

    def __init__(self, detail: str, detail_en: str, *, code: str | None = None,
                 fields: dict[str, Any] | None = None) -> None:
        super().__init__(detail_en)
        self.detail = detail
        self.detail_en = detail_en
        if code:
            self.code = code
        self.fields = fields or {}


class Forbidden(DomainError):
    """The actor's role or relation to the object does not allow the step (HTTP 403)."""

    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"


class InvalidInput(DomainError):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"


_MESSAGES: dict[type, tuple[str, str, str]] = {
    exceptions.NotAuthenticated: ("not_authenticated", "未登录或未提供身份凭证。",
                                  "Authentication credentials were not provided."),
    exceptions.AuthenticationFailed: ("authentication_failed", "身份凭证无效或已过期。",
                                      "Invalid or expired credentials."),
    exceptions.PermissionDenied: ("permission_denied", "您的角色无权执行此操作。",
                                  "Your role does not allow this action."),
    exceptions.NotFound: ("not_found", "对象不存在或不在您的辖区内。",
                          "Not found, or not within your jurisdiction."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法。",
                                  "Method not allowed."),
    exceptions.NotAcceptable: ("not_acceptable", "无法提供所请求的格式。",
                               "Requested format not available."),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "不支持的请求内容类型。",
                                      "Unsupported media type."),
    exceptions.Throttled: ("throttled", "请求过于频繁，请稍后再试。",
                           "Request was throttled; try again later."),
    exceptions.ParseError: ("parse_error", "请求内容格式错误。", "Malformed request."),
}


def _flatten(errors: Any) -> dict[str, list[str]]:
    if isinstance(errors, dict):
        return {key: [str(m) for m in (val if isinstance(val, list) else [val])]
                for key, val in errors.items()}
    if isinstance(errors, list):
        return {"non_field_errors": [str(m) for m in errors]}
    return {"non_field_errors": [str(errors)]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "detail": exc.detail,
                                "detail_en": exc.detail_en}
        if exc.fields:
            body["errors"] = exc.fields
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.PermissionDenied) and \
            str(getattr(exc, "detail", "")).startswith("CSRF Failed"):
        # DRF's session authentication reports a CSRF failure as PermissionDenied; it
        # is a stale or forged form, not a role problem.
        response.data = {"code": "csrf_failed",
                         "detail": "页面已过期或请求来源无法验证（CSRF），请刷新页面后重试。",
                         "detail_en": "CSRF verification failed; reload the page and retry."}
        return response
    detail_zh = getattr(exc, "detail_zh", None)
    if detail_zh and isinstance(exc, exceptions.ParseError):
        # The boundary's parser refusals (too deep, control characters) in both languages.
        response.data = {"code": getattr(exc, "error_code", "parse_error"),
                         "detail": detail_zh, "detail_en": getattr(exc, "detail_en", "")}
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": "输入有误，请检查各字段。",
            "detail_en": "Invalid input; see the field errors.",
            "errors": _flatten(exc.detail),
        }
        return response
    code, zh, en = next(
        (v for k, v in _MESSAGES.items() if isinstance(exc, k)),
        ("error", "请求失败。", str(getattr(exc, "detail", "Request failed."))),
    )
    response.data = {"code": code, "detail": zh, "detail_en": en}
    return response
