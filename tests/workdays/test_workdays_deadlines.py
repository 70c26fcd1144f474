"""Tracked clocks: start, pause/resume arithmetic, illegal moves, provisional refresh."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Jurisdiction
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays import services, tasks
from hangzhou_safety.workdays.arithmetic import SHANGHAI, end_of_day
from hangzhou_safety.workdays.models import (
    TRANSITIONS,
    CalendarYear,
    Deadline,
    DeadlinePause,
    SpecialDay,
)
from hangzhou_safety.workflow import IllegalTransition

D = datetime.date
Kind = Deadline.Kind
Status = Deadline.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_data")]


def t(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def start(kind: str = Kind.WORKING_DAYS, amount: int = 10, started_at: Any = None,
          **extra: Any) -> Deadline:
    return services.start_deadline(label="行政处罚决定送达", kind=kind, amount=amount,
                                   started_at=started_at or t(2026, 3, 2),
                                   legal_basis="《行政处罚法》第六十一条", **extra)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(tasks.refresh_provisional_deadlines, "delay",
                        lambda: calls.append("refresh"))
    return calls


def test_start_working_day_clock(municipal_admin: Any) -> None:
    deadline = start(actor=municipal_admin, subject=Jurisdiction.objects.get(code="330106"))
    # Mon 3/2 not counted; 3,4,5,6,9,10,11,12,13,16
    assert deadline.due_date == D(2026, 3, 16)
    assert deadline.due_at == end_of_day(D(2026, 3, 16))
    assert deadline.status == Status.RUNNING and not deadline.provisional
    assert getattr(deadline.subject, "code", None) == "330106"
    event = AuditEvent.objects.get(action="workdays.deadline_started")
    assert event.object_id == str(deadline.pk)
    assert event.actor_id == municipal_admin.pk
    assert event.jurisdiction_path.endswith("330106/")


def test_start_day_is_the_shanghai_date() -> None:
    # 2026-03-01 17:00 UTC is already Monday 3/2 01:00 in Hangzhou.
    deadline = start(started_at=datetime.datetime(2026, 3, 1, 17, 0, tzinfo=datetime.UTC))
    assert deadline.due_date == D(2026, 3, 16)


def test_start_validates_input() -> None:
    with pytest.raises(InvalidInput):
        start(kind="fortnights")
    with pytest.raises(InvalidInput):
        start(amount=-1)
    with pytest.raises(InvalidInput):
        start(started_at=datetime.datetime(2026, 3, 2, 10))  # noqa: DTZ001


def test_calendar_day_and_hour_clocks() -> None:
    assert start(Kind.CALENDAR_DAYS, 7, t(2026, 9, 24)).due_date == D(2026, 10, 8)
    hours = start(Kind.HOURS, 24, t(2026, 2, 16, 9, 30))
    assert hours.due_date is None
    assert hours.due_at == t(2026, 2, 17, 9, 30)


def test_pause_resume_gives_back_the_paused_working_days(municipal_admin: Any) -> None:
    deadline = start()
    deadline = services.pause_deadline(deadline, actor=municipal_admin, reason="举行听证",
                                       at=t(2026, 3, 4, 15))
    assert deadline.status == Status.PAUSED and deadline.paused_at == t(2026, 3, 4, 15)
    assert deadline.due_date == D(2026, 3, 16)   # frozen while paused
    deadline = services.resume_deadline(deadline, actor=municipal_admin, reason="听证结束",
                                        at=t(2026, 3, 9, 9))
    # Paused (3/4, 3/9]: 3/5, 3/6, 3/9 are working days → 3 given back: 3/16 → 3/19.
    assert deadline.paused_days_total == 3
    assert deadline.due_date == D(2026, 3, 19)
    assert deadline.status == Status.RUNNING and deadline.paused_at is None
    pause = DeadlinePause.objects.get(deadline=deadline)
    assert (pause.pause_reason, pause.resume_reason) == ("举行听证", "听证结束")
    actions = list(AuditEvent.objects.filter(object_id=str(deadline.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["workdays.deadline_started", "workdays.deadline_paused",
                       "workdays.deadline_resumed"]
    resumed = AuditEvent.objects.get(action="workdays.deadline_resumed")
    assert resumed.old_values["due_date"] == "2026-03-16"
    assert resumed.new_values["due_date"] == "2026-03-19"
    assert resumed.reason == "听证结束"


def test_two_pauses_accumulate(municipal_admin: Any) -> None:
    deadline = start()
    for paused, resumed in [(t(2026, 3, 3), t(2026, 3, 4)), (t(2026, 3, 10), t(2026, 3, 12))]:
        deadline = services.pause_deadline(deadline, actor=municipal_admin, reason="鉴定",
                                           at=paused)
        deadline = services.resume_deadline(deadline, actor=municipal_admin, reason="鉴定完毕",
                                            at=resumed)
    assert deadline.paused_days_total == 1 + 2
    assert deadline.due_date == D(2026, 3, 19)


def test_pause_over_a_holiday_gives_nothing_back(municipal_admin: Any) -> None:
    # Mon 9/28 + 5 WD: 9/29, 9/30, (10/1–7 off), 10/8, 10/9, 10/10 (make-up Saturday).
    deadline = start(amount=5, started_at=t(2026, 9, 28))
    assert deadline.due_date == D(2026, 10, 10)
    deadline = services.pause_deadline(deadline, actor=municipal_admin, reason="听证",
                                       at=t(2026, 9, 30))
    deadline = services.resume_deadline(deadline, actor=municipal_admin, reason="听证结束",
                                        at=t(2026, 10, 7))
    assert deadline.paused_days_total == 0
    assert deadline.due_date == D(2026, 10, 10)


def test_same_day_pause_and_resume_gives_nothing_back(municipal_admin: Any) -> None:
    deadline = start()
    deadline = services.pause_deadline(deadline, actor=municipal_admin, reason="听证",
                                       at=t(2026, 3, 4, 9))
    deadline = services.resume_deadline(deadline, actor=municipal_admin, reason="结束",
                                        at=t(2026, 3, 4, 17))
    assert deadline.paused_days_total == 0 and deadline.due_date == D(2026, 3, 16)


def test_calendar_day_clock_gives_back_every_paused_day(municipal_admin: Any) -> None:
    deadline = start(Kind.CALENDAR_DAYS, 10)               # 3/12
    assert deadline.due_date == D(2026, 3, 12)
    deadline = services.pause_deadline(deadline, actor=municipal_admin, reason="鉴定",
                                       at=t(2026, 3, 4))
    deadline = services.resume_deadline(deadline, actor=municipal_admin, reason="鉴定完毕",
                                        at=t(2026, 3, 6))
    # 2 days back: 3/14 is a Saturday → Monday 3/16.
    assert deadline.paused_days_total == 2
    assert deadline.due_date == D(2026, 3, 16)


def test_hour_clock_gives_back_the_paused_seconds(municipal_admin: Any) -> None:
    deadline = start(Kind.HOURS, 24, t(2026, 2, 16, 10))
    deadline = services.pause_deadline(deadline, actor=municipal_admin, reason="鉴定",
                                       at=t(2026, 2, 16, 12))
    deadline = services.resume_deadline(deadline, actor=municipal_admin, reason="鉴定完毕",
                                        at=t(2026, 2, 16, 15, 30))
    assert deadline.paused_seconds_total == 3.5 * 3600
    assert deadline.due_at == t(2026, 2, 17, 13, 30)


@pytest.mark.parametrize(("status", "move"), [
    (Status.RUNNING, "resume"),
    (Status.PAUSED, "pause"),
    (Status.PAUSED, "meet"),
    (Status.MET, "pause"),
    (Status.MET, "resume"),
    (Status.MET, "cancel"),
    (Status.CANCELLED, "pause"),
    (Status.CANCELLED, "resume"),
    (Status.CANCELLED, "meet"),
])
def test_illegal_moves_raise_a_bilingual_domain_error(municipal_admin: Any, status: str,
                                                      move: str) -> None:
    deadline = start()
    Deadline.objects.filter(pk=deadline.pk).update(status=status, paused_at=t(2026, 3, 3))
    calls = {
        "pause": lambda: services.pause_deadline(deadline, actor=municipal_admin, reason="x"),
        "resume": lambda: services.resume_deadline(deadline, actor=municipal_admin, reason="x"),
        "meet": lambda: services.meet_deadline(deadline, actor=municipal_admin),
        "cancel": lambda: services.cancel_deadline(deadline, actor=municipal_admin, reason="x"),
    }
    with pytest.raises(IllegalTransition) as caught:
        calls[move]()
    assert caught.value.status_code == 409 and caught.value.code == "illegal_transition"
    assert "期限" in caught.value.detail and "deadline" in caught.value.detail_en
    assert Deadline.objects.get(pk=deadline.pk).status == status
    assert not DeadlinePause.objects.filter(deadline=deadline).exists()


def test_transition_table_matches_the_services() -> None:
    assert TRANSITIONS[Status.RUNNING] == {Status.PAUSED, Status.MET, Status.CANCELLED}
    assert TRANSITIONS[Status.PAUSED] == {Status.RUNNING, Status.CANCELLED}
    assert not TRANSITIONS[Status.MET] and not TRANSITIONS[Status.CANCELLED]


def test_pause_and_resume_check_reason_and_time(municipal_admin: Any) -> None:
    deadline = start()
    with pytest.raises(InvalidInput):
        services.pause_deadline(deadline, actor=municipal_admin, reason="  ")
    with pytest.raises(InvalidInput):
        services.pause_deadline(deadline, actor=municipal_admin, reason="听证",
                                at=t(2026, 3, 1))
    deadline = services.pause_deadline(deadline, actor=municipal_admin, reason="听证",
                                       at=t(2026, 3, 4))
    with pytest.raises(InvalidInput):
        services.resume_deadline(deadline, actor=municipal_admin, reason="结束",
                                 at=t(2026, 3, 3))
    assert Deadline.objects.get(pk=deadline.pk).status == Status.PAUSED


def test_meet_and_cancel(municipal_admin: Any) -> None:
    met = services.meet_deadline(start(), actor=municipal_admin, at=t(2026, 3, 20))
    assert met.status == Status.MET and met.completed_at == t(2026, 3, 20)
    assert AuditEvent.objects.get(action="workdays.deadline_met").new_values["overdue"] is True
    paused = services.pause_deadline(start(), actor=municipal_admin, reason="听证",
                                     at=t(2026, 3, 3))
    cancelled = services.cancel_deadline(paused, actor=municipal_admin, reason="撤销立案")
    assert cancelled.status == Status.CANCELLED and cancelled.paused_at is None
    assert not DeadlinePause.objects.filter(deadline=cancelled, resumed_at=None).exists()


def _enter_2027_new_year() -> None:
    CalendarYear.objects.create(year=2027, published=False)
    SpecialDay.objects.bulk_create([
        SpecialDay(date=D(2027, 1, day), kind=SpecialDay.Kind.HOLIDAY, name="元旦",
                   calendar_year_id=2027) for day in (1, 2, 3)])


def test_publishing_next_year_recomputes_provisional_deadlines(
        municipal_admin: Any, django_capture_on_commit_callbacks: Any,
        _no_broker: list[str]) -> None:
    # Mon 12/28 + 7 WD, 2027 unscheduled: 1/1 is a holiday by law (全国年节及纪念日放假办法),
    # so 12/29–31, 1/4, 1/5, 1/6, 1/7 — not 1/6 any more; only the 调休 are unknown.
    provisional = start(amount=7, started_at=t(2026, 12, 28))
    assert (provisional.due_date, provisional.provisional) == (D(2027, 1, 7), True)
    paused_one = start(amount=7, started_at=t(2026, 12, 28))
    paused_one = services.pause_deadline(paused_one, actor=municipal_admin, reason="听证",
                                         at=t(2026, 12, 29))
    paused_one = services.resume_deadline(paused_one, actor=municipal_admin, reason="结束",
                                          at=t(2026, 12, 30))
    assert (paused_one.due_date, paused_one.paused_days_total) == (D(2027, 1, 8), 1)
    settled = start(amount=3, started_at=t(2026, 3, 2))
    untouched_updated_at = settled.updated_at

    _enter_2027_new_year()
    # Days entered but the year not yet published: nothing moves.
    assert services.recompute_provisional_deadlines() == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_year(2027, actor=municipal_admin, note="国办发明电〔2026〕X号")
    assert _no_broker == ["refresh"]
    assert AuditEvent.objects.filter(action="workdays.year_published").count() == 1

    assert tasks.refresh_provisional_deadlines() == 2
    provisional.refresh_from_db()
    paused_one.refresh_from_db()
    # The entered schedule confirms the dates and ends the provisional flag.
    assert (provisional.due_date, provisional.provisional) == (D(2027, 1, 7), False)
    assert provisional.due_at == end_of_day(D(2027, 1, 7))
    assert (paused_one.due_date, paused_one.provisional) == (D(2027, 1, 8), False)
    settled.refresh_from_db()
    assert settled.updated_at == untouched_updated_at
    event = AuditEvent.objects.get(action="workdays.provisional_recomputed")
    assert event.new_values["count"] == 2
    # Idempotent.
    assert services.recompute_provisional_deadlines() == 0


def test_publishing_a_year_without_holidays_is_refused(municipal_admin: Any) -> None:
    with pytest.raises(DomainError) as caught:
        services.publish_year(2028, actor=municipal_admin)
    assert "2028" in caught.value.detail
    assert not CalendarYear.objects.filter(year=2028, published=True).exists()


def test_paused_provisional_clocks_wait_for_resume(municipal_admin: Any) -> None:
    deadline = start(amount=7, started_at=t(2026, 12, 28))
    services.pause_deadline(deadline, actor=municipal_admin, reason="听证", at=t(2026, 12, 29))
    _enter_2027_new_year()
    CalendarYear.objects.filter(year=2027).update(published=True)
    assert services.recompute_provisional_deadlines() == 0
    resumed = services.resume_deadline(deadline, actor=municipal_admin, reason="结束",
                                       at=t(2026, 12, 29, 16))
    assert (resumed.due_date, resumed.provisional) == (D(2027, 1, 7), False)
