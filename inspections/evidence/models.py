"""Evidence of an inspection: photos and files, recorder footage, signatures."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.loop.models import Hazard, Inspection, InspectionItem

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
    # Both re-encoded from pixels (no EXIF): the medium view for the screen and a
    # thumbnail of a few tens of KB for lists. The original is never touched.
    preview_path = models.CharField(max_length=500, blank=True)
    thumb_path = models.CharField(max_length=500, blank=True)
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
    """A signature drawn on the screen (PNG kept with its SHA-256).

    An inspector's signature is keyed by their account (``user``, always the officer
    who filed it); the enterprise's representative has no account, so theirs is
    keyed by the typed name. ``recorded_by`` is the officer whose session captured it.
    """

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
                             blank=True, related_name="+", verbose_name=_("签名执法人员"))
    # Set by the service from the session that captured the signature, never from the
    # request: the enterprise's representative has no account, so this officer is who
    # answers for the capture.
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("采集人"))
    image_path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)
    # The id the phone gave the signature when it queued it: a resend is a no-op.
    client_id = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("签名")
        verbose_name_plural = _("签名")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "document", "user"],
                condition=Q(signer_role="inspector"), name="signature_once_per_inspector"),
            models.UniqueConstraint(
                fields=["inspection", "document", "signer_name"],
                condition=Q(signer_role="enterprise"),
                name="signature_once_per_enterprise_signer"),
            models.CheckConstraint(
                condition=~Q(signer_role="inspector") | Q(user__isnull=False),
                name="signature_inspector_has_user"),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.get_document_display()}"


class SignatureRefusal(models.Model):
    """The enterprise's responsible person refused to sign a document. 安全生产法
    第六十八条: "被检查单位的负责人拒绝签字的，检查人员应当将情况记录在案，并向负有安全
    生产监督管理职责的部门报告" [S]: the officer records what happened (kept, never
    edited) and the record is reported to the authority's chiefs. It takes the place of
    the enterprise's signature where a step waits for one (closing the loop)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="signature_refusals")
    document = models.CharField(_("文书"), max_length=24, choices=Signature.Document.choices)
    refused_by = models.CharField(_("拒绝签字的负责人"), max_length=64)
    circumstances = models.TextField(_("拒签情况"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("拒绝签字记录")
        verbose_name_plural = _("拒绝签字记录")
        constraints = [models.UniqueConstraint(fields=["inspection", "document"],
                                               name="one_refusal_per_document")]

    def __str__(self) -> str:
        return f"{self.refused_by} {self.get_document_display()}"
