"""Rate limits keyed on the trusted client address (hangzhou_safety.accounts.client_ip).

DRF's own throttles read X-Forwarded-For unless NUM_PROXIES is set, so a client
could rotate that header to escape the anonymous limit. One address rule serves
the login lockout, the API throttles and the public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from hangzhou_safety.accounts.client_ip import client_ip
from hangzhou_safety.cache import count_hit

from .responses import error_response

#: Set on the request by hangzhou_safety.api.cached when it has counted the hit already.
COUNTED_HITS = "_client_hits_counted"


class AnonClientRateThrottle(AnonRateThrottle):
    """At most ``rate`` requests per client in each window (a fixed window counted in
    one round trip, ``hangzhou_safety.cache.count_hit``). DRF's sliding window kept
    every hit's timestamp in one cache entry and rewrote it on each request: its cost
    grew with the rate, and it lost hits when two requests raced."""

    # Not DRF's "throttle_%(scope)s_%(ident)s": its throttles keep a list of timestamps
    # under that key, this one a number, and a view left on DRF's class with the same
    # scope would read the number as a list (a 500 for that client).
    cache_format = "throttle-window:%(scope)s:%(ident)s"

    # Set by SimpleRateThrottle.__init__ from the rate (the stubs do not declare them).
    num_requests: int
    duration: int

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)  # None for a signed-in user
        if key is None:
            return True
        counted = getattr(getattr(request, "_request", request), COUNTED_HITS, None)
        hits = counted if counted is not None else count_hit(key, self.duration)
        return hits <= self.num_requests

    def wait(self) -> float:
        # The window is not kept client-side; its whole length is the honest bound.
        return float(self.duration)

    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"

    def get_rate(self) -> str | None:
        # Read at call time (DRF binds the rates when the class is defined), so a
        # changed setting applies without a restart of the import.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "anon")
        return str(rate) if rate else None


class PublicReportRateThrottle(AnonClientRateThrottle):
    """12350 submissions per client (rate ``public_report``), for the API and the form."""

    scope = "public_report"


def throttled_response(request: HttpRequest, window: int, *,
                       template: str | None = None) -> HttpResponse:
    """The 429 a throttle answers: the body DRF's ``Throttled`` gets from the project's
    exception handler (or the HTML error page), with the window as ``Retry-After``."""
    response = error_response(request, 429, "throttled", "请求过于频繁，请稍后再试。",
                              "Request was throttled; try again later.", template=template)
    response["Retry-After"] = str(window)
    return response


def _parse_rate(rate: str) -> tuple[int, int]:
    count, period = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    return int(count), seconds


def public_page_limit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Limit an anonymous HTML page per client address (rate ``public_page``)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = str(api_settings.DEFAULT_THROTTLE_RATES.get("public_page") or "60/minute")
        limit, window = _parse_rate(rate)
        key = f"public-page:{view.__module__}.{view.__name__}:{client_ip(request) or 'unknown'}"
        if count_hit(key, window) > limit:
            return throttled_response(request, window, template="error.html")
        return view(request, *args, **kwargs)

    return wrapped
