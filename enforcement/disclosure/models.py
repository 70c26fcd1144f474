"""Disclosure of enforcement decisions (行政执法决定信息公开, issue 12).

One ``Disclosure`` per decision (a penalty decision, or the decision of a compulsory
measure), created the moment the decision is issued, with its
due clock from the clock rule table (rules.py). The original text is a snapshot of the
decision and is never changed; the public text is produced from it by the masking
service and reviewed by a person before it can be published. Publication periods by
severity are data (``PublicationPeriod``), edited by the municipal administrator.
Reminders of the hourly sweep are rows of ``DisclosureReminder``, one per disclosure,
kind and recipient, so the sweep notifies once however often it runs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.cache import bump, named_generation
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import Workflow, register

from .rules import DecisionType


class Severity(models.TextChoices):
    MINOR = "minor", _("轻微")
    ORDINARY = "ordinary", _("一般")
    SERIOUS = "serious", _("严重")


class PublicationPeriod(models.Model):
    """How long a disclosed decision stays public, by severity (信用修复管理办法,
    2026-04-01 施行). Data, not code: the municipal administrator corrects it; a period
    already fixed on a published disclosure does not move."""

    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices,
                                unique=True)
    min_months = models.PositiveSmallIntegerField(_("最短公示期（月）"))
    max_months = models.PositiveSmallIntegerField(_("最长公示期（月）"))
    publish = models.BooleanField(_("予以公示"), default=True,
                                  help_text=_("不勾选：该类决定不予公示。"))
    source = models.CharField(_("依据"), max_length=200)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公示期限")
        verbose_name_plural = _("公示期限")
        ordering = ["min_months"]
        constraints = [models.CheckConstraint(condition=models.Q(min_months__lte=models.F(
            "max_months")), name="publication_period_min_lte_max")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.min_months}–{self.max_months}"


class HoldBackReason(models.TextChoices):
    MINOR_PARTY = "minor_party", _("当事人为未成年人")
    STATE_SECRET = "state_secret", _("涉及国家秘密")
    COMMERCIAL_SECRET = "commercial_secret", _("涉及商业秘密")
    PRIVACY = "privacy", _("涉及个人隐私")
    SECURITY = "security", _("危及国家安全、公共安全、经济安全和社会稳定")
    NOT_PUBLISHED = "not_published", _("按规定不予公示（轻微违法）")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("按时")
    LATE = "late", _("逾期完成")
    OVERDUE = "overdue", _("已逾期未完成")


class DisclosureQuerySet(AuthorityScopedQuerySet):
    pass


class Disclosure(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待公开")
        IN_REVIEW = "in_review", _("脱敏审核中")
        PUBLISHED = "published", _("已公开")
        WITHDRAWN = "withdrawn", _("已撤回")
        EXPIRED = "expired", _("公示期满")
        HELD_BACK = "held_back", _("不予公开")

    decision = models.OneToOneField("enforcement.PenaltyDecision", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="disclosure",
                                    verbose_name=_("执法决定"))
    # Or a compulsory measure's decision (查封、扣押、停产停业 …: 20 working days); never both.
    measure = models.OneToOneField("enforcement.CompulsoryMeasure", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="disclosure",
                                   verbose_name=_("强制措施决定"))
    case = models.ForeignKey("enforcement.Case", on_delete=models.PROTECT,
                             related_name="disclosures", verbose_name=_("案件"))
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("执法主体"))
    decision_type = models.CharField(_("决定类型"), max_length=20,
                                     choices=DecisionType.choices)
    decided_on = models.DateField(_("决定日期"))
    party_name = models.CharField(_("当事人"), max_length=200)
    due_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    due_date = models.DateField(_("公开期限至"))
    original_text = models.TextField(_("决定原文"))
    public_text = models.TextField(_("公开文本"), blank=True)
    # [{"kind", "start", "end", "public_start", "public_end"}]
    masks = models.JSONField(_("脱敏内容"), default=list, blank=True)
    # What the reviewer marks by hand: names of natural persons, other phrases.
    marked_names = models.JSONField(_("人工标注姓名"), default=list, blank=True)
    marked_phrases = models.JSONField(_("人工标注内容"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.PENDING)
    hold_back_reason = models.CharField(_("不予公开理由"), max_length=20, blank=True,
                                        choices=HoldBackReason.choices)
    hold_back_note = models.TextField(_("不予公开说明"), blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices,
                                blank=True)
    publication_months = models.PositiveSmallIntegerField(_("公示期（月）"), null=True,
                                                          blank=True)
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    reviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    publication_ends_on = models.DateField(_("公示截止日"), null=True, blank=True)
    timeliness = models.CharField(_("公开及时性"), max_length=8, blank=True,
                                  choices=Timeliness.choices)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Withdrawal when the decision is changed, revoked or annulled (3 working days).
    withdrawal_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    withdrawal_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")
    withdrawal_due = models.DateField(_("撤回期限至"), null=True, blank=True)
    republish_after_withdrawal = models.BooleanField(_("变更后重新公开"), default=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_timeliness = models.CharField(_("撤回及时性"), max_length=8, blank=True,
                                             choices=Timeliness.choices)
    withdrawal_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Credit repair: publication ended early by decision.
    repaired_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    repair_reason = models.TextField(_("信用修复决定理由"), blank=True)
    ended_at = models.DateTimeField(_("结束公示时间"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("公开版本"), default=1)
    # Public columns of the portal (issue 12), filled by the services from the decision
    # and its case: none holds personal data (the party of a penalty is public by law;
    # a natural person's ID number, phone and address stay in original_text only).
    document_number = models.CharField(_("决定书文号"), max_length=64, blank=True)
    violation = models.CharField(_("违法行为"), max_length=200, blank=True)
    district_code = models.CharField(_("区县代码"), max_length=12, blank=True)
    # Lower-cased party, number and violation for substring search: trigrams (3+
    # characters) and character bigrams (2), as the enterprise registry does it.
    search_text = models.TextField(editable=False, default="")
    search_bigrams = ArrayField(models.CharField(max_length=2), editable=False, default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法决定公开")
        verbose_name_plural = _("执法决定公开")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["authority", "status", "-id"], name="disclosure_auth_status"),
            models.Index(fields=["status", "due_date"], name="disclosure_status_due"),
            models.Index(fields=["status", "publication_ends_on"], name="disclosure_pub_end"),
            # The portal reads published rows only: partial indexes, newest first.
            models.Index(fields=["district_code", "-id"], name="disclosure_pub_district",
                         condition=models.Q(status="published")),
            models.Index(fields=["decided_on", "-id"], name="disclosure_pub_decided",
                         condition=models.Q(status="published")),
            models.Index(fields=["-published_at", "-id"], name="disclosure_pub_latest",
                         condition=models.Q(status="published")),
            # District first (btree_gin): a keyword + district search is one bitmap of
            # exactly its matches, so a rare term never walks the district's rows; GIN
            # also serves the keyword alone from the same index.
            GinIndex(fields=["district_code", "search_text"], name="disclosure_pub_trgm",
                     opclasses=["varchar_ops", "gin_trgm_ops"],
                     condition=models.Q(status="published")),
            GinIndex(fields=["district_code", "search_bigrams"], name="disclosure_pub_bigrams",
                     opclasses=["varchar_ops", "array_ops"],
                     condition=models.Q(status="published")),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(decision__isnull=True)
                                   | models.Q(measure__isnull=True),
                                   name="disclosure_decision_or_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.party_name}（{self.get_status_display()}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text, self.search_bigrams = search_columns(
            self.party_name, self.document_number, self.violation)
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "search_text", "search_bigrams"}
        super().save(*args, **kwargs)


def compact(value: str) -> str:
    """Lower case, whitespace removed: how a search term and the text are compared."""
    return "".join((value or "").lower().split())


def search_columns(*values: str) -> tuple[str, list[str]]:
    """The search text (fields apart, so a term never spans two) and the distinct
    2-character substrings of each field."""
    parts = [compact(v) for v in values if v]
    bigrams = sorted({p[i:i + 2] for p in parts for i in range(len(p) - 1)})
    return " ".join(parts), bigrams


DS = Disclosure.Status
DISCLOSURE_TRANSITIONS: dict[str, set[str]] = {
    DS.PENDING: {DS.IN_REVIEW, DS.HELD_BACK, DS.WITHDRAWN},
    DS.IN_REVIEW: {DS.PUBLISHED, DS.PENDING, DS.HELD_BACK, DS.WITHDRAWN},
    DS.PUBLISHED: {DS.WITHDRAWN, DS.EXPIRED},
    # A changed decision republishes: the new public version is reviewed again.
    DS.WITHDRAWN: {DS.IN_REVIEW},
    DS.HELD_BACK: {DS.PENDING},
    DS.EXPIRED: set(),
}


#: The generation of everything the public portal's API answers from (its cached
#: answers die when any disclosure changes status: published, withdrawn, expired).
PUBLIC_DECISIONS = named_generation("public-decisions")


def _public_decisions_changed() -> None:
    bump(PUBLIC_DECISIONS)


DISCLOSURE_WORKFLOW = register(Workflow(
    model=Disclosure, transitions=DISCLOSURE_TRANSITIONS, event_prefix="disclosure",
    label_zh="执法决定公开", label_en="disclosure", touch_fields=("updated_at",),
    on_change=_public_decisions_changed))


class DisclosureObjection(models.Model):
    """A public objection or error report ("this record is wrong"), answered within the
    rule ``disclosure_objection`` (5 working days)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT,
                                   related_name="objections")
    text = models.TextField(_("异议内容"))
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact = models.CharField(_("联系方式"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    due_date = models.DateField(_("答复期限至"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    timeliness = models.CharField(_("答复及时性"), max_length=8, blank=True,
                                  choices=Timeliness.choices)

    class Meta:
        verbose_name = _("公开信息异议")
        verbose_name_plural = _("公开信息异议")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.disclosure_id}: {self.text[:20]}"


class DisclosureReminder(models.Model):
    """One reminder of the sweep: a disclosure, a kind, a recipient; unique, so a sweep
    run twice inserts (and mails) nothing the second time."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("逾期未公开")
        WITHDRAWAL_DUE = "withdrawal_due", _("应撤回")
        WITHDRAWAL_OVERDUE = "withdrawal_overdue", _("逾期未撤回")
        OBJECTION_DUE = "objection_due", _("异议待答复")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE,
                                   related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公开提醒")
        verbose_name_plural = _("公开提醒")
        constraints = [models.UniqueConstraint(fields=["disclosure", "kind", "recipient"],
                                               name="disclosure_reminder_once")]

    def __str__(self) -> str:
        return f"{self.disclosure_id} {self.kind} {self.recipient_id}"
