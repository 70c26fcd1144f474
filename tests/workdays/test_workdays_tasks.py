"""Beat jobs: the November warning about next year's missing schedule."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays import services, tasks
from hangzhou_safety.workdays.arithmetic import SHANGHAI
from hangzhou_safety.workdays.models import CalendarYear, Deadline, SpecialDay

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_data")]


def test_next_year_missing_from_1_november() -> None:
    assert services.next_year_missing(D(2026, 11, 1)) is True
    assert services.next_year_missing(D(2026, 12, 31)) is True
    assert services.next_year_missing(D(2026, 10, 31)) is False
    assert services.next_year_missing(D(2025, 11, 1)) is False   # 2026 is seeded
    CalendarYear.objects.create(year=2027, published=False)
    assert services.next_year_missing(D(2026, 11, 1)) is True    # entered, not published
    CalendarYear.objects.filter(year=2027).update(published=True)
    assert services.next_year_missing(D(2026, 11, 1)) is False


@pytest.fixture
def admins(reference_data: None) -> list[User]:
    authority = Authority.objects.get(code="EM-330100")
    rows = [("cal_admin", Role.MUNICIPAL_ADMIN, True, "admin@hz.example"),
            ("cal_admin_gone", Role.MUNICIPAL_ADMIN, False, "gone@hz.example"),
            ("cal_admin_nomail", Role.MUNICIPAL_ADMIN, True, ""),
            ("cal_inspector", Role.INSPECTOR, True, "inspector@hz.example")]
    return [User.objects.create(username=name, role=role, is_active=active, email=email,
                                authority=authority) for name, role, active, email in rows]


def test_warning_goes_out_once_a_day_to_active_municipal_admins(
        admins: list[User], mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_next_year_missing(D(2026, 11, 1)) is True
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["admin@hz.example"]
    assert "2027" in mail.subject and "尚未录入" in mail.subject
    assert "国务院办公厅" in mail.body
    placeholder = CalendarYear.objects.get(year=2027)
    assert not placeholder.published and placeholder.warned_on == D(2026, 11, 1)
    event = AuditEvent.objects.get(action="workdays.next_year_missing")
    assert event.new_values == {"year": 2027, "date": "2026-11-01", "recipients": 1}

    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_next_year_missing(D(2026, 11, 1)) is False   # same day: once
        assert services.warn_next_year_missing(D(2026, 11, 2)) is True    # next day again
    assert len(mailoutbox) == 2
    assert AuditEvent.objects.filter(action="workdays.next_year_missing").count() == 2


def test_no_warning_before_november_or_once_published(
        admins: list[User], mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_next_year_missing(D(2026, 10, 31)) is False
        CalendarYear.objects.create(year=2027, published=True)
        SpecialDay.objects.create(date=D(2027, 1, 1), kind=SpecialDay.Kind.HOLIDAY)
        assert services.warn_next_year_missing(D(2026, 11, 5)) is False
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="workdays.next_year_missing").exists()


def test_tasks_are_thin_wrappers(admins: list[User], mailoutbox: list[Any],
                                 monkeypatch: pytest.MonkeyPatch,
                                 django_capture_on_commit_callbacks: Any) -> None:
    """The beat tasks run the real services (no stand-ins): what they return and what
    they change is what the services do."""
    real_localdate = timezone.localdate

    def on_2_november(value: Any = None, tz: Any = None) -> D:
        # Only "today" is fixed (the warning starts on 1 November); conversions stay real.
        return D(2026, 11, 2) if value is None else real_localdate(value, tz)

    monkeypatch.setattr(timezone, "localdate", on_2_november)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.warn_if_next_year_missing() is True
        assert tasks.warn_if_next_year_missing() is False   # once a day
    assert [m.to for m in mailoutbox] == [["admin@hz.example"]]
    event = AuditEvent.objects.get(action="workdays.next_year_missing")
    assert event.new_values == {"year": 2027, "date": "2026-11-02", "recipients": 1}

    # Mon 12/28 + 7 working days, 2027 unscheduled: weekends and the statutory 1 January
    # off (全国年节及纪念日放假办法), so 2027-01-07, provisional.
    clock = services.start_deadline(label="整改期限", kind=Deadline.Kind.WORKING_DAYS,
                                    amount=7, started_at=datetime.datetime(
                                        2026, 12, 28, 10, tzinfo=SHANGHAI))
    assert (clock.due_date, clock.provisional) == (D(2027, 1, 7), True)
    assert tasks.refresh_provisional_deadlines() == 0   # 2027 not published yet
    SpecialDay.objects.create(date=D(2027, 1, 1), kind=SpecialDay.Kind.HOLIDAY, name="元旦",
                              calendar_year_id=2027)
    CalendarYear.objects.filter(year=2027).update(published=True)
    assert tasks.refresh_provisional_deadlines() == 1
    clock.refresh_from_db()
    assert (clock.due_date, clock.provisional) == (D(2027, 1, 7), False)
    assert tasks.refresh_provisional_deadlines() == 0   # idempotent

    assert tasks.refresh_provisional_deadlines.name == (
        "hangzhou_safety.workdays.tasks.refresh_provisional_deadlines")
    assert tasks.warn_if_next_year_missing.name == (
        "hangzhou_safety.workdays.tasks.warn_if_next_year_missing")


def test_beat_schedule_names_existing_tasks() -> None:
    from hangzhou_safety.celery import app

    names = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {tasks.refresh_provisional_deadlines.name,
            tasks.warn_if_next_year_missing.name} <= names
