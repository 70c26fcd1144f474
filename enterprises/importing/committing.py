"""Committing validated rows to the registry: bulk statements, ONE transaction.

Commit path: bulk, not create_enterprise() per row. Per row, create_enterprise costs
~15 queries (full_clean uniqueness checks, an audit append under the advisory lock,
refresh_supervisor with its own locality lookup, a risk task per row): ~minutes for
50,000 rows. Here a whole file costs a handful of queries per 1,000 rows: new rows are
bulk-inserted with their derived columns filled in (locality supervisor from one
LocalityIndex: a brand-new enterprise can be named by no enclave agreement or level
assignment, so locality is the whole rule; risk computed in-process: it has no filed
hazard sources), a SupervisionChange row per new enterprise records the reason, and
ONE audit event per job summarises the counts. Changed rows are bulk-updated; those
whose location changed go through services.refresh_supervisors (the full rule with
enclaves and levels, audited per enterprise). Row history still comes from the
pghistory triggers, which fire for bulk statements too.

The job row stays locked (SELECT ... FOR UPDATE) for the whole transaction: a second
delivery of the same task waits and then finds the job finished, and the stall
watchdog (jobs.fail_stalled_jobs) skips a job whose commit is under way.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.audit.services import record_event
from hangzhou_safety.db.bulk import immediate_constraints

from ..models import (
    HIGH_RISK_SECTORS,
    Enterprise,
    ImportJob,
    SupervisionBasis,
    SupervisionChange,
    bigrams_for,
    search_text_for,
)
from ..risk import compute_risk, filed_hazard_levels
from ..services import RISK_INPUTS, refresh_supervisors
from ..supervision import LocalityIndex
from .columns import COLUMNS

# Fields compared (and written) for idempotency: a re-import that differs in none of
# them is "unchanged".
DATA_FIELDS = [key for _, key in COLUMNS if key != "uscc"]


def _fill_derived(enterprise: Enterprise) -> None:
    """The columns Enterprise.save() derives, for rows written with bulk statements."""
    enterprise.is_high_risk = enterprise.sector in HIGH_RISK_SECTORS
    enterprise.location_path = enterprise.location.path if enterprise.location_id else ""
    enterprise.search_text = search_text_for(enterprise.name, enterprise.uscc)
    enterprise.search_bigrams = bigrams_for(enterprise.name)


def _apply_risk(enterprise: Enterprise, hazard_levels: list[int]) -> None:
    result = compute_risk(enterprise, hazard_levels)
    enterprise.risk_score = result.score
    enterprise.risk_level = result.level
    enterprise.risk_explanation = result.explanation
    enterprise.risk_computed_at = timezone.now()


def _differs(current: Enterprise, data: dict[str, Any]) -> list[str]:
    changed = []
    for key in DATA_FIELDS:
        new = data[key]
        if key == "location":
            old: Any = current.location_id
            new = new.pk if new is not None else None
        elif key == "industry":
            old = current.industry_id
        elif key == "special_operations":
            old, new = sorted(current.special_operations or []), sorted(new)
        else:
            old = getattr(current, key)
        if old != new:
            changed.append(key)
    return changed


@transaction.atomic
def commit_rows(job_id: int, rows: list[tuple[int, dict[str, Any]]], *, actor: Any,
                summary: dict[str, Any]) -> None:
    """Write valid rows: create new, update changed, skip unchanged. ONE transaction."""
    # Up to 50,000 rows in one transaction: deferred foreign-key events would make the
    # load quadratic (see hangzhou_safety.db.bulk).
    immediate_constraints()

    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status != ImportJob.Status.RUNNING:
        return  # a redelivered task after a finished commit, or ended by the watchdog
    by_code = {data["uscc"]: data for _, data in rows}
    existing: dict[str, Enterprise] = {}
    codes = list(by_code)
    for start in range(0, len(codes), 5000):
        for enterprise in (Enterprise.objects.select_for_update(of=("self",))
                           .filter(uscc__in=codes[start:start + 5000])):
            existing[enterprise.uscc or ""] = enterprise
    locality = LocalityIndex()
    now = timezone.now()
    to_create: list[Enterprise] = []
    to_update: list[Enterprise] = []
    update_fields: set[str] = set()
    relocated: list[int] = []
    unchanged = 0
    for code, data in by_code.items():
        current = existing.get(code)
        if current is None:
            enterprise = Enterprise(
                **{k: v for k, v in data.items() if k != "industry"},
                industry_id=data["industry"], created_at=now, updated_at=now)
            _fill_derived(enterprise)
            authority = locality.authority_for(enterprise.location)
            enterprise.supervising_authority = authority
            enterprise.supervision_basis = SupervisionBasis.LOCALITY if authority else ""
            enterprise.supervisor_path = authority.jurisdiction.path if authority else ""
            _apply_risk(enterprise, [])
            to_create.append(enterprise)
            continue
        changed = _differs(current, data)
        if not changed:
            unchanged += 1
            continue
        for key in changed:
            if key == "industry":
                current.industry_id = data["industry"]
            else:
                setattr(current, key, data[key])
        _fill_derived(current)
        current.updated_at = now
        update_fields |= set(changed)
        if RISK_INPUTS & set(changed):
            _apply_risk(current, filed_hazard_levels(current.pk))
            update_fields |= {"risk_score", "risk_level", "risk_explanation",
                              "risk_computed_at"}
        if "location" in changed:
            relocated.append(current.pk)
        to_update.append(current)
    Enterprise.objects.bulk_create(to_create, batch_size=1000)
    SupervisionChange.objects.bulk_create(
        [SupervisionChange(enterprise=e, old_authority=None,
                           new_authority=e.supervising_authority,
                           basis=e.supervision_basis,
                           reason=f"批量导入新建单位（导入任务 {job_id}），按属地确定监管主体")
         for e in to_create if e.supervising_authority_id], batch_size=1000)
    if to_update:
        fields = update_fields | {"is_high_risk", "location_path", "search_text", "search_bigrams",
                   "updated_at"}
        Enterprise.objects.bulk_update(to_update, sorted(fields), batch_size=1000)
    if relocated:
        # The full rule (enclave agreement > level > locality), audited per enterprise.
        refresh_supervisors(relocated, actor=actor,
                            reason=f"批量导入（任务 {job_id}）变更所在辖区")
    supervisors: dict[str, int] = {}
    for enterprise in to_create:
        code = enterprise.supervising_authority.code if enterprise.supervising_authority \
            else "无"
        supervisors[code] = supervisors.get(code, 0) + 1
    counts = {"created": len(to_create), "updated": len(to_update), "unchanged": unchanged}
    ImportJob.objects.filter(pk=job_id).update(
        **summary, status=ImportJob.Status.DONE, finished_at=timezone.now(),
        created_count=counts["created"], updated_count=counts["updated"],
        unchanged_count=counts["unchanged"])
    job.refresh_from_db()
    # Last write of the transaction: the audit append lock is held briefly.
    record_event("enterprise.bulk_imported", actor=actor, obj=job,
                 new={**counts, "mode": job.mode, "file_name": job.file_name,
                      "file_sha256": job.file_sha256, "rows": summary["total_rows"],
                      "invalid_rows": summary["total_rows"] - summary["valid_rows"],
                      "new_supervisors": supervisors},
                 reason=f"批量导入生产经营单位（{job.get_mode_display()}）")
