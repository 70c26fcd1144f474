"""The blacklist (严重失信主体名单, 应急管理部令第11号): entries, their events, the joint
punishment measures recorded per entry and the log of partner queries.

An entry always rests on a penalty decision (令11号 第三条: 严重失信 follows an
administrative penalty) and belongs to the authority that made it (第四条: 谁处罚、谁决定).
"""

from __future__ import annotations

import pgtrigger
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import Workflow, register

from .rules import GROUNDS, RESTRICTIONS


class BlacklistEntryQuerySet(AuthorityScopedQuerySet):
    pass


class BlacklistEntry(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("拟列入")
        NOTIFIED = "notified", _("已告知")
        OBJECTION = "objection", _("异议处理中")
        DECIDED = "decided", _("已决定列入")
        PUBLISHED = "published", _("已公示")
        REMOVAL_REQUESTED = "removal_requested", _("提前移出申请中")
        REMOVED = "removed", _("已提前移出")
        EXPIRED = "expired", _("期满移出")
        WITHDRAWN = "withdrawn", _("不予列入")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="blacklist_entries", verbose_name=_("认定部门"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="blacklist_entries", verbose_name=_("失信主体"))
    decision = models.ForeignKey("enforcement.PenaltyDecision", on_delete=models.PROTECT,
                                 related_name="blacklist_entries",
                                 verbose_name=_("关联行政处罚决定"))
    ground = models.CharField(_("列入情形"), max_length=32,
                              choices=[(g.code, g.text[:60]) for g in GROUNDS])
    service_body = models.BooleanField(_("安全评价、认证、检测、检验机构"), default=False)
    principal_name = models.CharField(_("主要负责人"), max_length=64, blank=True)
    reasons = models.TextField(_("列入事由"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices,
                              default=Status.PROPOSED)
    #: None when the system detected the ground and proposed (the 12-month accident
    #: detection, credit/blacklist/accidents.py); the head then takes it up or withdraws.
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    #: What an automatic proposal was detected from (enterprise and accidents): the same
    #: facts never make a second proposal, whatever became of the first.
    detection_key = models.CharField(_("自动识别依据"), max_length=120, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    objection_text = models.TextField(_("陈述申辩、异议"), blank=True)
    objection_answer = models.TextField(_("异议答复"), blank=True)
    objection_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="+")
    answer_clock = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    decided_on = models.DateField(_("列入日期"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decision_number = models.CharField(_("列入决定文书号"), max_length=64, blank=True)
    term_ends_on = models.DateField(_("管理期限至"), null=True, blank=True)
    removal_eligible_on = models.DateField(_("可申请提前移出日期"), null=True, blank=True)
    removal_application = models.TextField(_("提前移出申请"), blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.TextField(_("移出或撤销理由"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BlacklistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("严重失信主体名单")
        verbose_name_plural = _("严重失信主体名单")
        indexes = [models.Index(fields=["status", "-id"], name="blacklist_status")]
        constraints = [models.UniqueConstraint(
            fields=["detection_key"], condition=~models.Q(detection_key=""),
            name="blacklist_detection_once")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_status_display()}"


B = BlacklistEntry.Status
BLACKLIST_TRANSITIONS: dict[str, set[str]] = {
    B.PROPOSED: {B.NOTIFIED, B.WITHDRAWN},
    B.NOTIFIED: {B.OBJECTION, B.DECIDED, B.WITHDRAWN},
    B.OBJECTION: {B.DECIDED, B.WITHDRAWN},
    B.DECIDED: {B.PUBLISHED},
    B.PUBLISHED: {B.REMOVAL_REQUESTED, B.EXPIRED},
    B.REMOVAL_REQUESTED: {B.REMOVED, B.PUBLISHED},  # → published: application refused
    B.REMOVED: {B.PUBLISHED},  # removal obtained by deceit revoked: listing restored
    B.EXPIRED: set(),
    B.WITHDRAWN: set(),
}
#: Statuses in which the joint punishment applies (a current entry).
CURRENT = frozenset({B.DECIDED, B.PUBLISHED, B.REMOVAL_REQUESTED})
BLACKLIST_WORKFLOW = register(Workflow(
    model=BlacklistEntry, transitions=BLACKLIST_TRANSITIONS, event_prefix="blacklist",
    label_zh="严重失信名单", label_en="blacklist entry", touch_fields=("updated_at",),
    subject=lambda row: row.enterprise))


@pgtrigger.register(pgtrigger.Protect(name="blacklist_publication_append_only",
                                      operation=pgtrigger.Update | pgtrigger.Delete))
class PublicationEvent(models.Model):
    """A change published (listing, removal, restoration), append-only; its push to the
    credit platforms is the outbox row written beside it (publishing.publish)."""

    entry = models.ForeignKey(BlacklistEntry, on_delete=models.PROTECT,
                              related_name="publications")
    topic = models.CharField(max_length=40)
    key = models.CharField(max_length=80, unique=True)
    payload = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "at", "id"]

    def __str__(self) -> str:
        return f"{self.key} {self.topic}"


class Restriction(models.Model):
    entry = models.ForeignKey(BlacklistEntry, on_delete=models.CASCADE,
                              related_name="restrictions")
    kind = models.CharField(_("惩戒措施"), max_length=20, choices=RESTRICTIONS)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "kind"],
                                               name="restriction_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.kind}"


@pgtrigger.register(pgtrigger.Protect(name="restriction_query_append_only",
                                      operation=pgtrigger.Update))
class RestrictionQuery(models.Model):
    """One partner query, kept 10 years (rules.QUERY_LOG_RETENTION_YEARS)."""

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(max_length=32)
    restricted = models.BooleanField()
    entry_ids = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)
    keep_until = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["keep_until"], name="restrictionquery_keep")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.at:%Y-%m-%d %H:%M}"
