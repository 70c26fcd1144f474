"""Document numbering as data, and issued enforcement documents (执法文书).

The platform's document service: domain apps (inspections, enforcement) render their
documents through it, number them from one serial per case or inspection, and issue
them. It imports no domain app; a document names its subject by generic reference.
"""

from __future__ import annotations

import pgtrigger
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.accounts.scoping import JurisdictionScopedQuerySet
from hangzhou_safety.workflow import Workflow, register

from . import data


class AuthorityNumbering(models.Model):
    """How one authority numbers its documents: abbreviation and pattern."""

    authority = models.OneToOneField(Authority, on_delete=models.CASCADE,
                                     related_name="numbering", verbose_name=_("执法主体"))
    abbreviation = models.CharField(_("文号简称"), max_length=16)
    pattern = models.CharField(_("文号格式"), max_length=64, default=data.DEFAULT_PATTERN,
                               help_text=_("{abbr} 简称，{code} 文书代字，{year} 年份，"
                                           "{serial} 序号"))
    review_body = models.CharField(_("行政复议机关"), max_length=64, blank=True)
    court = models.CharField(_("管辖人民法院"), max_length=64, blank=True)
    source = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("文书编号规则")
        verbose_name_plural = _("文书编号规则")
        ordering = ["authority__code"]

    def __str__(self) -> str:
        return f"{self.authority} {self.abbreviation}"


class DocumentType(models.Model):
    """One standard document (DOMAIN.md B4) and its code in the number."""

    code = models.CharField(_("文书代字"), max_length=16, primary_key=True)
    name = models.CharField(_("文书名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128)
    series = models.CharField(_("编号序列"), max_length=16,
                              choices=list(data.SERIES.items()))
    #: An override of the authority's pattern for this type only ("" = the authority's).
    pattern = models.CharField(_("文号格式（本类文书）"), max_length=64, blank=True)
    requires = models.JSONField(_("前置文书"), default=list, blank=True)
    requires_source = models.CharField(_("前置依据"), max_length=300, blank=True)
    rights_notice = models.CharField(_("权利告知"), max_length=32, blank=True)
    source = models.CharField(_("依据"), max_length=500)

    class Meta:
        verbose_name = _("文书种类")
        verbose_name_plural = _("文书种类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RightsNotice(models.Model):
    """Wording of a notice of rights (行政复议 / 行政诉讼), kept as data with its source."""

    key = models.CharField(_("键"), max_length=32, primary_key=True)
    text = models.TextField(_("告知内容"))
    source = models.CharField(_("依据"), max_length=400)

    class Meta:
        verbose_name = _("权利告知")
        verbose_name_plural = _("权利告知")

    def __str__(self) -> str:
        return self.key


class SerialCounter(models.Model):
    """The last serial handed out per authority, year and series (locked to allocate)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=16, choices=list(data.SERIES.items()))
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "year", "series"],
                                               name="serial_counter_unique")]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.year} {self.series} {self.last_serial}"


class SerialAllocation(models.Model):
    """One serial handed out: to whom (the case or inspection), or why it stays unused."""

    class Status(models.TextChoices):
        ALLOCATED = "allocated", _("已使用")
        GAP = "gap", _("空号")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=16, choices=list(data.SERIES.items()))
    serial = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices,
                              default=Status.ALLOCATED)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    gap_reason = models.TextField(_("空号原因"), blank=True)
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("文书序号")
        verbose_name_plural = _("文书序号")
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "series", "serial"],
                                    name="serial_allocation_unique"),
            # One serial per case (or inspection) and series.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "series"],
                condition=models.Q(status="allocated") & ~models.Q(object_id=""),
                name="serial_allocation_one_per_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.year} {self.series} {self.serial}"


class IssuedDocumentQuerySet(JurisdictionScopedQuerySet):
    jurisdiction_lookup = "authority__jurisdiction"


# Columns frozen once a document leaves the draft status (the service refuses first;
# the trigger is the last line if any other code path tries).
FROZEN_COLUMNS = ("number", "pdf", "sha256", "authority_id", "doc_type_id", "year", "series",
                  "serial", "sequence", "content_type_id", "object_id", "issued_at",
                  "issued_by_id", "corrects_id", "title", "context", "template_name")
_FROZEN_CHANGED = " OR ".join(f'OLD."{c}" IS DISTINCT FROM NEW."{c}"' for c in FROZEN_COLUMNS)


class IssuedDocument(models.Model):
    """One enforcement document with its number and PDF. Immutable once issued."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已签发")
        VOIDED = "voided", _("已作废")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="documents", verbose_name=_("执法主体"))
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT,
                                 related_name="documents", verbose_name=_("文书种类"))
    number = models.CharField(_("文书编号"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年份"))
    series = models.CharField(max_length=16, choices=list(data.SERIES.items()))
    serial = models.PositiveIntegerField(_("序号"))
    #: 1 for the first document of this type on the serial; 2, 3 … for re-checks or
    #: corrections (numbers are never reused).
    sequence = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("标题"), max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    template_name = models.CharField(max_length=200)
    #: What the template was rendered from (plain JSON: a snapshot, not live rows).
    context = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("更正的文书"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(_("作废原因"), blank=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "doc_type", "year", "series", "serial", "sequence"],
                name="document_number_parts_unique"),
            models.UniqueConstraint(fields=["authority", "number"],
                                    name="document_number_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "doc_type"],
                                name="document_subject")]
        triggers = [
            pgtrigger.Trigger(
                name="issued_document_frozen", when=pgtrigger.Before,
                operation=pgtrigger.Update, func=pgtrigger.Func(
                    "RAISE EXCEPTION 'issued document % is immutable', OLD.id "
                    "USING ERRCODE = 'integrity_constraint_violation';"),
                condition=pgtrigger.Condition(
                    f"OLD.status <> 'draft' AND ({_FROZEN_CHANGED} OR NOT ("
                    "OLD.status = NEW.status OR (OLD.status = 'issued' AND "
                    "NEW.status = 'voided')))")),
            pgtrigger.Trigger(
                name="issued_document_kept", when=pgtrigger.Before,
                operation=pgtrigger.Delete, func=pgtrigger.Func(
                    "RAISE EXCEPTION 'issued document % cannot be deleted', OLD.id "
                    "USING ERRCODE = 'integrity_constraint_violation';"),
                condition=pgtrigger.Condition("OLD.status <> 'draft'")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


DOCUMENT_TRANSITIONS: dict[str, set[str]] = {
    IssuedDocument.Status.DRAFT: {IssuedDocument.Status.ISSUED, IssuedDocument.Status.VOIDED},
    IssuedDocument.Status.ISSUED: {IssuedDocument.Status.VOIDED},
    IssuedDocument.Status.VOIDED: set(),
}
DOCUMENT_WORKFLOW = register(Workflow(
    model=IssuedDocument, transitions=DOCUMENT_TRANSITIONS, event_prefix="document",
    label_zh="执法文书", label_en="enforcement document"))
