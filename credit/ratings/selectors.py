"""Shared reads of ratings and commitments (jurisdiction-scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import CreditCommitment, IntegrityRating


def visible_ratings(user: Any) -> QuerySet[IntegrityRating]:
    return IntegrityRating.objects.visible_to(user).select_related("enterprise", "authority")


def visible_commitments(user: Any) -> QuerySet[CreditCommitment]:
    return CreditCommitment.objects.visible_to(user).select_related("enterprise")
