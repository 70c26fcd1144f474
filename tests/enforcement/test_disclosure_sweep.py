"""The hourly disclosure sweep: reminders due within 3 working days, overdue flagged and
escalated, withdrawals due, expiries; set-based (the same statements for 1 or 50
disclosures), idempotent (twice notifies once), and run by a real worker on Redis."""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure, DisclosureObjection, DisclosureReminder
from enforcement.disclosure.sweep import sweep
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.arithmetic import add_working_days
from tests.enforcement.disclosure_helpers import opened, published

K = DisclosureReminder.Kind


def _mails(users: dict[str, Any]) -> None:
    for key in ("inspector", "inspector2", "chief", "approver"):
        users[key].email = f"{key}@safety.hangzhou.example"
        users[key].save(update_fields=["email"])


def _clone(row: Disclosure, n: int, **values: Any) -> None:
    """``n`` more disclosures like ``row`` (same case), set straight in the table."""
    Disclosure.objects.bulk_create([
        Disclosure(case_id=row.case_id, authority_id=row.authority_id,
                   decision_type=row.decision_type, decided_on=row.decided_on,
                   party_name=f"{row.party_name}{i}", due_date=row.due_date,
                   original_text=row.original_text, public_text=row.public_text, **values)
        for i in range(n)])


@pytest.mark.django_db
def test_due_soon_and_overdue_notify_once(case_world: dict[str, Any],
                                          django_capture_on_commit_callbacks: Any) -> None:
    _mails(case_world)
    soon = opened()
    today = timezone.localdate()
    Disclosure.objects.filter(pk=soon.pk).update(due_date=add_working_days(today, 2).due)
    late = opened()
    Disclosure.objects.filter(pk=late.pk).update(due_date=today - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep()
    assert first["overdue"] == 1
    by_kind = {(r.disclosure_id, r.kind, r.recipient.username)
               for r in DisclosureReminder.objects.select_related("recipient")}
    officers = {case_world["inspector"].username, case_world["inspector2"].username}
    chief, head = case_world["chief"].username, case_world["approver"].username
    assert by_kind == ({(soon.pk, K.DUE_SOON, u) for u in {*officers, chief}}
                       | {(late.pk, K.OVERDUE, u) for u in {*officers, chief, head}})
    late.refresh_from_db()
    assert late.timeliness == "overdue" and late.overdue_flagged_at is not None
    assert AuditEvent.objects.filter(action="disclosure.overdue").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{k}@safety.hangzhou.example" for k in ("inspector", "inspector2", "chief",
                                                 "approver"))
    # The second run notifies nobody and flags nothing.
    with django_capture_on_commit_callbacks(execute=True):
        second = sweep()
    assert second == {"overdue": 0, "withdrawal_overdue": 0, "reminders": 0, "expired": 0,
                      "mails": 0}
    assert len(mail.outbox) == 4
    assert AuditEvent.objects.filter(action="disclosure.overdue").count() == 1


@pytest.mark.django_db
def test_withdrawals_due_and_overdue(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    disclosure.request_withdrawal([row.decision_id], actor=case_world["approver"],
                                  reason="撤销")
    assert sweep()["reminders"] == 3  # two officers and the chief
    assert set(DisclosureReminder.objects.values_list("kind", flat=True)) == {
        K.WITHDRAWAL_DUE}
    Disclosure.objects.filter(pk=row.pk).update(
        withdrawal_due=timezone.localdate() - datetime.timedelta(days=1))
    result = sweep()
    assert result["withdrawal_overdue"] == 1 and result["reminders"] == 4  # + the head
    assert AuditEvent.objects.filter(action="disclosure.withdrawal_overdue").count() == 1
    # A withdrawal due keeps the publication from lapsing by itself.
    Disclosure.objects.filter(pk=row.pk).update(
        publication_ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert sweep()["expired"] == 0


def _statements(case_world: dict[str, Any], extra: int) -> tuple[int, dict[str, int]]:
    base = opened()
    today = timezone.localdate()
    Disclosure.objects.filter(pk=base.pk).update(due_date=today - datetime.timedelta(days=1))
    base.refresh_from_db()
    _clone(base, extra)
    pub = published(case_world)
    Disclosure.objects.filter(pk=pub.pk).update(
        publication_ends_on=today - datetime.timedelta(days=1))
    pub.refresh_from_db()
    _clone(pub, extra, status="published", publication_ends_on=pub.publication_ends_on,
           published_at=pub.published_at)
    with CaptureQueriesContext(connection) as queries:
        result = sweep()
    return len(queries), result


@pytest.mark.django_db
def test_the_sweep_costs_the_same_for_1_or_50(case_world: dict[str, Any]) -> None:
    few, result = _statements(case_world, 0)
    assert result["overdue"] == 1 and result["expired"] == 1
    many, result = _statements(case_world, 49)
    assert result["overdue"] == 50 and result["expired"] == 50
    assert few == many, (few, many)
    assert few <= 25  # savepoints, locks, calendar reads, the handful of statements


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_on_a_real_worker(reference_data: Any, calendar_data: Any,
                                         clock_rules: Any, threshold_data: Any,
                                         celery_live_worker: Any, xihu_inspector: Any,
                                         xihu_chief: Any, xihu_approver: Any) -> None:
    from enforcement.tasks import sweep_disclosures
    from tests.platform.drivers._cases import second_inspector

    users = {"inspector": xihu_inspector, "inspector2": second_inspector(),
             "chief": xihu_chief, "approver": xihu_approver}
    _mails(users)
    row = opened()
    Disclosure.objects.filter(pk=row.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2))
    sweep_disclosures.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Disclosure.objects.filter(
            pk=row.pk, overdue_flagged_at__isnull=False).exists():
        time.sleep(0.2)
    row.refresh_from_db()
    assert row.overdue_flagged_at is not None and row.timeliness == "overdue"
    assert DisclosureReminder.objects.filter(disclosure=row, kind=K.OVERDUE).count() == 4
    # Twice: still one reminder per recipient.
    done = threading.Event()

    def finished(sender: Any = None, **kwargs: Any) -> None:
        if getattr(sender, "name", "") == sweep_disclosures.name:
            done.set()

    task_postrun.connect(finished, weak=False)
    try:
        sweep_disclosures.delay()
        assert done.wait(30)
    finally:
        task_postrun.disconnect(finished)
    assert DisclosureReminder.objects.filter(disclosure=row).count() == 4
    assert AuditEvent.objects.filter(action="disclosure.overdue").count() == 1


@pytest.mark.django_db
def test_unanswered_objections_are_reminded_once(case_world: dict[str, Any]) -> None:
    row = published(case_world)
    objection = disclosure.submit_objection(row, text="处罚金额与决定书不符")
    assert sweep()["reminders"] == 0  # 5 working days left: not yet
    DisclosureObjection.objects.filter(pk=objection.pk).update(
        due_date=add_working_days(timezone.localdate(), 1).due)
    sweep()
    kinds = set(DisclosureReminder.objects.values_list("kind", flat=True))
    assert kinds == {K.OBJECTION_DUE}
    assert sweep()["reminders"] == 0
    disclosure.answer_objection(objection, actor=case_world["inspector"], answer="已更正")
    assert sweep()["reminders"] == 0


def test_the_sweep_is_on_the_hourly_beat() -> None:
    from hangzhou_safety.celery import app

    entry = app.conf.beat_schedule["enforcement-sweep-disclosures"]
    assert entry["task"] == "enforcement.tasks.sweep_disclosures"
    assert entry["schedule"].minute == {25} and len(entry["schedule"].hour) == 24
