"""The registry list's rows, prepared in Python for the page.

A row is a small tuple of what the card shows, labels looked up once per language
(hangzhou_safety.api.fields.choice_label), so the template renders no include and
calls no get_FOO_display() per row: 70 % of the list page was template time (issue 15).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db.models import QuerySet

from hangzhou_safety.api.fields import choice_label

from .models import Enterprise, RiskLevel, Sector

#: The columns the list card reads; the page reads nothing else.
CARD_COLUMNS = (
    "id", "name", "uscc", "status", "sector", "is_high_risk", "risk_level",
    "location__name", "location__parent__name",
    "supervising_authority__name", "supervising_authority__short_name",
)

#: Badge class per risk level; colour is a hint only, the level is always spelled out.
RISK_BADGE = {
    RiskLevel.RED: "text-bg-danger", RiskLevel.ORANGE: "text-bg-orange",
    RiskLevel.YELLOW: "text-bg-warning", RiskLevel.BLUE: "text-bg-primary",
}


class EnterpriseCard(NamedTuple):
    pk: int
    name: str
    identifier: str
    district: str
    street: str
    sector: str
    is_high_risk: bool
    status: str  # "" while operating: only an unusual status is shown
    risk: str  # "" when not assessed
    risk_class: str
    supervisor: str  # "" when undetermined


def card_rows(qs: QuerySet[Enterprise], limit: int) -> list[EnterpriseCard]:
    rows: list[Any] = list(qs.select_related("location__parent", "supervising_authority")
                           .only(*CARD_COLUMNS)[:limit])
    cards = []
    for e in rows:
        parent = e.location.parent
        supervisor = e.supervising_authority
        cards.append(EnterpriseCard(
            pk=e.pk, name=e.name, identifier=e.identifier,
            district=parent.name if parent else "", street=e.location.name,
            sector=choice_label(Sector, e.sector), is_high_risk=e.is_high_risk,
            status="" if e.status == Enterprise.Status.OPERATING
            else choice_label(Enterprise.Status, e.status),
            risk=choice_label(RiskLevel, e.risk_level) if e.risk_level in RISK_BADGE else "",
            risk_class=RISK_BADGE.get(e.risk_level, ""),
            supervisor=(supervisor.short_name or supervisor.name) if supervisor else "",
        ))
    return cards
