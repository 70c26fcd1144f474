"""Why a final penalty decision changed: the outcome of 行政复议 or 行政诉讼, or the
authority's own correction of an error, recorded against the decision.

What the texts in docs/laws say, and only that:

- 行政处罚法 第七条: the party may apply for 行政复议 or bring 行政诉讼 against a penalty.
- 行政处罚法 第四十八条第二款: a published decision that is 变更, 撤销, 确认违法 or 确认无效
  is withdrawn from publication within three days, with the reason stated (the
  disclosure pipeline's rule ``publication_withdrawal``; 行政处罚法 第八十五条 counts the
  three days as working days).
- 行政处罚法 第七十五条第二款: the authority that finds its own decision wrong corrects it
  (主动改正): here 自行纠正, by changing or revoking the decision.
- 行政处罚法 第三十八条: when a decision is 无效.
- 行政强制法 第四十一条: a decision changed or revoked after it was executed: the money
  is refunded (``refund_amount`` records how much).
- 浙江省公共信用信息管理条例 第十一条第二项: penalty information is recorded as bad
  credit information when not challenged in time or upheld (维持) on reconsideration or
  litigation; so a decision revoked, void or confirmed unlawful leaves the record.

Not in docs/laws: 行政复议法 and 行政诉讼法 themselves (the kinds of ruling, their
periods, whether a reconsideration may make the penalty heavier). The outcomes below
are the words 行政处罚法 第四十八条 uses plus 维持; nothing here checks a ruling's content
against those two laws.
"""

from __future__ import annotations

import pghistory
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.workflow import Workflow, register

from .models import Case, PenaltyDecision


class ChangeSource(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")
    SELF_CORRECTION = "self_correction", _("自行纠正")


class ChangeOutcome(models.TextChoices):
    UPHELD = "upheld", _("维持")
    CHANGED = "changed", _("变更")
    REVOKED = "revoked", _("撤销")
    CONFIRMED_UNLAWFUL = "confirmed_unlawful", _("确认违法")
    CONFIRMED_VOID = "confirmed_void", _("确认无效")


OC = ChangeOutcome
#: The outcomes each source can have. The authority's own correction changes or
#: revokes (行政处罚法 第七十五条第二款); 维持 and the confirmations are rulings of the
#: reconsideration body or the court.
OUTCOMES_BY_SOURCE: dict[str, frozenset[str]] = {
    ChangeSource.RECONSIDERATION: frozenset(OC.values),
    ChangeSource.LITIGATION: frozenset(OC.values),
    ChangeSource.SELF_CORRECTION: frozenset({OC.CHANGED, OC.REVOKED}),
}
#: The decision is moved to revoked (it no longer exists as a decision).
ANNULLING = frozenset({OC.REVOKED, OC.CONFIRMED_VOID})
#: The decision no longer stands as published (行政处罚法 第四十八条第二款): withdrawn, not
#: republished, and its violation record removed. 确认违法 leaves the decision's status
#: as it is (the ruling does not annul it) but it is withdrawn all the same.
WITHDRAWING = frozenset({OC.REVOKED, OC.CONFIRMED_VOID, OC.CONFIRMED_UNLAWFUL})


class RulingChange(models.Model):
    """What every recorded outcome holds, for a penalty decision (``DecisionChange``) or
    a measure's decision (enforcement.measures.changes.MeasureChange): its source and
    outcome, the ruling, the content before and after (变更 only), who recorded it and
    who approved it. 维持 is recorded as applied at once; every other outcome is
    recorded by the legal reviewer and applied when the head of the authority approves
    it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待批准")
        APPLIED = "applied", _("已生效")
        REJECTED = "rejected", _("不予批准")

    source = models.CharField(_("变更原因"), max_length=16, choices=ChangeSource.choices)
    outcome = models.CharField(_("结果"), max_length=20, choices=ChangeOutcome.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    body = models.CharField(_("复议机关或人民法院"), max_length=200, blank=True)
    ruling_number = models.CharField(_("复议决定书或裁判文书文号"), max_length=100, blank=True)
    ruled_on = models.DateField(_("作出日期"))
    reason = models.TextField(_("理由"))
    # The changed elements before and after (变更 only): for a penalty decision
    # {"fine_amount", "basis", "corrected_text"}, for a measure {"legal_basis",
    # "reason", "place"}.
    old_content = models.JSONField(_("原决定内容"), default=dict, blank=True)
    new_content = models.JSONField(_("变更后内容"), default=dict, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("批准人"))
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approval_opinion = models.TextField(_("审批意见"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


#: Every ruling change moves the same way: applied or refused by the head, once.
RULING_CHANGE_TRANSITIONS: dict[str, set[str]] = {
    RulingChange.Status.PROPOSED: {RulingChange.Status.APPLIED, RulingChange.Status.REJECTED},
    RulingChange.Status.APPLIED: set(),
    RulingChange.Status.REJECTED: set(),
}


@pghistory.track()
class DecisionChange(RulingChange):
    """One recorded outcome for one penalty decision (a changed content is then the new
    decision)."""

    decision = models.ForeignKey(PenaltyDecision, on_delete=models.PROTECT,
                                 related_name="changes", verbose_name=_("处罚决定"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decision_changes",
                             verbose_name=_("案件"))
    refund_amount = models.DecimalField(_("应退还金额（元）"), max_digits=12, decimal_places=2,
                                        default=0)

    class Meta:
        verbose_name = _("处罚决定变更")
        verbose_name_plural = _("处罚决定变更")
        ordering = ["decision", "id"]
        constraints = [
            # One open change per decision: a second waits for the first to be decided.
            models.UniqueConstraint(fields=["decision"], condition=Q(status="proposed"),
                                    name="decision_change_one_open"),
            models.CheckConstraint(condition=Q(refund_amount__gte=0),
                                   name="decision_change_refund_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.get_source_display()}：{self.get_outcome_display()}"


CHANGE_WORKFLOW = register(Workflow(
    model=DecisionChange, transitions=RULING_CHANGE_TRANSITIONS,
    event_prefix="decision_change",
    label_zh="处罚决定变更", label_en="decision change", touch_fields=("updated_at",),
    subject=lambda row: row.case))
