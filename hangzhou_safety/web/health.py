"""Liveness probe: answers without touching the database or the session.

Used by the container healthcheck and as the throughput benchmark's floor (the
fastest answer the app's middleware stack can give), see benchmarks/throughput.py.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
