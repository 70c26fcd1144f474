"""Recompute the audit trail's hash chain; fail loudly at the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hangzhou_safety.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链 / Verify the audit trail's hash chain."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            # CommandError: a non-zero exit status, so cron and monitoring notice.
            raise CommandError(
                f"审计日志被篡改 / audit chain broken at event {result.first_broken_id}: "
                f"{result.problem} ({result.checked} events checked)"
            )
        self.stdout.write(f"审计日志完整 / audit chain intact: {result.checked} events")
