"""Session idle timeout: a staff session ends after SESSION_IDLE_TIMEOUT seconds unused."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "_last_seen"
#: The last-seen stamp is rewritten at most this often. Writing it on every request
#: made every page save its session (3 of a list page's 10 queries); a coarse stamp
#: ends an idle session at most this many seconds late, which the 30-minute rule allows.
LAST_SEEN_RESOLUTION = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
                from hangzhou_safety.audit.services import record_event

                record_event("auth.session_expired", actor=user, request=request,
                             reason="idle timeout")
                logout(request)
            elif last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
