"""The append-only audit trail (安全审计日志, MLPS level 3).

Rows are written only by ``services.record_event``; a database trigger rejects
UPDATE and DELETE, and each row carries the SHA-256 of its content and of its
predecessor, so an edit made behind the trigger's back is found by
``manage.py verify_audit``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.scoping import JurisdictionScopedQuerySet, user_scope_path

#: Trigger names, created by migration 0002. Tests disable one by name to simulate
#: tampering done by someone with ALTER rights on the table.
APPEND_ONLY_TRIGGER = "audit_event_append_only"

#: prev_hash of the very first event.
GENESIS_HASH = "0" * 64


class AuditEventQuerySet(JurisdictionScopedQuerySet):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        # The path is copied into the row (the object may be gone, or move later), so
        # the scope is a prefix match on the event itself rather than through a relation.
        path = user_scope_path(user)
        if path is None:
            return self.none()
        if path == "":
            return self
        return self.filter(jurisdiction_path__startswith=path)


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("发生时间"), default=timezone.now)
    # Not a foreign key: the event must outlive the user, and the name as it was then
    # is what the record shows.
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True, default="")
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, default="")
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True, default="")
    object_repr = models.CharField(_("对象"), max_length=200, blank=True, default="")
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=128, blank=True,
                                         default="")
    old_values = models.JSONField(_("原值"), default=dict, blank=True)
    new_values = models.JSONField(_("新值"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True, default="")
    client_ip = models.GenericIPAddressField(_("客户端IP"), null=True, blank=True)
    # Unique: two events can never claim the same predecessor, so even an append that
    # bypassed the lock in services.record_event could not fork the chain.
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64, unique=True)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            models.Index(fields=["jurisdiction_path"], name="auditevent_path_prefix",
                         opclasses=["varchar_pattern_ops"]),
            # "Everything that happened to this case", newest first.
            models.Index(fields=["object_type", "object_id", "-id"], name="auditevent_object"),
            models.Index(fields=["actor_id", "-id"], name="auditevent_actor"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}".strip()
