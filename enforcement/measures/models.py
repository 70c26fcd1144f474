"""Compulsory and on-site measures of a case (行政强制措施、现场处理措施), issue 11.

Each measure is an enforcement decision of its own: a row belonging to a ``Case``,
with its own workflow, document and clock. The kinds and their legal texts (all in
docs/laws, quoted by article):

- 撤出作业人员, 暂时停产停业, 停止使用相关设施、设备: 安全生产法 第六十五条第一款第三项
  [S]; resumption only after review and consent (same item). The six-month limit of
  the last two is the clock rule ``stop_measure_limit`` [P] (kept as a date,
  ``limit_until``: a month rule cannot run as a tracked clock).
- 查封, 扣押: 安全生产法 第六十五条第一款第四项 [S]; 行政强制法 第二十三条至第二十八条
  [S]: decision and 清单 (第二十四条), 30 days, once more ≤ 30 days by the head
  (第二十五条, clock rules ``seizure`` / ``seizure_extension``), custody (第二十六条),
  handling decision (第二十七条), lifting and return (第二十八条).
- 停产停业, 停止施工, 停止使用 (decisions on a major hidden danger), 停止供电, 停止供应
  民用爆炸物品: 安全生产法 第七十条 [S]: the last two only when the unit refuses a
  decision of the first kind with a real danger of an accident, with the department's
  principal head's approval, by written notice to the supplier; the unit is told 24
  hours ahead of a power cut except in an emergency (rule ``power_cut_notice``); lifted
  once the unit complies.

Procedure (行政强制法 第十八条 [S]): prior approval of the head, two officers, the
on-site record signed by the party or the refusal noted, a witness when the party is
absent. Emergency (第十九条 [S]): executed first, reported to the head within 24 hours
(rule ``emergency_measure_report``), approved after the fact or lifted at once.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.cases.models import Case
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import Workflow, register


class MeasureKind(models.TextChoices):
    WITHDRAW = "withdraw", _("从危险区域内撤出作业人员")
    TEMP_SUSPEND = "temp_suspend", _("暂时停产停业")
    STOP_USE = "stop_use", _("停止使用相关设施、设备")
    SUSPEND = "suspend", _("停产停业")
    STOP_CONSTRUCTION = "stop_construction", _("停止施工")
    SEAL = "seal", _("查封")
    SEIZE = "seize", _("扣押")
    STOP_POWER = "stop_power", _("停止供电")
    STOP_EXPLOSIVES = "stop_explosives", _("停止供应民用爆炸物品")


K = MeasureKind
#: 查封、扣押 (行政强制法 第二十四条至第二十八条): items, 30 + 30 days.
SEIZURE_KINDS = frozenset({K.SEAL, K.SEIZE})
#: Limited to six months (clock rule stop_measure_limit).
MONTH_LIMITED_KINDS = frozenset({K.TEMP_SUSPEND, K.STOP_USE})
#: 安全生产法 第七十条: measures forcing the unit to comply with a suspension.
SUPPLY_KINDS = frozenset({K.STOP_POWER, K.STOP_EXPLOSIVES})
#: The decisions whose refusal opens 第七十条's supply measures.
SUSPENSION_KINDS = frozenset({K.TEMP_SUSPEND, K.STOP_USE, K.SUSPEND, K.STOP_CONSTRUCTION})
ON_SITE_KINDS = frozenset({K.WITHDRAW, K.TEMP_SUSPEND, K.STOP_USE})

#: The legal basis proposed by default per kind (editable on the measure).
DEFAULT_BASIS: dict[str, str] = {
    K.WITHDRAW: "《中华人民共和国安全生产法》第六十五条第一款第三项",
    K.TEMP_SUSPEND: "《中华人民共和国安全生产法》第六十五条第一款第三项",
    K.STOP_USE: "《中华人民共和国安全生产法》第六十五条第一款第三项",
    K.SUSPEND: "《中华人民共和国安全生产法》第七十条第一款",
    K.STOP_CONSTRUCTION: "《中华人民共和国安全生产法》第七十条第一款",
    K.SEAL: "《中华人民共和国安全生产法》第六十五条第一款第四项、"
            "《中华人民共和国行政强制法》第二十四条",
    K.SEIZE: "《中华人民共和国安全生产法》第六十五条第一款第四项、"
             "《中华人民共和国行政强制法》第二十四条",
    K.STOP_POWER: "《中华人民共和国安全生产法》第七十条",
    K.STOP_EXPLOSIVES: "《中华人民共和国安全生产法》第七十条",
}


class LiftReason(models.TextChoices):
    CAUSE_REMOVED = "cause_removed", _("原因消除（隐患已排除、当事人已履行）")
    NOT_APPROVED = "not_approved", _("负责人不予批准，立即解除")
    PERIOD_ENDED = "period_ended", _("期限届满")
    # Set only by an approved 撤销 / 确认无效 of the measure's decision (changes.py).
    ANNULLED = "annulled", _("决定被撤销或确认无效")


#: The reasons staff may choose when lifting by hand.
MANUAL_LIFT_REASONS = [(v, label) for v, label in LiftReason.choices
                       if v != LiftReason.ANNULLED]


@pghistory.track()
class CompulsoryMeasure(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待批准")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")
        EMERGENCY = "emergency", _("紧急当场实施，待报告")
        REPORTED = "reported", _("已报告，待补办批准")
        EXECUTED = "executed", _("实施中")
        NOT_APPROVED = "not_approved", _("不予补批，应立即解除")
        LIFTED = "lifted", _("已解除")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures",
                             verbose_name=_("案件"))
    kind = models.CharField(_("措施种类"), max_length=20, choices=MeasureKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PROPOSED)
    legal_basis = models.CharField(_("法律依据"), max_length=300)
    reason = models.TextField(_("理由"))
    place = models.CharField(_("实施地点"), max_length=200)
    emergency = models.BooleanField(_("情况紧急"), default=False)
    # 停止供电 / 停止供应民用爆炸物品: the refused suspension and the real danger.
    prerequisite = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("拒不执行的停产停业等决定"))
    danger = models.TextField(_("发生生产安全事故的现实危险"), blank=True)
    supplier_name = models.CharField(_("供电、供应单位"), max_length=200, blank=True)
    supplier_notified_at = models.DateTimeField(_("书面通知供应单位时间"), null=True, blank=True)
    party_notified_at = models.DateTimeField(_("通知生产经营单位时间"), null=True, blank=True)
    # The party's refusal to comply with this (suspension) measure.
    party_refused_at = models.DateTimeField(_("当事人拒不执行时间"), null=True, blank=True)
    party_refusal_note = models.TextField(_("拒不执行情况"), blank=True)

    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    planned_at = models.DateTimeField(_("拟实施时间"), null=True, blank=True)
    approver = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("批准人"))
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approval_opinion = models.TextField(_("审批意见"), blank=True)
    approved_after = models.BooleanField(_("事后补办批准"), default=False)

    officers = models.ManyToManyField("accounts.User", related_name="+", blank=True,
                                      verbose_name=_("实施的执法人员"))
    executed_at = models.DateTimeField(_("实施时间"), null=True, blank=True)
    onsite_record = models.TextField(_("现场笔录"), blank=True)
    party_present = models.BooleanField(_("当事人到场"), default=True)
    party_signed = models.BooleanField(_("当事人签名"), default=False)
    refusal_note = models.CharField(_("当事人拒绝签名的注明"), max_length=300, blank=True)
    witness = models.CharField(_("见证人"), max_length=100, blank=True)

    reported_at = models.DateTimeField(_("报告负责人时间"), null=True, blank=True)
    report_text = models.TextField(_("报告内容"), blank=True)
    report_late = models.BooleanField(_("逾期报告"), default=False)

    # Clocks: seal/seize 30 (+30) days, the emergency report 24 hours; the six-month
    # limit of a temporary stop is a date (clock rule stop_measure_limit).
    limit_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    report_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    limit_until = models.DateField(_("措施期限至"), null=True, blank=True)
    limit_provisional = models.BooleanField(default=False)

    extension_days = models.PositiveSmallIntegerField(_("延长天数"), null=True, blank=True)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extended_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    extended_at = models.DateTimeField(null=True, blank=True)

    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lift_reason = models.CharField(_("解除原因"), max_length=16, blank=True,
                                   choices=LiftReason.choices)
    lift_note = models.TextField(_("解除说明"), blank=True)
    lifted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    refusal_reason = models.TextField(_("不予批准理由"), blank=True)

    decision_document = models.ForeignKey("documents.IssuedDocument", on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    lifting_document = models.ForeignKey("documents.IssuedDocument", on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("强制措施")
        verbose_name_plural = _("强制措施")
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["case", "status"], name="measure_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_days__isnull=True) | Q(extension_days__gte=1,
                                                             extension_days__lte=30),
                name="measure_extension_1_30"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    @property
    def jurisdiction_path(self) -> str:
        """The case's authority's jurisdiction (clocks and audit events are scoped by it)."""
        return str(self.case.authority.jurisdiction.path)

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


class Disposal(models.TextChoices):
    RETURNED = "returned", _("解除并退还")
    CONFISCATED = "confiscated", _("依法没收")
    TRANSFERRED = "transferred", _("移送有关机关")
    DESTROYED = "destroyed", _("依法销毁")


class MeasureItem(models.Model):
    """One line of the 查封、扣押清单 (行政强制法 第二十四条)."""

    measure = models.ForeignKey(CompulsoryMeasure, on_delete=models.CASCADE,
                                related_name="items")
    description = models.CharField(_("场所、设施或者财物名称"), max_length=200)
    quantity = models.CharField(_("数量"), max_length=50)
    kept_at = models.CharField(_("保管地点"), max_length=200, blank=True)
    disposal = models.CharField(_("处理"), max_length=12, blank=True, choices=Disposal.choices)
    disposed_on = models.DateField(_("处理日期"), null=True, blank=True)
    disposal_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("查封扣押物品")
        verbose_name_plural = _("查封扣押物品")
        ordering = ["measure", "id"]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"


MS = CompulsoryMeasure.Status
#: A measure whose effect on the party lasts until it is lifted.
IN_FORCE = frozenset({MS.EMERGENCY, MS.REPORTED, MS.EXECUTED, MS.NOT_APPROVED})
MEASURE_TRANSITIONS: dict[str, set[str]] = {
    MS.PROPOSED: {MS.APPROVED, MS.REFUSED},
    MS.APPROVED: {MS.EXECUTED},
    MS.REFUSED: set(),
    # 行政强制法 第十九条: executed on the spot first, reported within 24 hours, then
    # approved after the fact (→ executed) or not (→ lifted at once).
    MS.EMERGENCY: {MS.REPORTED},
    MS.REPORTED: {MS.EXECUTED, MS.NOT_APPROVED},
    MS.EXECUTED: {MS.LIFTED},
    MS.NOT_APPROVED: {MS.LIFTED},
    MS.LIFTED: set(),
}


def _case(row: Any) -> Any:
    return row.case


MEASURE_WORKFLOW = register(Workflow(
    model=CompulsoryMeasure, transitions=MEASURE_TRANSITIONS, event_prefix="measure",
    label_zh="强制措施", label_en="compulsory measure", touch_fields=("updated_at",),
    subject=_case))
