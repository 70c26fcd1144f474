"""The clock rule table: its seed, its admin, and start_clock."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.arithmetic import SHANGHAI
from hangzhou_safety.workdays.clock_rules import CLOCK_RULES, seed_clock_rules
from hangzhou_safety.workdays.models import ClockRule, Deadline
from hangzhou_safety.workdays.services import add_rule_period, start_clock
from tests.conftest import make_user

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_rules")]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def test_every_rule_the_procedure_needs_is_seeded_with_its_source() -> None:
    rows = {r.code: r for r in ClockRule.objects.all()}
    assert set(rows) == {row[0] for row in CLOCK_RULES}
    expected = {
        "case_file_after_investigation": ("calendar_days", 5, "P"),
        "evidence_preservation_decision": ("working_days", 7, "S"),
        "statement_defence": ("calendar_days", 3, "P"),
        "hearing_request": ("working_days", 5, "S"),
        "hearing_notice_ahead": ("working_days", 7, "S"),
        "decision": ("calendar_days", 90, "S"),
        "service": ("working_days", 7, "S"),
        "payment": ("calendar_days", 15, "S"),
        "seizure": ("calendar_days", 30, "S"),
        "seizure_extension": ("calendar_days", 30, "S"),
        "emergency_measure_report": ("hours", 24, "S"),
        "transfer_delivery": ("hours", 24, "S"),
        "transfer_decision": ("calendar_days", 3, "S"),
        "police_acceptance": ("calendar_days", 3, "S"),
        "transfer_reconsideration": ("calendar_days", 3, "S"),
        "exhibit_handover": ("calendar_days", 3, "S"),
        "accident_unit_report": ("hours", 1, "S"),
        "accident_pass_up": ("hours", 2, "S"),
        "recheck": ("calendar_days", 10, "P"),
        "resume_review": ("calendar_days", 10, "K"),
    }
    for code, (kind, amount, tag) in expected.items():
        assert (rows[code].kind, rows[code].amount, rows[code].evidence) == (kind, amount, tag)
    assert all(r.source and r.legal_basis and r.active for r in rows.values())


def test_reseeding_never_overwrites_an_administrators_correction() -> None:
    ClockRule.objects.filter(code="statement_defence").update(amount=5, kind="working_days")
    assert seed_clock_rules() == 0
    row = ClockRule.objects.get(code="statement_defence")
    assert (row.amount, row.kind) == (5, "working_days")


def test_start_clock_copies_the_rule_and_runs_on_the_calendar(
        xihu_inspector: Any) -> None:
    # 2026-09-24 + 7 working days across the National Day holiday (DOMAIN.md B11).
    clock = start_clock("service", subject=xihu_inspector.authority,
                        started_at=at(D(2026, 9, 24)), actor=xihu_inspector)
    assert (clock.label, clock.kind, clock.amount) == ("处罚决定书送达", "working_days", 7)
    assert clock.due_date == D(2026, 10, 12)
    assert clock.legal_basis == "行政处罚法第六十一条"
    assert AuditEvent.objects.filter(action="workdays.deadline_started").exists()


def test_a_partly_confirmed_rule_says_so_on_the_clock(xihu_inspector: Any) -> None:
    clock = start_clock("statement_defence", subject=None, started_at=at(D(2026, 3, 2)))
    assert "[P]" in clock.legal_basis and clock.due_date == D(2026, 3, 5)


def test_a_calendar_period_ending_on_a_rest_day_moves_to_the_next_working_day() -> None:
    # Payment: 15 days from 2026-09-20 ends 2026-10-05 (National Day) → 2026-10-08.
    clock = start_clock("payment", subject=None, started_at=at(D(2026, 9, 20)))
    assert clock.due_date == D(2026, 10, 8)
    # 10 days from 2026-09-25 ends 2026-10-05 too; from 2026-09-28, 2026-10-08 itself.
    assert start_clock("recheck", subject=None,
                       started_at=at(D(2026, 9, 28))).due_date == D(2026, 10, 8)


def test_hour_clocks_ignore_the_calendar() -> None:
    start = at(D(2026, 10, 1), 9)
    clock = start_clock("transfer_delivery", subject=None, started_at=start)
    assert clock.kind == Deadline.Kind.HOURS and clock.due_at == start + datetime.timedelta(
        hours=24)


def test_a_corrected_rule_changes_new_clocks_only() -> None:
    first = start_clock("statement_defence", subject=None, started_at=at(D(2026, 3, 2)))
    ClockRule.objects.filter(code="statement_defence").update(amount=5)
    second = start_clock("statement_defence", subject=None, started_at=at(D(2026, 3, 2)))
    first.refresh_from_db()
    assert (first.amount, second.amount) == (3, 5)


def test_a_disabled_or_unknown_rule_is_a_clear_error() -> None:
    ClockRule.objects.filter(code="seizure").update(active=False)
    for code in ("seizure", "no_such_rule"):
        with pytest.raises(DomainError) as caught:
            start_clock(code, subject=None, started_at=at(D(2026, 3, 2)))
        assert caught.value.code == "clock_rule_missing" and "期限规则" in caught.value.detail


def test_only_the_municipal_administrator_edits_the_rules(
        client: Any, municipal_admin: Any, xihu_chief: Any) -> None:
    rule = ClockRule.objects.get(code="decision")
    url = f"/admin/workdays/clockrule/{rule.pk}/change/"
    admin_user = make_user("p_plain_admin", Role.MUNICIPAL_ADMIN, "EM-330100", is_staff=True)
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    client.force_login(xihu_chief)
    assert client.get(url).status_code in (302, 403)



def test_a_rule_period_for_a_row_due_date_follows_the_table():
    """The loop's re-check due date (a date on a row, not a tracked clock) comes from the
    rule table: 10 calendar days, a period ending in the National Day holiday moved to
    the next working day; a corrected rule governs the next computation."""
    start = datetime.date(2026, 9, 24)
    ClockRule.objects.filter(code="recheck").delete()  # restored from the seed on read
    assert add_rule_period("recheck", start).due == datetime.date(2026, 10, 8)
    ClockRule.objects.filter(code="recheck").update(kind="working_days")
    assert add_rule_period("recheck", start).due == datetime.date(2026, 10, 15)
    ClockRule.objects.filter(code="recheck").update(active=False)
    with pytest.raises(DomainError):
        add_rule_period("recheck", start)
