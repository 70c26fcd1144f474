"""Services behind the registry's beat jobs (enterprises.tasks wraps them).

- refresh_expiring_supervision: an enclave agreement or level assignment that starts
  or ends changes who supervises without anyone editing the enterprise, so the daily
  job re-derives the enterprises it names. Each change goes through
  services.refresh_supervisor, which writes a SupervisionChange and an audit event.
- recompute_stale_risk: scores never computed (risk_computed_at null: rows imported
  or created while the worker was down) are computed in bulk, not row by row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import EnclaveAgreement, Enterprise, LevelAssignment, MajorHazardSource
from .risk import compute_risk
from .services import refresh_supervisors

EXPIRY_REASON = "飞地协议/分级认定到期或生效"


def _boundary_q(day: datetime.date, lookback_days: int) -> Q:
    """Rows whose validity began, or ended, within the window ending on `day`.

    An agreement starts to apply on valid_from and stops the day after valid_until,
    so "ended yesterday or today" means valid_until in [day - lookback - 1, day - 1].
    """
    start = day - datetime.timedelta(days=lookback_days)
    return (Q(valid_from__gte=start, valid_from__lte=day)
            | Q(valid_until__gte=start - datetime.timedelta(days=1),
                valid_until__lte=day - datetime.timedelta(days=1)))


def enterprises_at_boundary(day: datetime.date, lookback_days: int = 1) -> list[int]:
    window = _boundary_q(day, lookback_days)
    enclave_ids = EnclaveAgreement.enterprises.through.objects.filter(
        enclaveagreement__in=EnclaveAgreement.objects.filter(window)).values_list(
        "enterprise_id", flat=True)
    level_ids = LevelAssignment.objects.filter(window).values_list("enterprise_id", flat=True)
    return sorted(set(enclave_ids) | set(level_ids))


def refresh_expiring_supervision(today: datetime.date | None = None, *,
                                 lookback_days: int = 1) -> int:
    """Re-derive the supervisor of enterprises whose agreement or level assignment
    crossed a validity boundary yesterday or today. Returns how many changed hands.

    Idempotent: a second run the same day finds every supervisor already right.
    """
    day = today or timezone.localdate()
    return refresh_supervisors(enterprises_at_boundary(day, lookback_days),
                               reason=EXPIRY_REASON, on=day)


def recompute_stale_risk(limit: int = 5000) -> int:
    """Compute risk for up to `limit` enterprises that have none; returns the count.

    Set-based: one query for the enterprises, one for their filed hazard levels, one
    bulk update. The conditional filter (still null) leaves alone a row the per-row
    task scored meanwhile.
    """
    with transaction.atomic():
        rows = list(Enterprise.objects.filter(risk_computed_at__isnull=True)
                    .select_for_update(skip_locked=True).order_by("pk")[:limit])
        if not rows:
            return 0
        levels: dict[int, list[int]] = defaultdict(list)
        for enterprise_id, level in MajorHazardSource.objects.filter(
                enterprise_id__in=[e.pk for e in rows],
                status=MajorHazardSource.Status.FILED).values_list("enterprise_id", "level"):
            levels[enterprise_id].append(level)
        now = timezone.now()
        for enterprise in rows:
            result = compute_risk(enterprise, levels.get(enterprise.pk, []))
            enterprise.risk_score = result.score
            enterprise.risk_level = result.level
            enterprise.risk_explanation = result.explanation
            enterprise.risk_computed_at = now
        Enterprise.objects.bulk_update(
            rows, ["risk_score", "risk_level", "risk_explanation", "risk_computed_at"],
            batch_size=1000)
    return len(rows)
