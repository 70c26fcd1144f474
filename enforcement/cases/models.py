"""Enforcement cases (行政处罚案件) from filing to closing, with due process.

A case belongs to the authority that handles it and is scoped by that authority's
jurisdiction (``visible_to``). Its parties are the unit and the natural persons the
safety law names (处罚到人); each party gets its own ``PenaltyDecision``. Every step a
case passes is appended to ``CaseStepRecord`` (行政处罚法 Art. 47: full-process record)
with the document type that step produces, so the document service can be wired in
later without changing the workflow. Clocks are ``workdays.Deadline`` rows started
from the clock rule table (``start_clock``), with the case as their subject.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.grounds.models import PartyKind
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import Workflow, register


class CaseQuerySet(AuthorityScopedQuerySet):
    pass


class ReviewReason(models.TextChoices):
    """Why 法制审核 is mandatory before the decision (行政处罚法 Art. 58)."""

    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益")
    AFTER_HEARING = "after_hearing", _("经过听证程序")
    COMPLEX = "complex", _("案件情况疑难复杂、涉及多个法律关系")
    OTHER_LAW = "other_law", _("法律、法规规定应当进行法制审核的其他情形")


@pghistory.track()
class Case(models.Model):
    class Source(models.TextChoices):
        HAZARD = "hazard", _("隐患复查不合格移交")
        INSPECTION = "inspection", _("监督检查发现违法行为")
        REPORT_12350 = "report_12350", _("12350举报")
        ACCIDENT = "accident", _("生产安全事故")
        TRANSFER_IN = "transfer_in", _("其他部门移送")
        REFERRAL = "referral", _("上级交办")

    class Procedure(models.TextChoices):
        GENERAL = "general", _("普通程序")
        SUMMARY = "summary", _("简易程序")

    class Status(models.TextChoices):
        PENDING = "pending", _("待立案")
        FILED = "filed", _("已立案")
        INVESTIGATING = "investigating", _("调查取证")
        REVIEW = "review", _("案件审理")
        LEGAL_REVIEW = "legal_review", _("法制审核")
        COLLECTIVE = "collective", _("集体讨论")
        NOTIFIED = "notified", _("告知")
        HEARING = "hearing", _("听证")
        DECIDED = "decided", _("已作出决定")
        SERVED = "served", _("已送达")
        EXECUTING = "executing", _("执行")
        CLOSED = "closed", _("结案")
        DECLINED = "declined", _("不予立案")
        NO_PENALTY = "no_penalty", _("不予处罚")
        TERMINATED = "terminated", _("终止")
        REVOKED = "revoked", _("撤销")

    class NoPenaltyGround(models.TextChoices):
        FIRST_MINOR = "first_minor", _("初次违法且危害后果轻微并及时改正（首违不罚）")
        MINOR_CORRECTED = "minor_corrected", _("违法行为轻微并及时改正，没有造成危害后果")
        NO_FAULT = "no_fault", _("当事人有证据足以证明没有主观过错")
        NOT_ESTABLISHED = "not_established", _("违法事实不能成立")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="cases",
                                  verbose_name=_("执法主体"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="cases", verbose_name=_("涉案单位"))
    source = models.CharField(_("案件来源"), max_length=16, choices=Source.choices)
    source_ref = models.CharField(_("来源编号"), max_length=100, blank=True,
                                  help_text=_("如12350举报编号、移送函文号、交办文号"))
    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="cases",
                                   verbose_name=_("来源检查"))
    hazard = models.ForeignKey("inspections.Hazard", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="cases", verbose_name=_("来源隐患"))
    procedure = models.CharField(_("程序"), max_length=8, choices=Procedure.choices,
                                 default=Procedure.GENERAL)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    title = models.CharField(_("案由"), max_length=200)
    facts = models.TextField(_("违法事实及线索"), blank=True)
    officers = models.ManyToManyField("accounts.User", related_name="cases",
                                      verbose_name=_("承办人"))
    # 重大案件: collective discussion and legal review are mandatory.
    is_major = models.BooleanField(_("重大案件"), default=False)
    review_reasons = ArrayField(models.CharField(max_length=20, choices=ReviewReason.choices),
                                default=list, blank=True, verbose_name=_("法制审核理由"))
    # 先行调查后立案: found on site, investigated first, filed within the rule's period.
    investigated_first = models.BooleanField(_("先行调查"), default=False)
    found_at = models.DateTimeField(_("发现时间"), null=True, blank=True)

    filing_submitted_at = models.DateTimeField(_("立案呈报时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    filing_approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="+")
    investigation_report = models.TextField(_("案件调查报告"), blank=True)
    proposed_handling = models.TextField(_("处理意见"), blank=True)
    legal_reviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+",
                                       verbose_name=_("法制审核人"))
    legal_review_opinion = models.TextField(_("法制审核意见"), blank=True)
    legal_reviewed_at = models.DateTimeField(null=True, blank=True)
    discussed_at = models.DateTimeField(_("集体讨论时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    # What the notice proposed, per party: [{"party", "kinds", "fine_amount"}]. The
    # decision may not be heavier (行政处罚法 Art. 45).
    proposed_penalties = models.JSONField(_("拟处罚内容"), default=list, blank=True)
    hearing_right = models.BooleanField(_("享有听证权利"), default=False)
    hearing_requested_at = models.DateTimeField(_("申请听证时间"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("听证时间"), null=True, blank=True)
    hearing_presider = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("听证主持人"))
    hearing_held_at = models.DateTimeField(_("听证举行完毕"), null=True, blank=True)
    statement_recorded_at = models.DateTimeField(_("陈述申辩记录时间"), null=True, blank=True)
    defence_waived = models.BooleanField(_("明确放弃陈述申辩和听证"), default=False)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    no_penalty_ground = models.CharField(_("不予处罚理由"), max_length=20, blank=True,
                                         choices=NoPenaltyGround.choices)
    outcome_reason = models.TextField(_("不予立案、终止、撤销理由"), blank=True)

    # The clocks of the case (rows of workdays.Deadline, subject = this case).
    filing_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    decision_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    statement_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="+")
    hearing_request_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+")

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        indexes = [
            models.Index(fields=["authority", "status", "-id"], name="case_auth_status"),
            models.Index(fields=["enterprise", "-id"], name="case_enterprise"),
        ]
        constraints = [
            # One case per escalated hidden danger: opening it twice is refused.
            models.UniqueConstraint(fields=["hazard"], condition=~Q(hazard=None),
                                    name="case_one_per_hazard"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def legal_review_required(self) -> bool:
        return self.is_major or bool(self.review_reasons)


S = Case.Status
CASE_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.FILED, S.DECLINED, S.SERVED},  # → served: summary procedure on the spot
    S.FILED: {S.INVESTIGATING, S.TERMINATED},
    S.INVESTIGATING: {S.REVIEW, S.TERMINATED},
    S.REVIEW: {S.INVESTIGATING, S.LEGAL_REVIEW, S.NOTIFIED, S.NO_PENALTY, S.TERMINATED},
    S.LEGAL_REVIEW: {S.COLLECTIVE, S.NOTIFIED, S.NO_PENALTY, S.TERMINATED},
    S.COLLECTIVE: {S.NOTIFIED, S.NO_PENALTY, S.TERMINATED},
    S.NOTIFIED: {S.HEARING, S.DECIDED, S.NO_PENALTY, S.TERMINATED},
    # After the hearing: the mandatory legal review (and a major case's discussion) are
    # recorded while the case stays here, then the decision.
    S.HEARING: {S.DECIDED, S.NO_PENALTY, S.TERMINATED},
    S.DECIDED: {S.SERVED, S.REVOKED},
    S.SERVED: {S.EXECUTING, S.CLOSED, S.REVOKED},
    S.EXECUTING: {S.CLOSED, S.REVOKED, S.TERMINATED},
    S.CLOSED: set(),
    S.DECLINED: set(),
    S.NO_PENALTY: set(),
    S.TERMINATED: set(),
    S.REVOKED: set(),
}
CASE_WORKFLOW = register(Workflow(
    model=Case, transitions=CASE_TRANSITIONS, event_prefix="case", label_zh="案件",
    label_en="case", touch_fields=("updated_at",)))


class PartyRole(models.TextChoices):
    """Who is punished (处罚到人, 安全生产法 Arts. 94–97 and their neighbours)."""

    UNIT = "unit", _("生产经营单位")
    PRINCIPAL = "principal", _("主要负责人")
    SAFETY_MANAGER = "safety_manager", _("安全生产管理人员")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("直接负责的主管人员")
    OTHER_RESPONSIBLE = "other_responsible", _("其他直接责任人员")
    PERSON = "person", _("自然人当事人")


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("当事人类型"), max_length=16, choices=PartyKind.choices)
    role = models.CharField(_("身份"), max_length=24, choices=PartyRole.choices)
    name = models.CharField(_("名称或姓名"), max_length=200)
    # Unified social credit code for a unit, ID number for a person.
    identifier = models.CharField(_("统一社会信用代码或身份证号"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class EvidenceKind(models.TextChoices):
    """The eight kinds of evidence (行政处罚法 Art. 46)."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    RECORD = "record", _("勘验笔录、现场笔录")


class PreservationOutcome(models.TextChoices):
    """What happens to evidence preserved in advance (先行登记保存), decided within 7 WD."""

    RETURN = "return", _("解除登记保存，退还")
    SEIZE = "seize", _("依法查封、扣押")
    CONFISCATE = "confiscate", _("依法没收")
    EXPERT = "expert", _("送交检验、鉴定")
    TRANSFER = "transfer", _("移送有关机关")


class CaseEvidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("证据种类"), max_length=20, choices=EvidenceKind.choices)
    description = models.TextField(_("证据内容"))
    # Where it came from: "inspections.Hazard:12", "inspections.EvidenceFile:3", a record.
    source_ref = models.CharField(_("来源"), max_length=100, blank=True)
    collected_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                     related_name="+")
    collected_at = models.DateTimeField(default=timezone.now)
    preserved = models.BooleanField(_("先行登记保存"), default=False)
    preservation_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")
    preservation_outcome = models.CharField(_("登记保存处理决定"), max_length=12, blank=True,
                                            choices=PreservationOutcome.choices)
    preservation_decided_at = models.DateTimeField(null=True, blank=True)
    preservation_approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                                 null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description[:30]}"


class DocumentType(models.TextChoices):
    """The document each step produces, by its number code (DOMAIN.md corrections, B4).
    The document service (hangzhou_safety/documents) renders and numbers them."""

    FILING = "应急立", _("立案审批表")
    INQUIRY = "应急询", _("询问通知书")
    EVIDENCE_LIST = "应急证", _("证据登记")
    PRESERVATION = "应急先保", _("先行登记保存证据通知书")
    PRESERVATION_DECISION = "应急先处", _("先行登记保存证据处理决定书")
    INVESTIGATION_REPORT = "应急调报", _("案件调查报告")
    LEGAL_REVIEW = "应急法审", _("行政处罚法制审核意见书")
    COLLECTIVE = "应急罚集", _("行政处罚集体讨论记录")
    PRIOR_NOTICE = "应急罚告", _("行政处罚告知书")
    HEARING_NOTICE = "应急听告", _("听证告知书")
    STATEMENT = "应急陈申", _("当事人陈述申辩笔录")
    HEARING_SUMMONS = "应急听通", _("听证会通知书")
    HEARING_RECORD = "应急听录", _("听证笔录")
    HANDLING = "应急处呈", _("案件处理呈批表")
    EXTENSION = "应急延", _("案件延期审批表")
    DECISION = "应急罚", _("行政处罚决定书")
    SUMMARY_DECISION = "应急当罚", _("行政（当场）处罚决定书")
    SERVICE = "应急回", _("文书送达回执")
    DEFERRAL_REVIEW = "应急缴审", _("延期（分期）缴纳罚款审批表")
    DEFERRAL_APPROVAL = "应急缴批", _("延期（分期）缴纳罚款批准书")
    DEMAND_NOTICE = "应急执行催告", _("催告书")
    COURT = "应急强执", _("强制执行申请书")
    CLOSING = "应急结", _("结案审批表")
    TERMINATION = "应急终", _("案件终止（撤销）审批表")
    DECISION_CHANGE = "应急罚变", _("行政处罚决定变更（撤销）决定书")
    NONE = "", _("无")


#: The steps in words for the case's timeline (the stored code stays the record; a
#: step named nowhere is shown as its code).
STEP_LABELS = {
    "opened": _("建立案件"),
    "file_case": _("呈报立案审批表"),
    "approve_filing": _("批准立案"),
    "decline_case": _("不予立案"),
    "start_investigation": _("开始调查取证"),
    "register_evidence": _("登记证据"),
    "decide_preserved_evidence": _("登记保存证据处理决定"),
    "submit_investigation_report": _("提交案件调查报告"),
    "return_for_investigation": _("退回补充调查"),
    "legal_review": _("法制审核"),
    "legal_review_after_hearing": _("听证后法制审核"),
    "record_collective_discussion": _("集体讨论"),
    "discussion_after_hearing": _("听证后集体讨论"),
    "notify_party": _("告知当事人"),
    "record_statement": _("陈述申辩"),
    "request_hearing": _("当事人申请听证"),
    "schedule_hearing": _("安排听证"),
    "record_hearing": _("听证笔录"),
    "extend_decision_period": _("延长办案期限"),
    "issue_decision": _("作出行政处罚决定"),
    "record_service": _("送达"),
    "start_execution": _("进入执行"),
    "record_payment": _("缴款"),
    "approve_deferral": _("批准延期（分期）缴纳"),
    "send_payment_demand": _("催告"),
    "apply_to_court": _("申请法院强制执行"),
    "record_court_enforcement": _("法院强制执行"),
    "close_case": _("结案"),
    "no_penalty": _("不予处罚"),
    "terminate": _("终止案件"),
    "revoke": _("撤销"),
    "summary_procedure_decision": _("当场处罚"),
    "record_decision_change": _("记录处罚决定变更"),
    "record_decision_upheld": _("记录复议、诉讼维持原决定"),
    "approve_decision_change": _("批准处罚决定变更"),
    "reject_decision_change": _("不予批准处罚决定变更"),
    "measure_proposed": _("呈请采取强制措施"),
    "measure_approved": _("批准实施强制措施"),
    "measure_refused": _("不予批准强制措施"),
    "measure_executed": _("实施强制措施"),
    "measure_emergency_executed": _("紧急情况下当场实施强制措施"),
    "measure_reported": _("向负责人报告强制措施"),
    "measure_approved_after": _("补办批准强制措施"),
    "measure_not_approved": _("不予补办批准强制措施"),
    "measure_extended": _("延长查封、扣押期限"),
    "measure_party_refused": _("记录当事人拒不执行"),
    "measure_item_disposed": _("处理查封、扣押的物品"),
    "measure_lifted": _("解除强制措施"),
    "measure_change_recorded": _("记录强制措施决定变更"),
    "measure_upheld": _("记录复议、诉讼维持强制措施决定"),
    "measure_change_approved": _("批准强制措施决定变更"),
    "measure_change_rejected": _("不予批准强制措施决定变更"),
}


@pgtrigger.register(pgtrigger.Protect(name="case_step_append_only",
                                      operation=pgtrigger.Update | pgtrigger.Delete))
class CaseStepRecord(models.Model):
    """One step of the case, append-only (a trigger refuses UPDATE and DELETE)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(_("环节"), max_length=40)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("经办人"), max_length=64)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    text = models.TextField(_("记录内容"), blank=True)
    # Collective discussion, hearing: [{"name", "position"}].
    participants = models.JSONField(_("参加人员"), default=list, blank=True)
    document_type = models.CharField(_("文书"), max_length=12, choices=DocumentType.choices,
                                     blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("办案环节记录")
        verbose_name_plural = _("办案环节记录")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"

    @property
    def label(self) -> str:
        return str(STEP_LABELS.get(self.step, self.step))


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    ORDERED_SUSPENSION = "ordered_suspension", _("责令停产停业整顿")
    LICENCE_SUSPENSION = "licence_suspension", _("暂扣许可证件")
    LICENCE_REVOCATION = "licence_revocation", _("吊销许可证件")
    CLOSURE = "closure", _("提请关闭")
    BAN = "ban", _("限制从业")


#: Penalties that open the right to a hearing whatever the amount (行政处罚法 Art. 63).
HEARING_PENALTIES = frozenset({
    PenaltyKind.ORDERED_SUSPENSION, PenaltyKind.LICENCE_SUSPENSION,
    PenaltyKind.LICENCE_REVOCATION, PenaltyKind.CLOSURE, PenaltyKind.BAN})


@pghistory.track()
class PenaltyDecision(models.Model):
    """The decision against one party (行政处罚决定书 or 当场处罚决定书)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("已作出")
        SERVED = "served", _("已送达")
        DEFERRED = "deferred", _("延期（分期）缴纳")
        OVERDUE = "overdue", _("逾期未缴")
        DEMANDED = "demanded", _("已催告")
        COURT = "court", _("已申请法院强制执行")
        PAID = "paid", _("已缴清")
        ENFORCED = "enforced", _("强制执行完毕")
        REVOKED = "revoked", _("已撤销")

    class ServiceMethod(models.TextChoices):
        IN_PERSON = "in_person", _("直接送达")
        ON_SPOT = "on_spot", _("当场交付")
        POST = "post", _("邮寄送达")
        ELECTRONIC = "electronic", _("电子送达（经当事人同意）")
        LEFT = "left", _("留置送达")
        ANNOUNCEMENT = "announcement", _("公告送达")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="decisions")
    kinds = ArrayField(models.CharField(max_length=20, choices=PenaltyKind.choices),
                       verbose_name=_("处罚种类"))
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=12, decimal_places=2,
                                      default=0)
    confiscation_amount = models.DecimalField(_("没收金额（元）"), max_digits=12,
                                              decimal_places=2, default=0)
    basis = models.TextField(_("处罚依据"), blank=True)
    # The discretion row the fine applied (grounds.selectors.applied_row_snapshot) and
    # any recorded departure from it; {} when the decision named no violation.
    applied_row_snapshot = models.JSONField(_("适用的裁量基准"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.ISSUED)
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("批准人"))
    issued_at = models.DateTimeField(_("决定日期"), default=timezone.now)
    served_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=16, blank=True,
                                      choices=ServiceMethod.choices)
    service_note = models.CharField(_("送达说明"), max_length=200, blank=True)
    payment_due = models.DateField(_("缴款期限至"), null=True, blank=True)
    deferred_until = models.DateField(_("延期至"), null=True, blank=True)
    instalments = models.JSONField(_("分期计划"), default=list, blank=True)
    paid_amount = models.DecimalField(_("已缴金额（元）"), max_digits=12, decimal_places=2,
                                      default=0)
    surcharge = models.DecimalField(_("加处罚款（元）"), max_digits=12, decimal_places=2,
                                   default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    demanded_at = models.DateTimeField(_("催告时间"), null=True, blank=True)
    court_applied_at = models.DateTimeField(_("申请强制执行时间"), null=True, blank=True)
    enforced_at = models.DateTimeField(null=True, blank=True)

    service_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")
    payment_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")
    demand_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("行政处罚决定")
        verbose_name_plural = _("行政处罚决定")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="decision_one_per_party"),
            models.CheckConstraint(condition=Q(fine_amount__gte=0), name="decision_fine_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.party.name} {self.get_status_display()}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(PenaltyKind.choices)
        return [str(labels.get(k, k)) for k in self.kinds]

    @property
    def has_money(self) -> bool:
        return self.fine_amount > 0 or self.confiscation_amount > 0


D = PenaltyDecision.Status
DECISION_TRANSITIONS: dict[str, set[str]] = {
    D.ISSUED: {D.SERVED, D.REVOKED},
    D.SERVED: {D.PAID, D.DEFERRED, D.OVERDUE, D.REVOKED},
    D.DEFERRED: {D.PAID, D.OVERDUE, D.REVOKED},
    D.OVERDUE: {D.PAID, D.DEMANDED, D.REVOKED},
    D.DEMANDED: {D.PAID, D.COURT, D.REVOKED},
    D.COURT: {D.ENFORCED},
    # A paid fine can still be annulled by reconsideration or litigation, or by the
    # authority's own correction; the amount paid is then refunded (行政强制法 第四十一条).
    D.PAID: {D.REVOKED},
    D.ENFORCED: set(),
    D.REVOKED: set(),
}
#: A decision that needs nothing more for the case to close.
DECISION_SETTLED = frozenset({D.PAID, D.ENFORCED, D.REVOKED})
DECISION_WORKFLOW = register(Workflow(
    model=PenaltyDecision, transitions=DECISION_TRANSITIONS, event_prefix="decision",
    label_zh="处罚决定", label_en="penalty decision", touch_fields=("updated_at",),
    subject=lambda row: row.case))


class CaseReminder(models.Model):
    """An in-app notice (shown in the inbox) that a clock of a case falls due soon or
    has expired, one per clock, stage and recipient: the hourly reminder sweep
    (cases/reminders.py) inserts them with ON CONFLICT DO NOTHING, so running it
    twice notifies once. The clock is a Deadline whose subject is the case (or one
    of its decisions)."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", _("即将届满")
        EXPIRED = "expired", _("已届满")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("期限"))
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders",
                             verbose_name=_("案件"))
    stage = models.CharField(_("提醒阶段"), max_length=8, choices=Stage.choices)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("接收人"))
    # The due time when the notice went out (an extension later moves the clock).
    due_at = models.DateTimeField(_("届满时间"))
    created_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案件期限提醒")
        verbose_name_plural = _("案件期限提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "stage", "user"],
                                    name="case_reminder_once"),
        ]
        indexes = [
            models.Index(fields=["user", "-id"], name="case_reminder_unread",
                         condition=Q(read_at=None)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_stage_display()} → {self.user_id}"
