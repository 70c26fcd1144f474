"""12350 reports (举报, 安全生产法 第七十三条 to 第七十六条; DOMAIN.md B7).

A report is received from the public (anonymous or named), routed to the
emergency-management bureau of the district reported (or referred by remit to another
department), accepted or rejected, verified (linked to the inspection or case it
triggered), fed back to the reporter and closed. The reporter's identity lives in its
own table (``ReporterIdentity``) that only authorised staff read; nothing the
enterprise or the public sees is built from it. The query code is kept as a keyed hash
only: the reporter holds the code, the platform cannot show it again.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import Workflow, register


class ReportQuerySet(AuthorityScopedQuerySet):
    """Visible to the staff of the authority the report was routed to."""


class ReportCategory(models.TextChoices):
    ILLEGAL_PRODUCTION = "illegal_production", _("非法违法生产经营")
    HIDDEN_DANGER = "hidden_danger", _("事故隐患")
    CONCEALED_ACCIDENT = "concealed_accident", _("瞒报、谎报事故")
    OCCUPATIONAL_HAZARD = "occupational_hazard", _("职业病危害")
    OTHER = "other", _("其他")


class ReportTopic(models.TextChoices):
    """The remit the subject belongs to (routing.py); chosen on the form."""

    SAFETY = "safety", _("安全生产（工贸、危化、非煤矿山等）")
    FIRE = "fire", _("消防安全")
    CONSTRUCTION = "construction", _("建筑施工")
    OCCUPATIONAL_HEALTH = "occupational_health", _("职业健康")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")


class PublicReport(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("已接收")
        ACCEPTED = "accepted", _("已受理")
        REJECTED = "rejected", _("不予受理")
        FORWARDED = "forwarded", _("已转交")
        VERIFYING = "verifying", _("核查中")
        VERIFIED = "verified", _("已核查")
        FED_BACK = "fed_back", _("已反馈")
        CLOSED = "closed", _("已办结")

    class Finding(models.TextChoices):
        NONE = "", _("—")
        SUBSTANTIATED = "substantiated", _("举报属实")
        PARTLY = "partly", _("部分属实")
        UNSUBSTANTIATED = "unsubstantiated", _("举报不属实")

    tracking_no = models.CharField(_("举报编号"), max_length=20, unique=True)
    #: HMAC-SHA256 of the query code (keyed by SECRET_KEY); the code itself is never kept.
    query_code_hash = models.CharField(_("查询码摘要"), max_length=64)
    category = models.CharField(_("举报类别"), max_length=24, choices=ReportCategory.choices)
    topic = models.CharField(_("事项领域"), max_length=24, choices=ReportTopic.choices,
                             default=ReportTopic.SAFETY)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="public_reports",
                                   verbose_name=_("被举报单位"))
    enterprise_name = models.CharField(_("被举报单位名称"), max_length=200)
    place = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("举报地点（区县、街道）"))
    address = models.CharField(_("详细地点"), max_length=200, blank=True)
    description = models.TextField(_("举报内容"))
    anonymous = models.BooleanField(_("匿名举报"), default=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.RECEIVED)

    #: The receiving authority (the district emergency-management bureau of the place).
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="public_reports", verbose_name=_("受理机关"))
    #: The department competent by remit (routing.py), when it is not emergency management.
    remit_department = models.CharField(_("主管部门（按职责）"), max_length=32,
                                        choices=Authority.Department.choices,
                                        default=Authority.Department.EMERGENCY)
    remit_basis = models.CharField(_("职责依据"), max_length=200, blank=True)
    forwarded_to = models.ForeignKey(Authority, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("转交部门"))

    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("不予受理或转交理由"), blank=True)
    verified_at = models.DateTimeField(_("核查完成时间"), null=True, blank=True)
    finding = models.CharField(_("核查结论"), max_length=16, choices=Finding.choices,
                               blank=True, default=Finding.NONE)
    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("核查检查"))
    case = models.ForeignKey("enforcement.Case", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("核查案件"))
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    #: "Same matter as report X" (staff link): only the first real-name reporter of a
    #: matter is rewarded.
    same_matter_as = models.ForeignKey("self", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="duplicates",
                                       verbose_name=_("同一事项举报"))

    handling_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    extended = models.BooleanField(_("已延期办结"), default=False)
    feedback_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        indexes = [
            # The staff list: by authority and status, newest first (keyset on id).
            models.Index(fields=["authority", "status", "-id"], name="report_auth_status"),
            models.Index(fields=["enterprise", "-id"], name="report_enterprise"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(same_matter_as=models.F("id")),
                                   name="report_not_same_as_itself"),
        ]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def jurisdiction_path(self) -> str:
        return str(self.authority.jurisdiction.path)


class ReporterIdentity(models.Model):
    """Who reported (a named report only). Kept apart: only authorised staff read it,
    each reading is audited, and no enterprise-facing output is built from it."""

    report = models.OneToOneField(PublicReport, on_delete=models.PROTECT,
                                  related_name="identity", primary_key=True)
    name = models.CharField(_("举报人姓名"), max_length=64)
    phone = models.CharField(_("联系电话"), max_length=32)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("举报人信息")
        verbose_name_plural = _("举报人信息")

    def __str__(self) -> str:
        # Never the name: a repr lands in audit events, logs and admin breadcrumbs.
        return f"举报人信息（{self.report_id}）"


class ReportPhoto(models.Model):
    """A photo sent with a report, stored like inspection evidence (original kept
    under EVIDENCE_ROOT, a preview rebuilt from pixels without EXIF)."""

    report = models.ForeignKey(PublicReport, on_delete=models.PROTECT, related_name="photos")
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_path = models.CharField(max_length=255)
    preview_path = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("举报照片")
        verbose_name_plural = _("举报照片")

    def __str__(self) -> str:
        return f"举报照片 {self.pk}"


class ReportReply(models.Model):
    """What the reporter reads on the progress page (public) or a staff-only note."""

    report = models.ForeignKey(PublicReport, on_delete=models.PROTECT, related_name="replies")
    public = models.BooleanField(_("向举报人公开"), default=True)
    text = models.TextField(_("内容"))
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")

    class Meta:
        verbose_name = _("举报答复")
        verbose_name_plural = _("举报答复")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"举报答复 {self.pk}"


class RewardBasis(models.TextChoices):
    FINE = "fine", _("查处罚款")
    CONCEALED_ACCIDENT = "concealed_accident", _("查实瞒报、谎报事故")


class ReportReward(models.Model):
    """The reward of a report (安监总财〔2018〕19号), computed by reward.py, approved by
    the head of the authority, its payment recorded."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("已核算")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")
        PAID = "paid", _("已发放")

    report = models.OneToOneField(PublicReport, on_delete=models.PROTECT,
                                  related_name="reward")
    basis = models.CharField(_("奖励依据"), max_length=20, choices=RewardBasis.choices)
    fine = models.DecimalField(_("罚款金额（元）"), max_digits=12, decimal_places=2,
                               null=True, blank=True)
    deaths = models.PositiveIntegerField(_("瞒报死亡人数"), null=True, blank=True)
    accident_grade = models.CharField(_("事故等级"), max_length=20, blank=True)
    amount = models.DecimalField(_("奖励金额（元）"), max_digits=12, decimal_places=2)
    rates_source = models.CharField(_("标准依据"), max_length=200)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.COMPUTED)
    computed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(_("发放凭证号"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("举报奖励")
        verbose_name_plural = _("举报奖励")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="reward_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"举报奖励 {self.amount}（{self.get_status_display()}）"


S = PublicReport.Status
REPORT_TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.ACCEPTED, S.REJECTED, S.FORWARDED},
    S.ACCEPTED: {S.VERIFYING},
    S.VERIFYING: {S.VERIFIED},
    S.VERIFIED: {S.FED_BACK},
    S.FED_BACK: {S.CLOSED},
    S.REJECTED: set(),
    S.FORWARDED: set(),
    S.CLOSED: set(),
}
REPORT_WORKFLOW = register(Workflow(
    model=PublicReport, transitions=REPORT_TRANSITIONS, event_prefix="public_report",
    label_zh="举报", label_en="12350 report", touch_fields=("updated_at",),
    id_key="report", jurisdiction_path=lambda row: row.authority.jurisdiction.path))

RS = ReportReward.Status
REWARD_TRANSITIONS: dict[str, set[str]] = {
    RS.COMPUTED: {RS.APPROVED, RS.REFUSED},
    RS.APPROVED: {RS.PAID},
    RS.REFUSED: set(),
    RS.PAID: set(),
}
REWARD_WORKFLOW = register(Workflow(
    model=ReportReward, transitions=REWARD_TRANSITIONS, event_prefix="report_reward",
    label_zh="举报奖励", label_en="report reward", touch_fields=("updated_at",),
    id_key="reward", subject=lambda row: row.report,
    jurisdiction_path=lambda row: row.report.authority.jurisdiction.path))
