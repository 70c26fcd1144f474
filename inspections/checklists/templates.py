"""Checklist templates (检查表): the idempotent seed loader and the choice of templates
for an enterprise.

The municipal bureau maintains the templates; the seed content lives in
data.py. Loading is idempotent: a template is matched by its code and its
items are replaced by order, so running the loader twice leaves the same rows.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from enterprises.models import INDUSTRY_AND_TRADE_SECTORS, Enterprise, Sector
from inspections.checklists.data import TEMPLATES
from inspections.checklists.models import ChecklistItem, ChecklistTemplate

# Sectors whose inspections always carry the occupational-health template: nearly
# every 工贸 and 危化 workplace has dust, noise or chemical exposure, and the issue
# asks that safety and occupational health be checked in one visit. Other sectors
# get it only when the registry lists occupational hazards for the enterprise.
ALWAYS_OCCUPATIONAL_HEALTH_SECTORS = INDUSTRY_AND_TRADE_SECTORS | {Sector.HAZARDOUS_CHEMICALS}


@transaction.atomic
def load_checklist_templates() -> int:
    """Create or update the seeded templates and their items; returns the item count."""
    total = 0
    for data in TEMPLATES:
        template, _created = ChecklistTemplate.objects.update_or_create(
            code=data["code"],
            defaults={"name": data["name"], "sectors": list(data["sectors"]),
                      "special_operations": list(data["special_operations"]),
                      "version": data["version"], "active": True})
        orders = []
        for order, item in enumerate(data["items"], start=1):
            ChecklistItem.objects.update_or_create(
                template=template, order=order,
                defaults={"text": item["text"], "law": item["law"],
                          "article": item["article"],
                          "major_hazard_criterion": item["major"],
                          "occupational_health": item["oh"]})
            orders.append(order)
        # Items dropped from the seed since the last load go too (orders are dense).
        template.items.exclude(order__in=orders).delete()
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
