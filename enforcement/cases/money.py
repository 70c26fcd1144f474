"""Money of a penalty: the late-payment surcharge and continuing daily fines.

Pure functions (no Django import), so they can be checked by hand and reused.

- Late fee (行政处罚法 第七十二条第一项): "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，
  加处罚款的数额不得超出罚款的数额" — counted from the day after the payment deadline,
  every calendar day, capped at the fine.
- Continuing fine (安全生产法 第一百一十二条): a unit ordered to correct and fined that
  refuses to correct may be fined "自作出责令改正之日的次日起，按照原处罚数额按日连续处罚"
  — one original amount per day from the day after the correction order, through the
  day the refusal is established.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SURCHARGE_RATE = Decimal("0.03")
CENT = Decimal("0.01")


def surcharge_days(payment_due: datetime.date, on: datetime.date) -> int:
    """Days late on ``on``: 0 on or before the deadline, 1 on the day after it."""
    return max((on - payment_due).days, 0)


def surcharge(fine: Decimal, payment_due: datetime.date, on: datetime.date) -> Decimal:
    """The surcharge owed on ``on``: 3 % of the fine per day late, never above the fine."""
    if fine <= 0:
        return Decimal("0.00")
    fee = (fine * SURCHARGE_RATE * surcharge_days(payment_due, on)).quantize(
        CENT, rounding=ROUND_HALF_UP)
    return min(fee, fine.quantize(CENT))


@dataclass(frozen=True)
class ContinuingFine:
    first_day: datetime.date
    last_day: datetime.date
    days: int
    daily_amount: Decimal
    total: Decimal

    def schedule(self) -> list[tuple[datetime.date, Decimal]]:
        """Day by day, for the record attached to the decision."""
        return [(self.first_day + datetime.timedelta(days=n), self.daily_amount)
                for n in range(self.days)]


def continuing_fine(original_fine: Decimal, *, ordered_on: datetime.date,
                    through: datetime.date) -> ContinuingFine:
    """Daily fines from the day after the correction order through ``through``."""
    if original_fine <= 0:
        raise ValueError("the original fine must be positive")
    first = ordered_on + datetime.timedelta(days=1)
    days = max((through - first).days + 1, 0)
    daily = original_fine.quantize(CENT)
    return ContinuingFine(first, through, days, daily, daily * days)
