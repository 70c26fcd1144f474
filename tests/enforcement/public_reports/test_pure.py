"""12350 reports: reward bounds, routing by remit, the anonymous challenge, clocks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import signing

from enforcement.public_reports import challenge
from enforcement.public_reports.reward import (
    ACCIDENT_GRADES,
    RATES_2018,
    concealed_accident_reward,
    fine_reward,
)
from enforcement.public_reports.routing import REMIT_RULES, competent_department


@pytest.mark.parametrize(("fine", "reward"), [
    ("0", "0.00"),            # no fine, no fine reward
    ("1000", "3000.00"),      # 150 → raised to the minimum
    ("20000", "3000.00"),     # exactly the minimum
    ("20001", "3000.15"),
    ("100000", "15000.00"),
    ("2000000", "300000.00"),  # exactly the maximum
    ("5000000", "300000.00"),  # capped
])
def test_fine_reward_is_15_percent_within_bounds(fine: str, reward: str) -> None:
    assert fine_reward(Decimal(fine)) == Decimal(reward)


def test_fine_reward_refuses_negative() -> None:
    with pytest.raises(ValueError):
        fine_reward(Decimal("-1"))


@pytest.mark.parametrize(("deaths", "grade", "reward"), [
    (1, "ordinary", "30000.00"), (2, "larger", "80000.00"), (3, "major", "150000.00"),
    (4, "especially_major", "240000.00"), (5, "especially_major", "300000.00"),
    (10, "ordinary", "300000.00"), (0, "major", "0.00"),
])
def test_concealed_accident_reward_per_death_capped(deaths: int, grade: str,
                                                    reward: str) -> None:
    assert concealed_accident_reward(deaths, grade) == Decimal(reward)


def test_concealed_accident_reward_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        concealed_accident_reward(1, "catastrophic")
    with pytest.raises(ValueError):
        concealed_accident_reward(-1, "ordinary")
    assert ACCIDENT_GRADES == ("ordinary", "larger", "major", "especially_major")
    assert "安监总财〔2018〕19号" in RATES_2018.source


def test_routing_by_remit_names_its_rule() -> None:
    assert competent_department("fire")[0] == "fire"
    assert competent_department("construction")[0] == "housing"
    assert competent_department("occupational_health")[0] == "health"
    department, rule = competent_department("")
    assert (department, rule) == ("emergency", None)
    assert all(r.source for r in REMIT_RULES)


def test_challenge_accepts_the_right_answer_only() -> None:
    issued = challenge.issue()
    a, b = (int(x) for x in issued.question.split(" = ")[0].split(" + "))
    assert challenge.verify(issued.token, str(a + b), min_age=0)
    assert not challenge.verify(issued.token, str(a + b + 1), min_age=0)
    assert not challenge.verify(issued.token + "x", str(a + b), min_age=0)
    assert not challenge.verify("junk", "1", min_age=0)


def test_challenge_too_fast_or_expired_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    issued = challenge.issue()
    a, b = (int(x) for x in issued.question.split(" = ")[0].split(" + "))
    # Answered at once: a bot, refused; the same answer later passes.
    assert not challenge.verify(issued.token, str(a + b))
    real_time = challenge.time.time
    monkeypatch.setattr(challenge.time, "time", lambda: real_time() + 5)
    assert challenge.verify(issued.token, str(a + b))
    # Past MAX_AGE the signature's own timestamp expires it.
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + challenge.MAX_AGE + 10)
    assert not challenge.verify(issued.token, str(a + b))


@pytest.mark.django_db
def test_report_clocks_are_calendar_days_moved_off_holidays(clock_rules: None) -> None:
    from hangzhou_safety.workdays.services import add_rule_period, clock_rule

    assert clock_rule("report_handling").kind == "calendar_days"
    assert clock_rule("report_handling").amount == 60
    # Accepted 2026-08-03: +60 days = 2026-10-02, inside the National Day holiday
    # (10-01–10-07), so the period ends on the next working day, Thursday 10-08.
    assert add_rule_period("report_handling", datetime.date(2026, 8, 3)).due == \
        datetime.date(2026, 10, 8)
    # Verified 2026-09-20: +10 days = 09-30, a working day.
    assert add_rule_period("report_feedback", datetime.date(2026, 9, 20)).due == \
        datetime.date(2026, 9, 30)
    # Verified 2026-09-22: +10 = 10-02 (holiday) → 10-08.
    assert add_rule_period("report_feedback", datetime.date(2026, 9, 22)).due == \
        datetime.date(2026, 10, 8)
    assert clock_rule("report_handling_extension").amount == 30
