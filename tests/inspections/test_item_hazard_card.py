"""A phone-shaped inspection page: while answering, the hidden danger a failed item
became (its description, whether it is major, its order form) opens inside the item's
card, and comes back with the card after each save; findings outside the checklist
stay in the section above the items."""
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from inspections.loop import services as loop
from tests.inspections.test_evidence_uploads_field import evidence_root, started  # noqa: F401
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _card(page: str, item_pk: int) -> str:
    start = page.index(f'<div id="item-{item_pk}"')
    end = page.find('<div id="item-', start + 10)
    return page[start:end if end > 0 else None]


def test_the_hidden_danger_opens_inside_the_failed_item(web_as, started, xihu_inspector):
    hazard = started.hazards.get()
    outside = loop.add_hazard(started, actor=xihu_inspector, description="消防通道堵塞")
    client = web_as(xihu_inspector)
    page = client.get(reverse("inspections:inspection_detail", args=[started.pk])).content.decode()
    card = _card(page, hazard.item_id)
    assert 'data-testid="item-hazard"' in card
    assert f'id="order-form-{hazard.pk}"' in card and 'hx-preserve="true"' in card
    # Only the finding outside the checklist is listed above the items.
    top = page[page.index('data-testid="hazards"'):page.index('data-testid="items"')]
    assert f'id="hazard-{outside.pk}"' in top and f'id="hazard-{hazard.pk}"' not in top
    # The card the server sends back after a save carries it too (with the last
    # responsible person's name repeated once an order exists).
    response = client.post(
        reverse("inspections:inspection_answer", args=[started.pk, hazard.item_id]),
        {"result": "non_compliant", "note": "泄爆口堵塞，未清理"}, **HX)
    body = response.content.decode()
    assert 'data-testid="item-hazard"' in body and "泄爆口堵塞，未清理" in body
    assert re.search(r'data-testid="order-form"', body)
    other = started.items.order_by("order").last()
    plain = client.post(reverse("inspections:inspection_answer", args=[started.pk, other.pk]),
                        {"result": "compliant"}, **HX).content.decode()
    assert 'data-testid="item-hazard"' not in plain
