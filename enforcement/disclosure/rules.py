"""Which clock a decision's disclosure runs on, by decision type.

The periods themselves are rows of the clock rule table (``workdays.ClockRule``),
edited by the municipal administrator; a disclosure clock copies its rule when it
starts (``start_clock``), so correcting a rule never moves a deadline already set.

- administrative penalty decisions: 7 working days, 安全生产法 第七十八条 第二款
  (rule ``safety_publicity``);
- the other enforcement decisions (suspension, stop construction, stop use, seal,
  seize ...): 20 working days, 杭政办函〔2017〕66号 第十三条 (rule
  ``enforcement_disclosure``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workdays.arithmetic import DeadlineResult
from hangzhou_safety.workdays.services import add_rule_period


class DecisionType(models.TextChoices):
    PENALTY = "penalty", _("行政处罚决定")
    COMPULSORY_MEASURE = "compulsory_measure", _("行政强制措施决定")
    ONSITE_MEASURE = "onsite_measure", _("现场处理措施决定")
    OTHER = "other", _("其他执法决定")


#: decision type -> clock rule code.
CLOCK_RULE_BY_TYPE: dict[str, str] = {
    DecisionType.PENALTY: "safety_publicity",
    DecisionType.COMPULSORY_MEASURE: "enforcement_disclosure",
    DecisionType.ONSITE_MEASURE: "enforcement_disclosure",
    DecisionType.OTHER: "enforcement_disclosure",
}


def disclosure_due(decision_type: str, decided_on: datetime.date) -> DeadlineResult:
    """The last day to disclose a decision of ``decision_type`` taken on ``decided_on``
    (the decision day not counted; holidays and 调休 from the calendar service)."""
    code = CLOCK_RULE_BY_TYPE.get(decision_type)
    if code is None:
        raise InvalidInput("未知的执法决定类型。", f"Unknown decision type {decision_type!r}.",
                           fields={"decision_type": ["未知的执法决定类型。"]})
    return add_rule_period(code, decided_on)


#: The seed of ``PublicationPeriod`` (the migration copies it once; the municipal
#: administrator maintains the rows). (severity, min months, max months, publish, note)
PERIOD_SOURCE = "信用修复管理办法（2026-04-01施行）[K: text not in docs/laws]"
PUBLICATION_PERIODS: tuple[tuple[str, int, int, bool, str], ...] = (
    ("minor", 0, 3, False, "轻微违法原则上不予公示；公示的最长3个月。"),
    ("ordinary", 3, 12, True, "一般违法最短3个月、最长1年。"),
    ("serious", 12, 36, True, "严重违法最短1年、最长3年。"),
)


def seed_publication_periods(model: Any = None) -> int:
    """Insert the missing severities; never overwrite an edited row."""
    if model is None:
        from .models import PublicationPeriod as model
    existing = set(model.objects.values_list("severity", flat=True))
    rows = [model(severity=s, min_months=lo, max_months=hi, publish=publish,
                  source=PERIOD_SOURCE, note=note)
            for s, lo, hi, publish, note in PUBLICATION_PERIODS if s not in existing]
    model.objects.bulk_create(rows)
    return len(rows)
