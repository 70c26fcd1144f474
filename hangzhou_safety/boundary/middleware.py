"""Refuse control characters in query strings and form fields, and oversized bodies.

JSON bodies are checked by the API's parser (parsers.SafeJSONParser); uploaded
files are content, not text, and are left to the evidence and import checks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

from .responses import error_response, too_large
from .text import MESSAGE_EN, MESSAGE_ZH, first_bad_field

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if request.content_type not in FORM_TYPES and length.isdigit() and \
                int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return too_large(request)
        bad = first_bad_field(request.GET.lists())
        if bad is None and request.method in ("POST", "PUT", "PATCH") and \
                request.content_type in FORM_TYPES:
            try:
                bad = first_bad_field(request.POST.lists())
            except RequestDataTooBig:
                return too_large(request)
            except TooManyFieldsSent:
                return error_response(request, 400, "too_many_fields", "提交的字段过多。",
                                      "Too many fields.", template="error.html")
        if bad is not None:
            return error_response(request, 400, "control_characters",
                                  f"{MESSAGE_ZH}（字段：{bad[:40]}）",
                                  f"{MESSAGE_EN} (field: {bad[:40]})", template="error.html")
        return self.get_response(request)


class NoStoreApiMiddleware:
    """API answers are never stored by browsers or proxies.

    Many carry personal data (an enterprise's contacts, inspectors' names); marking
    every API response is simpler and safer than deciding per endpoint. The public
    verification endpoint is included: it is cheap, and a stale rectification state
    would mislead the citizen reading it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
