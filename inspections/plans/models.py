"""Annual enforcement plans (年度监督检查计划): versions, quotas, campaigns,
reviews, and the planned inspections that plans, draws and the key-supervision list
schedule."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workflow import Workflow, register

# --- Annual enforcement plan (年度监督检查计划) ---

class PlanCategory(models.TextChoices):
    KEY_HIGH_RISK = "key_high_risk", _("重点监管·高危行业企业")
    KEY_MAJOR_HAZARD = "key_major_hazard", _("重点监管·挂牌督办重大隐患企业")
    KEY_ACCIDENT = "key_accident", _("重点监管·近一年发生事故企业")
    KEY_BAD_CREDIT = "key_bad_credit", _("重点监管·不良信用企业")
    RANDOM = "random", _("双随机抽查")
    CAMPAIGN = "campaign", _("专项执法行动")
    JOINT = "joint", _("联合检查")


KEY_CATEGORIES = frozenset({PlanCategory.KEY_HIGH_RISK, PlanCategory.KEY_MAJOR_HAZARD,
                            PlanCategory.KEY_ACCIDENT, PlanCategory.KEY_BAD_CREDIT})
# Enterprises under key supervision are inspected at least 4 times a year
# (安委〔2014〕8号, DOMAIN.md B6).
KEY_MIN_INSPECTIONS_PER_YEAR = 4


# --- Bounds of every number a plan, a quota or a campaign holds ---
# One table used by the API serializers, the page forms and the services (which
# check them again for direct callers), so out-of-range or huge input is a 400 with
# a field error and never reaches the database. Inclusive ranges.

PLAN_YEAR_MIN, PLAN_YEAR_MAX = 2000, 2100
MONTH_MIN, MONTH_MAX = 1, 12


@dataclass(frozen=True)
class Bound:
    """An inclusive range; ``places`` is set for decimals (the column's scale)."""

    low: int | Decimal
    high: int | Decimal
    places: int | None = None
    #: Chinese message when the value is below ``low`` (default: generic).
    below: str = ""

    def message(self, label: str) -> str:
        return f"{label}应在 {self.low}–{self.high} 之间。"


#: The plan's numeric inputs (services.INPUT_FIELDS). Staff counts and vehicles are
#: an authority's headcount; funding is in 万元 (ten thousand yuan); hours per officer
#: cannot exceed the hours of a year.
PLAN_INPUT_BOUNDS: dict[str, Bound] = {
    "staff_count": Bound(0, 10_000),
    "certified_staff_count": Bound(0, 10_000),
    "vehicles": Bound(0, 1_000),
    "funding": Bound(Decimal("0"), Decimal("1000000.00"), places=2),
    # At least two officers on every inspection (行政处罚法第四十二条).
    "officers_per_inspection": Bound(2, 20, below="每次检查执法人员不得少于 2 人。"),
    "hours_per_inspection": Bound(Decimal("0.5"), Decimal("100.0"), places=1),
    "hours_per_officer": Bound(1, 8_784),
    "per_enterprise_cap": Bound(1, 365),
}
#: Planned inspections of one quota row (category × month) and of one campaign.
QUOTA_PLANNED_BOUND = Bound(0, 10_000)
CAMPAIGN_PLANNED_BOUND = Bound(1, 10_000)
CAMPAIGN_NAME_MAX_LENGTH = 200
PLAN_TITLE_MAX_LENGTH = 200


class PlanQuerySet(AuthorityScopedQuerySet):
    pass


@pghistory.track()
class EnforcementPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交审批")
        RETURNED = "returned", _("已退回修改")
        APPROVED = "approved", _("已批准")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被新版本替代")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="plans",
                                  verbose_name=_("执法主体"))
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="next_version", verbose_name=_("上一版本"))
    # A township/street plan is drawn from its district's plan (浙江条例).
    parent_plan = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="derived_plans",
                                    verbose_name=_("依据的区县计划"))
    title = models.CharField(_("计划名称"), max_length=PLAN_TITLE_MAX_LENGTH)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)

    # Inputs the notice names (clause 十三; 年度监督检查计划编制办法).
    enforcement_powers = models.TextField(_("执法职权"), blank=True)
    staff_count = models.PositiveIntegerField(_("执法人员数"), default=0)
    certified_staff_count = models.PositiveIntegerField(_("持证执法人员数"), default=0)
    # Counts from the registry when the plan was last saved (the live figures are shown
    # beside them on the plan page).
    registry_snapshot = models.JSONField(_("监管对象统计"), default=dict, blank=True)
    equipment = models.TextField(_("执法装备"), blank=True)
    vehicles = models.PositiveIntegerField(_("执法车辆"), default=0)
    funding = models.DecimalField(_("执法经费（万元）"), max_digits=12, decimal_places=2,
                                  default=0)

    # Capacity parameters.
    officers_per_inspection = models.PositiveSmallIntegerField(_("每次检查人数"), default=2)
    hours_per_inspection = models.DecimalField(_("每次检查工时（小时）"), max_digits=5,
                                               decimal_places=1, default=4)
    hours_per_officer = models.PositiveIntegerField(
        _("每名持证人员年度可用于检查的工时"), default=600)
    per_enterprise_cap = models.PositiveSmallIntegerField(_("单个企业年度检查上限"),
                                                          default=6)

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("编制人"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("批准人"))
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度监督检查计划")
        verbose_name_plural = _("年度监督检查计划")
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "version"],
                                    name="plan_authority_year_version"),
            # Per authority and year: at most one published version, and at most one
            # version being written or approved (an amendment of the published one).
            models.UniqueConstraint(fields=["authority", "year"],
                                    condition=Q(status="published"),
                                    name="plan_one_published_per_year"),
            models.UniqueConstraint(fields=["authority", "year"],
                                    condition=Q(status__in=["draft", "submitted",
                                                            "returned", "approved"]),
                                    name="plan_one_in_progress_per_year"),
            models.CheckConstraint(condition=Q(officers_per_inspection__gte=2),
                                   name="plan_two_officers_minimum"),
        ]
        indexes = [models.Index(fields=["status", "id"], name="plan_status")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


PLAN_TRANSITIONS: dict[str, set[str]] = {
    EnforcementPlan.Status.DRAFT: {EnforcementPlan.Status.SUBMITTED},
    EnforcementPlan.Status.SUBMITTED: {EnforcementPlan.Status.RETURNED,
                                       EnforcementPlan.Status.APPROVED},
    EnforcementPlan.Status.RETURNED: {EnforcementPlan.Status.SUBMITTED},
    EnforcementPlan.Status.APPROVED: {EnforcementPlan.Status.PUBLISHED},
    EnforcementPlan.Status.PUBLISHED: {EnforcementPlan.Status.SUPERSEDED},
    EnforcementPlan.Status.SUPERSEDED: set(),
}
PLAN_WORKFLOW = register(Workflow(
    model=EnforcementPlan, transitions=PLAN_TRANSITIONS, event_prefix="plan",
    label_zh="计划", label_en="plan", subject=lambda row: row.authority,
    touch_fields=("updated_at",)))
# Editable content: only while the author holds the plan.
PLAN_EDITABLE_STATUSES = frozenset({EnforcementPlan.Status.DRAFT,
                                    EnforcementPlan.Status.RETURNED})
#: Audit actions that make their actor an author of the plan version named by the
#: event's ``new_values["plan"]`` (created it, amended into it, edited its inputs or
#: quotas, proposed a campaign in it, submitted it). An author never returns or
#: approves that version nor decides its campaigns (separation of duties, 四眼原则).
PLAN_AUTHORING_ACTIONS = ("plan.created", "plan.amended", "plan.updated", "plan.quotas_set",
                          "plan.campaign_proposed", "plan.submitted")


class PlanQuota(models.Model):
    """Planned inspections of one category in one month."""

    plan = models.ForeignKey(EnforcementPlan, on_delete=models.CASCADE,
                             related_name="quotas")
    category = models.CharField(_("类别"), max_length=24, choices=PlanCategory.choices)
    month = models.PositiveSmallIntegerField(_("月份"))
    planned = models.PositiveIntegerField(_("计划检查次数"), default=0)

    class Meta:
        verbose_name = _("计划检查指标")
        verbose_name_plural = _("计划检查指标")
        constraints = [
            models.UniqueConstraint(fields=["plan", "category", "month"],
                                    name="quota_plan_category_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12),
                                   name="quota_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.category} {self.month}月 {self.planned}"


class SpecialCampaign(models.Model):
    """专项执法行动: each needs prior approval (国办发〔2024〕54号)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("不予批准")

    plan = models.ForeignKey(EnforcementPlan, on_delete=models.CASCADE,
                             related_name="campaigns")
    name = models.CharField(_("专项行动名称"), max_length=CAMPAIGN_NAME_MAX_LENGTH)
    reason = models.TextField(_("开展理由"))
    months = ArrayField(models.PositiveSmallIntegerField(), verbose_name=_("实施月份"))
    planned = models.PositiveIntegerField(_("计划检查次数"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PROPOSED)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("专项执法行动")
        verbose_name_plural = _("专项执法行动")

    def __str__(self) -> str:
        return self.name


CAMPAIGN_TRANSITIONS: dict[str, set[str]] = {
    SpecialCampaign.Status.PROPOSED: {SpecialCampaign.Status.APPROVED,
                                      SpecialCampaign.Status.REJECTED},
    SpecialCampaign.Status.APPROVED: set(),
    SpecialCampaign.Status.REJECTED: set(),
}
CAMPAIGN_WORKFLOW = register(Workflow(
    model=SpecialCampaign, transitions=CAMPAIGN_TRANSITIONS, event_prefix="plan.campaign",
    label_zh="专项行动", label_en="special campaign", id_key="campaign",
    subject=lambda row: row.plan.authority))


class PlanReview(models.Model):
    """Comments on each workflow step (returned with comments, approved with remarks)."""

    plan = models.ForeignKey(EnforcementPlan, on_delete=models.CASCADE,
                             related_name="reviews")
    step = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # The plan as it stood when it was returned (inputs, quotas, campaigns), so the
    # approver of the resubmission sees what changed since (services.plan_state).
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.step}"


class PlannedInspectionQuerySet(AuthorityScopedQuerySet):
    pass


class PlannedInspection(models.Model):
    """An inspection the plan or a draw has scheduled (becomes an Inspection on site)."""

    class Source(models.TextChoices):
        DRAW = "draw", _("双随机抽取")
        KEY_LIST = "key_list", _("重点监管名单")
        CAMPAIGN = "campaign", _("专项行动")
        MANUAL = "manual", _("人工安排")

    class Status(models.TextChoices):
        PLANNED = "planned", _("待检查")
        DONE = "done", _("已检查")
        CANCELLED = "cancelled", _("已取消")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="planned_inspections")
    plan = models.ForeignKey(EnforcementPlan, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="planned_inspections")
    draw = models.ForeignKey("inspections.RandomDraw", on_delete=models.PROTECT, null=True,
                             blank=True,
                             related_name="planned_inspections")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="planned_inspections")
    category = models.CharField(_("类别"), max_length=24, choices=PlanCategory.choices)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    inspectors = models.ManyToManyField("accounts.User", blank=True,
                                        related_name="planned_inspections")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PLANNED)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = PlannedInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划检查")
        verbose_name_plural = _("计划检查")
        indexes = [
            models.Index(fields=["enterprise", "year"], name="planned_ent_year"),
            models.Index(fields=["plan", "category", "month"], name="planned_plan_cat_month"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}-{self.month:02d}"


PLANNED_INSPECTION_TRANSITIONS: dict[str, set[str]] = {
    PlannedInspection.Status.PLANNED: {PlannedInspection.Status.DONE,
                                       PlannedInspection.Status.CANCELLED},
    PlannedInspection.Status.DONE: set(),
    PlannedInspection.Status.CANCELLED: set(),
}
PLANNED_INSPECTION_WORKFLOW = register(Workflow(
    model=PlannedInspection, transitions=PLANNED_INSPECTION_TRANSITIONS,
    event_prefix="planned_inspection", label_zh="计划检查", label_en="planned inspection",
    subject=lambda row: row.enterprise))
