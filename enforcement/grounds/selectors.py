"""Reads of the enforcement rules kept as data: procedure thresholds and the discretion
table (裁量基准) in force on a day, and the snapshot a decision keeps of the row it
applied."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from hangzhou_safety.api.errors import DomainError

from .models import (
    DiscretionBenchmark,
    DiscretionLevel,
    DiscretionVersion,
    ProcedureThreshold,
    ViolationType,
)


class RuleMissing(DomainError):
    """No rule row covers the date: the administrator must enter it (never guessed)."""

    status_code = 409
    code = "rule_missing"


def procedure_threshold(code: str, *, party_kind: str, on: datetime.date) -> ProcedureThreshold:
    """The threshold row in force on `on` for this kind of party."""
    row = (ProcedureThreshold.objects
           .filter(code=code, party_kind=party_kind, valid_from__lte=on)
           .order_by("-valid_from").first())
    if row is None:
        label = ProcedureThreshold.Code(code).label
        raise RuleMissing(
            f"未录入{on:%Y-%m-%d}适用的“{label}”标准，请市局管理员在规则表中补录。",
            f"No '{code}' threshold for {party_kind} in force on {on:%Y-%m-%d}; "
            "the municipal administrator must enter it.")
    return row


# --- Discretion table ---------------------------------------------------------------

def version_in_force(on: datetime.date) -> DiscretionVersion:
    """The published version with the latest ``valid_from`` on or before ``on``.

    Earlier published versions stay in force for the days before a later one starts;
    a superseded version (replaced by a correction from the same day, or withdrawn)
    is never applied again, but decisions that applied it keep their snapshot.
    """
    version = (DiscretionVersion.objects
               .filter(status=DiscretionVersion.Status.PUBLISHED, valid_from__lte=on)
               .order_by("-valid_from").first())
    if version is None:
        raise RuleMissing(
            f"没有{on:%Y-%m-%d}施行的已发布裁量基准，请市局管理员发布裁量基准版本。",
            f"No published discretion table in force on {on:%Y-%m-%d}; the municipal "
            "administrator must publish one.")
    return version


def violations(version: DiscretionVersion) -> QuerySet[ViolationType]:
    return ViolationType.objects.filter(version=version).order_by("order", "id")


def violations_with_rows(version: DiscretionVersion) -> QuerySet[ViolationType]:
    """The violations of a version with their rows prefetched (two queries in all)."""
    rows = DiscretionBenchmark.objects.order_by("id")
    return violations(version).prefetch_related(Prefetch("benchmarks", queryset=rows))


def benchmarks(version: DiscretionVersion,
               violation_code: str | None = None) -> QuerySet[DiscretionBenchmark]:
    qs = DiscretionBenchmark.objects.filter(violation__version=version)
    if violation_code:
        qs = qs.filter(violation__code=violation_code)
    return qs.select_related("violation", "violation__version")


def benchmark_for(violation_code: str, level: str, *, on: datetime.date) -> DiscretionBenchmark:
    """The row for this violation and 裁量阶次 in the version in force on ``on``.

    Raises RuleMissing (409) when no version is in force, or when that version has no
    such violation or level: the case cannot pick a fine range that is not published.
    """
    version = version_in_force(on)
    row = benchmarks(version, violation_code).filter(level=level).first()
    if row is None:
        level_label = (DiscretionLevel(level).label if level in DiscretionLevel.values
                       else level)
        raise RuleMissing(
            f"裁量基准“{version.name}”中没有违法行为{violation_code}的“{level_label}”阶次，"
            "请选择已发布的违法行为和阶次，或由市局管理员补录。",
            f"The discretion table '{version.pk}' in force on {on:%Y-%m-%d} has no row for "
            f"violation {violation_code} at level '{level}'.")
    return row


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def applied_row_snapshot(row: DiscretionBenchmark) -> dict[str, Any]:
    """Everything a decision must show of the row it applied, as JSON-safe values.

    The decision stores this beside ``version_id``/``row_id``: published rows never
    change (trigger), yet the snapshot keeps the decision readable on its own, in the
    case file and after the row's version is superseded.
    """
    violation = row.violation
    version = violation.version
    return {
        "version_id": version.pk,
        "version_name": version.name,
        "version_valid_from": version.valid_from.isoformat(),
        "version_source": version.source,
        "row_id": row.pk,
        "violation_code": violation.code,
        "violation_name": violation.name,
        "provision_breached": f"{violation.breached_statute}{violation.breached_article}",
        "penalty_provision": f"{violation.penalty_statute}{violation.penalty_article}",
        "penalty_clause": violation.penalty_clause,
        "level": row.level,
        "level_label": str(row.get_level_display()),
        "circumstance": row.circumstance,
        "unit_clause": row.unit_clause,
        "statutory_unit_fine": [_money(row.statutory_unit_fine_min),
                                _money(row.statutory_unit_fine_max)],
        "unit_fine": [_money(row.unit_fine_min), _money(row.unit_fine_max)],
        "person_kind": row.person_kind,
        "person_clause": row.person_clause,
        "statutory_person_fine": [_money(row.statutory_person_fine_min),
                                  _money(row.statutory_person_fine_max)],
        "person_fine": [_money(row.person_fine_min), _money(row.person_fine_max)],
        "other_penalties": list(row.other_penalties),
        "no_penalty_possible": row.no_penalty_possible,
        "illustrative": row.illustrative,
        "source": row.source,
        "note": row.note,
    }
