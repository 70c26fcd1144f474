"""The one calendar service: deadline arithmetic and tracked statutory clocks.

Pause rule (行政处罚法 Art. 60: hearing, testing and appraisal time is not counted):
a pause covers the days *after* the pause day up to and including the resume day,
(pause day, resume day] in Asia/Shanghai. The pause day was already running, and
the resume day is treated like a new start day, which is not counted either. The
due date is then recomputed from the original start by counting `amount` days and
skipping every day inside a closed pause: for working-day clocks only the paused
*working* days are given back (a pause over a holiday gives nothing back), for
calendar-day clocks every paused day is. Pausing and resuming on the same day gives
nothing back. Hour clocks give back the exact paused seconds. Pauses are kept as
rows (DeadlinePause) so a recomputation after the calendar changes is exact.
While paused a clock keeps its last due time; it is recomputed on resume.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import transition

from .arithmetic import (
    Calendar,
    DeadlineResult,
    SkipRange,
    add_calendar_days,
    add_calendar_months,
    add_hours,
    add_working_days,
    end_of_day,
    is_working_day,
    local_date,
    year_is_scheduled,
)
from .models import (
    DEADLINE_WORKFLOW,
    CalendarYear,
    ClockRule,
    Deadline,
    DeadlinePause,
    SpecialDay,
    subject_jurisdiction_path,
)

__all__ = [
    "Calendar", "DeadlineResult", "add_calendar_days", "add_calendar_months", "add_hours",
    "add_rule_period",
    "add_working_days",
    "cancel_deadline", "is_working_day", "meet_deadline", "next_year_missing",
    "pause_deadline", "publish_year", "recompute_provisional_deadlines",
    "register_provisional_recomputer", "resume_deadline",
    "clock_rule", "extend_deadline", "start_clock", "start_deadline", "warn_next_year_missing",
    "year_is_scheduled",
]

logger = logging.getLogger(__name__)

Status = Deadline.Status
Kind = Deadline.Kind

# --- Computing a tracked clock's due time ---------------------------------------------

@dataclass(frozen=True)
class _Due:
    """A recomputed due time and the cached pause totals that go with it."""

    due_date: datetime.date | None
    due_at: datetime.datetime
    provisional: bool
    paused_days: int
    paused_seconds: int


def _closed_pauses(deadline: Deadline) -> list[tuple[datetime.datetime, datetime.datetime]]:
    return [(p.paused_at, p.resumed_at) for p in deadline.pauses.all()
            if p.resumed_at is not None]


def _compute_due(deadline: Deadline, calendar: Calendar,
                 pauses: Sequence[tuple[datetime.datetime, datetime.datetime]]) -> _Due:
    if deadline.kind == Kind.HOURS:
        seconds = int(sum((resumed - paused).total_seconds() for paused, resumed in pauses))
        due_at = add_hours(deadline.started_at, deadline.amount)
        return _Due(None, due_at + datetime.timedelta(seconds=seconds), False, 0, seconds)
    start = local_date(deadline.started_at)
    skip: list[SkipRange] = [(local_date(p), local_date(r)) for p, r in pauses]
    if deadline.kind == Kind.WORKING_DAYS:
        result = calendar.add_working_days(start, deadline.amount, skip)
        paused_days = sum(calendar.working_days_between(a, b) for a, b in skip)
    else:
        result = calendar.add_calendar_days(start, deadline.amount, skip)
        paused_days = sum(max((b - a).days, 0) for a, b in skip)
    return _Due(result.due, end_of_day(result.due), result.provisional, paused_days, 0)


def _apply(deadline: Deadline, due: _Due) -> bool:
    """Copy `due` onto the deadline; True when anything changed."""
    new = (due.due_date, due.due_at, due.provisional, due.paused_days, due.paused_seconds)
    old = (deadline.due_date, deadline.due_at, deadline.provisional,
           deadline.paused_days_total, deadline.paused_seconds_total)
    (deadline.due_date, deadline.due_at, deadline.provisional,
     deadline.paused_days_total, deadline.paused_seconds_total) = new
    return new != old


_DUE_FIELDS = ["due_date", "due_at", "provisional", "paused_days_total",
               "paused_seconds_total", "updated_at"]


def _due_snapshot(deadline: Deadline) -> dict[str, Any]:
    return {"due_at": deadline.due_at, "due_date": deadline.due_date,
            "provisional": deadline.provisional}


# --- Checks -------------------------------------------------------------------------

def _require_aware(moment: datetime.datetime, field: str) -> None:
    if timezone.is_naive(moment):
        raise InvalidInput("时间须带时区。", f"{field} must be timezone-aware.",
                           fields={field: ["时间须带时区。"]})


def _require_reason(reason: str, detail: str, detail_en: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(detail, detail_en, fields={"reason": [detail]})
    return reason


_jurisdiction_path = subject_jurisdiction_path


def _due_values(due: _Due) -> dict[str, Any]:
    return {"due_date": due.due_date, "due_at": due.due_at, "provisional": due.provisional,
            "paused_days_total": due.paused_days, "paused_seconds_total": due.paused_seconds}


# --- Tracked clocks -------------------------------------------------------------------
#
# Every status move goes through hangzhou_safety.workflow.transition (DEADLINE_WORKFLOW):
# it locks and re-reads the clock, checks the move against TRANSITIONS (409 otherwise),
# runs the step's checks as the guard, saves the status and the step's fields only and
# appends the audit event. The pause records are written after the move, in the same
# transaction, so an illegal or refused move writes nothing. Not durable: a case or an
# inspection step starts, pauses and stops its clocks inside its own transaction.

@transaction.atomic
def start_deadline(*, label: str, kind: str, amount: int, started_at: datetime.datetime,
                   legal_basis: str = "", subject: Any = None, actor: Any = None) -> Deadline:
    """Start a clock. For day clocks the local date of `started_at` is the start day
    (not counted)."""
    if kind not in Kind.values:
        raise InvalidInput("期限计算方式无效。", f"Unknown deadline kind {kind!r}.",
                           fields={"kind": ["期限计算方式无效。"]})
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise InvalidInput("期限长度须为非负整数。", "amount must be a non-negative integer.",
                           fields={"amount": ["期限长度须为非负整数。"]})
    _require_aware(started_at, "started_at")
    deadline = Deadline(label=label, legal_basis=legal_basis, kind=kind, amount=amount,
                        started_at=started_at)
    if subject is not None:
        deadline.content_type = ContentType.objects.get_for_model(subject)
        deadline.object_id = str(subject.pk)
    _apply(deadline, _compute_due(deadline, Calendar.load(local_date(started_at).year), []))
    deadline.save(force_insert=True)
    record_event("workdays.deadline_started", actor=actor, obj=deadline,
                 new={"label": label, "kind": kind, "amount": amount,
                      "started_at": started_at, **_due_snapshot(deadline)},
                 jurisdiction_path=_jurisdiction_path(subject))
    return deadline


def clock_rule(code: str) -> ClockRule:
    """The active rule ``code`` of the clock rule table; a missing or disabled rule is a
    configuration error the user can report, not a 500."""
    rule = ClockRule.objects.filter(code=code, active=True).first()
    if rule is None and not ClockRule.objects.filter(code=code).exists():
        # A code the table has never held (a rule added by a later release, or a table
        # emptied by a restore) comes from the seed; an edited or disabled row is never
        # touched (seed_clock_rules inserts missing codes only).
        from .clock_rules import seed_clock_rules

        seed_clock_rules()
        rule = ClockRule.objects.filter(code=code, active=True).first()
    if rule is None:
        raise DomainError(f"期限规则“{code}”不存在或已停用，请联系市局管理员。",
                          f"Clock rule {code!r} is missing or inactive.",
                          code="clock_rule_missing")
    return rule


def add_rule_period(rule_code: str, start: datetime.date, *,
                    calendar: Calendar | None = None,
                    rule: ClockRule | None = None) -> DeadlineResult:
    """The due date of rule ``rule_code``'s period counted from ``start``, for a due date
    kept on a row rather than a tracked clock (a re-check's due date). Pass ``rule``
    when computing many at once (a sweep): one read of the table for all of them."""
    rule = rule or clock_rule(rule_code)
    if rule.kind == Deadline.Kind.WORKING_DAYS:
        return add_working_days(start, rule.amount, calendar=calendar)
    if rule.kind == Deadline.Kind.CALENDAR_DAYS:
        return add_calendar_days(start, rule.amount, calendar=calendar)
    if rule.kind == ClockRule.Kind.CALENDAR_MONTHS:
        return add_calendar_months(start, rule.amount, calendar=calendar)
    raise DomainError(f"期限规则“{rule_code}”按小时计算，不能用于按日的期限。",
                      f"Clock rule {rule_code!r} counts hours, not days.",
                      code="clock_rule_unit")


def start_clock(rule_code: str, *, subject: Any, started_at: datetime.datetime,
                actor: Any = None) -> Deadline:
    """Start the clock of rule ``rule_code`` for ``subject``. The rule's label, unit,
    length and basis are copied onto the Deadline: a later correction of the rule
    changes new clocks only, never one already running."""
    rule = clock_rule(rule_code)
    if rule.kind == ClockRule.Kind.CALENDAR_MONTHS:
        # A tracked clock counts days or hours (its pauses give back days); a month
        # rule limits a measure and is kept as a date on its row (add_rule_period).
        raise DomainError(f"期限规则“{rule_code}”按月计算，不能作为计时期限启动。",
                          f"Clock rule {rule_code!r} counts months; it cannot start a clock.",
                          code="clock_rule_unit")
    basis = rule.legal_basis if rule.evidence == ClockRule.Evidence.SOURCE else (
        f"{rule.legal_basis}（[{rule.evidence}] 待核对）")
    return start_deadline(label=rule.label, kind=rule.kind, amount=rule.amount,
                          started_at=started_at, legal_basis=basis[:200], subject=subject,
                          actor=actor)


@transaction.atomic
def extend_deadline(deadline: Deadline, *, by: int, actor: Any, reason: str) -> Deadline:
    """Lengthen a running or paused clock by ``by`` units of its kind (an approved
    extension of the decision period). Not a status move: the length changes, the due
    time is recomputed from the start with the pauses skipped, and the change is
    audited with the reason."""
    reason = _require_reason(reason, "请填写延长期限的理由。",
                             "A reason for the extension is required.")
    if isinstance(by, bool) or not isinstance(by, int) or by <= 0:
        raise InvalidInput("延长天数须为正整数。", "The extension must be a positive integer.",
                           fields={"by": ["延长天数须为正整数。"]})
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.status not in (Status.RUNNING, Status.PAUSED):
        raise DomainError("已完成或已撤销的期限不能延长。",
                          "A met or cancelled deadline cannot be extended.",
                          code="illegal_transition")
    old = {"amount": locked.amount, **_due_snapshot(locked)}
    locked.amount += by
    _apply(locked, _compute_due(locked, Calendar.load(local_date(locked.started_at).year),
                                _closed_pauses(locked)))
    locked.save(update_fields=["amount", *_DUE_FIELDS])
    record_event("workdays.deadline_extended", actor=actor, obj=locked, old=old,
                 new={"amount": locked.amount, **_due_snapshot(locked)}, reason=reason,
                 jurisdiction_path=_jurisdiction_path(locked.subject))
    return locked


@transaction.atomic
def pause_deadline(deadline: Deadline, *, actor: Any, reason: str,
                   at: datetime.datetime | None = None) -> Deadline:
    """Stop a running clock (hearing, expert appraisal). Returns the updated row."""
    reason = _require_reason(reason, "请填写中止计时的理由。",
                             "A reason for the pause is required.")
    at = at or timezone.now()

    def check(locked: Deadline) -> None:
        _require_aware(at, "at")
        last_resume = (DeadlinePause.objects.filter(deadline=locked)
                       .order_by("-resumed_at").values_list("resumed_at", flat=True).first())
        if at < locked.started_at or (last_resume is not None and at < last_resume):
            raise InvalidInput("中止时间不能早于起算时间或上次恢复时间。",
                               "The pause cannot begin before the start or the last "
                               "resumption.",
                               fields={"at": ["中止时间不能早于起算时间或上次恢复时间。"]})

    locked = transition(
        DEADLINE_WORKFLOW, deadline, Status.PAUSED, actor=actor, guard=check,
        changes={"paused_at": at}, extra={"paused_at": at}, reason=reason,
        event="workdays.deadline_paused",
        refusal=("只有计时中的期限才能中止计时", "Only a running deadline can be paused"))
    DeadlinePause.objects.create(deadline=locked, paused_at=at, pause_reason=reason[:200])
    return locked


@transaction.atomic
def resume_deadline(deadline: Deadline, *, actor: Any, reason: str,
                    at: datetime.datetime | None = None) -> Deadline:
    """Restart a paused clock and push its due time back by the paused period."""
    reason = _require_reason(reason, "请填写恢复计时的理由。",
                             "A reason for the resumption is required.")
    at = at or timezone.now()

    def check(locked: Deadline) -> None:
        _require_aware(at, "at")
        assert locked.paused_at is not None
        if at < locked.paused_at:
            raise InvalidInput("恢复时间不能早于中止时间。",
                               "Cannot resume before the pause began.",
                               fields={"at": ["恢复时间不能早于中止时间。"]})

    def recompute(locked: Deadline) -> dict[str, Any]:
        # The open pause closes at `at` (written below, after the move).
        assert locked.paused_at is not None
        pauses = [*_closed_pauses(locked), (locked.paused_at, at)]
        calendar = Calendar.load(local_date(locked.started_at).year)
        return {"paused_at": None, **_due_values(_compute_due(locked, calendar, pauses))}

    locked = transition(
        DEADLINE_WORKFLOW, deadline, Status.RUNNING, actor=actor, guard=check,
        changes=recompute, reason=reason, event="workdays.deadline_resumed",
        extra_old=_due_snapshot,
        extra=lambda row: {"resumed_at": at, **_due_snapshot(row),
                           "paused_days_total": row.paused_days_total,
                           "paused_seconds_total": row.paused_seconds_total},
        refusal=("只有已中止计时的期限才能恢复计时", "Only a paused deadline can be resumed"))
    DeadlinePause.objects.filter(deadline=locked, resumed_at=None).update(
        resumed_at=at, resume_reason=reason[:200])
    return locked


@transaction.atomic
def meet_deadline(deadline: Deadline, *, actor: Any,
                  at: datetime.datetime | None = None) -> Deadline:
    """The act the clock was waiting for happened: stop it for good."""
    moment = at or timezone.now()
    return transition(
        DEADLINE_WORKFLOW, deadline, Status.MET, actor=actor,
        guard=lambda _row: _require_aware(moment, "at"),
        changes={"completed_at": moment}, event="workdays.deadline_met",
        extra=lambda row: {"completed_at": moment, "overdue": moment > row.due_at},
        refusal=("只有计时中的期限才能标记为完成", "Only a running deadline can be marked as met"))


@transaction.atomic
def cancel_deadline(deadline: Deadline, *, actor: Any, reason: str) -> Deadline:
    reason = _require_reason(reason, "请填写撤销理由。",
                             "A reason for the cancellation is required.")
    now = timezone.now()
    locked = transition(
        DEADLINE_WORKFLOW, deadline, Status.CANCELLED, actor=actor,
        changes={"paused_at": None, "completed_at": now}, reason=reason,
        event="workdays.deadline_cancelled",
        refusal=("已完成或已撤销的期限不能撤销",
                 "A met or cancelled deadline cannot be cancelled"))
    # An open pause ends with the clock (never before it began).
    DeadlinePause.objects.filter(deadline=locked, resumed_at=None).update(
        resumed_at=Greatest(Value(now), F("paused_at")), resume_reason=reason[:200])
    return locked


#: The apps' own recomputations of provisional due dates kept as fields of their rows
#: (a re-check's due date, an order's deadline), not as Deadline clocks: each is called
#: after the clocks, in its own transaction, and returns how many rows it changed.
#: Registered from the apps' AppConfig.ready(), since the platform imports no app.
PROVISIONAL_RECOMPUTERS: list[Callable[[], int]] = []


def register_provisional_recomputer(recompute: Callable[[], int]) -> None:
    if recompute not in PROVISIONAL_RECOMPUTERS:
        PROVISIONAL_RECOMPUTERS.append(recompute)


def recompute_provisional_deadlines() -> int:
    """Recompute running provisional clocks, then the apps' provisional due dates
    (PROVISIONAL_RECOMPUTERS), against the current calendar. Returns how many changed."""
    changed = _recompute_provisional_clocks()
    return changed + sum(recompute() for recompute in PROVISIONAL_RECOMPUTERS)


def _recompute_provisional_clocks() -> int:
    """Recompute running provisional clocks against the current calendar.

    One query for the rows (locked, SKIP LOCKED: a clock being paused or resumed right
    now is recomputed by that service anyway), one for their pauses, one for the
    calendar, one bulk UPDATE. The arithmetic itself is per row in Python. Paused
    clocks are left for resume_deadline. Returns how many clocks changed.

    Durable: run by the beat task and seed_calendar, never inside another
    transaction, which would hold the locks on every provisional clock.
    """
    with transaction.atomic(durable=True):
        rows = list(Deadline.objects.select_for_update(skip_locked=True)
                    .filter(provisional=True, status=Status.RUNNING)
                    .exclude(kind=Kind.HOURS).order_by("id"))
        if not rows:
            return 0
        pauses: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
        for deadline_id, paused, resumed in (
                DeadlinePause.objects.filter(deadline__in=rows, resumed_at__isnull=False)
                .order_by("paused_at").values_list("deadline_id", "paused_at", "resumed_at")):
            if resumed is not None:  # filtered above; narrows the type
                pauses.setdefault(deadline_id, []).append((paused, resumed))
        calendar = Calendar.load(min(local_date(d.started_at).year for d in rows))
        now = timezone.now()
        changed: list[Deadline] = []
        for deadline in rows:
            old_due = deadline.due_date
            if _apply(deadline, _compute_due(deadline, calendar, pauses.get(deadline.pk, []))):
                deadline.updated_at = now
                changed.append(deadline)
                logger.info("deadline %s recomputed: %s -> %s (provisional=%s)",
                            deadline.pk, old_due, deadline.due_date, deadline.provisional)
        if changed:
            Deadline.objects.bulk_update(changed, _DUE_FIELDS)
            record_event("workdays.provisional_recomputed",
                         new={"count": len(changed),
                              "deadline_ids": [d.pk for d in changed][:1000],
                              "still_provisional": sum(d.provisional for d in changed)})
        return len(changed)


# --- The calendar table ---------------------------------------------------------------

def publish_year(year: int, *, actor: Any = None, note: str | None = None) -> CalendarYear:
    """Mark a year's schedule as entered; provisional clocks are recomputed after commit."""
    from .tasks import refresh_provisional_deadlines

    with transaction.atomic():
        row, _created = CalendarYear.objects.select_for_update().get_or_create(
            year=year, defaults={"source": CalendarYear.Source.MANUAL})
        holidays = row.special_days.filter(kind=SpecialDay.Kind.HOLIDAY).count()
        if not holidays:
            raise DomainError(
                f"{year}年尚未录入任何法定节假日，不能发布。请先按国务院办公厅通知录入放假和调休日期。",
                f"No holidays entered for {year}; enter the State Council schedule first.",
            )
        was_published = row.published
        row.published = True
        fields = ["published", "updated_at"]
        if note is not None:
            row.note = note
            fields.append("note")
        row.save(update_fields=fields)
        if not was_published:
            record_event("workdays.year_published", actor=actor, obj=row,
                         old={"published": False},
                         new={"published": True, "holidays": holidays,
                              "special_days": row.special_days.count()})
        # Harmless when nothing is provisional; the beat job repeats it anyway.
        transaction.on_commit(lambda: refresh_provisional_deadlines.delay())
    return row


def next_year_missing(today: datetime.date | None = None) -> bool:
    """From 1 November, True while next year's schedule is not published (home banner)."""
    today = today or timezone.localdate()
    return today >= datetime.date(today.year, 11, 1) and not year_is_scheduled(today.year + 1)


def warn_next_year_missing(today: datetime.date | None = None) -> bool:
    """Warn the municipal administrators, at most once a day. True when a warning went out.

    Leaves an unpublished CalendarYear row for next year, which the administrator
    then completes in the admin.
    """
    from hangzhou_safety.accounts.models import Role, User

    today = today or timezone.localdate()
    if not next_year_missing(today):
        return False
    year = today.year + 1
    # Durable: the day's claim (below) and the mail go out with this commit, not
    # with a caller's.
    with transaction.atomic(durable=True):
        row, _ = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": CalendarYear.Source.MANUAL,
                                 "note": "等待国务院办公厅发布放假安排"})
        # Conditional UPDATE: of two runs on the same day (retry, second beat) only one
        # claims the day.
        claimed = (CalendarYear.objects.filter(pk=row.pk).exclude(warned_on=today)
                   .update(warned_on=today))
        if not claimed:
            return False
        recipients = list(User.objects.filter(is_active=True, role=Role.MUNICIPAL_ADMIN)
                          .exclude(email="").order_by("pk").values_list("email", flat=True))
        record_event("workdays.next_year_missing", obj=row,
                     new={"year": year, "date": today, "recipients": len(recipients)})
        if recipients:
            subject, body = _missing_year_mail(year)
            transaction.on_commit(
                lambda: send_mail(subject, body, None, recipients, fail_silently=False),
                robust=True)
    return True


def _missing_year_mail(year: int) -> tuple[str, str]:
    subject = f"【提醒】{year}年法定节假日安排尚未录入"
    body = (
        f"您好：\n\n"
        f"平台尚未录入{year}年的法定节假日和调休安排。在录入并发布之前，"
        f"涉及{year}年的工作日期限只按周末计算，并标记为“暂定”。\n\n"
        f"国务院办公厅通常于每年11月发布下一年度的放假安排通知。通知发布后，请登录管理后台，"
        f"进入“工作日历 › 年度放假安排 › {year}”，逐日录入放假日期（法定节假日）"
        f"和调休上班日期（调休上班日），核对无误后勾选“已发布”并保存。"
        f"平台将自动重新计算所有暂定期限。\n\n"
        f"此邮件由系统每日自动发送，直至{year}年安排发布。\n"
    )
    return subject, body
