"""Checklist items are versioned, never rewritten once asked (issue on legal accuracy:
"reloading the seed rewrites items in place"): an inspection keeps the wording and
citation it was asked under; the template's next inspection gets the new wording; an
item nobody asked is simply updated; a dropped item that was asked is retired."""
# ruff: noqa: F811

from __future__ import annotations

import copy

import pytest

from inspections.checklists import data as seed
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import ChecklistItem, Inspection
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db


def _edited(monkeypatch, code: str, order: int, **changes):
    templates = copy.deepcopy(seed.TEMPLATES)
    for template in templates:
        if template["code"] == code:
            template["items"][order - 1].update(changes)
    monkeypatch.setattr("inspections.checklists.templates.TEMPLATES", templates)
    return templates


def test_an_asked_item_keeps_its_wording_and_the_next_inspection_gets_the_new(
        monkeypatch, inspection, factory, xihu_inspector, xihu_inspector2):
    asked = inspection.items.order_by("order").first()
    item = asked.checklist_item
    old_text, template = item.text, item.template
    _edited(monkeypatch, template.code, item.order, text=old_text + "（修订）")
    load_checklist_templates()
    asked.refresh_from_db()
    assert asked.checklist_item.text == old_text  # the inspection's own question
    assert ChecklistItem.objects.get(pk=item.pk).retired_at is not None
    live = template.items.get(order=item.order, retired_at__isnull=True)
    assert live.pk != item.pk and live.text == old_text + "（修订）"
    # The next inspection of the enterprise asks the new wording.
    later = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                   inspectors=[xihu_inspector, xihu_inspector2],
                                   source=Inspection.Source.AD_HOC)
    assert later.items.filter(checklist_item=live).exists()
    assert not later.items.filter(checklist_item=item).exists()
    # Loading again changes nothing more.
    load_checklist_templates()
    assert template.items.filter(order=item.order).count() == 2


def test_an_item_nobody_asked_is_updated_in_place(monkeypatch, reference_data):
    load_checklist_templates()
    item = ChecklistItem.objects.order_by("pk").first()
    _edited(monkeypatch, item.template.code, item.order, text="新的检查内容")
    load_checklist_templates()
    item.refresh_from_db()
    assert item.text == "新的检查内容" and item.retired_at is None


def test_a_dropped_item_that_was_asked_is_retired_not_deleted(monkeypatch, inspection):
    asked = inspection.items.order_by("-order").first().checklist_item
    templates = copy.deepcopy(seed.TEMPLATES)
    for template in templates:
        if template["code"] == asked.template.code:
            template["items"] = template["items"][:asked.order - 1]
    monkeypatch.setattr("inspections.checklists.templates.TEMPLATES", templates)
    load_checklist_templates()
    asked.refresh_from_db()
    assert asked.retired_at is not None
    assert inspection.items.filter(checklist_item=asked).exists()
