"""Daily reconciliation: our sent deliveries against each platform's acknowledgement list."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from hangzhou_safety.audit.services import record_event

from .models import Delivery, ReconciliationReport
from .transport import PushFailed, acknowledged_keys

SAMPLE = 50


@transaction.atomic
def reconcile(platform: str) -> ReconciliationReport:
    conf = settings.CREDIT_PLATFORMS[platform]
    ours = {str(u) for u in Delivery.objects.filter(platform=platform, status=Delivery.Status.SENT)
            .values_list("message__uuid", flat=True)}
    try:
        theirs = acknowledged_keys(conf, timeout=settings.CREDIT_OUTBOX_TIMEOUT * 6)
    except PushFailed as exc:
        report = ReconciliationReport.objects.create(
            platform=platform, sent_count=len(ours), acknowledged_count=0, error=str(exc))
    else:
        missing, unexpected = sorted(ours - theirs), sorted(theirs - ours)
        report = ReconciliationReport.objects.create(
            platform=platform, sent_count=len(ours), acknowledged_count=len(theirs),
            missing=missing[:SAMPLE], unexpected=unexpected[:SAMPLE],
            missing_count=len(missing), unexpected_count=len(unexpected))
    record_event("credit_outbox.reconciled", actor=None, obj=report, jurisdiction_path="",
                 new={"platform": platform, "sent": report.sent_count,
                      "acknowledged": report.acknowledged_count,
                      "missing": report.missing_count, "unexpected": report.unexpected_count,
                      "error": report.error})
    return report


def reconcile_all() -> list[ReconciliationReport]:
    return [reconcile(code) for code in settings.CREDIT_PLATFORMS]
