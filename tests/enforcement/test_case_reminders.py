"""Reminders of case clocks (enforcement/cases/reminders.py): due within three working
days or expired, one notice per clock, stage and recipient (the case officers and
the section chiefs of the authority), an e-mail to whoever has an address; a fixed
number of statements for 1 or 50 cases; twice run, once notified; across the 2026
National Day holiday "three working days before" skips the holiday; and the hourly
beat job on a real Celery worker."""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.cases.models import Case, CaseReminder
from enforcement.cases.reminders import due_soon_until, send_case_reminders
from hangzhou_safety.celery import app
from hangzhou_safety.workdays.arithmetic import SHANGHAI
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import cancel_deadline, start_clock
from tests.platform.drivers._cases import make_case

S = Case.Status
ST = CaseReminder.Stage


def shanghai(y: int, m: int, d: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(y, m, d, hour, tzinfo=SHANGHAI)


def _with_mail(world: dict[str, Any]) -> None:
    inspector = world["inspector"]
    inspector.email = "inspector@xihu.example"
    inspector.save(update_fields=["email"])


def _recipients(case: Case) -> set[int]:
    return {*case.officers.values_list("pk", flat=True)}


@pytest.mark.django_db
@pytest.mark.usefixtures("case_world")
class TestSweep:
    def test_due_soon_and_expired_reach_officers_and_the_chief_once(
            self, case_world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
        _with_mail(case_world)
        case = make_case(S.FILED)  # the 90-day decision clock runs from now: not due
        now = timezone.now()
        expired = start_clock("service", subject=case, started_at=now - datetime.timedelta(
            days=30))
        soon = start_clock("statement_defence", subject=case, started_at=now)
        with django_capture_on_commit_callbacks(execute=True):
            result = send_case_reminders(now)
        chief = case_world["chief"]
        people = _recipients(case) | {chief.pk}
        rows = CaseReminder.objects.filter(case=case)
        assert {(r.deadline_id, r.stage, r.user_id) for r in rows} == (
            {(expired.pk, ST.EXPIRED, p) for p in people}
            | {(soon.pk, ST.DUE_SOON, p) for p in people})
        assert not rows.filter(deadline_id=case.decision_clock_id).exists()
        assert result == {"notices": 6, "due_soon": 3, "expired": 3}
        # One mail, to the one officer with an address, listing both clocks.
        assert [m.to for m in mail.outbox] == [["inspector@xihu.example"]]
        body = mail.outbox[0].body
        assert "处罚决定书送达已届满" in body and "陈述申辩期即将届满" in body

        # Twice run, once notified; nothing mailed the second time.
        with django_capture_on_commit_callbacks(execute=True):
            assert send_case_reminders(now + datetime.timedelta(hours=1))["notices"] == 0
        assert rows.count() == 6 and len(mail.outbox) == 1

        # The due-soon clock expires: a second stage, notified once more.
        later = soon.due_at + datetime.timedelta(minutes=1)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_case_reminders(later)["expired"] == 3
        assert rows.filter(deadline=soon, stage=ST.EXPIRED).count() == 3

    def test_a_clock_of_a_decision_reminds_through_its_case(
            self, case_world: dict[str, Any]) -> None:
        case = make_case(S.DECIDED)
        decision = case.decisions.get()
        clock = start_clock("payment", subject=decision,
                            started_at=timezone.now() - datetime.timedelta(days=30))
        send_case_reminders()
        assert set(CaseReminder.objects.filter(deadline=clock).values_list(
            "case_id", "stage", "user_id")) == {
            (case.pk, ST.EXPIRED, p) for p in _recipients(case) | {case_world["chief"].pk}}

    def test_met_cancelled_and_finished_cases_are_not_reminded(
            self, case_world: dict[str, Any]) -> None:
        now = timezone.now()
        closed = make_case(S.CLOSED)
        start_clock("service", subject=closed, started_at=now - datetime.timedelta(days=30))
        live = make_case(S.FILED)
        clock = start_clock("service", subject=live, started_at=now - datetime.timedelta(
            days=30))
        cancel_deadline(clock, actor=case_world["approver"], reason="撤销")
        assert send_case_reminders(now)["notices"] == 0

    def test_other_districts_chiefs_are_not_told(self, case_world: dict[str, Any]) -> None:
        from tests.conftest import make_user

        other = make_user("p_binjiang_chief", "section_chief", "EM-330108", cert="P330108002")
        case = make_case(S.FILED)
        start_clock("service", subject=case, started_at=timezone.now() - datetime.timedelta(
            days=30))
        send_case_reminders()
        assert CaseReminder.objects.filter(case=case, user=case_world["chief"]).exists()
        assert not CaseReminder.objects.filter(user=other).exists()

    def test_a_fixed_number_of_statements_for_one_or_fifty_cases(
            self, case_world: dict[str, Any]) -> None:
        now = timezone.now()

        def cases(n: int) -> None:
            for _ in range(n):
                case = make_case(S.FILED)
                start_clock("service", subject=case, started_at=now - datetime.timedelta(
                    days=30))
                start_clock("statement_defence", subject=case, started_at=now)

        counts = []
        for n in (1, 50):
            cases(n)
            with CaptureQueriesContext(connection) as queries:
                result = send_case_reminders(now)
            assert result["notices"] == n * 2 * 3  # two clocks, three people each
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        assert counts[1] <= 6, [q["sql"][:80] for q in queries.captured_queries]

    def test_three_working_days_before_skip_the_national_day_holiday(
            self, case_world: dict[str, Any]) -> None:
        case = make_case(S.FILED)
        # 15 days to pay from 24 September 2026: due Friday 9 October.
        clock = start_clock("payment", subject=case, started_at=shanghai(2026, 9, 24, 9))
        assert clock.due_date == datetime.date(2026, 10, 9)
        # The three working days before it are 8 October and 30, 29 September (1–7
        # October are the holiday): counted in calendar days the reminder would wait
        # until 6 October, in the middle of the holiday.
        assert due_soon_until(datetime.date(2026, 9, 28)) == datetime.date(2026, 10, 8)
        assert due_soon_until(datetime.date(2026, 9, 29)) == datetime.date(2026, 10, 9)
        mine = CaseReminder.objects.filter(deadline=clock)
        send_case_reminders(shanghai(2026, 9, 28, 18))
        assert not mine.exists()
        send_case_reminders(shanghai(2026, 9, 29, 8))
        assert set(mine.values_list("stage", flat=True)) == {ST.DUE_SOON}
        send_case_reminders(shanghai(2026, 10, 9, 23))  # the last day: still due soon
        assert not mine.filter(stage=ST.EXPIRED).exists()
        send_case_reminders(shanghai(2026, 10, 10, 0))
        assert mine.filter(stage=ST.EXPIRED).count() == mine.filter(
            stage=ST.DUE_SOON).count() == 3

    def test_a_mail_server_down_is_logged_and_the_notices_stay(
            self, case_world: dict[str, Any], monkeypatch: Any, caplog: Any,
            django_capture_on_commit_callbacks: Any) -> None:
        _with_mail(case_world)
        case = make_case(S.FILED)
        start_clock("service", subject=case, started_at=timezone.now() - datetime.timedelta(
            days=30))

        def down(*args: Any, **kwargs: Any) -> None:
            raise ConnectionRefusedError("smtp down")

        monkeypatch.setattr("enforcement.cases.reminders.send_mass_mail", down)
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            assert send_case_reminders()["notices"] == 3
        assert CaseReminder.objects.filter(case=case).count() == 3
        assert "smtp down" in caplog.text

    def test_notices_show_in_the_inbox_and_on_my_deadlines_until_read(
            self, case_world: dict[str, Any], web_as: Any) -> None:
        case = make_case(S.FILED)
        start_clock("service", subject=case, started_at=timezone.now() - datetime.timedelta(
            days=30))
        send_case_reminders()
        inspector, other = case_world["inspector"], case_world["inspector2"]
        client = web_as(inspector)
        home = client.get(reverse("web:home")).content.decode()
        assert 'data-testid="inbox-case-reminders"' in home
        assert "处罚决定书送达已届满" in home
        page = client.get(reverse("enforcement:deadlines")).content.decode()
        assert 'data-testid="reminder-notice"' in page
        mine = CaseReminder.objects.get(user=inspector)
        theirs = CaseReminder.objects.get(user=other)
        # Another user's id marks nothing of theirs; my own id marks mine.
        client.post(reverse("enforcement:reminders_read") + f"?reminder={theirs.pk}")
        theirs.refresh_from_db()
        assert theirs.read_at is None
        client.post(reverse("enforcement:reminders_read") + f"?reminder={mine.pk}")
        mine.refresh_from_db()
        assert mine.read_at is not None
        home = client.get(reverse("web:home")).content.decode()
        assert 'data-testid="inbox-case-reminders"' not in home
        # "Mark all read" on my deadlines, for the second officer.
        second = web_as(other)
        response = second.post(reverse("enforcement:reminders_read"),
                               {"next": reverse("enforcement:deadlines")})
        assert response.status_code == 302 and response["Location"] == reverse(
            "enforcement:deadlines")
        assert not CaseReminder.objects.filter(user=other, read_at=None).exists()


def _wait_for(predicate: Any, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_hourly_job_on_a_real_worker_notifies_once(
        reference_data: None, calendar_data: None, clock_rules: None, threshold_data: None,
        xihu_inspector: Any, xihu_chief: Any, xihu_approver: Any,
        celery_live_worker: Any) -> None:
    from enforcement.tasks import send_case_reminders as task

    entry = app.conf.beat_schedule["enforcement-send-case-reminders"]
    assert entry["task"] == task.name == "enforcement.tasks.send_case_reminders"
    xihu_inspector.email = "inspector@xihu.example"
    xihu_inspector.save(update_fields=["email"])
    now = timezone.now()
    first = make_case(S.FILED)
    expired = start_clock("service", subject=first, started_at=now - datetime.timedelta(
        days=30))
    soon = start_clock("statement_defence", subject=first, started_at=now)

    task.delay()
    rows = CaseReminder.objects.filter(case=first)
    assert _wait_for(lambda: rows.count() == 6), "the worker sent no reminders"
    assert set(rows.values_list("deadline_id", "stage").distinct()) == {
        (expired.pk, ST.EXPIRED), (soon.pk, ST.DUE_SOON)}
    assert _wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["inspector@xihu.example"]

    # A second run (after another case's clock expired) notifies only the new clock.
    second = make_case(S.FILED)
    start_clock("service", subject=second, started_at=now - datetime.timedelta(days=30))
    task.delay()
    assert _wait_for(lambda: CaseReminder.objects.filter(case=second).count() == 3)
    assert rows.count() == 6
    assert _wait_for(lambda: len(mail.outbox) == 2)
    assert "处罚决定书送达" in mail.outbox[1].body
    assert "陈述申辩期" not in mail.outbox[1].body
    assert Deadline.objects.filter(pk=expired.pk, status=Deadline.Status.RUNNING).exists()
