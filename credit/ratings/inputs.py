"""The inputs of a rating, read for many enterprises at once (a fixed number of
queries whatever their number): the standardisation grade, violation records, the
blacklist, broken commitments, listed major hidden dangers and the accidents of the year.

Accidents are those that happened at the enterprise in the year (enforcement's accident
records, through its selector): how many, and the worst grade by its Chinese name, so a
rule says in its own row which grades it means (the seeded D row: 重大事故, 特别重大事故).
``accident_list`` (one line per accident) goes into the explanation, not into rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q

from credit.blacklist.models import CURRENT, BlacklistEntry
from credit.violations.models import SubjectKind, ViolationRecord
from enforcement.accidents.grading import LABELS as GRADE_LABELS
from enforcement.accidents.grading import THRESHOLDS
from enforcement.accidents.selectors import accident_counts
from enterprises.models import Enterprise
from inspections.loop.models import Hazard

from .models import CreditCommitment

#: Input name → its label in an explanation.
LABELS = {
    "grade": "安全生产标准化等级",
    "violations": "年度违法信息（条）",
    "blacklisted": "列入严重失信主体名单",
    "broken_commitments": "违背安全生产承诺（次）",
    "listed_major_hazards": "挂牌督办重大事故隐患（项）",
    "accidents": "年度生产安全事故（起）",
    "worst_accident": "年度生产安全事故最高等级",
}
NO_ACCIDENT = "无"
#: Grades from the highest down (grading.THRESHOLDS), then 一般事故.
_GRADE_ORDER = [t.grade for t in THRESHOLDS] + ["ordinary"]


def _counts(rows: Any, key: str) -> dict[int, int]:
    return {r[key]: r["n"] for r in rows.values(key).annotate(n=Count("id")).order_by()}


def read_inputs(enterprise_ids: Iterable[int], year: int) -> dict[int, dict[str, Any]]:
    ids = list(enterprise_ids)
    grades = dict(Enterprise.objects.filter(pk__in=ids)
                  .values_list("pk", "standardisation_grade"))
    violations = _counts(ViolationRecord.objects.filter(
        enterprise_id__in=ids, subject_kind=SubjectKind.ENTERPRISE, decided_on__year=year)
        .exclude(status=ViolationRecord.Status.REMOVED), "enterprise_id")
    blacklisted = set(BlacklistEntry.objects.filter(enterprise_id__in=ids).filter(
        Q(status__in=CURRENT) | Q(decided_on__year=year)).values_list("enterprise_id",
                                                                       flat=True))
    broken = _counts(CreditCommitment.objects.filter(enterprise_id__in=ids,
                                                     broken_on__year=year), "enterprise_id")
    hazards = {r["inspection__enterprise_id"]: r["n"] for r in Hazard.objects.filter(
        inspection__enterprise_id__in=ids, is_major=True, listed_at__year=year)
        .values("inspection__enterprise_id").annotate(n=Count("id")).order_by()}
    accidents = accident_counts(ids, year)
    return {pk: {"grade": grades.get(pk, "none"), "violations": violations.get(pk, 0),
                 "blacklisted": pk in blacklisted, "broken_commitments": broken.get(pk, 0),
                 "listed_major_hazards": hazards.get(pk, 0),
                 **_accidents(accidents.get(pk))} for pk in ids}


def _accidents(item: dict[str, Any] | None) -> dict[str, Any]:
    if not item:
        return {"accidents": 0, "worst_accident": NO_ACCIDENT, "accident_list": []}
    worst = min(item["grades"], key=_GRADE_ORDER.index)
    return {"accidents": item["total"], "worst_accident": GRADE_LABELS[worst],
            "accident_list": item["lines"]}
