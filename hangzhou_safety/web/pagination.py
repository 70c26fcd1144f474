"""Keyset pagination for server-rendered lists: no COUNT(*), no OFFSET, no truncation.

Every page list goes through :func:`keyset_page`: rows newest first by id, the next
page asked for with ``?before=<id of the last row shown>``. The partial
``web/partials/next_page.html`` renders the link with the rest of the query string
kept. A tampered ``before`` (not a positive integer) is ignored and shows the first
page rather than an error, because the link is ours and a stale one should not break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    #: Id to pass as ``before`` for the next page, or None on the last page.
    next_before: int | None
    #: The request's query string without ``before`` (to build the next link).
    query: str
    is_first: bool


def keyset_page(request: HttpRequest, queryset: QuerySet[Any], *,
                size: int = DEFAULT_PAGE_SIZE) -> KeysetPage:
    """One page of ``queryset`` ordered by ``-id`` (the caller's order is replaced)."""
    raw = request.GET.get("before", "")
    before = int(raw) if raw.isdigit() and 0 < int(raw) < 2**63 else None
    qs = queryset.order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    params = request.GET.copy()
    params.pop("before", None)
    return KeysetPage(rows=rows, next_before=rows[-1].pk if more and rows else None,
                      query=params.urlencode(), is_first=before is None)
