"""The hourly sweep of disclosures (Celery beat, enforcement.tasks.sweep_disclosures).

- disclosures due within 3 working days → a reminder to the case officers and the
  section chiefs of the authority;
- overdue (past the due date, not published) → flagged (timeliness "overdue") and
  escalated to the head of the authority (审批负责人) as well;
- withdrawals due (a revoked or changed decision still published) → reminder; past
  their 3 working days → flagged and escalated;
- unanswered public objections due within 3 working days → reminder;
- publications past their period → expired.

Set-based: a fixed handful of statements whatever the number of rows (two flagging
UPDATEs, one INSERT … SELECT … ON CONFLICT DO NOTHING of reminders, the set-based
transition of expiries, one batched audit append, one read of the new reminders).
Idempotent: a reminder is a unique (disclosure, kind, recipient) row, so a second run
inserts, and mails, nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import Any

from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.utils import timezone

from enforcement.cases.models import Case
from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.audit.services import EventSpec, record_events
from hangzhou_safety.workdays.arithmetic import add_working_days, local_date
from hangzhou_safety.workflow import transition_many

from .models import (
    DISCLOSURE_WORKFLOW,
    Disclosure,
    DisclosureObjection,
    DisclosureReminder,
    Timeliness,
)

log = logging.getLogger(__name__)
DS = Disclosure.Status
K = DisclosureReminder.Kind
SOON_WORKING_DAYS = 3
OPEN = (DS.PENDING, DS.IN_REVIEW)


def _tables() -> dict[str, str]:
    return {"d": Disclosure._meta.db_table, "r": DisclosureReminder._meta.db_table,
            "o": DisclosureObjection._meta.db_table, "u": User._meta.db_table,
            "co": Case.officers.through._meta.db_table}


def _flag(sql: str, params: list[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _insert_reminders(now: datetime.datetime, today: datetime.date,
                      soon: datetime.date) -> list[int]:
    t = _tables()
    # Table names from the models' own metadata, never from input: no injection.
    sql = f"""
        INSERT INTO {t['r']} (disclosure_id, kind, recipient_id, created_at)
        SELECT due.id, due.kind, u.id, %(now)s
        FROM (
            SELECT id, case_id, authority_id, %(due_soon)s AS kind FROM {t['d']}
             WHERE status = ANY(%(open)s) AND due_date >= %(today)s AND due_date <= %(soon)s
            UNION ALL
            SELECT id, case_id, authority_id, %(overdue)s FROM {t['d']}
             WHERE status = ANY(%(open)s) AND due_date < %(today)s
            UNION ALL
            SELECT id, case_id, authority_id, %(wd_due)s FROM {t['d']}
             WHERE status = %(published)s AND withdrawal_due >= %(today)s
            UNION ALL
            SELECT id, case_id, authority_id, %(wd_overdue)s FROM {t['d']}
             WHERE status = %(published)s AND withdrawal_due < %(today)s
            UNION ALL
            SELECT DISTINCT d.id, d.case_id, d.authority_id, %(objection)s
              FROM {t['d']} d JOIN {t['o']} o ON o.disclosure_id = d.id
             WHERE o.answered_at IS NULL AND o.due_date <= %(soon)s
        ) AS due
        JOIN {t['u']} u ON u.is_active AND (
               u.id IN (SELECT co.user_id FROM {t['co']} co WHERE co.case_id = due.case_id)
            OR (u.authority_id = due.authority_id AND u.role = %(chief)s)
            OR (due.kind IN (%(overdue)s, %(wd_overdue)s)
                AND u.authority_id = due.authority_id AND u.role = %(head)s))
        ON CONFLICT (disclosure_id, kind, recipient_id) DO NOTHING
        RETURNING id
    """  # noqa: S608
    params: dict[str, Any] = {
              "now": now, "today": today, "soon": soon, "open": [str(s) for s in OPEN],
              "published": DS.PUBLISHED, "due_soon": K.DUE_SOON, "overdue": K.OVERDUE,
              "wd_due": K.WITHDRAWAL_DUE, "wd_overdue": K.WITHDRAWAL_OVERDUE,
              "objection": K.OBJECTION_DUE, "chief": Role.SECTION_CHIEF,
              "head": Role.DISTRICT_APPROVER}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


_SUBJECTS = {
    K.DUE_SOON: "即将到期，请及时公开",
    K.OVERDUE: "已逾期未公开（已上报负责人）",
    K.WITHDRAWAL_DUE: "决定已变更或撤销，请在期限内撤回公开",
    K.WITHDRAWAL_OVERDUE: "逾期未撤回公开（已上报负责人）",
    K.OBJECTION_DUE: "公众异议待答复",
}


def _mail(reminder_ids: list[int]) -> int:
    """One mail per recipient listing all their new reminders, sent after commit; the
    reminders are marked sent in the same statement count whatever their number."""
    if not reminder_ids:
        return 0
    reminders = list(DisclosureReminder.objects.filter(pk__in=reminder_ids)
                     .select_related("recipient", "disclosure").order_by("pk"))
    lines: dict[str, list[str]] = defaultdict(list)
    for reminder in reminders:
        if reminder.recipient.email:
            d = reminder.disclosure
            due = d.withdrawal_due if reminder.kind in (K.WITHDRAWAL_DUE,
                                                          K.WITHDRAWAL_OVERDUE) else d.due_date
            lines[reminder.recipient.email].append(
                f"- {d.party_name}：{_SUBJECTS[K(reminder.kind)]}（期限 {due:%Y-%m-%d}）")
    DisclosureReminder.objects.filter(pk__in=reminder_ids).update(sent_at=timezone.now())
    messages = tuple(("执法决定信息公开提醒 / Disclosure reminders", "\n".join(body), None,
                      [email]) for email, body in sorted(lines.items()))

    def send() -> None:
        try:
            send_mass_mail(messages, fail_silently=False)
        except Exception:  # a mail server down never undoes the sweep
            log.exception("disclosure reminders: mail failed")

    if messages:
        transaction.on_commit(send)
    return len(messages)


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = local_date(now)
    soon = add_working_days(today, SOON_WORKING_DAYS).due
    t = _tables()
    with transaction.atomic():
        overdue = _flag(
            f"""UPDATE {t['d']} SET overdue_flagged_at = %s, timeliness = %s, updated_at = %s
                WHERE status = ANY(%s) AND due_date < %s AND overdue_flagged_at IS NULL
                RETURNING id""",  # noqa: S608 (table names from the models' metadata)
            [now, str(Timeliness.OVERDUE), now, [str(s) for s in OPEN], today])
        withdrawal_overdue = _flag(
            f"""UPDATE {t['d']} SET withdrawal_flagged_at = %s, updated_at = %s
                WHERE status = %s AND withdrawal_due < %s AND withdrawal_flagged_at IS NULL
                RETURNING id""",  # noqa: S608 (table names from the models' metadata)
            [now, now, str(DS.PUBLISHED), today])
        reminders = _insert_reminders(now, today, soon)
        expired = transition_many(
            DISCLOSURE_WORKFLOW,
            Disclosure.objects.filter(publication_ends_on__lt=today, withdrawal_due=None),
            DS.EXPIRED, reason="公示期满", changes={"ended_at": now},
            subject_related=("authority__jurisdiction",))
        flagged = overdue + withdrawal_overdue
        if flagged:
            rows = {r.pk: r for r in Disclosure.objects.filter(pk__in=flagged)
                    .select_related("authority__jurisdiction")}
            record_events(
                [EventSpec(action="disclosure.overdue", obj=rows[pk],
                           new={"disclosure": pk, "due": rows[pk].due_date})
                 for pk in overdue]
                + [EventSpec(action="disclosure.withdrawal_overdue", obj=rows[pk],
                             new={"disclosure": pk, "due": rows[pk].withdrawal_due})
                   for pk in withdrawal_overdue])
        mails = _mail(reminders)
    return {"overdue": len(overdue), "withdrawal_overdue": len(withdrawal_overdue),
            "reminders": len(reminders), "expired": len(expired), "mails": mails}
