"""Shared reads of the loop for the layers below it (handed over from the app's ready())."""

from __future__ import annotations

from typing import Any

from inspections.loop.models import InspectionItem


def asked_checklist_items(template: Any) -> set[int]:
    """The items of a checklist template some inspection has asked (their rows are
    kept as they were asked: inspections.checklists.templates)."""
    return set(InspectionItem.objects.filter(checklist_item__template=template)
               .values_list("checklist_item_id", flat=True).distinct())
