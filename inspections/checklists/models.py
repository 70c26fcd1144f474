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

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE,
                                 related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("检查内容"))
    law = models.CharField(_("法律依据"), max_length=100)
    article = models.CharField(_("条款"), max_length=50)
    # A failure is a major hidden danger by the national criteria (令10号 for 工贸 etc.).
    major_hazard_criterion = models.CharField(_("重大事故隐患判定依据"), max_length=200,
                                              blank=True)
    occupational_health = models.BooleanField(_("职业健康检查项"), default=False)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"],
                                               name="checklist_item_order")]

    def __str__(self) -> str:
        return f"{self.template.code}-{self.order}"

    @property
    def is_major_hazard_item(self) -> bool:
        return bool(self.major_hazard_criterion)

    @property
    def legal_basis(self) -> str:
        return f"《{self.law}》{self.article}"


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


