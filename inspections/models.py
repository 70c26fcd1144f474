"""Annual enforcement plans, checklist templates, inspection schemes and random draws.

Workflows follow DESIGN.md: a Status enum plus a TRANSITIONS table beside the
model, and one service per named step in services.py (no status edits elsewhere).
"""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Sector, SpecialOperation
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import JurisdictionScopedQuerySet


class AuthorityScopedQuerySet(JurisdictionScopedQuerySet):
    """Rows owned by an authority: visible within that authority's jurisdiction."""

    jurisdiction_lookup = "authority__jurisdiction"


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
    title = models.CharField(_("计划名称"), max_length=200)
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
# Editable content: only while the author holds the plan.
PLAN_EDITABLE_STATUSES = frozenset({EnforcementPlan.Status.DRAFT,
                                    EnforcementPlan.Status.RETURNED})


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
    name = models.CharField(_("专项行动名称"), max_length=200)
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


class PlanReview(models.Model):
    """Comments on each workflow step (returned with comments, approved with remarks)."""

    plan = models.ForeignKey(EnforcementPlan, on_delete=models.CASCADE,
                             related_name="reviews")
    step = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.step}"


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
    draw = models.ForeignKey(RandomDraw, on_delete=models.PROTECT, null=True, blank=True,
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




# --- The four-checklist loop (检查任务 → 隐患问题 → 整改工作 → 复查验收) ---

class InspectionQuerySet(AuthorityScopedQuerySet):
    pass


@pghistory.track()
class Inspection(models.Model):
    """List 1, the inspection task: who inspects which enterprise against which items."""

    class Source(models.TextChoices):
        DRAW = "draw", _("双随机抽取")
        KEY_LIST = "key_list", _("重点监管")
        REPORT_12350 = "report_12350", _("12350举报")
        ACCIDENT = "accident", _("事故调查")
        RECHECK = "recheck", _("复查")
        AD_HOC = "ad_hoc", _("临时检查")

    class Status(models.TextChoices):
        PLANNED = "planned", _("待检查")
        IN_PROGRESS = "in_progress", _("检查中")
        RECTIFYING = "rectifying", _("整改中")
        CLOSED = "closed", _("已闭环")
        CANCELLED = "cancelled", _("已取消")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="inspections", verbose_name=_("执法主体"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="inspections", verbose_name=_("被检查单位"))
    planned = models.OneToOneField(PlannedInspection, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="inspection")
    scheme = models.ForeignKey(InspectionScheme, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="inspections")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PLANNED)
    inspectors = models.ManyToManyField("accounts.User", related_name="inspections",
                                        verbose_name=_("执法人员"))
    # Officers of other departments on a joint inspection: [{"name", "department",
    # "certificate"}] — they hold no account here.
    partner_officers = models.JSONField(_("联合检查人员"), default=list, blank=True)
    planned_date = models.DateField(_("计划检查日期"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始检查时间"), null=True, blank=True)
    findings_done_at = models.DateTimeField(_("检查完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("闭环时间"), null=True, blank=True)
    # Short public code on the record: lets the enterprise verify who inspected.
    verification_code = models.CharField(_("检查核验码"), max_length=12, unique=True)
    # Idempotency: the client (a phone) generates the id; a resend creates nothing new.
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        indexes = [
            models.Index(fields=["authority", "status", "-id"], name="insp_auth_status"),
            models.Index(fields=["enterprise", "-id"], name="insp_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.verification_code}"


INSPECTION_TRANSITIONS: dict[str, set[str]] = {
    Inspection.Status.PLANNED: {Inspection.Status.IN_PROGRESS, Inspection.Status.CANCELLED},
    Inspection.Status.IN_PROGRESS: {Inspection.Status.RECTIFYING, Inspection.Status.CLOSED},
    Inspection.Status.RECTIFYING: {Inspection.Status.CLOSED},
    Inspection.Status.CLOSED: set(),
    Inspection.Status.CANCELLED: set(),
}


class InspectionItem(models.Model):
    """One checklist item chosen for this enterprise, and the answer given on site."""

    class Result(models.TextChoices):
        PENDING = "pending", _("未检查")
        COMPLIANT = "compliant", _("符合")
        NON_COMPLIANT = "non_compliant", _("不符合")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="items")
    checklist_item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT,
                                       related_name="+")
    order = models.PositiveIntegerField()
    result = models.CharField(_("检查结果"), max_length=16, choices=Result.choices,
                              default=Result.PENDING)
    note = models.TextField(_("检查记录"), blank=True)
    answered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "checklist_item"],
                                               name="inspection_item_unique")]

    def __str__(self) -> str:
        return f"{self.inspection_id}#{self.order}"


@pghistory.track()
class Hazard(models.Model):
    """List 2, a hidden danger (隐患), and the state of its rectification (lists 3 and 4)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待下达整改")
        RECTIFYING = "rectifying", _("整改中")
        REPORTED = "reported", _("已报整改完成")
        ACCEPTED = "accepted", _("复查通过")
        ESCALATED = "escalated", _("已移交立案")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="hazards")
    item = models.OneToOneField(InspectionItem, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="hazard")
    description = models.TextField(_("隐患描述"))
    legal_basis = models.CharField(_("违反的规定"), max_length=200, blank=True)
    is_major = models.BooleanField(_("重大事故隐患"), default=False)
    major_criterion = models.CharField(_("重大隐患判定依据"), max_length=200, blank=True)
    plant_location = models.CharField(_("隐患部位"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.OPEN)
    # 挂牌督办: a major hidden danger listed for supervision until accepted.
    listed_at = models.DateTimeField(_("挂牌督办时间"), null=True, blank=True)
    delisted_at = models.DateTimeField(_("摘牌时间"), null=True, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        indexes = [models.Index(fields=["status", "inspection"], name="hazard_status")]

    def __str__(self) -> str:
        return self.description[:40]


HAZARD_TRANSITIONS: dict[str, set[str]] = {
    Hazard.Status.OPEN: {Hazard.Status.RECTIFYING, Hazard.Status.ACCEPTED},
    Hazard.Status.RECTIFYING: {Hazard.Status.REPORTED, Hazard.Status.ACCEPTED,
                               Hazard.Status.ESCALATED},
    Hazard.Status.REPORTED: {Hazard.Status.ACCEPTED, Hazard.Status.RECTIFYING,
                             Hazard.Status.ESCALATED},
    Hazard.Status.ACCEPTED: set(),
    Hazard.Status.ESCALATED: set(),
}
HAZARD_SETTLED = frozenset({Hazard.Status.ACCEPTED, Hazard.Status.ESCALATED})


class OnSiteMeasure(models.TextChoices):
    NONE = "", _("无")
    STOP_WORK = "stop_work", _("责令立即停止作业")
    SUSPEND = "suspend", _("责令暂时停产停业")
    STOP_EQUIPMENT = "stop_equipment", _("责令停止使用相关设施、设备")
    EVACUATE = "evacuate", _("从危险区域内撤出作业人员")


class RectificationOrder(models.Model):
    """List 3: how, by whom and by when a hidden danger is fixed."""

    class Kind(models.TextChoices):
        ON_SPOT = "on_spot", _("现场立即整改")
        DEADLINE = "deadline", _("限期整改")

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="order")
    kind = models.CharField(_("整改方式"), max_length=16, choices=Kind.choices)
    deadline_days = models.PositiveSmallIntegerField(_("整改期限（日）"), null=True,
                                                     blank=True)
    due_date = models.DateField(_("整改期限至"), null=True, blank=True)
    due_provisional = models.BooleanField(default=False)
    responsible_person = models.CharField(_("整改责任人"), max_length=64)
    measures = models.TextField(_("整改措施"))
    funds = models.DecimalField(_("整改资金（万元）"), max_digits=12, decimal_places=2,
                                null=True, blank=True)
    # 五到位 for a major hidden danger: measures, funds, deadline, responsible person,
    # emergency plan — all five are required.
    emergency_plan = models.TextField(_("应急预案"), blank=True)
    onsite_measure = models.CharField(_("现场处理措施"), max_length=16,
                                      choices=OnSiteMeasure.choices, blank=True, default="")
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    reported_done_at = models.DateTimeField(_("报告整改完成时间"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("整改指令")
        verbose_name_plural = _("整改指令")
        indexes = [models.Index(fields=["due_date"], name="order_due")]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.kind} {self.due_date}"


class ReCheck(models.Model):
    """List 4: the re-check and acceptance of one hidden danger."""

    class Result(models.TextChoices):
        PASSED = "passed", _("复查合格")
        FAILED = "failed", _("复查不合格")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="rechecks")
    due_date = models.DateField(_("复查期限至"))
    due_provisional = models.BooleanField(default=False)
    result = models.CharField(_("复查结论"), max_length=8, choices=Result.choices,
                              blank=True)
    note = models.TextField(_("复查意见"), blank=True)
    checked_by = models.ManyToManyField("accounts.User", blank=True, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("复查验收")
        verbose_name_plural = _("复查验收")
        ordering = ["hazard", "id"]
        indexes = [models.Index(fields=["due_date"], name="recheck_due")]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.result or 'pending'}"


# --- Evidence, recorder footage and signatures of an inspection ---

class Evidence(models.Model):
    """A photo or short video. The original bytes are kept exactly (outside any public
    media root, served only after a permission check); pages show a re-encoded preview
    without EXIF. The SHA-256 of the original goes into the audit trail."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        VIDEO = "video", _("视频")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT,
                                   related_name="evidence")
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="evidence")
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="evidence")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_path = models.CharField(max_length=500)  # relative to settings.EVIDENCE_ROOT
    preview_path = models.CharField(max_length=500, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("现场证据")
        verbose_name_plural = _("现场证据")
        indexes = [models.Index(fields=["inspection", "id"], name="evidence_inspection")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class RecorderFootage(models.Model):
    """执法记录仪: a reference to the full-process recording of the inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="footage")
    device_id = models.CharField(_("记录仪编号"), max_length=64)
    file_reference = models.CharField(_("视频文件编号"), max_length=255)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("执法记录仪视频")
        verbose_name_plural = _("执法记录仪视频")
        constraints = [models.CheckConstraint(condition=Q(ended_at__gt=models.F("started_at")),
                                              name="footage_times_ordered")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.file_reference}"


class Signature(models.Model):
    """A signature drawn on the screen (PNG kept with its SHA-256)."""

    class Role(models.TextChoices):
        ENTERPRISE = "enterprise", _("被检查单位负责人")
        INSPECTOR = "inspector", _("执法人员")

    class Document(models.TextChoices):
        ONSITE_RECORD = "onsite_record", _("现场检查记录")
        RECTIFICATION_ORDER = "rectification_order", _("责令限期整改指令书")
        RECHECK = "recheck", _("整改复查意见书")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="signatures")
    document = models.CharField(_("文书"), max_length=24, choices=Document.choices)
    signer_role = models.CharField(_("签名人身份"), max_length=16, choices=Role.choices)
    signer_name = models.CharField(_("签名人"), max_length=64)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    image_path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("签名")
        verbose_name_plural = _("签名")
        constraints = [models.UniqueConstraint(
            fields=["inspection", "document", "signer_role", "signer_name"],
            name="signature_once_per_signer")]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.get_document_display()}"
