"""Accident grade (事故等级) from casualties and direct loss. Pure: no Django.

生产安全事故报告和调查处理条例 (国务院令第493号, 2007) 第三条 [S: docs/laws]: a grade is
reached when ANY of its three measures reaches its lower bound; "以上" includes the
number, "以下" excludes it. The bounds are data (``THRESHOLDS``) so a supplementary
rule (第三条第二款) can be added without touching the algorithm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

SOURCE = "生产安全事故报告和调查处理条例（国务院令第493号）第三条 [S]"

ORDINARY = "ordinary"          # 一般事故
LARGER = "larger"            # 较大事故
MAJOR = "major"              # 重大事故
ESPECIALLY_MAJOR = "especially_major"  # 特别重大事故

LABELS = {ORDINARY: "一般事故", LARGER: "较大事故", MAJOR: "重大事故",
          ESPECIALLY_MAJOR: "特别重大事故"}


@dataclass(frozen=True)
class GradeThreshold:
    grade: str
    #: Lower bounds, inclusive (以上包括本数).
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    source: str = SOURCE


#: Highest grade first; a grade applies when any measure reaches its bound.
THRESHOLDS: tuple[GradeThreshold, ...] = (
    GradeThreshold(ESPECIALLY_MAJOR, 30, 100, Decimal("100000000")),
    GradeThreshold(MAJOR, 10, 50, Decimal("50000000")),
    GradeThreshold(LARGER, 3, 10, Decimal("10000000")),
)


def grade(deaths: int, serious_injuries: int, direct_loss_yuan: Decimal | int | str, *,
          thresholds: Sequence[GradeThreshold] = THRESHOLDS) -> str:
    """The grade of an accident; below every bound it is 一般事故."""
    loss = Decimal(str(direct_loss_yuan))
    if deaths < 0 or serious_injuries < 0 or loss < 0:
        raise ValueError("casualties and loss cannot be negative")
    for row in thresholds:
        if (deaths >= row.deaths or serious_injuries >= row.serious_injuries
                or loss >= row.direct_loss_yuan):
            return row.grade
    return ORDINARY
