"""Reads of plans shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspections.plans.models import EnforcementPlan


def visible_plans(user: Any) -> QuerySet[EnforcementPlan]:
    return (EnforcementPlan.objects.visible_to(user)
            .select_related("authority", "created_by"))


def approver_queue(user: Any) -> QuerySet[EnforcementPlan]:
    """Submitted plans the caller may decide on (never their own)."""
    return (visible_plans(user).filter(status=EnforcementPlan.Status.SUBMITTED)
            .exclude(created_by=user).order_by("submitted_at", "id"))
