"""Checklist templates (检查表): the idempotent seed loader and the choice of templates
for an enterprise.

The municipal bureau maintains the templates; the seed content lives in
data.py. Loading is idempotent: a template is matched by its code and its
items are replaced by order, so running the loader twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from enterprises.models import INDUSTRY_AND_TRADE_SECTORS, Enterprise, Sector
from inspections.checklists.criteria import CRITERIA
from inspections.checklists.data import LAWS, TEMPLATES
from inspections.checklists.models import (
    ChecklistItem,
    ChecklistTemplate,
    MajorHazardCriterion,
)

# Sectors whose inspections always carry the occupational-health template: nearly
# every 工贸 and 危化 workplace has dust, noise or chemical exposure, and the issue
# asks that safety and occupational health be checked in one visit. Other sectors
# get it only when the registry lists occupational hazards for the enterprise.
ALWAYS_OCCUPATIONAL_HEALTH_SECTORS = INDUSTRY_AND_TRADE_SECTORS | {Sector.HAZARDOUS_CHEMICALS}


def load_criteria() -> dict[str, MajorHazardCriterion]:
    """Create or update the criteria rows by code.

    A text the administrator completed from the official publication (a row whose seed
    text is missing or unverified but whose stored text now differs, marked verified)
    is kept: the seed never overwrites a correction made from the official text.
    """
    rows: dict[str, MajorHazardCriterion] = {}
    for data in CRITERIA:
        row = MajorHazardCriterion.objects.filter(code=data["code"]).first()
        corrected = (row is not None and data["status"] != "verified"
                     and row.status == MajorHazardCriterion.TextStatus.VERIFIED)
        if row is None:
            row = MajorHazardCriterion(code=data["code"])
        row.standard, row.clause = data["standard"], data["clause"]
        if not corrected:
            row.text, row.status, row.note = data["text"], data["status"], data["note"]
        row.save()
        rows[row.code] = row
    return rows


#: Which of a template's items inspections have asked. The loop registers its lookup
#: from the app's ready() (the checklists sit below the loop and do not import it);
#: with none registered (the loop absent), every item counts as asked: never rewritten.
_asked_lookups: list[Callable[[ChecklistTemplate], set[int]]] = []


def register_asked_lookup(lookup: Callable[[ChecklistTemplate], set[int]]) -> None:
    if lookup not in _asked_lookups:
        _asked_lookups.append(lookup)


def _asked(template: ChecklistTemplate) -> set[int]:
    if not _asked_lookups:
        return set(template.items.values_list("pk", flat=True))
    return set().union(*(lookup(template) for lookup in _asked_lookups))


def _content(item: Any) -> dict[str, Any]:
    law = LAWS[item["law"]]
    return {"text": item["text"], "law": item["law"], "law_version": law["version"],
            "article": item["article"], "occupational_health": item["oh"]}


def _unchanged(row: ChecklistItem, content: dict[str, Any], codes: set[str]) -> bool:
    return (all(getattr(row, field) == value for field, value in content.items())
            and {c.code for c in row.criteria.all()} == codes)


@transaction.atomic
def load_checklist_templates() -> int:
    """Create or update the seeded templates and their items; returns the item count.

    An item no inspection has asked yet is updated in place. One that was asked keeps
    its row (the inspections that used it keep the wording, citation and criteria
    they were asked under): if the seed changed what it asks or cites, the row is
    retired and a new one takes its order; if the seed dropped it, it is retired.
    The revision note of a superseded text is bookkeeping and is updated in place.
    """
    criteria = load_criteria()
    total = 0
    now = timezone.now()
    for data in TEMPLATES:
        template, _created = ChecklistTemplate.objects.update_or_create(
            code=data["code"],
            defaults={"name": data["name"], "sectors": list(data["sectors"]),
                      "special_operations": list(data["special_operations"]),
                      "remit": data["remit"], "version": data["version"], "active": True})
        live = {row.order: row for row in template.items.filter(retired_at__isnull=True)
                .prefetch_related("criteria")}
        asked = _asked(template)
        orders = []
        for order, item in enumerate(data["items"], start=1):
            chosen = [criteria[code] for code in item["major"]]
            content = _content(item)
            extra = {"rebase_note": LAWS[item["law"]]["rebase"],
                     "major_hazard_criterion": "\n".join(c.label for c in chosen)}
            row = live.get(order)
            if row is not None and row.pk in asked and not _unchanged(
                    row, content, {c.code for c in chosen}):
                ChecklistItem.objects.filter(pk=row.pk).update(retired_at=now)
                row = None
            if row is None:
                row = ChecklistItem.objects.create(template=template, order=order,
                                                   **content, **extra)
            else:
                for field, value in {**content, **extra}.items():
                    setattr(row, field, value)
                row.save()
            row.criteria.set(chosen)
            orders.append(order)
        # Items dropped from the seed since the last load: retired if asked, else gone.
        dropped = template.items.filter(retired_at__isnull=True).exclude(order__in=orders)
        dropped.filter(pk__in=asked).update(retired_at=now)
        dropped.exclude(pk__in=asked).delete()
        total += len(orders)
    return total


def templates_for(enterprise: Enterprise) -> QuerySet[ChecklistTemplate]:
    """The active templates an inspection of this enterprise uses.

    - the general template of its sector (a template with the sector listed and no
      special operation: GM-GEN for the eight 工贸 sectors, HC-GEN, CN-GEN);
    - the template of each special operation it carries (dust explosion, liquid
      ammonia, confined space) whose sectors include its sector, or list none;
    - the cross-sector templates (no sector and no special operation listed, i.e.
      occupational health) when the enterprise declares occupational hazards, or
      always for 工贸 and 危化 (ALWAYS_OCCUPATIONAL_HEALTH_SECTORS).
    """
    sector = enterprise.sector
    general = Q(sectors__contains=[sector], special_operations=[])
    condition = general
    operations = list(enterprise.special_operations or [])
    if operations:
        condition |= (Q(special_operations__overlap=operations)
                      & (Q(sectors__contains=[sector]) | Q(sectors=[])))
    if enterprise.occupational_hazards or sector in ALWAYS_OCCUPATIONAL_HEALTH_SECTORS:
        condition |= Q(sectors=[], special_operations=[])
    return ChecklistTemplate.objects.filter(condition, active=True).order_by("code")
