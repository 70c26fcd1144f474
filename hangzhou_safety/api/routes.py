"""Which API routes are anonymous: the ``public/…`` ones, which the API's URL table
tries first (hangzhou_safety/api/urls.py), so public traffic resolves in a few matches
instead of failing through every staff table."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import URLPattern, URLResolver

Route = URLPattern | URLResolver
PUBLIC_PREFIX = "public/"


def split_public(routes: Iterable[Route]) -> tuple[list[Route], list[Route]]:
    """``(public, staff)``: the anonymous routes and the others, each in its order."""
    public: list[Route] = []
    staff: list[Route] = []
    for route in routes:
        (public if str(route.pattern).startswith(PUBLIC_PREFIX) else staff).append(route)
    return public, staff
