"""Role-aware navigation for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from .navigation import items_for

    user = getattr(request, "user", None)
    return {"nav_items": items_for(user) if user is not None else []}
