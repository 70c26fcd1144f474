"""manage.py load_checklists: seed or refresh the municipal checklist templates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from inspections.checklists.templates import load_checklist_templates
from inspections.models import ChecklistTemplate


class Command(BaseCommand):
    help = "Load the seeded checklist templates (检查表); safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        items = load_checklist_templates()
        templates = ChecklistTemplate.objects.count()
        self.stdout.write(self.style.SUCCESS(
            f"Checklist templates loaded: {templates} templates, {items} seeded items."))
