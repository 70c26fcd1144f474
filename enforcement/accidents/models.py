"""Production-safety accidents (生产安全事故): report, passing up, investigation by level,
findings turned into cases. 生产安全事故报告和调查处理条例 (国务院令第493号) [S].

An ``Accident`` belongs to the authority that received the report and is scoped by its
jurisdiction. Its grade is computed from casualties and direct loss by ``grading.grade``
(第三条) and stored. Two hour clocks run from the rule table: the unit's report within
1 hour (第九条, from the occurrence) and the authority's report up within 2 hours
(第十一条, from its receipt); a late step is saved and flagged. Late, false or concealed
reporting (第四条, 第三十五条, 第三十六条) is flagged and opens a case against the unit.
The investigation report's findings name the responsible units and persons; each unit
becomes a case (its persons the case's parties), linked back through ``AccidentFinding``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.cases.models import Case, PartyRole
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import Workflow, register

from . import grading


class AccidentQuerySet(AuthorityScopedQuerySet):
    pass


class Grade(models.TextChoices):
    ORDINARY = grading.ORDINARY, _("一般事故")
    LARGER = grading.LARGER, _("较大事故")
    MAJOR = grading.MAJOR, _("重大事故")
    ESPECIALLY_MAJOR = grading.ESPECIALLY_MAJOR, _("特别重大事故")


class Accident(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", _("已接报")
        PASSED_UP = "passed_up", _("已上报")
        INVESTIGATING = "investigating", _("调查中")
        CONCLUDED = "concluded", _("调查报告已提交")
        CLOSED = "closed", _("结案")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="accidents",
                                  verbose_name=_("接报部门"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="accidents", verbose_name=_("事故发生单位"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.REPORTED)
    occurred_at = models.DateTimeField(_("事故发生时间"))
    place = models.CharField(_("事故发生地点"), max_length=200)
    summary = models.TextField(_("事故简要经过"), blank=True)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数（含急性工业中毒）"), default=0)
    direct_loss = models.DecimalField(_("直接经济损失（元）"), max_digits=14, decimal_places=2,
                                      default=0)
    grade = models.CharField(_("事故等级"), max_length=20, choices=Grade.choices)
    # 第九条: the unit's report to the authority; 第十条/第十一条: the authority's report up.
    reported_by_unit_at = models.DateTimeField(_("单位报告时间"))
    received_at = models.DateTimeField(_("接报时间"))
    passed_up_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    passed_up_to = models.CharField(_("上报至"), max_length=200, blank=True)
    late_report = models.BooleanField(_("迟报"), default=False)
    pass_up_late = models.BooleanField(_("逐级上报逾期"), default=False)
    false_report = models.BooleanField(_("谎报"), default=False)
    concealed = models.BooleanField(_("瞒报"), default=False)
    flag_reason = models.TextField(_("迟报、谎报、瞒报情况"), blank=True)
    reporting_case = models.OneToOneField(Case, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("迟报谎报瞒报案件"))
    investigating_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("负责调查的部门"))
    investigation_started_at = models.DateTimeField(_("开始调查时间"), null=True, blank=True)
    investigation_report = models.TextField(_("事故调查报告"), blank=True)
    concluded_at = models.DateTimeField(_("调查报告提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    unit_report_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+")
    pass_up_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("生产安全事故")
        verbose_name_plural = _("生产安全事故")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["authority", "status", "-id"], name="accident_auth_status"),
            models.Index(fields=["enterprise", "-id"], name="accident_enterprise"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(direct_loss__gte=0),
                                   name="accident_loss_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.place}（{self.get_grade_display()}）"

    @property
    def reporting_flags(self) -> list[str]:
        flags = ((self.late_report, _("迟报")), (self.false_report, _("谎报")),
                 (self.concealed, _("瞒报")), (self.pass_up_late, _("逐级上报逾期")))
        return [str(label) for flag, label in flags if flag]

    @property
    def needs_reporting_case(self) -> bool:
        return (self.late_report or self.false_report or self.concealed) and \
            self.reporting_case_id is None


A = Accident.Status
ACCIDENT_TRANSITIONS: dict[str, set[str]] = {
    A.REPORTED: {A.PASSED_UP},
    A.PASSED_UP: {A.INVESTIGATING},
    A.INVESTIGATING: {A.CONCLUDED},
    A.CONCLUDED: {A.CLOSED},
    A.CLOSED: set(),
}
ACCIDENT_WORKFLOW = register(Workflow(
    model=Accident, transitions=ACCIDENT_TRANSITIONS, event_prefix="accident",
    label_zh="生产安全事故", label_en="accident", touch_fields=("updated_at",)))


class AccidentFinding(models.Model):
    """One responsible unit of the investigation report, with its responsible persons,
    and the case opened against them."""

    accident = models.ForeignKey(Accident, on_delete=models.PROTECT, related_name="findings")
    unit_name = models.CharField(_("责任单位"), max_length=200)
    identifier = models.CharField(_("统一社会信用代码"), max_length=32, blank=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    responsibility = models.TextField(_("责任认定"))
    # [{"name", "identifier", "role" (PartyRole of a person), "responsibility"}]
    persons = models.JSONField(_("责任人员"), default=list, blank=True)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("处罚案件"))

    class Meta:
        verbose_name = _("事故责任认定")
        verbose_name_plural = _("事故责任认定")
        ordering = ["accident", "id"]

    def __str__(self) -> str:
        return self.unit_name


#: Roles a responsible person may hold (处罚到人).
PERSON_ROLES = (PartyRole.PRINCIPAL, PartyRole.SAFETY_MANAGER, PartyRole.DIRECTLY_RESPONSIBLE,
                PartyRole.OTHER_RESPONSIBLE, PartyRole.PERSON)
