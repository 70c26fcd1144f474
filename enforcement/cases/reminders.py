"""Reminders of case clocks (the hourly beat job ``enforcement.tasks.send_case_reminders``).

The clocks of a case are ``workdays.Deadline`` rows whose subject is the case (filing
after investigation, the 90-day decision period, the statement and hearing-request
windows, the 7 working days to decide on preserved evidence, the service of a
decision, the payment period, the demand): every step starts them with
``subject=case`` (steps/*.py). A clock whose subject is one of the case's decisions
is reached through the decision, so a later step that attaches a clock to the
decision is reminded as well.

A running clock is *due soon* when its last day is at most N working days away
(``settings.CASE_REMINDER_WORKING_DAYS``, 3 by default; working days from the one
calendar service, so the National Day holiday does not count), and *expired* once
its due time has passed. Its officers and the section chiefs of the case's authority
get one notice per clock and stage (``CaseReminder``, unique on clock, stage and
recipient): the notice is inserted with ON CONFLICT DO NOTHING, so running the job
twice, or two workers at once, notifies once. The whole sweep is one INSERT … SELECT
whatever the number of clocks, then one read of the notices it created for the
mails; each recipient with an address gets one mail listing their new notices,
sent after commit (a mail server that is down is logged, never an error).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.utils import timezone

from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.workdays.arithmetic import Calendar, local_date
from hangzhou_safety.workdays.models import Deadline

from .models import Case, CaseReminder, PenaltyDecision

S = Case.Status
#: A case in these statuses has nothing left to remind of.
FINISHED = (S.CLOSED, S.DECLINED, S.NO_PENALTY, S.TERMINATED, S.REVOKED)
DEFAULT_WORKING_DAYS = 3


def reminder_working_days() -> int:
    return int(getattr(settings, "CASE_REMINDER_WORKING_DAYS", DEFAULT_WORKING_DAYS))


def due_soon_until(today: datetime.date, calendar: Calendar | None = None) -> datetime.date:
    """The last due day that counts as "due soon" today: N working days after today
    (a clock due that day or earlier is reminded, one due later is not yet)."""
    calendar = calendar or Calendar.load(today.year)
    return calendar.add_working_days(today, reminder_working_days()).due


_INSERT = """
WITH clocks AS (
    SELECT d.id AS deadline_id, c.id AS case_id, c.authority_id, d.due_at,
           CASE WHEN d.due_at < %(now)s THEN 'expired' ELSE 'due_soon' END AS stage
    FROM {deadline} d
    JOIN {case} c ON d.content_type_id = %(case_ct)s AND d.object_id = c.id::text
    WHERE d.status = %(running)s AND c.status <> ALL(%(finished)s)
      AND (d.due_at < %(now)s OR COALESCE(
          d.due_date, (d.due_at AT TIME ZONE 'Asia/Shanghai')::date) <= %(until)s)
    UNION ALL
    SELECT d.id, c.id, c.authority_id, d.due_at,
           CASE WHEN d.due_at < %(now)s THEN 'expired' ELSE 'due_soon' END
    FROM {deadline} d
    JOIN {decision} p ON d.content_type_id = %(decision_ct)s AND d.object_id = p.id::text
    JOIN {case} c ON c.id = p.case_id
    WHERE d.status = %(running)s AND c.status <> ALL(%(finished)s)
      AND (d.due_at < %(now)s OR COALESCE(
          d.due_date, (d.due_at AT TIME ZONE 'Asia/Shanghai')::date) <= %(until)s)
), recipients AS (
    SELECT k.deadline_id, k.case_id, k.stage, k.due_at, o.user_id
    FROM clocks k
    JOIN {officers} o ON o.case_id = k.case_id
    JOIN {user} u ON u.id = o.user_id AND u.is_active
    UNION
    SELECT k.deadline_id, k.case_id, k.stage, k.due_at, u.id
    FROM clocks k
    JOIN {user} u ON u.authority_id = k.authority_id AND u.role = %(chief)s AND u.is_active
)
INSERT INTO {reminder} (deadline_id, case_id, stage, user_id, due_at, created_at)
SELECT deadline_id, case_id, stage, user_id, due_at, %(now)s FROM recipients
ON CONFLICT (deadline_id, stage, user_id) DO NOTHING
RETURNING id
"""


def _insert_sql() -> str:
    officers = Case.officers.through._meta.db_table
    tables = {"deadline": Deadline._meta.db_table, "case": Case._meta.db_table,
              "decision": PenaltyDecision._meta.db_table, "officers": officers,
              "user": User._meta.db_table, "reminder": CaseReminder._meta.db_table}
    quote = connection.ops.quote_name
    return _INSERT.format(**{key: quote(value) for key, value in tables.items()})


def send_case_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    """Notify the officers and section chiefs of every case clock due soon or
    expired that has not been notified at this stage yet. A fixed number of
    statements whatever the number of clocks; idempotent."""
    now = now or timezone.now()
    today = local_date(now)
    until = due_soon_until(today)
    cts = ContentType.objects.get_for_models(Case, PenaltyDecision)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(), {
                "now": now, "until": until, "running": Deadline.Status.RUNNING,
                "finished": list(FINISHED), "chief": Role.SECTION_CHIEF,
                "case_ct": cts[Case].pk, "decision_ct": cts[PenaltyDecision].pk})
            ids = [row[0] for row in cursor.fetchall()]
        created = list(CaseReminder.objects.filter(pk__in=ids)
                       .select_related("user", "deadline", "case__enterprise")
                       .order_by("user_id", "due_at", "id")) if ids else []
        _mail(created)
    stages: dict[str, int] = defaultdict(int)
    for reminder in created:
        stages[reminder.stage] += 1
    return {"notices": len(created), "due_soon": stages[CaseReminder.Stage.DUE_SOON],
            "expired": stages[CaseReminder.Stage.EXPIRED]}


def reminder_text(reminder: CaseReminder) -> str:
    """One line of a notice: the case, the clock and when it is (was) due."""
    clock = reminder.deadline
    due = (f"{clock.due_date:%Y-%m-%d}" if clock.due_date
           else f"{timezone.localtime(clock.due_at):%Y-%m-%d %H:%M}")
    where = reminder.case.enterprise.name if reminder.case.enterprise else reminder.case.title
    state = "已届满" if reminder.stage == CaseReminder.Stage.EXPIRED else "即将届满"
    return f"{where}：{clock.label}{state}（届满 {due}）"


def _mail(created: list[CaseReminder]) -> None:
    """One mail per recipient with an address, after commit; failures are logged."""
    lines: dict[str, list[str]] = defaultdict(list)
    for reminder in created:
        if reminder.user.email:
            lines[reminder.user.email].append(reminder_text(reminder))
    messages: Any = tuple(
        (f"【案件期限提醒】{len(body)} 项办案期限即将届满或已届满", "\n".join(body), None, [email])
        for email, body in sorted(lines.items()))
    if messages:
        # robust: a mail server that is down is logged and never undoes the notices.
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False),
                              robust=True)


def unread_reminders(user: Any) -> Any:
    """The user's notices not yet read, newest first."""
    return (CaseReminder.objects.filter(user=user, read_at=None)
            .select_related("deadline", "case__enterprise").order_by("-id"))


def mark_read(user: Any, reminder_id: int | None = None) -> int:
    """Mark one of the user's own notices (or all of them) read; another user's
    notice is never touched. One UPDATE."""
    rows = CaseReminder.objects.filter(user=user, read_at=None)
    if reminder_id is not None:
        rows = rows.filter(pk=reminder_id)
    return rows.update(read_at=timezone.now())
