"""The time limit of 责令暂时停产停业 / 停止使用相关设施、设备 (issue 10, legal accuracy).

The measures themselves are 安全生产法 第六十五条第一款第三项 [S]. Their six-month
limit is the clock rule "stop_measure_limit" (hangzhou_safety/workdays/clock_rules.py),
data the municipal administrator can correct: its source is only partly confirmed
(DOMAIN.md B3, [P]). The limit is counted from the day the order is issued and kept on
the order as a date, like a re-check's due date; the daily sweep (services.flag_overdue)
flags once a measure whose limit has passed while its hidden danger is still unsettled,
and tells the inspectors. 责令立即停止作业 and 撤出作业人员 get no limit: the six months
are said of the temporary stoppage and of stopping the use of equipment only.
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import QuerySet

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.services import EventSpec
from hangzhou_safety.workdays.services import add_rule_period
from inspections.loop.models import HAZARD_SETTLED, Hazard, OnSiteMeasure, RectificationOrder

logger = logging.getLogger(__name__)

STOP_MEASURE_RULE = "stop_measure_limit"
#: The measures the rule limits.
LIMITED_MEASURES = frozenset({OnSiteMeasure.SUSPEND, OnSiteMeasure.STOP_EQUIPMENT})

_RELATED = ("hazard__inspection__enterprise", "hazard__inspection__authority__jurisdiction")


def measure_limit(onsite_measure: str, issued_on: datetime.date
                  ) -> tuple[datetime.date | None, bool]:
    """The last day of ``onsite_measure`` ordered on ``issued_on`` and whether it is
    provisional; (None, False) for a measure the rule does not limit.

    A rule the administrator has disabled (or given an hour unit) means no limit is
    recorded, logged: a stop order on a major hidden danger is never refused because of
    the rule table's configuration."""
    if onsite_measure not in LIMITED_MEASURES:
        return None, False
    try:
        result = add_rule_period(STOP_MEASURE_RULE, issued_on)
    except DomainError:
        logger.warning("clock rule %s unusable: stop measure ordered without a limit",
                       STOP_MEASURE_RULE)
        return None, False
    return result.due, result.provisional


def lapsed_measures(today: datetime.date) -> QuerySet[RectificationOrder]:
    """Orders whose limited measure ended before ``today``, danger unsettled, unflagged."""
    return (RectificationOrder.objects
            .filter(onsite_measure_until__lt=today,
                    onsite_measure_lapsed_flagged_at__isnull=True)
            .exclude(hazard__status__in=HAZARD_SETTLED))


def flag_lapsed_measures(today: datetime.date, now: datetime.datetime
                         ) -> tuple[int, list[EventSpec], list[tuple[Hazard, str]]]:
    """Flag the lapsed measures inside the caller's transaction (the sweep's): one
    locking SELECT (SKIP LOCKED: rows another worker is flagging are left to it) and one
    conditional UPDATE, so a second run flags nothing. Returns the count, the audit
    events for the sweep to append and the notes for its mail."""
    orders = list(lapsed_measures(today).select_related(*_RELATED)
                  .select_for_update(of=("self",), skip_locked=True).order_by("pk"))
    if not orders:
        return 0, [], []
    RectificationOrder.objects.filter(
        pk__in=[o.pk for o in orders], onsite_measure_lapsed_flagged_at__isnull=True).update(
        onsite_measure_lapsed_flagged_at=now)
    events: list[EventSpec] = []
    notes: list[tuple[Hazard, str]] = []
    for order in orders:
        assert order.onsite_measure_until is not None
        inspection = order.hazard.inspection
        measure = OnSiteMeasure(order.onsite_measure).label
        events.append(EventSpec(
            action="hazard.stop_measure_lapsed", actor=None, obj=inspection.enterprise,
            new={"hazard": order.hazard_id, "inspection": inspection.pk,
                 "order": order.pk, "measure": order.onsite_measure,
                 "until": order.onsite_measure_until,
                 "provisional": order.onsite_measure_until_provisional,
                 "rule": STOP_MEASURE_RULE},
            jurisdiction_path=inspection.authority.jurisdiction.path))
        notes.append((order.hazard,
                      f"现场处理措施期限届满：{order.hazard.description[:40]}"
                      f"（{measure}，期限至 {order.onsite_measure_until:%Y-%m-%d}），"
                      f"隐患尚未复查通过，请核查并依法处理。"))
    return len(orders), events, notes
