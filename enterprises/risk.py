"""Enterprise risk score (0–100) and level, with the explanation shown to staff.

The weights are a first, documented proposal [K], kept in one table so the bureau
can tune them. Accident and violation history join the score once the
inspections and enforcement apps record them (their hooks return nothing yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import (
    INDUSTRY_AND_TRADE_SECTORS,
    Enterprise,
    MajorHazardSource,
    RiskLevel,
    StandardisationGrade,
)

WEIGHTS: dict[str, int] = {
    "high_risk_sector": 30,
    "industry_trade_sector": 10,
    "special_operation": 8,        # each of dust explosion, ammonia, confined space
    "extra_hazard_source": 4,      # each further filed source
    "chemical_park": 5,
    "pipeline_distance": 5,
    "large_workforce": 5,          # 300 or more employees exposed
}
HAZARD_LEVEL_POINTS: dict[int, int] = {1: 30, 2: 22, 3: 15, 4: 10}  # most severe source
STANDARDISATION_POINTS: dict[str, int] = {
    StandardisationGrade.NONE: 12, StandardisationGrade.GRADE_3: 6,
    StandardisationGrade.GRADE_2: 2, StandardisationGrade.GRADE_1: 0,
}
THRESHOLDS = [(70, RiskLevel.RED), (50, RiskLevel.ORANGE), (30, RiskLevel.YELLOW)]


@dataclass(frozen=True)
class RiskResult:
    score: int
    level: str
    explanation: list[dict[str, object]]


def compute_risk(enterprise: Enterprise, hazard_levels: list[int]) -> RiskResult:
    """`hazard_levels`: levels of the enterprise's filed (not cancelled) sources."""
    parts: list[dict[str, object]] = []

    def add(points: int, reason: str) -> None:
        if points:
            parts.append({"points": points, "reason": reason})

    if enterprise.is_high_risk:
        add(WEIGHTS["high_risk_sector"], f"高危行业：{enterprise.get_sector_display()}")
    elif enterprise.sector in INDUSTRY_AND_TRADE_SECTORS:
        add(WEIGHTS["industry_trade_sector"], f"工贸行业：{enterprise.get_sector_display()}")
    labels = dict(Enterprise._meta.get_field("special_operations").base_field.choices or [])
    for op in enterprise.special_operations:
        add(WEIGHTS["special_operation"], f"重点作业：{labels.get(op, op)}")
    if hazard_levels:
        worst = min(hazard_levels)
        add(HAZARD_LEVEL_POINTS[worst], f"{worst}级重大危险源")
        add(WEIGHTS["extra_hazard_source"] * (len(hazard_levels) - 1),
            f"另有 {len(hazard_levels) - 1} 处重大危险源")
    add(STANDARDISATION_POINTS[enterprise.standardisation_grade],
        f"安全生产标准化：{enterprise.get_standardisation_grade_display()}")
    if enterprise.in_chemical_park:
        add(WEIGHTS["chemical_park"], "位于化工园区")
    if enterprise.within_pipeline_distance:
        add(WEIGHTS["pipeline_distance"], "位于油气管道/油库安全距离内")
    if enterprise.employees >= 300:
        add(WEIGHTS["large_workforce"], f"从业人员 {enterprise.employees} 人")
    score = min(100, sum(int(p["points"]) for p in parts))  # type: ignore[call-overload]
    level = next((lvl for floor, lvl in THRESHOLDS if score >= floor), RiskLevel.BLUE)
    return RiskResult(score=score, level=level, explanation=parts)


def filed_hazard_levels(enterprise_id: int) -> list[int]:
    return list(MajorHazardSource.objects.filter(
        enterprise_id=enterprise_id, status=MajorHazardSource.Status.FILED,
    ).values_list("level", flat=True))
