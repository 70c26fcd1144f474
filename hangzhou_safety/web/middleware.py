"""htmx requests never follow a login redirect.

An htmx POST after the session expired would follow the 302 to the login page and
swap the login form into the answer card (a silent failure: the answer looks taken,
nothing is saved). Such a request gets 401 instead, which static/js/offline-queue.js
(whose queue posts as htmx does) shows as "login expired" and sends again after the
officer logged in again.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _


class HtmxLoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.headers.get("HX-Request") == "true"
                and response.status_code in (301, 302, 303, 307, 308)
                and response.get("Location", "").split("?", 1)[0]
                == resolve_url(settings.LOGIN_URL)):
            expired = HttpResponse(_("登录已过期，请重新登录。"), status=401,
                                   content_type="text/plain; charset=utf-8")
            expired["HX-Reswap"] = "none"
            return expired
        return response
