"""When the bureau may apply to the court for enforcement of a penalty decision.

行政强制法 第五十三条 (docs/laws, [S]): "当事人在法定期限内不申请行政复议或者提起行政诉讼，
又不履行行政决定的，没有行政强制执行权的行政机关可以自期限届满之日起三个月内，依照本章规定
申请人民法院强制执行。" The window therefore opens when both remedy periods, counted
from service, have run out (clock rules "reconsideration", 60 days, and "litigation",
6 months: both [K], their texts are not in docs/laws) and closes three months later
(clock rule "court_application"). For a deferred or instalment fine the three months
run from the end of the deferral (行政处罚法 第七十二条, DOMAIN.md B9) — when that is
later. Every period is a row of the clock rule table, so a correction of a period is
made there, not here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workdays.services import add_rule_period

from ..models import PenaltyDecision


@dataclass(frozen=True)
class CourtWindow:
    remedies_end: datetime.date   # the later of the two remedy periods' last days
    opens: datetime.date          # the first day an application may be made
    closes: datetime.date         # the last day
    provisional: bool


def court_window(decision: PenaltyDecision) -> CourtWindow | None:
    """The decision's window, or None while it has not been served."""
    if decision.served_at is None:
        return None
    served = local_date(decision.served_at)
    review = add_rule_period("reconsideration", served)
    litigation = add_rule_period("litigation", served)
    remedies_end = max(review.due, litigation.due)
    start = remedies_end
    if decision.deferred_until is not None and decision.deferred_until > start:
        start = decision.deferred_until
    closes = add_rule_period("court_application", start)
    return CourtWindow(remedies_end=remedies_end, opens=start + datetime.timedelta(days=1),
                       closes=closes.due,
                       provisional=review.provisional or litigation.provisional
                       or closes.provisional)
