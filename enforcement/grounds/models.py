"""Enforcement rules kept as data: procedure thresholds (and, with issue 11, the
discretion benchmarks). Every row names the text it follows, because the penalty
procedure in force (应急管理部令第18号, from 2026-02-01) is not available here and
sources disagree on some figures: the municipal administrator corrects the row, and a
decision keeps the row it applied.
"""

from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.workflow import Workflow, register


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


# --- Discretion benchmarks (行政处罚裁量权基准) ----------------------------------------
#
# The structure follows 应急〔2024〕90号 under 应急管理部令第12号 (DOMAIN.md, corrections):
# 违法行为 | 法律规定 | 处罚依据 | 裁量阶次/情形 | 处罚标准. A version holds the whole table
# (its violation types and their rows) and is published as a whole; a published
# version never changes (service and database trigger), so a decision that stored
# the version and row it applied can always show them as they were.

class DiscretionVersion(models.Model):
    """One edition of the bureau's discretion table, in force from ``valid_from``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已废止")

    name = models.CharField(_("名称"), max_length=200)
    source = models.CharField(_("依据"), max_length=300)
    valid_from = models.DateField(_("施行日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("复制自"))
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("发布人"))

    class Meta:
        verbose_name = _("裁量基准版本")
        verbose_name_plural = _("裁量基准版本")
        ordering = ["-valid_from", "-id"]
        constraints = [
            # At most one edition in force from a given day; a correction supersedes it.
            models.UniqueConstraint(fields=["valid_from"], condition=Q(status="published"),
                                    name="discretion_one_published_per_day"),
        ]
        triggers = [
            # A published or superseded edition is frozen: only published → superseded
            # may still change its row, and it is never deleted.
            pgtrigger.Trigger(
                name="discretion_version_frozen",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func="""
                IF OLD.status = 'draft' THEN
                    RETURN COALESCE(NEW, OLD);
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.status = 'published'
                   AND NEW.status = 'superseded'
                   AND (OLD.name, OLD.source, OLD.valid_from, OLD.based_on_id, OLD.note,
                        OLD.published_at, OLD.published_by_id)
                       IS NOT DISTINCT FROM
                       (NEW.name, NEW.source, NEW.valid_from, NEW.based_on_id, NEW.note,
                        NEW.published_at, NEW.published_by_id) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'discretion version % is % and cannot be changed',
                    OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d}，{self.get_status_display()}）"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


DISCRETION_VERSION_TRANSITIONS: dict[str, set[str]] = {
    DiscretionVersion.Status.DRAFT: {DiscretionVersion.Status.PUBLISHED},
    DiscretionVersion.Status.PUBLISHED: {DiscretionVersion.Status.SUPERSEDED},
    DiscretionVersion.Status.SUPERSEDED: set(),
}
DISCRETION_VERSION_WORKFLOW = register(Workflow(
    model=DiscretionVersion, transitions=DISCRETION_VERSION_TRANSITIONS,
    event_prefix="grounds.discretion_version", label_zh="裁量基准版本",
    label_en="discretion table version", id_key="discretion_version"))


def _frozen_when_published(name: str, version_of: str) -> pgtrigger.Trigger:
    """Rows of a published or superseded version can be neither added, changed nor
    removed, whatever the client (admin, shell, raw SQL). ``version_of`` is the SQL
    giving a row's version id from a record variable (OLD or NEW)."""
    check = ("EXISTS (SELECT 1 FROM enforcement_discretionversion v "
             "WHERE v.id = ({ref}) AND v.status <> 'draft')")
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=f"""
        IF TG_OP IN ('UPDATE', 'DELETE') AND {check.format(ref=version_of.format(r='OLD'))}
        THEN
            RAISE EXCEPTION 'rows of a published discretion version cannot be changed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND {check.format(ref=version_of.format(r='NEW'))}
        THEN
            RAISE EXCEPTION 'rows cannot be added to a published discretion version'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
        """,
    )


class ViolationType(models.Model):
    """A violation (违法行为) with the provision it breaches and the penalty provision."""

    version = models.ForeignKey(DiscretionVersion, on_delete=models.CASCADE,
                                related_name="violations", verbose_name=_("版本"))
    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("违法行为"), max_length=300)
    breached_statute = models.CharField(_("违反的法律"), max_length=100)
    breached_article = models.CharField(_("违反的条款"), max_length=100)
    penalty_statute = models.CharField(_("处罚依据（法律）"), max_length=100)
    penalty_article = models.CharField(_("处罚依据（条款）"), max_length=100)
    penalty_clause = models.TextField(_("处罚依据原文"))
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("违法行为")
        verbose_name_plural = _("违法行为")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"],
                                    name="violation_code_unique_in_version"),
        ]
        triggers = [_frozen_when_published("violation_frozen_when_published",
                                           "{r}.version_id")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DiscretionLevel(models.TextChoices):
    """裁量阶次, lightest first."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    SEVERE = "severe", _("严重")


class OtherPenalty(models.TextChoices):
    """What a row foresees besides the fine (安全生产法 第七章). 责令改正 is not a penalty
    but goes with every one (行政处罚法 第二十八条), so the row names it too."""

    ORDER_CORRECTION = "order_correction", _("责令限期改正")
    SUSPEND_FOR_RECTIFICATION = "suspend_for_rectification", _("责令停产停业整顿")
    ORDERED_SUSPENSION = "ordered_suspension", _("责令停产停业")
    CONSTRUCTION_HALT = "construction_halt", _("责令停止建设")
    CONFISCATION = "confiscation", _("没收违法所得")
    QUALIFICATION_REVOCATION = "qualification_revocation", _("吊销资质证书")


class ResponsiblePerson(models.TextChoices):
    """Who the personal fine (处罚到人) is for, as the article names them."""

    PRINCIPAL = "principal", _("主要负责人")
    OTHER_MANAGERS = "other_managers", _("其他负责人和安全生产管理人员")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("直接负责的主管人员和其他直接责任人员")
    PRINCIPAL_OR_OWNER = "principal_or_owner", _("主要负责人、个人经营的投资人")


def _range_checks(prefix: str) -> list[models.CheckConstraint]:
    """Both bounds or neither, 0 ≤ min ≤ max, and the row inside the statutory range."""
    lo, hi = f"{prefix}_fine_min", f"{prefix}_fine_max"
    slo, shi = f"statutory_{prefix}_fine_min", f"statutory_{prefix}_fine_max"
    return [
        models.CheckConstraint(
            condition=(Q(**{f"{lo}__isnull": True}, **{f"{hi}__isnull": True},
                         **{f"{slo}__isnull": True}, **{f"{shi}__isnull": True})
                       | Q(**{f"{lo}__isnull": False}, **{f"{hi}__isnull": False},
                           **{f"{slo}__isnull": False}, **{f"{shi}__isnull": False})),
            name=f"benchmark_{prefix}_range_complete"),
        models.CheckConstraint(condition=Q(**{f"{slo}__gte": 0}) | Q(**{f"{slo}__isnull": True}),
                               name=f"benchmark_{prefix}_statutory_min_gte_0"),
        models.CheckConstraint(condition=Q(**{f"{slo}__lte": F(shi)}),
                               name=f"benchmark_{prefix}_statutory_min_lte_max"),
        models.CheckConstraint(condition=Q(**{f"{lo}__gte": F(slo)}),
                               name=f"benchmark_{prefix}_min_in_statutory_range"),
        models.CheckConstraint(condition=Q(**{f"{lo}__lte": F(hi)}),
                               name=f"benchmark_{prefix}_min_lte_max"),
        models.CheckConstraint(condition=Q(**{f"{hi}__lte": F(shi)}),
                               name=f"benchmark_{prefix}_max_in_statutory_range"),
    ]


class DiscretionBenchmark(models.Model):
    """One row of the table: a level of one violation with its fine range (处罚标准).

    The statutory range is the article's own (quoted in ``unit_clause`` /
    ``person_clause``); the row's range is the bureau's discretion inside it. A fine for
    the unit and one for the responsible person are separate decisions, so each has its
    own range; a bound left empty means the article gives no fine to that party here.
    """

    violation = models.ForeignKey(ViolationType, on_delete=models.CASCADE,
                                  related_name="benchmarks", verbose_name=_("违法行为"))
    level = models.CharField(_("裁量阶次"), max_length=16, choices=DiscretionLevel.choices)
    circumstance = models.TextField(_("适用情形"))
    unit_clause = models.TextField(_("对单位罚款的法定条文"), blank=True)
    statutory_unit_fine_min = models.DecimalField(_("法定单位罚款下限（元）"), max_digits=12,
                                                  decimal_places=2, null=True, blank=True)
    statutory_unit_fine_max = models.DecimalField(_("法定单位罚款上限（元）"), max_digits=12,
                                                  decimal_places=2, null=True, blank=True)
    unit_fine_min = models.DecimalField(_("单位罚款下限（元）"), max_digits=12,
                                        decimal_places=2, null=True, blank=True)
    unit_fine_max = models.DecimalField(_("单位罚款上限（元）"), max_digits=12,
                                        decimal_places=2, null=True, blank=True)
    person_kind = models.CharField(_("处罚到人对象"), max_length=32,
                                   choices=ResponsiblePerson.choices, blank=True)
    person_clause = models.TextField(_("对个人罚款的法定条文"), blank=True)
    statutory_person_fine_min = models.DecimalField(_("法定个人罚款下限（元）"), max_digits=12,
                                                    decimal_places=2, null=True, blank=True)
    statutory_person_fine_max = models.DecimalField(_("法定个人罚款上限（元）"), max_digits=12,
                                                    decimal_places=2, null=True, blank=True)
    person_fine_min = models.DecimalField(_("个人罚款下限（元）"), max_digits=12,
                                          decimal_places=2, null=True, blank=True)
    person_fine_max = models.DecimalField(_("个人罚款上限（元）"), max_digits=12,
                                          decimal_places=2, null=True, blank=True)
    other_penalties = ArrayField(
        models.CharField(max_length=32, choices=OtherPenalty.choices),
        verbose_name=_("其他处罚及责令改正"), default=list, blank=True)
    no_penalty_possible = models.BooleanField(
        _("可适用首违不罚/不予处罚"), default=False,
        help_text=_("行政处罚法第三十三条：违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚；"
                    "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。"))
    illustrative = models.BooleanField(
        _("示意性划分"), default=False,
        help_text=_("阶次划分未取得应急〔2024〕90号原表，系按法定幅度示意拆分，待市局核定。"))
    source = models.CharField(_("依据"), max_length=300)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["violation", "level"]
        constraints = [
            models.UniqueConstraint(fields=["violation", "level"],
                                    name="benchmark_one_row_per_level"),
            *_range_checks("unit"),
            *_range_checks("person"),
            models.CheckConstraint(
                condition=Q(unit_fine_min__isnull=False) | Q(person_fine_min__isnull=False)
                | ~Q(other_penalties=[]),
                name="benchmark_foresees_a_penalty"),
        ]
        triggers = [_frozen_when_published(
            "benchmark_frozen_when_published",
            "SELECT t.version_id FROM enforcement_violationtype t WHERE t.id = {r}.violation_id")]

    def __str__(self) -> str:
        return f"{self.violation.code} · {self.get_level_display()}"

    def fine_range(self, party_kind: str) -> tuple[Decimal, Decimal] | None:
        """The row's range for a unit (organisation) or a person, None if it has none."""
        if party_kind == PartyKind.ORGANISATION:
            lo, hi = self.unit_fine_min, self.unit_fine_max
        else:
            lo, hi = self.person_fine_min, self.person_fine_max
        return None if lo is None or hi is None else (lo, hi)

    def statutory_range(self, party_kind: str) -> tuple[Decimal, Decimal] | None:
        """The article's range for that party, None if the article gives no fine."""
        if party_kind == PartyKind.ORGANISATION:
            lo, hi = self.statutory_unit_fine_min, self.statutory_unit_fine_max
        else:
            lo, hi = self.statutory_person_fine_min, self.statutory_person_fine_max
        return None if lo is None or hi is None else (lo, hi)
