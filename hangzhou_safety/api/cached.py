"""Anonymous GET answers cached until their data changes (the public decisions API).

``cached_answer(view, generation)`` wraps a DRF view in the URL table. Each 200 JSON
answer is stored under a key made of its URL (scheme, host, path and query: the body's
next/previous links carry them), the language and the Accept header, beside the
generation of its data (``hangzhou_safety.cache``). The workflow that owns the data
bumps that generation when a row changes status (``Workflow.on_change``), so the next
request reads the database again. ``API_RESPONSE_CACHE_SECONDS`` bounds how long an
answer can outlive a change that did not go through the workflow.

A hit costs one Redis round trip and no DRF dispatch: the client's throttle counter,
the current generation and the stored answer are read together, and the throttle
(``AnonClientRateThrottle``, the view's own) is applied to hits as to any request. On
a miss the view runs as usual and finds the hit already counted.

Only what is the same for every caller may be cached this way: a view that
authenticates is refused when the URL table loads (an answer shaped by a user's
jurisdiction must never reach another user).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from hangzhou_safety.boundary.throttling import (
    COUNTED_HITS,
    AnonClientRateThrottle,
    throttled_response,
)
from hangzhou_safety.cache import GENERATION_PREFIX, count_and_get_many

#: Headers DRF sets from the view (not from a middleware) that a hit must repeat.
KEPT_HEADERS = ("Content-Type", "Vary", "Allow")


def _answer_key(generation: str, request: HttpRequest) -> str:
    parts = "\n".join((request.build_absolute_uri(), get_language() or "",
                       request.META.get("HTTP_ACCEPT", "")))
    digest = hashlib.sha1(parts.encode(), usedforsecurity=False).hexdigest()
    return f"api-answer:{generation}:{digest}"


def cached_answer(view: Callable[..., Any], generation: str, *,
                  params: Collection[str]) -> Callable[..., Any]:
    """``params``: the query parameters the view reads. A request with any other is
    answered by the view without the cache, so junk parameters can neither fill the
    cache nor be served an answer that was computed for another URL."""
    known = frozenset(params)
    cls = getattr(view, "cls", None)
    if cls is None or cls.authentication_classes or not generation:
        raise ImproperlyConfigured(
            f"cached_answer({getattr(cls, '__name__', view)!r}): needs a DRF view with "
            "no authentication and a generation (its answers are shared by every caller)")
    # Hits are counted with the view's own throttle, so a miss finds them counted.
    throttles = list(cls.throttle_classes)
    if len(throttles) != 1 or not issubclass(throttles[0], AnonClientRateThrottle):
        raise ImproperlyConfigured(
            f"cached_answer({cls.__name__}): needs exactly one AnonClientRateThrottle "
            "(a hit is counted before the view runs)")
    throttle_class = throttles[0]

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        seconds = int(settings.API_RESPONSE_CACHE_SECONDS)
        if request.method != "GET" or seconds <= 0 or not known.issuperset(request.GET):
            return view(request, *args, **kwargs)
        throttle = throttle_class()
        if throttle.rate is None:
            return view(request, *args, **kwargs)
        counter = throttle.cache_format % {"scope": throttle.scope,
                                           "ident": throttle.get_ident(request)}
        key, generation_key = _answer_key(generation, request), GENERATION_PREFIX + generation
        hits, found = count_and_get_many(counter, throttle.duration, [generation_key, key])
        if hits > throttle.num_requests:
            return throttled_response(request, throttle.duration)
        setattr(request, COUNTED_HITS, hits)
        current = int(found.get(generation_key) or 0)
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            response = HttpResponse(stored[2])
            for name, value in stored[1]:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        renderer = getattr(response, "accepted_renderer", None)
        if response.status_code == 200 and getattr(renderer, "format", "") == "json":
            response.render()
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            cache.set(key, (current, headers, response.content), seconds)
        return response

    return wrapped
