"""Load holidays and make-up workdays from the chinesecalendar package (idempotent).

Run after upgrading the package: years it newly knows are added and published, and
provisional deadlines are recomputed. Published years are never overwritten.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from hangzhou_safety.workdays.seeding import seed_calendar
from hangzhou_safety.workdays.services import recompute_provisional_deadlines


class Command(BaseCommand):
    help = "从 chinesecalendar 软件包导入法定节假日和调休日（可重复执行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            result = seed_calendar()
        self.stdout.write(
            f"years created: {result.years_created or '-'}; "
            f"years completed and published: {result.years_published or '-'}; "
            f"special days added: {result.days_created}")
        if result.newly_scheduled:
            changed = recompute_provisional_deadlines()
            self.stdout.write(f"provisional deadlines recomputed: {changed}")
