"""Shared reads of the loop: for its pages and those above it, and (handed over from
the app's ready()) for the checklists below it."""

from __future__ import annotations

from typing import Any

from inspections.loop.models import Inspection, InspectionItem
from inspections.loop.services import FIELD_ROLES


def asked_checklist_items(template: Any) -> set[int]:
    """The items of a checklist template some inspection has asked (their rows are
    kept as they were asked: inspections.checklists.templates)."""
    return set(InspectionItem.objects.filter(checklist_item__template=template)
               .values_list("checklist_item_id", flat=True).distinct())


def kept_offline(inspection: Inspection, user: Any) -> bool:
    """An inspection being filed keeps its pages (the inspection, its photos, its
    signatures) on the officer's phone for use offline."""
    return inspection.status == Inspection.Status.IN_PROGRESS and bool(
        user.has_role(*FIELD_ROLES))
