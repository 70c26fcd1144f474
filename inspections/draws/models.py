"""Random draws (双随机一公开): object directories, item lists, conflict
declarations and the draws themselves."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from inspections.checklists.models import ChecklistTemplate, InspectionScheme
from inspections.plans.models import EnforcementPlan

# --- Random draws (双随机一公开) ---

class ObjectDirectory(models.Model):
    """检查对象名录库: a saved filter over the registry (EnterpriseFilter parameters)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="object_directories")
    name = models.CharField(_("名录库名称"), max_length=200)
    filter_params = models.JSONField(_("筛选条件"), default=dict, blank=True)

    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查对象名录库")
        verbose_name_plural = _("检查对象名录库")

    def __str__(self) -> str:
        return self.name


class DrawItemList(models.Model):
    """随机抽查事项清单: a set of checklist templates."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="draw_item_lists")
    name = models.CharField(_("事项清单名称"), max_length=200)
    templates = models.ManyToManyField(ChecklistTemplate, related_name="draw_item_lists")

    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("随机抽查事项清单")
        verbose_name_plural = _("随机抽查事项清单")

    def __str__(self) -> str:
        return self.name


class ConflictDeclaration(models.Model):
    """An inspector's declared conflict of interest with an enterprise (recusal)."""

    inspector = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                                  related_name="conflicts")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="declared_conflicts")
    reason = models.CharField(_("回避理由"), max_length=255)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("回避声明")
        verbose_name_plural = _("回避声明")
        constraints = [models.UniqueConstraint(fields=["inspector", "enterprise"],
                                               name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.inspector_id} ↔ {self.enterprise_id}"


class RandomDraw(models.Model):
    """A reproducible draw: seed + directory snapshot + algorithm version → result.

    Never redone in place: a redraw is a new row pointing at the one it replaces,
    with a reason; both are in the audit trail.
    """

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="draws", verbose_name=_("执法主体"))
    plan = models.ForeignKey(EnforcementPlan, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="draws")
    scheme = models.ForeignKey(InspectionScheme, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="draws")
    object_directory = models.ForeignKey(ObjectDirectory, on_delete=models.PROTECT,
                                         related_name="draws")
    item_list = models.ForeignKey(DrawItemList, on_delete=models.PROTECT,
                                  related_name="draws")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("检查月份"))
    enterprise_count = models.PositiveIntegerField(_("抽取企业数"))
    seed = models.CharField(_("随机种子"), max_length=64)
    algorithm_version = models.CharField(_("算法版本"), max_length=16)
    # Everything the algorithm read: sorted enterprise ids, inspector ids, recusal pairs,
    # per-enterprise counts. With seed and version, anyone recomputes the same result.
    snapshot = models.JSONField(_("名录快照"))
    snapshot_sha256 = models.CharField(max_length=64)
    # [{"enterprise": id, "inspectors": [id, id]}]
    result = models.JSONField(_("抽取结果"))
    # What the draw could not do, stored when drawn: {"requested", "eligible", "drawn",
    # "capped": [ids], "skipped": [ids], "shortfall"} (DrawOutcome.report()). Pages and
    # the API show it instead of re-running the algorithm; verify_draw still recomputes.
    report = models.JSONField(_("抽取报告"), null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="replaced_by",
                                    verbose_name=_("重抽所替代的抽取"))
    redraw_reason = models.CharField(_("重抽理由"), max_length=255, blank=True)
    drawn_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                 related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)
    results_published_at = models.DateTimeField(_("结果公示时间"), null=True, blank=True)

    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")

    def __str__(self) -> str:
        return f"{self.authority} {self.year}-{self.month:02d} #{self.pk}"

    @property
    def superseded(self) -> bool:
        return hasattr(self, "replaced_by")


