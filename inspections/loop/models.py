"""The four-checklist loop (检查任务 → 隐患问题 → 整改工作 → 复查验收): inspections,
their items, hidden dangers, rectification orders and re-checks."""

from __future__ import annotations

import pghistory
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workflow import Workflow, register
from inspections.checklists.models import ChecklistItem, InspectionScheme
from inspections.plans.models import PlannedInspection

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
INSPECTION_WORKFLOW = register(Workflow(
    model=Inspection, transitions=INSPECTION_TRANSITIONS, event_prefix="inspection",
    label_zh="检查", label_en="inspection", subject=lambda row: row.enterprise))


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
    # When the answer was given on site, by the phone's clock, if it was queued
    # offline and reached the server later (answered_at is the server's time).
    given_at = models.DateTimeField(_("现场作答时间"), null=True, blank=True)

    class Meta:
        ordering = ["inspection", "order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "checklist_item"],
                                               name="inspection_item_unique")]

    def __str__(self) -> str:
        return f"{self.inspection_id}#{self.order}"


class AnswerReceipt(models.Model):
    """One answer submission, by the client id the phone gave it when it was queued.

    An answer queued offline may reach the server twice (the response was lost, the
    phone resent it); the receipt makes the resend a no-op, so an older answer sent
    again never overwrites a newer one.
    """

    client_id = models.UUIDField(primary_key=True)
    item = models.ForeignKey(InspectionItem, on_delete=models.CASCADE,
                             related_name="receipts")
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.client_id)


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
HAZARD_WORKFLOW = register(Workflow(
    model=Hazard, transitions=HAZARD_TRANSITIONS, event_prefix="hazard", label_zh="隐患",
    label_en="hidden danger", subject=lambda row: row.inspection.enterprise))


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
    # The last day of a 责令暂时停产停业 / 停止使用 measure: the clock rule
    # "stop_measure_limit" counted from the day the order was issued (measure_limit.py).
    onsite_measure_until = models.DateField(_("现场处理措施期限至"), null=True, blank=True)
    onsite_measure_until_provisional = models.BooleanField(default=False)
    # Set once by the daily sweep when the limit has passed with the danger unsettled.
    onsite_measure_lapsed_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("整改指令")
        verbose_name_plural = _("整改指令")
        indexes = [
            models.Index(fields=["due_date"], name="order_due"),
            # The sweep reads only measures with a limit not yet flagged.
            models.Index(fields=["onsite_measure_until"], name="order_measure_until",
                         condition=Q(onsite_measure_until__isnull=False,
                                     onsite_measure_lapsed_flagged_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.kind} {self.due_date}"


class DeadlineExtension(models.Model):
    """整改延期: the enterprise's written request to extend a rectification order's
    deadline, made before the deadline expires and registered by an officer of the
    inspection, then decided with a reason by a chief or an approver (never by the
    officer who registered it). DOMAIN.md B5 / the provincial 挂牌督办 rules: "extension
    requests before expiry"; the periods added are calendar days like the order's."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE,
                              related_name="extensions")
    requested_on = models.DateField(_("书面申请日期"))
    extra_days = models.PositiveSmallIntegerField(_("申请延长（自然日）"))
    reason = models.TextField(_("申请理由"))
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("登记人"))
    registered_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    old_due_date = models.DateField(_("原整改期限"))
    new_due_date = models.DateField(_("延长后期限"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("审批人"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("整改延期申请")
        verbose_name_plural = _("整改延期申请")
        ordering = ["order", "registered_at"]
        constraints = [models.UniqueConstraint(
            fields=["order"], condition=Q(status="pending"), name="one_pending_extension")]

    def __str__(self) -> str:
        return f"{self.order_id} +{self.extra_days} {self.status}"


EXTENSION_TRANSITIONS: dict[str, set[str]] = {
    DeadlineExtension.Status.PENDING: {DeadlineExtension.Status.APPROVED,
                                       DeadlineExtension.Status.REFUSED},
    DeadlineExtension.Status.APPROVED: set(),
    DeadlineExtension.Status.REFUSED: set(),
}
EXTENSION_WORKFLOW = register(Workflow(
    model=DeadlineExtension, transitions=EXTENSION_TRANSITIONS, event_prefix="extension",
    label_zh="整改延期申请", label_en="deadline extension",
    subject=lambda row: row.order.hazard.inspection.enterprise))


class ReCheck(models.Model):
    """List 4: the re-check and acceptance of one hidden danger."""

    class Result(models.TextChoices):
        PASSED = "passed", _("复查合格")
        FAILED = "failed", _("复查不合格")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="rechecks")
    due_date = models.DateField(_("复查期限至"))
    due_provisional = models.BooleanField(default=False)
    # What the due date was counted from (the report, the deadline or the application)
    # and with which period: a provisional one is recomputed once its year's schedule
    # is entered (loop/provisional.py). Empty on rows made before they were kept.
    due_from = models.DateField(null=True, blank=True)
    due_kind = models.CharField(max_length=16, blank=True)
    due_amount = models.PositiveSmallIntegerField(null=True, blank=True)
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




# --- Major hidden dangers: 挂牌督办, the enterprise's reports, resuming after a stop ---

class SupervisionListing(models.Model):
    """挂牌督办 of one major hidden danger: the supervising notice (its number, level and
    supervising unit), its publication, and its 核销 once the danger is removed and the
    re-check accepted it, with the publication of the de-listing (安全生产法 第四十一条
    第三款 "建立健全重大事故隐患治理督办制度"; the notice, publication and de-listing
    steps follow the provincial rules summarised in DOMAIN.md B5, [S] for their
    elements, not for a national text)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级挂牌督办")
        CITY = "city", _("市级挂牌督办")
        DISTRICT = "district", _("区县级挂牌督办")

    class Status(models.TextChoices):
        LISTED = "listed", _("挂牌督办中")
        DELISTED = "delisted", _("已核销摘牌")

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="listing")
    notice_number = models.CharField(_("督办通知书文号"), max_length=64)
    level = models.CharField(_("督办级别"), max_length=16, choices=Level.choices)
    supervising_unit = models.CharField(_("督办单位"), max_length=100)
    listed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("挂牌人"))
    listed_at = models.DateTimeField(_("挂牌督办时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.LISTED)
    listing_published_on = models.DateField(_("挂牌公开日期"), null=True, blank=True)
    listing_channel = models.CharField(_("挂牌公开渠道"), max_length=200, blank=True)
    delisted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("核销人"))
    delisted_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    delisting_note = models.TextField(_("核销意见"), blank=True)
    delisting_published_on = models.DateField(_("摘牌公开日期"), null=True, blank=True)
    delisting_channel = models.CharField(_("摘牌公开渠道"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")

    def __str__(self) -> str:
        return f"{self.notice_number} {self.status}"


LISTING_TRANSITIONS: dict[str, set[str]] = {
    SupervisionListing.Status.LISTED: {SupervisionListing.Status.DELISTED},
    SupervisionListing.Status.DELISTED: set(),
}
LISTING_WORKFLOW = register(Workflow(
    model=SupervisionListing, transitions=LISTING_TRANSITIONS, event_prefix="listing",
    label_zh="挂牌督办", label_en="supervision listing",
    subject=lambda row: row.hazard.inspection.enterprise))


class MajorHazardReport(models.Model):
    """What the enterprise reports on a major hidden danger: its 治理方案 and its reports
    on the work. 安全生产法 第四十一条第二款: "重大事故隐患排查治理情况应当及时向负有安全生产
    监督管理职责的部门和职工大会或者职工代表大会报告" [S]. Registered by an officer from
    the paper received; never edited (a correction is a new report)."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("重大事故隐患治理方案")
        PROGRESS = "progress", _("治理情况报告")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE,
                               related_name="major_reports")
    kind = models.CharField(_("报告类型"), max_length=16, choices=Kind.choices)
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("主要内容"))
    # The same article makes the enterprise report to its workers' assembly too.
    workers_informed = models.BooleanField(_("已向职工大会或职工代表大会报告"),
                                           default=False)
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("登记人"))
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("重大事故隐患治理报告")
        verbose_name_plural = _("重大事故隐患治理报告")
        ordering = ["hazard", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.kind} {self.received_on}"


class ResumeApplication(models.Model):
    """复产申请: a major hidden danger under a stop measure is reviewed on the
    enterprise's written application, and work resumes only with consent. 安全生产法
    第六十五条第一款第三项: "重大事故隐患排除后，经审查同意，方可恢复生产经营和使用" [S].
    The review is the re-check (two certified officers, on site); its period is the clock
    rule "resume_review" (DOMAIN.md B5: 10 days after the application, [K])."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审查")
        CONSENTED = "consented", _("同意恢复生产经营和使用")
        REFUSED = "refused", _("不同意恢复")
        WITHDRAWN = "withdrawn", _("单位撤回申请")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE,
                               related_name="resume_applications")
    applied_on = models.DateField(_("书面申请日期"))
    self_assessment = models.TextField(_("单位自查评估情况"))
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("登记人"))
    registered_at = models.DateTimeField(default=timezone.now)
    review_due = models.DateField(_("审查期限至"))
    review_due_provisional = models.BooleanField(default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("复产申请")
        verbose_name_plural = _("复产申请")
        ordering = ["hazard", "registered_at"]
        constraints = [models.UniqueConstraint(
            fields=["hazard"], condition=Q(status="pending"), name="one_pending_resume")]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.applied_on} {self.status}"


RESUME_TRANSITIONS: dict[str, set[str]] = {
    ResumeApplication.Status.PENDING: {ResumeApplication.Status.CONSENTED,
                                       ResumeApplication.Status.REFUSED,
                                       ResumeApplication.Status.WITHDRAWN},
    ResumeApplication.Status.CONSENTED: set(),
    ResumeApplication.Status.REFUSED: set(),
    ResumeApplication.Status.WITHDRAWN: set(),
}
RESUME_WORKFLOW = register(Workflow(
    model=ResumeApplication, transitions=RESUME_TRANSITIONS, event_prefix="resume",
    label_zh="复产申请", label_en="application to resume",
    subject=lambda row: row.hazard.inspection.enterprise))
