"""Shared reads of the blacklist: staff lists (jurisdiction-scoped) and the public list."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import BlacklistEntry

B = BlacklistEntry.Status
#: What the public sees: entries published and still listed (a decided entry waits for
#: its publication; a removed or expired one has left the list).
PUBLIC_STATUSES = (B.PUBLISHED, B.REMOVAL_REQUESTED)
#: The longest public search term (a name or a credit code).
MAX_QUERY = 60


def visible_entries(user: Any) -> QuerySet[BlacklistEntry]:
    return (BlacklistEntry.objects.visible_to(user)
            .select_related("enterprise", "authority", "objection_clock", "proposed_by")
            .prefetch_related("restrictions"))


def public_entries(q: str = "") -> QuerySet[BlacklistEntry]:
    rows = (BlacklistEntry.objects.filter(status__in=PUBLIC_STATUSES)
            .select_related("enterprise", "authority"))
    term = (q or "").strip()[:MAX_QUERY]
    if term:
        rows = rows.filter(Q(enterprise__name__icontains=term)
                           | Q(enterprise__uscc=term.upper()))
    return rows
