"""The transactional outbox (推送发件箱) of the credit pushes.

A change to a violation record, a rating or the blacklist writes one ``OutboxMessage``
in the same database transaction as the change (``services.enqueue``), so a rolled-back
change leaves no message and a committed one is never lost. Each message is delivered
to every configured credit platform: one ``Delivery`` per platform, with its own
status, attempts and back-off, so one platform being down does not hold back the
other. The message's UUID is the idempotency key the platforms deduplicate on.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.workflow import Workflow, register


class OutboxMessage(models.Model):
    uuid = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True, editable=False)
    topic = models.CharField(_("推送主题"), max_length=40)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="credit_outbox", verbose_name=_("企业"))
    # The business key of what changed (for example "violation:12"): the platform
    # keeps the latest state per key.
    key = models.CharField(_("业务键"), max_length=100)
    payload = models.JSONField(_("推送内容"), default=dict)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("推送消息")
        verbose_name_plural = _("推送消息")
        ordering = ["id"]
        indexes = [models.Index(fields=["enterprise", "id"], name="outbox_msg_enterprise")]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"


class Delivery(models.Model):
    """One message's delivery to one platform."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        SENT = "sent", _("已推送")
        FAILED = "failed", _("推送失败待重试")
        DEAD = "dead", _("死信")

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE,
                                related_name="deliveries")
    platform = models.CharField(_("平台"), max_length=32)
    # Copied from the message so the per-enterprise order check is one index range.
    enterprise_id_copy = models.BigIntegerField(_("企业"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("推送成功时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("推送投递")
        verbose_name_plural = _("推送投递")
        ordering = ["message_id", "platform"]
        constraints = [models.UniqueConstraint(fields=["message", "platform"],
                                               name="delivery_one_per_platform")]
        indexes = [
            models.Index(fields=["platform", "enterprise_id_copy", "message"],
                         condition=~Q(status="sent"), name="delivery_unsent_stream"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}→{self.platform} {self.status}"


DS = Delivery.Status
DELIVERY_TRANSITIONS: dict[str, set[str]] = {
    DS.PENDING: {DS.SENT, DS.FAILED, DS.DEAD},
    DS.FAILED: {DS.SENT, DS.FAILED, DS.DEAD},
    # A dead row is retried by a municipal administrator (back to pending).
    DS.DEAD: {DS.PENDING},
    DS.SENT: set(),
}
DELIVERY_WORKFLOW = register(Workflow(
    model=Delivery, transitions=DELIVERY_TRANSITIONS, event_prefix="credit_delivery",
    label_zh="信用推送", label_en="credit push delivery", touch_fields=("updated_at",),
    jurisdiction_path=lambda row: ""))


class ReconciliationReport(models.Model):
    """The daily comparison of what we marked sent with the platform's acknowledgements."""

    platform = models.CharField(_("平台"), max_length=32)
    run_at = models.DateTimeField(_("对账时间"), default=timezone.now)
    sent_count = models.PositiveIntegerField(_("本方已推送"))
    acknowledged_count = models.PositiveIntegerField(_("平台已确认"))
    # Keys we marked sent that the platform does not list, and keys it lists that we
    # have not marked sent (a push accepted just before a worker died): samples only.
    missing = models.JSONField(_("平台缺失"), default=list)
    unexpected = models.JSONField(_("平台多出"), default=list)
    missing_count = models.PositiveIntegerField(default=0)
    unexpected_count = models.PositiveIntegerField(default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("对账报告")
        verbose_name_plural = _("对账报告")
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.platform} {self.run_at:%Y-%m-%d %H:%M}"

    @property
    def matches(self) -> bool:
        return not self.error and self.missing_count == 0 and self.unexpected_count == 0
