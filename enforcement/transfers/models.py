"""Criminal transfer of a case to the police (移送公安机关), 国务院令第310号 (2020 revision).

One ``CriminalTransfer`` per attempt on a ``Case``: the officers' written report (第五条
第一款), the head's decision within 3 days (第五条第二款), the transfer within 24 hours
with the 涉嫌犯罪案件移送书 and its attachments (第六条), the police's decision within
3 days (第八条), a reconsideration requested within 3 days of a decline (第九条), and the
exhibits handed over within 3 days of the police filing (第十二条). Each period is a clock
of the rule table with the case as its subject (so it shows among the case's clocks);
a step taken after its clock ran out is saved and flagged late, never refused.

While a transfer is pending (neither not approved nor finally declined) the case cannot
be closed on a fine alone (第十一条: no 以罚代刑); see ``guards.py``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.cases.models import Case
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import Workflow, register

from .categories import CHOICES


class Attachment(models.TextChoices):
    """The materials attached to the transfer letter (第六条(二)–(五))."""

    INVESTIGATION_REPORT = "investigation_report", _("涉嫌犯罪案件情况的调查报告")
    EXHIBIT_LIST = "exhibit_list", _("涉案物品清单")
    TEST_REPORT = "test_report", _("有关检验报告或者鉴定结论")
    OTHER = "other", _("其他有关涉嫌犯罪的材料")


#: Attachments every transfer carries; test reports are attached when there are any
#: ("有关检验报告或者鉴定结论").
REQUIRED_ATTACHMENTS = (Attachment.INVESTIGATION_REPORT, Attachment.EXHIBIT_LIST)


class TransferQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> TransferQuerySet:
        return self.filter(case__in=Case.objects.visible_to(user))


class CriminalTransfer(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", _("已书面报告")
        APPROVED = "approved", _("批准移送")
        NOT_APPROVED = "not_approved", _("不批准移送")
        TRANSFERRED = "transferred", _("已移送公安机关")
        ACCEPTED = "accepted", _("公安机关已立案")
        DECLINED = "declined", _("公安机关不予立案")
        RECONSIDERATION = "reconsideration", _("已提请复议")
        DECLINED_FINAL = "declined_final", _("不予立案（终局）")
        EXHIBITS_HANDED = "exhibits_handed", _("涉案物品已移交")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers",
                             verbose_name=_("案件"))
    category = models.CharField(_("涉嫌罪名类别"), max_length=40,
                                choices=CHOICES)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.REPORTED)
    # 第五条第一款: the officers' written report to the head.
    report = models.TextField(_("移送涉嫌犯罪案件的书面报告"))
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    reported_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("报告人"))
    # 第五条第二款: the head's decision.
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("决定人"))
    decision_reason = models.TextField(_("决定意见（不批准的理由）"), blank=True)
    decision_late = models.BooleanField(_("决定逾期"), default=False)
    # 第五条第二款, 第六条: the transfer itself.
    transferred_at = models.DateTimeField(_("移送时间"), null=True, blank=True)
    police_organ = models.CharField(_("接受移送的公安机关"), max_length=200, blank=True)
    letter = models.ForeignKey("documents.IssuedDocument", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("涉嫌犯罪案件移送书"))
    # [{"kind": Attachment, "title": str}]
    attachments = models.JSONField(_("附送材料"), default=list, blank=True)
    delivery_late = models.BooleanField(_("移送逾期"), default=False)
    # 第八条: the police's decision, as received by the authority.
    police_received_at = models.DateTimeField(_("收到公安机关决定时间"), null=True, blank=True)
    police_decision_number = models.CharField(_("公安机关决定文号"), max_length=100, blank=True)
    police_reason = models.TextField(_("不予立案理由"), blank=True)
    police_late = models.BooleanField(_("公安机关逾期作出决定"), default=False)
    # 第九条: reconsideration of a decline.
    reconsideration_requested_at = models.DateTimeField(_("提请复议时间"), null=True,
                                                        blank=True)
    reconsideration_late = models.BooleanField(_("提请复议逾期"), default=False)
    reconsideration_result_at = models.DateTimeField(_("收到复议决定时间"), null=True,
                                                     blank=True)
    reconsideration_number = models.CharField(_("复议决定文号"), max_length=100, blank=True)
    # 第十二条: exhibits and materials handed over after the police filed.
    exhibits_handed_at = models.DateTimeField(_("移交涉案物品时间"), null=True, blank=True)
    exhibits_note = models.TextField(_("移交清单及交接手续"), blank=True)
    handover_late = models.BooleanField(_("移交逾期"), default=False)

    decision_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    delivery_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    acceptance_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")
    reconsideration_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+")
    handover_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("涉嫌犯罪案件移送")
        verbose_name_plural = _("涉嫌犯罪案件移送")
        ordering = ["case", "-id"]
        constraints = [
            # One transfer at a time per case: a new report only after the head refused
            # or the police finally declined.
            models.UniqueConstraint(
                fields=["case"], condition=~Q(status__in=["not_approved", "declined_final"]),
                name="transfer_one_pending_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status not in ENDED

    @property
    def late_steps(self) -> list[str]:
        """The steps taken after their clock ran out, in words (shown, never hidden)."""
        flags = ((self.decision_late, _("负责人决定逾期")), (self.delivery_late, _("移送逾期")),
                 (self.police_late, _("公安机关逾期作出决定")),
                 (self.reconsideration_late, _("提请复议逾期")),
                 (self.handover_late, _("移交涉案物品逾期")))
        return [str(label) for flag, label in flags if flag]


T = CriminalTransfer.Status
#: A transfer in these statuses no longer stands in the way of a fine (第十条).
ENDED = frozenset({T.NOT_APPROVED, T.DECLINED_FINAL})
TRANSFER_TRANSITIONS: dict[str, set[str]] = {
    T.REPORTED: {T.APPROVED, T.NOT_APPROVED},
    T.APPROVED: {T.TRANSFERRED},
    T.TRANSFERRED: {T.ACCEPTED, T.DECLINED},
    # 第九条: the authority "may" ask for reconsideration; not asking ends the transfer.
    T.DECLINED: {T.RECONSIDERATION, T.DECLINED_FINAL},
    T.RECONSIDERATION: {T.ACCEPTED, T.DECLINED_FINAL},
    T.ACCEPTED: {T.EXHIBITS_HANDED},
    T.NOT_APPROVED: set(),
    T.DECLINED_FINAL: set(),
    T.EXHIBITS_HANDED: set(),
}
TRANSFER_WORKFLOW = register(Workflow(
    model=CriminalTransfer, transitions=TRANSFER_TRANSITIONS, event_prefix="transfer",
    label_zh="涉嫌犯罪案件移送", label_en="criminal transfer", touch_fields=("updated_at",),
    subject=lambda row: row.case))
