"""The violation information base (安全生产违法信息库).

One ``ViolationRecord`` per penalty decision that became final: the enterprise's for a
decision against the unit, a person's for a decision against a responsible person
(处罚到人). Persons are identified inside the system by their resident ID number,
which no page or API response outside the record's own staff shows in full.

How long a record is kept and disclosed is data (``RetentionRule``), seeded with
浙江省公共信用信息管理条例 第十六条 (five years from the day the act is established);
the bureau corrects it in the admin if a newer text says otherwise.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workflow import Workflow, register


class RetentionRule(models.Model):
    code = models.CharField(_("代码"), max_length=32, unique=True)
    years = models.PositiveSmallIntegerField(_("保存和披露年限"))
    source = models.TextField(_("依据"))

    class Meta:
        verbose_name = _("信用信息保存期限规则")
        verbose_name_plural = _("信用信息保存期限规则")

    def __str__(self) -> str:
        return f"{self.code}: {self.years}"


class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("生产经营单位")
    PERSON = "person", _("责任人员")


class PersonRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    PRINCIPAL = "principal", _("主要负责人")
    SAFETY_MANAGER = "safety_manager", _("安全生产管理人员")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("直接负责的主管人员")
    OTHER_RESPONSIBLE = "other_responsible", _("其他直接责任人员")
    PERSON = "person", _("自然人当事人")


class ViolationQuerySet(AuthorityScopedQuerySet):
    pass


class ViolationRecord(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("公示中")
        REMOVED = "removed", _("已撤除")
        EXPIRED = "expired", _("期满删除")

    decision = models.OneToOneField("enforcement.PenaltyDecision", on_delete=models.PROTECT,
                                    related_name="violation_record",
                                    verbose_name=_("处罚决定"))
    case = models.ForeignKey("enforcement.Case", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("案件"))
    authority = models.ForeignKey("accounts.Authority", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("处罚机关"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="violation_records",
                                   verbose_name=_("企业"))
    subject_kind = models.CharField(_("主体类型"), max_length=12, choices=SubjectKind.choices)
    person_role = models.CharField(_("人员身份"), max_length=24, blank=True,
                                   choices=PersonRole.choices)
    subject_name = models.CharField(_("单位名称或姓名"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    # Inside the system only; validated (GB 11643) when the record is made.
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    id_number_valid = models.BooleanField(_("身份证号码有效"), default=False)
    # The number of the issued 行政处罚决定书 when the document service issued one.
    decision_number = models.CharField(_("处罚决定书文号"), max_length=64, blank=True)
    violation_type = models.CharField(_("违法行为类型"), max_length=200)
    facts = models.TextField(_("违法事实"), blank=True)
    legal_basis = models.TextField(_("处罚依据"))
    penalty_kinds = ArrayField(models.CharField(max_length=20), default=list,
                               verbose_name=_("处罚种类"))
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=12, decimal_places=2,
                                      default=0)
    decided_on = models.DateField(_("处罚决定日期"))
    final_on = models.DateField(_("生效日期"))
    disclose_until = models.DateField(_("保存和披露截止日"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    version = models.PositiveIntegerField(_("版本"), default=1)
    removed_reason = models.TextField(_("撤除理由"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("违法信息")
        verbose_name_plural = _("违法信息")
        ordering = ["-id"]
        indexes = [models.Index(fields=["enterprise", "-id"], name="violation_enterprise"),
                   models.Index(fields=["status", "disclose_until"], name="violation_due")]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.violation_type}"

    @property
    def push_key(self) -> str:
        return f"violation:{self.pk}"


V = ViolationRecord.Status
VIOLATION_TRANSITIONS: dict[str, set[str]] = {
    V.ACTIVE: {V.REMOVED, V.EXPIRED},
    V.REMOVED: set(),
    V.EXPIRED: set(),
}
VIOLATION_WORKFLOW = register(Workflow(
    model=ViolationRecord, transitions=VIOLATION_TRANSITIONS, event_prefix="violation",
    label_zh="违法信息", label_en="violation record", touch_fields=("updated_at",),
    jurisdiction_path=lambda row: None))
