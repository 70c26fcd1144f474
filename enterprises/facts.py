"""Facts hung on an enterprise: recording a major hazard source or an insurance policy.

Same pattern as services.py: validate the whole input first (Chinese message per
field), then one transaction that locks the enterprise row, writes, appends the
audit event last, and schedules the risk recompute after commit. The API and the
web forms both call these, so the checks live here and not in a serializer.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.audit.services import record_event

from .models import Enterprise, InsurancePolicy, MajorHazardSource
from .services import schedule_risk_recompute

HAZARD_SOURCE_FIELDS = {"name", "level", "substances", "safety_measures",
                        "emergency_measures", "monitoring"}
INSURANCE_FIELDS = {"kind", "insurer", "policy_number", "start_date", "end_date",
                    "cover_amount"}


def _reject_unknown(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(f"不可填写的字段：{'、'.join(sorted(unknown))}",
                           f"Fields not accepted: {', '.join(sorted(unknown))}")


def _raise_if(errors: dict[str, list[str]], what_en: str) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(f"输入有误：{first}", f"Invalid {what_en}; see the field errors.",
                           fields=errors)


def _positive_tonnes(value: Any) -> Decimal | None:
    if isinstance(value, bool):  # bool is an int: True is not "1 tonne"
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def clean_substances(value: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The substances list normalised for storage, and the Chinese errors found."""
    if not isinstance(value, list) or not value:
        return [], ["请至少填写一种危险物质及其数量。"]
    cleaned: list[dict[str, Any]] = []
    errors: list[str] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            errors.append(f"第 {index} 种危险物质格式有误。")
            continue
        name = str(item.get("name") or "").strip()
        if not name:
            errors.append(f"第 {index} 种危险物质未填写名称。")
        quantity = _positive_tonnes(item.get("quantity_t"))
        if quantity is None:
            errors.append(f"第 {index} 种危险物质的数量（吨）须为大于 0 的数字。")
        entry: dict[str, Any] = {"name": name,
                                 "quantity_t": float(quantity) if quantity else None}
        if item.get("cas"):
            entry["cas"] = str(item["cas"]).strip()
        if item.get("threshold_t") not in (None, ""):
            threshold = _positive_tonnes(item.get("threshold_t"))
            if threshold is None:
                errors.append(f"第 {index} 种危险物质的临界量（吨）须为大于 0 的数字。")
            else:
                entry["threshold_t"] = float(threshold)
        cleaned.append(entry)
    return cleaned, errors


def _lock_enterprise(enterprise: Enterprise) -> Enterprise:
    # Serialises facts recorded on one enterprise with its updates (and fails cleanly
    # if the enterprise was removed meanwhile).
    return Enterprise.objects.select_for_update(of=("self",)).get(pk=enterprise.pk)


def create_hazard_source(enterprise: Enterprise, data: dict[str, Any], *,
                         actor: Any) -> MajorHazardSource:
    """Record a major hazard source; its filing starts as submitted (已申报)."""
    _reject_unknown(data, HAZARD_SOURCE_FIELDS)
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = ["请填写危险源名称。"]
    try:
        level = int(data.get("level"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        level = 0
    if level not in MajorHazardSource.Level.values:
        errors["level"] = ["危险源级别须为一级至四级（1–4）。"]
    substances, substance_errors = clean_substances(data.get("substances"))
    if substance_errors:
        errors["substances"] = substance_errors
    monitoring = data.get("monitoring") or MajorHazardSource.Monitoring.NONE
    if monitoring not in MajorHazardSource.Monitoring.values:
        errors["monitoring"] = ["监测监控状态不是有效选项。"]
    _raise_if(errors, "major hazard source")

    with transaction.atomic():
        locked = _lock_enterprise(enterprise)
        source = MajorHazardSource.objects.create(
            enterprise=locked, name=name, level=level, substances=substances,
            safety_measures=str(data.get("safety_measures") or ""),
            emergency_measures=str(data.get("emergency_measures") or ""),
            monitoring=monitoring, status=MajorHazardSource.Status.SUBMITTED)
        record_event("hazard_source.created", actor=actor, obj=locked,
                     new={"hazard_source": source.pk, "name": name, "level": level,
                          "substances": substances})
        schedule_risk_recompute(locked.pk)
    return source


def create_insurance_policy(enterprise: Enterprise, data: dict[str, Any], *,
                            actor: Any) -> InsurancePolicy:
    """Record a work-injury or safety-liability (安责险) policy."""
    _reject_unknown(data, INSURANCE_FIELDS)
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    if kind not in InsurancePolicy.Kind.values:
        errors["kind"] = ["险种须为工伤保险或安全生产责任保险。"]
    insurer = str(data.get("insurer") or "").strip()
    if not insurer:
        errors["insurer"] = ["请填写承保机构。"]
    policy_number = str(data.get("policy_number") or "").strip()
    if not policy_number:
        errors["policy_number"] = ["请填写保单号。"]
    start, end = data.get("start_date"), data.get("end_date")
    if not isinstance(start, datetime.date):
        errors["start_date"] = ["请填写保险起期。"]
    if not isinstance(end, datetime.date):
        errors["end_date"] = ["请填写保险止期。"]
    elif isinstance(start, datetime.date) and end < start:
        errors["end_date"] = ["保险止期不能早于保险起期。"]
    cover = data.get("cover_amount")
    if cover is not None and Decimal(str(cover)) < 0:
        errors["cover_amount"] = ["保额不能为负数。"]
    duplicate_message = "该承保机构的此保单号已登记，不能重复录入。"
    if insurer and policy_number and InsurancePolicy.objects.filter(
            insurer=insurer, policy_number=policy_number).exists():
        errors["policy_number"] = [duplicate_message]
    _raise_if(errors, "insurance policy")
    # Checked above; narrowed here for the type checker.
    assert isinstance(start, datetime.date) and isinstance(end, datetime.date)

    with transaction.atomic():
        locked = _lock_enterprise(enterprise)
        try:
            # A savepoint, so a concurrent insert of the same policy (the unique
            # constraint) becomes a clean 400 instead of a broken transaction.
            with transaction.atomic():
                policy = InsurancePolicy.objects.create(
                    enterprise=locked, kind=str(kind), insurer=insurer,
                    policy_number=policy_number, start_date=start, end_date=end,
                    cover_amount=cover)
        except IntegrityError as exc:
            raise InvalidInput(duplicate_message, "This insurer's policy number is taken.",
                               fields={"policy_number": [duplicate_message]}) from exc
        record_event("insurance.created", actor=actor, obj=locked,
                     new={"policy": policy.pk, "kind": kind, "insurer": insurer,
                          "policy_number": policy_number, "start_date": start,
                          "end_date": end})
        schedule_risk_recompute(locked.pk)
    return policy
