"""Enforcement rules kept as data: procedure thresholds (and, with issue 11, the
discretion benchmarks). Every row names the text it follows, because the penalty
procedure in force (应急管理部令第18号, from 2026-02-01) is not available here and
sources disagree on some figures: the municipal administrator corrects the row, and a
decision keeps the row it applied.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class EvidenceTag(models.TextChoices):
    """How far the figure is verified (DOMAIN.md's tags)."""

    STATUTE = "S", _("法规原文")
    PARTIAL = "P", _("部分来源")
    KNOWN = "K", _("待核实")


class ProcedureThreshold(models.Model):
    """A money figure that decides a procedural right or path (hearing, simple procedure).

    Rows are valid from a date, so a correction for new cases keeps old cases on the
    figure they were decided under.
    """

    class Code(models.TextChoices):
        SUMMARY_PROCEDURE_FINE_MAX = "summary_procedure_fine_max", _("简易程序当场处罚罚款上限")
        LARGE_FINE_MIN = "large_fine_min", _("听证“较大数额罚款”起点")
        ON_THE_SPOT_COLLECTION_MAX = "on_the_spot_collection_max", _("当场收缴罚款上限")

    code = models.CharField(_("规则"), max_length=40, choices=Code.choices)
    party_kind = models.CharField(_("当事人类型"), max_length=16, choices=PartyKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("起用日期"))
    source = models.CharField(_("依据"), max_length=300)
    tag = models.CharField(_("核实程度"), max_length=1, choices=EvidenceTag.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("程序金额标准")
        verbose_name_plural = _("程序金额标准")
        ordering = ["code", "party_kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "party_kind", "valid_from"],
                                    name="threshold_one_row_per_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="threshold_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}（{self.get_party_kind_display()}）{self.amount}"
