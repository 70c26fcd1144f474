"""The statutory work calendar (State Council holiday schedule) and tracked deadlines.

Only the exceptions to "Monday to Friday" are stored: statutory holidays (which may
fall on any day) and make-up workdays (调休上班, always on a weekend). A year's rows
count only once its CalendarYear is published; until then the year is computed on
weekends alone and every deadline reaching it is provisional.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.workflow import Workflow, register


class CalendarYear(models.Model):
    class Source(models.TextChoices):
        CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 软件包")
        MANUAL = "manual", _("人工录入")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    published = models.BooleanField(
        _("已发布"), default=False,
        help_text=_("勾选表示本年度放假安排已按国务院办公厅通知完整录入并生效；"
                    "未勾选的年度临时按周末及法定节假日休息计算（调休未知），相关期限标记为“暂定”。"),
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices,
                              default=Source.MANUAL)
    note = models.CharField(_("备注"), max_length=200, blank=True,
                            help_text=_("例如通知文号：国办发明电〔2025〕7号"))
    # The day the "next year is missing" warning last went out: a conditional UPDATE
    # on this column makes the daily warning idempotent across task retries.
    warned_on = models.DateField(_("最近一次缺失提醒日期"), null=True, blank=True,
                                 editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


@pghistory.track()  # who moved a holiday, kept by trigger (the admin edits this table)
class SpecialDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（放假）")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64, blank=True,
                            help_text=_("节日名称，如：春节、国庆节"))
    # A foreign key on the year number (column "year"): the admin edits a year's days
    # inline, and the calendar loader joins on `published` in the same query.
    calendar_year = models.ForeignKey(
        CalendarYear, to_field="year", db_column="year", on_delete=models.CASCADE,
        related_name="special_days", verbose_name=_("年度"),
    )

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def save(self, *args, **kwargs) -> None:
        # The year is derived from the date, never typed.
        if self.date is not None and self.calendar_year_id is None:
            self.calendar_year_id = self.date.year
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.date is None:
            return
        if self.calendar_year_id is not None and self.calendar_year_id != self.date.year:
            raise ValidationError({"date": _("日期须在所属年度之内。")})
        if self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            raise ValidationError({"kind": _("调休上班日应为周六或周日；工作日无需录入。")})


class Deadline(models.Model):
    """A statutory clock attached to any object (case, inspection, rectification order).

    Due time: for day clocks `due_date` is the last day of the period (Asia/Shanghai)
    and `due_at` is 23:59:59 of that day in Asia/Shanghai, stored in UTC; for hour
    clocks `due_date` is null and `due_at` is the exact moment.
    """

    class Kind(models.TextChoices):
        WORKING_DAYS = "working_days", _("工作日")
        CALENDAR_DAYS = "calendar_days", _("自然日")
        HOURS = "hours", _("小时")

    class Status(models.TextChoices):
        RUNNING = "running", _("计时中")
        PAUSED = "paused", _("已中止计时")
        MET = "met", _("已完成")
        CANCELLED = "cancelled", _("已撤销")

    label = models.CharField(_("期限名称"), max_length=100)
    legal_basis = models.CharField(_("法律依据"), max_length=200, blank=True)
    kind = models.CharField(_("计算方式"), max_length=16, choices=Kind.choices)
    amount = models.PositiveIntegerField(_("期限长度"))
    started_at = models.DateTimeField(_("起算时间"))
    due_date = models.DateField(_("届满日"), null=True, blank=True)
    due_at = models.DateTimeField(_("届满时间"))
    provisional = models.BooleanField(
        _("暂定"), default=False,
        help_text=_("期限跨入尚未发布放假安排的年度，按周末临时计算，发布后自动重算。"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.RUNNING)
    paused_at = models.DateTimeField(_("中止时间"), null=True, blank=True)
    # Cached totals of the closed pauses: working days for working-day clocks, calendar
    # days for calendar-day clocks, seconds for hour clocks.
    paused_days_total = models.PositiveIntegerField(_("累计中止天数"), default=0)
    paused_seconds_total = models.PositiveBigIntegerField(_("累计中止秒数"), default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True,
                                     blank=True, verbose_name=_("关联对象类型"))
    object_id = models.CharField(_("关联对象ID"), max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="deadline_subject"),
            # Overdue / due-soon lists: running clocks ordered by due time.
            models.Index(fields=["status", "due_at"], name="deadline_status_due"),
            # The provisional sweep reads only these few rows.
            models.Index(fields=["id"], name="deadline_provisional",
                         condition=models.Q(provisional=True)),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.amount}{self.get_kind_display()}）"

    @property
    def is_day_clock(self) -> bool:
        return self.kind != self.Kind.HOURS


#: Allowed status moves; one service per move in services.py.
TRANSITIONS: dict[str, set[str]] = {
    Deadline.Status.RUNNING: {Deadline.Status.PAUSED, Deadline.Status.MET,
                              Deadline.Status.CANCELLED},
    Deadline.Status.PAUSED: {Deadline.Status.RUNNING, Deadline.Status.CANCELLED},
    Deadline.Status.MET: set(),
    Deadline.Status.CANCELLED: set(),
}


def subject_jurisdiction_path(subject: Any) -> str | None:
    """The jurisdiction a clock's subject belongs to, so the clock's audit events are
    scoped with the subject (a case, an inspection) rather than with whoever acted."""
    from hangzhou_safety.accounts.models import Jurisdiction

    if subject is None:
        return None
    if isinstance(subject, Jurisdiction):
        return subject.path
    path = getattr(subject, "jurisdiction_path", None)
    if isinstance(path, str) and path:
        return path
    for holder in (subject, getattr(subject, "authority", None)):
        jurisdiction = getattr(holder, "jurisdiction", None)
        if isinstance(jurisdiction, Jurisdiction):
            return jurisdiction.path
    return None


def deadline_jurisdiction_path(deadline: Deadline) -> str | None:
    return subject_jurisdiction_path(deadline.subject) if deadline.content_type_id else None


#: Every status move of a clock goes through hangzhou_safety.workflow.transition.
DEADLINE_WORKFLOW = register(Workflow(
    model=Deadline, transitions=TRANSITIONS, event_prefix="workdays.deadline",
    label_zh="法定期限", label_en="deadline", touch_fields=("updated_at",),
    id_key="deadline", jurisdiction_path=deadline_jurisdiction_path,
))


class DeadlinePause(models.Model):
    """One pause of a clock (hearing, expert appraisal): kept so that a recomputation
    after the calendar changes skips exactly the paused days, and for the record."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses",
                                 verbose_name=_("期限"))
    paused_at = models.DateTimeField(_("中止时间"))
    resumed_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    pause_reason = models.CharField(_("中止理由"), max_length=200)
    resume_reason = models.CharField(_("恢复理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("期限中止记录")
        verbose_name_plural = _("期限中止记录")
        ordering = ["deadline", "paused_at"]
        constraints = [
            # At most one open pause per clock.
            models.UniqueConstraint(fields=["deadline"], condition=models.Q(resumed_at=None),
                                    name="deadlinepause_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}: {timezone.localtime(self.paused_at):%Y-%m-%d %H:%M}"


@pghistory.track()  # who changed a statutory period, kept by trigger (edited in the admin)
class ClockRule(models.Model):
    """One statutory clock as data (DESIGN.md "Time"): what it measures, its unit and
    length, and the text it follows. Edited by the municipal administrator, because
    several periods come from texts that are superseded or not available here
    (应急管理部令第18号) and may have to be corrected. A clock started from a rule
    copies its label, kind, amount and basis, so a later correction of the rule does
    not move a running clock."""

    class Kind(models.TextChoices):
        # A tracked clock's three units, plus calendar months: a rule may give the
        # maximum duration of a measure (stop_measure_limit), kept as a date on the row
        # it limits (add_rule_period), never as a tracked clock (start_clock refuses).
        WORKING_DAYS = "working_days", _("工作日")
        CALENDAR_DAYS = "calendar_days", _("自然日")
        HOURS = "hours", _("小时")
        CALENDAR_MONTHS = "calendar_months", _("个月")

    class Evidence(models.TextChoices):
        SOURCE = "S", _("[S] 已据原文核实")
        PARTIAL = "P", _("[P] 部分核实（二手或旧版文本）")
        BELIEVED = "K", _("[K] 未经核实，使用前须核对")

    code = models.SlugField(_("规则代码"), max_length=64, unique=True)
    label = models.CharField(_("期限名称"), max_length=100)
    kind = models.CharField(_("计算方式"), max_length=16, choices=Kind.choices)
    amount = models.PositiveIntegerField(_("期限长度"))
    legal_basis = models.CharField(_("法律依据"), max_length=200)
    source = models.CharField(_("所依文本"), max_length=300,
                              help_text=_("本规则依据的文本及版本，例如“行政处罚法（2021）第六十条”。"))
    evidence = models.CharField(_("核实程度"), max_length=1, choices=Evidence.choices)
    note = models.TextField(_("备注"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label}（{self.amount}{self.get_kind_display()}）"
