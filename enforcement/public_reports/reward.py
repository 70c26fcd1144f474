"""12350 report rewards (举报奖励), pure: no Django import, re-runnable anywhere.

The rates are data with their source (安全生产领域举报奖励办法, 安监总财〔2018〕19号, as
summarised in DOMAIN.md B7, tagged [S: 2018 news]; the official text itself is not in
laws/, so the bureau must be able to correct the figures without a code change).
Only the first real-name reporter of a matter is rewarded ("谁受理、谁奖励" — the
accepting authority pays); that rule lives in the service, this module only computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SOURCE = "安全生产领域举报奖励办法（安监总财〔2018〕19号），据DOMAIN.md B7"


@dataclass(frozen=True)
class RewardRates:
    """One version of the reward rates."""

    fine_share: Decimal = Decimal("0.15")
    fine_minimum: Decimal = Decimal("3000")
    maximum: Decimal = Decimal("300000")
    #: Per concealed death, by accident grade (一般/较大/重大/特大).
    per_death: tuple[tuple[str, Decimal], ...] = (
        ("ordinary", Decimal("30000")),
        ("larger", Decimal("40000")),
        ("major", Decimal("50000")),
        ("especially_major", Decimal("60000")),
    )
    source: str = SOURCE


RATES_2018 = RewardRates()
ACCIDENT_GRADES = tuple(grade for grade, _ in RATES_2018.per_death)

_CENT = Decimal("0.01")


def fine_reward(fine: Decimal, rates: RewardRates = RATES_2018) -> Decimal:
    """Reward for a report that led to a fine: 15 % of the fine, at least ¥3,000 and
    at most ¥300,000. A report that led to no fine (zero) earns nothing here."""
    fine = Decimal(fine)
    if fine < 0:
        raise ValueError("fine must not be negative")
    if fine == 0:
        return Decimal("0.00")
    amount = (fine * rates.fine_share).quantize(_CENT, rounding=ROUND_HALF_UP)
    return min(max(amount, rates.fine_minimum), rates.maximum).quantize(_CENT)


def concealed_accident_reward(deaths: int, grade: str,
                              rates: RewardRates = RATES_2018) -> Decimal:
    """Reward for a confirmed concealed (or falsely reported) accident: an amount per
    concealed death by the accident's grade, at most ¥300,000."""
    if isinstance(deaths, bool) or not isinstance(deaths, int) or deaths < 0:
        raise ValueError("deaths must be a non-negative integer")
    per_death = dict(rates.per_death)
    if grade not in per_death:
        raise ValueError(f"unknown accident grade {grade!r}")
    return min(per_death[grade] * deaths, rates.maximum).quantize(_CENT)
