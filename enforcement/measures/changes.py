"""Why a measure's decision changed: the outcome of 行政复议 or 行政诉讼 against a
compulsory or on-site measure, or the authority's own correction, recorded against the
measure (the measure counterpart of enforcement.cases.changes.DecisionChange).

What the texts in docs/laws say, and only that:

- 行政强制法 第八条: a party has the right to apply for 行政复议 or bring 行政诉讼 against
  an administrative compulsory measure.
- 行政强制法 第二十八条 (查封、扣押): the authority lifts the measure in time when, among
  others, the party committed no violation (第一项) or the places, facilities or goods
  have nothing to do with it (第二项); the goods are returned at once (第二款). A measure
  annulled here is lifted the same way (lift reason ``annulled``).
- The measure's decision is disclosed under the notice's clause 十三 (20 working days).
  Its withdrawal when the decision is changed, revoked or annulled follows the rule the
  texts give for penalty decisions (行政处罚法 第四十八条第二款: 变更, 撤销, 确认违法,
  确认无效; withdrawn within 3 working days, rule ``publication_withdrawal``): no text
  in docs/laws sets a period for measures, so the project applies the same one.

Not in docs/laws: 行政复议法 and 行政诉讼法 themselves (the kinds of ruling and their
periods). The outcomes are the words of 行政处罚法 第四十八条 plus 维持, as for penalty
decisions; nothing here checks a ruling's content against those two laws. The
authority's own correction of a wrong measure follows 行政强制法 第二十八条 (lifting)
and is recorded as 自行纠正: 变更 or 撤销.
"""

from __future__ import annotations

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enforcement.cases.changes import RULING_CHANGE_TRANSITIONS, RulingChange
from enforcement.cases.models import Case
from hangzhou_safety.workflow import Workflow, register

from .models import CompulsoryMeasure

#: The measure's content a 变更 may change (its decision's text on the portal).
CHANGEABLE = ("legal_basis", "reason", "place")


@pghistory.track()
class MeasureChange(RulingChange):
    """One recorded outcome for one measure's decision."""

    measure = models.ForeignKey(CompulsoryMeasure, on_delete=models.PROTECT,
                                related_name="changes", verbose_name=_("强制措施"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measure_changes",
                             verbose_name=_("案件"))

    class Meta:
        verbose_name = _("强制措施决定变更")
        verbose_name_plural = _("强制措施决定变更")
        ordering = ["measure", "id"]
        constraints = [
            # One open change per measure: a second waits for the first to be decided.
            models.UniqueConstraint(fields=["measure"], condition=Q(status="proposed"),
                                    name="measure_change_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.get_source_display()}：{self.get_outcome_display()}"


MEASURE_CHANGE_WORKFLOW = register(Workflow(
    model=MeasureChange, transitions=RULING_CHANGE_TRANSITIONS,
    event_prefix="measure_change", label_zh="强制措施决定变更",
    label_en="measure decision change", touch_fields=("updated_at",),
    subject=lambda row: row.case))
