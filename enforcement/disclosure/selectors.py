"""Reads of disclosures: staff lists scoped by jurisdiction, and what the public sees."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Disclosure


def visible_disclosures(user: Any) -> QuerySet[Disclosure]:
    return (Disclosure.objects.visible_to(user)
            .select_related("authority", "case", "reviewer").order_by("-id"))


def published_disclosures() -> QuerySet[Disclosure]:
    """What the public portal may show: published disclosures only, and of them only
    the reviewed public version (never ``original_text``; callers use ``.only``-style
    field lists of the public fields)."""
    return (Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED)
            .select_related("authority").order_by("-published_at", "-id")
            .only("id", "authority__name", "decision_type", "decided_on", "party_name",
                  "public_text", "published_at", "publication_ends_on", "version"))
