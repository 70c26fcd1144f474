"""Checklist templates (检查表) and inspection schemes (检查方案)."""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workflow import Workflow, register
from inspections.plans.models import EnforcementPlan

# --- Checklist templates (检查表) ---

class ChecklistTemplate(models.Model):
    """Maintained by the municipal bureau; safety and occupational health together."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("检查表名称"), max_length=200)
    sectors = ArrayField(models.CharField(max_length=32, choices=Sector.choices),
                         default=list, blank=True, verbose_name=_("适用行业"))
    special_operations = ArrayField(
        models.CharField(max_length=32, choices=SpecialOperation.choices), default=list,
        blank=True, verbose_name=_("适用重点作业"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    active = models.BooleanField(_("启用"), default=True)
    # The department whose enforcement list includes the template (安全生产法 第十条);
    # another department's template is offered only in a joint inspection (remit.py).
    remit = models.CharField(_("职责部门"), max_length=32, choices=Authority.Department.choices,
                             default=Authority.Department.EMERGENCY)

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MajorHazardCriterion(models.Model):
    """One situation of a national major-hidden-danger criterion (criteria.py).

    ``status`` says how far the text can be trusted: an unverified or missing text is
    shown as such and completed by the administrator from the official publication.
    """

    class Standard(models.TextChoices):
        LING10 = "ling10", _("工贸企业重大事故隐患判定标准（应急管理部令第10号）")
        HC121 = "hc121", _("化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）")
        CN2022 = "cn2022", _("房屋市政工程生产安全重大事故隐患判定标准（2022版）")

    class TextStatus(models.TextChoices):
        VERIFIED = "verified", _("已据官方文本转载核对")
        UNVERIFIED = "unverified", _("文本待核对")
        NOT_RETRIEVED = "not_retrieved", _("待依官方文本补全")

    code = models.CharField(_("编号"), max_length=16, unique=True)
    standard = models.CharField(_("判定标准"), max_length=16, choices=Standard.choices)
    clause = models.CharField(_("条款"), max_length=32)
    text = models.TextField(_("情形"), blank=True)
    status = models.CharField(_("文本状态"), max_length=16, choices=TextStatus.choices)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("重大事故隐患判定情形")
        verbose_name_plural = _("重大事故隐患判定情形")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """Short reference stored on a hidden danger: 令10号第十一条（四）."""
        short = {"ling10": "应急管理部令第10号", "hc121": "安监总管三〔2017〕121号",
                 "cn2022": "建质规〔2022〕2号"}[self.standard]
        return f"{short}{self.clause}"

    @property
    def label(self) -> str:
        if self.status == self.TextStatus.NOT_RETRIEVED:
            return f"{self.citation}（{self.get_status_display()}）"
        flag = "（文本待核对）" if self.status == self.TextStatus.UNVERIFIED else ""
        return f"{self.citation}{flag}：{self.text}"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE,
                                 related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("检查内容"))
    law = models.CharField(_("法律依据"), max_length=100)
    # The version of the text quoted (浙江省安全生产条例（2016）), shown in every citation.
    law_version = models.CharField(_("所据文本版本"), max_length=16, blank=True)
    article = models.CharField(_("条款"), max_length=50)
    # Why the citation must be re-based on a newer text; empty while the text is current.
    rebase_note = models.TextField(_("依据修订说明"), blank=True)
    # The criteria whose situation this item checks; a failure is major only under one
    # the inspector names. ``major_hazard_criterion`` is their labels, for display.
    criteria = models.ManyToManyField(MajorHazardCriterion, blank=True, related_name="items",
                                      verbose_name=_("重大事故隐患判定情形"))
    major_hazard_criterion = models.TextField(_("重大事故隐患判定依据"), blank=True)
    occupational_health = models.BooleanField(_("职业健康检查项"), default=False)
    # Items are versioned, never rewritten once asked: when the seed changes the wording,
    # citation or criteria of an item some inspection used, that row is retired (kept
    # for the inspections that asked it) and a new row takes its place in the template.
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"],
                                               condition=models.Q(retired_at__isnull=True),
                                               name="checklist_item_order")]

    def __str__(self) -> str:
        return f"{self.template.code}-{self.order}"

    @property
    def is_major_hazard_item(self) -> bool:
        return bool(self.major_hazard_criterion)

    @property
    def needs_rebasing(self) -> bool:
        return bool(self.rebase_note)

    @property
    def legal_basis(self) -> str:
        version = f"（{self.law_version}）" if self.law_version else ""
        return f"《{self.law}》{version}{self.article}"


# --- Inspection scheme (检查方案) ---

@pghistory.track()
class InspectionScheme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        APPROVED = "approved", _("已批准")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="schemes", verbose_name=_("执法主体"))
    plan = models.ForeignKey(EnforcementPlan, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="schemes", verbose_name=_("年度计划"))
    title = models.CharField(_("方案名称"), max_length=200)
    area = models.TextField(_("检查区域"))
    content = models.TextField(_("检查内容"))
    focus = models.TextField(_("检查重点"))
    templates = models.ManyToManyField(ChecklistTemplate, related_name="schemes",
                                       verbose_name=_("检查表"))
    team = models.ManyToManyField("accounts.User", related_name="schemes",
                                  verbose_name=_("检查组成员"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查方案")
        verbose_name_plural = _("检查方案")
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="scheme_dates_ordered")]

    def __str__(self) -> str:
        return self.title


SCHEME_TRANSITIONS: dict[str, set[str]] = {
    InspectionScheme.Status.DRAFT: {InspectionScheme.Status.SUBMITTED},
    InspectionScheme.Status.SUBMITTED: {InspectionScheme.Status.APPROVED,
                                        InspectionScheme.Status.DRAFT},
    InspectionScheme.Status.APPROVED: set(),
}
SCHEME_WORKFLOW = register(Workflow(
    model=InspectionScheme, transitions=SCHEME_TRANSITIONS, event_prefix="inspection_scheme",
    label_zh="检查方案", label_en="inspection scheme", id_key="scheme"))


