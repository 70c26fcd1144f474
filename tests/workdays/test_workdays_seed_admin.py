"""Seeding from chinesecalendar, and the administrator's calendar admin."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command

from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays import seeding, services, tasks
from hangzhou_safety.workdays.arithmetic import SHANGHAI, Calendar
from hangzhou_safety.workdays.models import CalendarYear, Deadline, SpecialDay

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_data")]


def test_migration_seeded_every_year_the_package_knows() -> None:
    known = seeding.package_days()
    assert min(known) == 2004 and max(known) == 2026
    published = set(CalendarYear.objects.filter(published=True, source="chinesecalendar")
                    .values_list("year", flat=True))
    assert published == set(known)
    assert SpecialDay.objects.count() == sum(len(days) for days in known.values())
    assert not CalendarYear.objects.filter(year=2027).exists()
    names = set(SpecialDay.objects.values_list("name", flat=True))
    assert {"元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆节"} <= names


def test_database_calendar_equals_the_package_calendar(seeded_calendar: Calendar) -> None:
    assert Calendar.load() == seeded_calendar


def test_reseeding_is_idempotent_and_respects_the_administrator() -> None:
    SpecialDay.objects.filter(date=D(2026, 10, 10)).delete()   # an admin correction
    result = seeding.seed_calendar()
    assert (result.years_created, result.years_published, result.days_created) == ([], [], 0)
    assert not SpecialDay.objects.filter(date=D(2026, 10, 10)).exists()


@pytest.fixture
def package_knows_2027(calendar_data: None, monkeypatch: pytest.MonkeyPatch) -> None:
    real = seeding.package_days

    def with_2027() -> dict:
        days = real()
        days[2027] = [(D(2027, 1, 1), "holiday", "元旦"), (D(2027, 1, 2), "holiday", "元旦"),
                      (D(2027, 1, 3), "holiday", "元旦")]
        return days

    monkeypatch.setattr(seeding, "package_days", with_2027)


@pytest.mark.usefixtures("package_knows_2027")
def test_seed_command_completes_a_placeholder_year_and_recomputes() -> None:
    CalendarYear.objects.create(year=2027, published=False)
    SpecialDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦（人工）")
    deadline = services.start_deadline(
        label="整改期限", kind=Deadline.Kind.WORKING_DAYS, amount=7,
        started_at=datetime.datetime(2026, 12, 28, 9, tzinfo=SHANGHAI))
    # 2027 unscheduled: 1/1 is off by law already (全国年节及纪念日放假办法), 调休 unknown.
    assert (deadline.due_date, deadline.provisional) == (D(2027, 1, 7), True)

    call_command("seed_calendar", stdout=open("/dev/null", "w"))  # noqa: SIM115

    year = CalendarYear.objects.get(year=2027)
    assert year.published and year.source == "chinesecalendar"
    assert SpecialDay.objects.get(date=D(2027, 1, 1)).name == "元旦（人工）"   # hand entry wins
    assert SpecialDay.objects.filter(calendar_year_id=2027).count() == 3
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D(2027, 1, 7), False)


def _staff(username: str, role: str) -> User:
    return User.objects.create(username=username, role=role, is_staff=True,
                               authority=Authority.objects.get(code="EM-330100"))


@pytest.fixture
def calendar_admin(reference_data: None) -> User:
    return _staff("cal_municipal", Role.MUNICIPAL_ADMIN)


def test_only_municipal_admins_see_the_calendar_admin(client: Any, calendar_admin: User,
                                                      reference_data: None) -> None:
    client.force_login(calendar_admin)
    page = client.get("/admin/workdays/calendaryear/")
    assert page.status_code == 200
    assert ">2026<" in page.content.decode()   # the seeded years are listed
    assert "国务院办公厅" in client.get("/admin/workdays/calendaryear/add/").content.decode()
    assert client.get("/admin/workdays/specialday/").status_code == 200
    assert client.get("/admin/workdays/deadline/").status_code == 200
    assert client.get("/admin/workdays/deadline/add/").status_code == 403

    client.force_login(_staff("cal_inspector", Role.INSPECTOR))
    assert client.get("/admin/workdays/calendaryear/").status_code == 403
    assert client.get("/admin/workdays/specialday/").status_code == 403
    assert client.get("/admin/workdays/deadline/").status_code == 403


def test_entering_and_publishing_next_year_in_the_admin(
        client: Any, calendar_admin: User, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: Any) -> None:
    enqueued: list[str] = []
    monkeypatch.setattr(tasks.refresh_provisional_deadlines, "delay",
                        lambda: enqueued.append("refresh"))
    client.force_login(calendar_admin)
    rows = [("2027-01-01", "holiday", "元旦"), ("2027-01-02", "holiday", "元旦"),
            ("2027-02-20", "workday", "春节")]
    data = {"year": 2027, "published": "on", "source": "manual", "note": "国办发明电",
            "special_days-TOTAL_FORMS": len(rows), "special_days-INITIAL_FORMS": 0,
            "special_days-MIN_NUM_FORMS": 0, "special_days-MAX_NUM_FORMS": 1000}
    for i, (day, kind, name) in enumerate(rows):
        data |= {f"special_days-{i}-date": day, f"special_days-{i}-kind": kind,
                 f"special_days-{i}-name": name}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/workdays/calendaryear/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.published
    assert SpecialDay.objects.filter(calendar_year=year).count() == 3
    assert enqueued == ["refresh"]
    event = AuditEvent.objects.get(action="workdays.year_published")
    assert event.actor_id == calendar_admin.pk


def test_admin_rejects_a_make_up_day_on_a_weekday(client: Any, calendar_admin: User) -> None:
    client.force_login(calendar_admin)
    data = {"year": 2027, "source": "manual", "note": "",
            "special_days-TOTAL_FORMS": 1, "special_days-INITIAL_FORMS": 0,
            "special_days-MIN_NUM_FORMS": 0, "special_days-MAX_NUM_FORMS": 1000,
            "special_days-0-date": "2027-01-04", "special_days-0-kind": "workday",
            "special_days-0-name": "x"}
    response = client.post("/admin/workdays/calendaryear/add/", data)
    assert response.status_code == 200
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_publishing_without_holidays_in_the_admin_shows_an_error(
        client: Any, calendar_admin: User) -> None:
    client.force_login(calendar_admin)
    data = {"year": 2028, "published": "on", "source": "manual", "note": "",
            "special_days-TOTAL_FORMS": 0, "special_days-INITIAL_FORMS": 0,
            "special_days-MIN_NUM_FORMS": 0, "special_days-MAX_NUM_FORMS": 1000}
    response = client.post("/admin/workdays/calendaryear/add/", data, follow=True)
    assert "尚未录入任何法定节假日" in response.content.decode()
    assert CalendarYear.objects.get(year=2028).published is False
