"""State changes of the registry. Every write goes through here: it validates, saves,
appends an audit event, and enqueues side effects after commit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import transition

from .models import (
    HAZARD_SOURCE_WORKFLOW,
    Enterprise,
    MajorHazardSource,
    SupervisionChange,
)
from .supervision import Derivation, LocalityIndex, derive_supervisor


def _apply_derivation(enterprise: Enterprise, derivation: Derivation) -> bool:
    """Set the derived supervisor on the instance; True when it changed."""
    new_id = derivation.authority.pk if derivation.authority else None
    keeper = derivation.registration_authority
    changed = (enterprise.supervising_authority_id != new_id
               or enterprise.supervision_basis != derivation.basis
               or enterprise.registration_authority_id != (keeper.pk if keeper else None))
    enterprise.supervising_authority = derivation.authority
    enterprise.supervision_basis = derivation.basis
    enterprise.registration_authority = keeper
    enterprise.supervisor_path = (derivation.authority.jurisdiction.path
                                  if derivation.authority else "")
    return changed


@transaction.atomic
def refresh_supervisor(enterprise: Enterprise, *, actor: Any = None, reason: str = "",
                       on: datetime.date | None = None,
                       locality: LocalityIndex | None = None) -> Derivation:
    """Re-derive the supervisor; a change is recorded with its reason (audit + history)."""
    enterprise = (Enterprise.objects.select_for_update(of=("self",))
                  .select_related("location").get(pk=enterprise.pk))
    old = enterprise.supervising_authority
    derivation = derive_supervisor(enterprise, on=on, locality=locality)
    if _apply_derivation(enterprise, derivation):
        enterprise.save(update_fields=["supervising_authority", "supervision_basis",
                                       "registration_authority", "supervisor_path",
                                       "updated_at"])
        why = reason or derivation.reason or derivation.conflict
        SupervisionChange.objects.create(enterprise=enterprise, old_authority=old,
                                         new_authority=derivation.authority,
                                         basis=derivation.basis, reason=why[:255])
        record_event("enterprise.supervisor_changed", actor=actor, obj=enterprise,
                     old={"authority": old.code if old else None},
                     new={"authority": derivation.authority.code
                          if derivation.authority else None,
                          "basis": derivation.basis, "conflict": derivation.conflict,
                          "registration_authority": derivation.registration_authority.code
                          if derivation.registration_authority else None},
                     reason=why)
    return derivation


def refresh_supervisors(enterprise_ids: Iterable[int], *, actor: Any = None,
                        reason: str = "", on: datetime.date | None = None) -> int:
    """Re-derive many (agreement saved or expired, level change). Returns changes.
    Each enterprise is its own transaction, so one locked row does not hold the rest."""
    locality = LocalityIndex()
    changed = 0
    for pk in enterprise_ids:
        enterprise = Enterprise.objects.filter(pk=pk).first()
        if enterprise is None:
            continue
        before = enterprise.supervising_authority_id
        derivation = refresh_supervisor(enterprise, actor=actor, reason=reason, on=on,
                                        locality=locality)
        changed += int((derivation.authority.pk if derivation.authority else None) != before)
    return changed


def supervision_problems() -> list[dict[str, Any]]:
    """Enterprises with no supervisor, a conflicting one, or a supervision problem the
    rules raise (an agreement that does not count, an agreement beside a municipal
    assignment, a zone committee without a recorded legal basis). Must be empty."""
    locality = LocalityIndex()
    problems = []
    candidates = (Enterprise.objects.exclude(status=Enterprise.Status.DEREGISTERED)
                  .select_related("location", "registration_jurisdiction",
                                  "supervising_authority")
                  .prefetch_related("enclave_agreements", "level_assignments__authority"))
    area = Q()
    for agreement in locality.area_agreements:
        for code in agreement.area_codes:
            area |= Q(location_path__contains=f"{code}/")
    suspicious = candidates.filter(supervising_authority__isnull=True) | candidates.filter(
        pk__in=Enterprise.enclave_agreements.through.objects.values("enterprise_id")) | \
        candidates.filter(level_assignments__isnull=False) | candidates.filter(
        supervising_authority__kind=Authority.Kind.ZONE_COMMITTEE)
    if area:
        suspicious = suspicious | candidates.filter(area)
    for enterprise in suspicious.distinct():
        derivation = derive_supervisor(enterprise, locality=locality)
        if derivation.authority is None or derivation.conflict:
            problems.append({"enterprise": enterprise,
                             "problem": derivation.conflict or "无监管主体"})
        elif derivation.warning:
            problems.append({"enterprise": enterprise, "problem": derivation.warning})
        elif derivation.authority.pk != enterprise.supervising_authority_id:
            problems.append({"enterprise": enterprise,
                             "problem": "记录的监管主体与规则推导结果不一致"})
    return problems


# --- Major hazard source filing (submitted → filed → cancelled) ---
#
# Steps of the page and the API, never called inside another transaction: durable, so
# the row lock and the audit append are not held for a caller's longer transaction.

def _move_hazard_source(source: MajorHazardSource, to: str, *, actor: Any, reason: str,
                        **fields: Any) -> MajorHazardSource:
    with transaction.atomic(durable=True):
        moved = transition(HAZARD_SOURCE_WORKFLOW, source, to, actor=actor, changes=fields,
                           reason=reason)
        schedule_risk_recompute(moved.enterprise_id)
    return moved


def file_hazard_source(source: MajorHazardSource, *, actor: Any,
                       filing_date: datetime.date | None = None) -> MajorHazardSource:
    authority = getattr(actor, "authority", None)
    return _move_hazard_source(source, MajorHazardSource.Status.FILED, actor=actor,
                               reason="备案", filing_date=filing_date or timezone.localdate(),
                               filing_authority=authority)


def cancel_hazard_source(source: MajorHazardSource, *, actor: Any,
                         reason: str) -> MajorHazardSource:
    if not reason.strip():
        raise InvalidInput("核销重大危险源备案须说明理由。",
                           "A reason is required to cancel a filing.",
                           fields={"reason": ["请填写核销理由。"]})
    return _move_hazard_source(source, MajorHazardSource.Status.CANCELLED, actor=actor,
                               reason=reason, cancelled_at=timezone.localdate(),
                               cancellation_reason=reason[:255])


def schedule_risk_recompute(enterprise_id: int) -> None:
    from .tasks import recompute_enterprise_risk

    transaction.on_commit(lambda: recompute_enterprise_risk.delay(enterprise_id))


# --- Enterprise create / update ---

# Fields a user may set; derived fields (supervisor, risk, paths) are never input.
EDITABLE_FIELDS = [
    "name", "uscc", "operator_id_number", "legal_representative", "principal_name",
    "principal_phone", "safety_manager_name", "safety_manager_phone", "contact_phone",
    "address", "status", "location", "registration_jurisdiction", "latitude", "longitude",
    "in_chemical_park", "within_pipeline_distance", "industry", "sector", "employees",
    "annual_revenue", "above_designated_size", "standardisation_grade",
    "special_operations", "occupational_hazards",
]
# A change to any of these can change the supervisor or the risk score.
SUPERVISION_INPUTS = {"location"}
RISK_INPUTS = {"sector", "special_operations", "standardisation_grade", "in_chemical_park",
               "within_pipeline_distance", "employees"}


def _validation_error(exc: Any) -> InvalidInput:
    fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    first = next(iter(fields.values()))[0]
    return InvalidInput(f"输入有误：{first}", "Invalid enterprise data; see the field errors.",
                        fields=fields)


def _check_location_in_scope(location: Any, actor: Any) -> None:
    from hangzhou_safety.accounts.models import Jurisdiction

    if actor is not None and not Jurisdiction.objects.visible_to(actor).filter(
            pk=location.pk).exists():
        raise InvalidInput("所在辖区不在您的管辖范围内。",
                           "The location is outside your jurisdiction.",
                           fields={"location": ["所在辖区不在您的管辖范围内。"]})


def create_enterprise(data: dict[str, Any], *, actor: Any) -> Enterprise:
    from django.core.exceptions import ValidationError

    unknown = set(data) - set(EDITABLE_FIELDS) - {"duty_departments"}
    if unknown:
        raise InvalidInput(f"不可填写的字段：{'、'.join(sorted(unknown))}",
                           f"Fields not accepted: {', '.join(sorted(unknown))}")
    duty = data.pop("duty_departments", None)
    enterprise = Enterprise(**data)
    if enterprise.uscc:
        from .codes import normalise_uscc

        enterprise.uscc = normalise_uscc(enterprise.uscc)
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    _check_location_in_scope(enterprise.location, actor)
    with transaction.atomic():
        enterprise.save()
        if duty is not None:
            enterprise.duty_departments.set(duty)
        record_event("enterprise.created", actor=actor, obj=enterprise,
                     new={"name": enterprise.name, "uscc": enterprise.uscc})
        refresh_supervisor(enterprise, actor=actor, reason="新建单位，按规则确定监管主体")
        schedule_risk_recompute(enterprise.pk)
    enterprise.refresh_from_db()
    return enterprise


def update_enterprise(enterprise: Enterprise, data: dict[str, Any], *, actor: Any,
                      reason: str = "") -> Enterprise:
    from django.core.exceptions import ValidationError

    unknown = set(data) - set(EDITABLE_FIELDS) - {"duty_departments"}
    if unknown:
        raise InvalidInput(f"不可修改的字段：{'、'.join(sorted(unknown))}",
                           f"Fields not editable: {', '.join(sorted(unknown))}")
    duty = data.pop("duty_departments", None)
    with transaction.atomic():
        current = Enterprise.objects.select_for_update(of=("self",)).get(pk=enterprise.pk)
        old: dict[str, Any] = {}
        new: dict[str, Any] = {}
        for field, value in data.items():
            before = getattr(current, field)
            if field == "uscc" and value:
                from .codes import normalise_uscc

                value = normalise_uscc(value)
            if before != value:
                old[field], new[field] = before, value
                setattr(current, field, value)
        try:
            current.full_clean()
        except ValidationError as exc:
            raise _validation_error(exc) from exc
        if "location" in new:
            _check_location_in_scope(current.location, actor)
        if new:
            current.save()
            record_event("enterprise.updated", actor=actor, obj=current, old=old, new=new,
                         reason=reason)
        if duty is not None:
            current.duty_departments.set(duty)
        if SUPERVISION_INPUTS & set(new):
            refresh_supervisor(current, actor=actor, reason=reason or "所在辖区变更")
        if RISK_INPUTS & set(new):
            schedule_risk_recompute(current.pk)
    current.refresh_from_db()
    return current
