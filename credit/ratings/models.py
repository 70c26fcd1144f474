"""Enterprise integrity rating (诚信等级评定): the bureau's rule table, the ratings with
the inputs and explanation they were made from, and the enterprises' safety commitments
(安全生产承诺), whose breach is an input.

The levels and rules are the bureau's data: DOMAIN.md B6 records that 安委〔2014〕8号
takes the standardisation grade as the integrity level [P] and that many localities
rate A/B/C/D [S: example]; the seeded rules are an illustrative default, editable by
the municipal administrator, never presented as a legal criterion.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.scoping import AuthorityScopedQuerySet
from hangzhou_safety.workflow import Workflow, register


class RatingLevel(models.TextChoices):
    A = "A", _("A级（诚信）")
    B = "B", _("B级（基本诚信）")
    C = "C", _("C级（失信）")
    D = "D", _("D级（严重失信）")


class RatingRule(models.Model):
    """One row of the rule table. Rules are tried in ``rank`` order (the worst level
    first); the first whose conditions hold gives the level. A condition is
    ``{"input": <name>, "op": ">=" | "<=" | "==" | "in", "value": ...}`` over the inputs
    of credit/ratings/inputs.py; ``match`` says whether any or all must hold (a rule
    with no conditions always holds: the default level). ``immediate`` rows are also
    tried when an event happens during the year (services.downgrade_on_event)."""

    class Match(models.TextChoices):
        ANY = "any", _("满足任一条件")
        ALL = "all", _("满足全部条件")

    rank = models.PositiveSmallIntegerField(_("判定顺序"), unique=True)
    level = models.CharField(_("等级"), max_length=1, choices=RatingLevel.choices)
    match = models.CharField(_("条件关系"), max_length=3, choices=Match.choices,
                             default=Match.ANY)
    conditions = models.JSONField(_("条件"), default=list, blank=True)
    description = models.CharField(_("说明"), max_length=200)
    source = models.TextField(_("依据"))
    active = models.BooleanField(_("启用"), default=True)
    #: An event during the year that meets this rule (a major accident) downgrades the
    #: enterprise's rating at once, not only at the annual computation.
    immediate = models.BooleanField(_("即时降级"), default=False)

    class Meta:
        verbose_name = _("诚信等级评定规则")
        verbose_name_plural = _("诚信等级评定规则")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.rank} {self.level} {self.description}"


class CreditCommitmentQuerySet(AuthorityScopedQuerySet):
    pass


class CreditCommitment(models.Model):
    """A safety commitment (安全生产承诺) the enterprise signed; its breach is recorded
    by staff with the reason and is an input of the rating."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="credit_commitments",
                                   verbose_name=_("生产经营单位"))
    authority = models.ForeignKey("accounts.Authority", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("受理部门"))
    signed_on = models.DateField(_("承诺日期"))
    content = models.TextField(_("承诺内容"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    broken_on = models.DateField(_("违诺日期"), null=True, blank=True)
    broken_reason = models.TextField(_("违诺情形"), blank=True)
    broken_recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="+")

    objects = CreditCommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全生产承诺")
        verbose_name_plural = _("安全生产承诺")
        indexes = [models.Index(fields=["enterprise", "broken_on"],
                                name="commitment_broken")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.signed_on}"


class RatingQuerySet(AuthorityScopedQuerySet):
    pass


class IntegrityRating(models.Model):
    class Status(models.TextChoices):
        COMPUTED = "computed", _("待审核")
        REVIEWED = "reviewed", _("已审核")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被替代")

    class Reason(models.TextChoices):
        ANNUAL = "annual", _("年度评定")
        DOWNGRADE = "downgrade", _("即时降级")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="integrity_ratings",
                                   verbose_name=_("生产经营单位"))
    authority = models.ForeignKey("accounts.Authority", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("评定部门"))
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("等级"), max_length=1, choices=RatingLevel.choices)
    reason = models.CharField(_("评定方式"), max_length=12, choices=Reason.choices,
                              default=Reason.ANNUAL)
    #: What the rating was made from, and the rule that gave the level (so a later
    #: change of the rule table never changes what a rating said).
    inputs = models.JSONField(_("评定依据数据"), default=dict)
    explanation = models.JSONField(_("评定说明"), default=list)
    rule = models.JSONField(_("适用规则"), default=dict)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.COMPUTED)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    reviewed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("诚信等级")
        verbose_name_plural = _("诚信等级")
        constraints = [models.UniqueConstraint(
            fields=["enterprise", "year"], condition=~Q(status="superseded"),
            name="rating_one_current_per_year")]
        indexes = [models.Index(fields=["authority", "year", "status"], name="rating_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.level}"


R = IntegrityRating.Status
RATING_TRANSITIONS: dict[str, set[str]] = {
    R.COMPUTED: {R.REVIEWED, R.SUPERSEDED},
    R.REVIEWED: {R.PUBLISHED, R.SUPERSEDED},
    R.PUBLISHED: {R.SUPERSEDED},
    R.SUPERSEDED: set(),
}
RATING_WORKFLOW = register(Workflow(
    model=IntegrityRating, transitions=RATING_TRANSITIONS, event_prefix="rating",
    label_zh="诚信等级", label_en="integrity rating", touch_fields=("updated_at",),
    subject=lambda row: row.enterprise))
