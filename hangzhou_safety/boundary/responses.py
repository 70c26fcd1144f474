"""Error responses outside the views: the JSON body under /api/, our own pages elsewhere.

Django answers some failures before (or instead of) a view: an unknown URL, a CSRF
failure, a body over the size limit, an unhandled exception. Under /api/ each gets
the documented body {"code", "detail", "detail_en"}; pages get the product's own
templates, never Django's debug or plain pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(request: HttpRequest, status: int, code: str, detail: str,
                   detail_en: str, *, template: str | None = None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"code": code, "detail": detail, "detail_en": detail_en},
                            status=status, json_dumps_params={"ensure_ascii": False})
    name = template or f"{status}.html"
    body: str
    try:
        body = loader.render_to_string(name, {"detail": detail, "status": status},
                                       request=request)
    except Exception:  # noqa: BLE001 - an error page must never fail itself
        body = f"<!doctype html><title>{status}</title><p>{detail}</p>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_response(request, 400, "bad_request", "请求无效。", "Bad request.",
                          template="error.html")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_response(request, 403, "permission_denied", "您的角色无权执行此操作。",
                          "Your role does not allow this action.", template="403.html")


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_response(request, 404, "not_found", "对象不存在或不在您的辖区内。",
                          "Not found, or not within your jurisdiction.", template="404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, "server_error", "服务器内部错误，已记录，请稍后重试。",
                          "Internal server error; it has been logged.", template="error.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Not a role problem: the form was stale (page open too long) or forged.
    return error_response(request, 403, "csrf_failed",
                          "页面已过期或请求来源无法验证（CSRF），请刷新页面后重试。",
                          "CSRF verification failed; reload the page and try again.",
                          template="error.html")


def too_large(request: HttpRequest) -> HttpResponse:
    return error_response(request, 413, "request_too_large", "请求内容过大。",
                          "The request body is too large.", template="error.html")
