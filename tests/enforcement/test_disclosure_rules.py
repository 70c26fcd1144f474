"""Disclosure deadlines by decision type, across the 2026 National Day holiday
(worked examples of DOMAIN.md B11)."""

from __future__ import annotations

import datetime

import pytest

from enforcement.disclosure.rules import DecisionType, disclosure_due
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workdays.models import ClockRule

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_rules")]


def test_penalty_is_due_in_7_working_days_across_national_day() -> None:
    assert disclosure_due(DecisionType.PENALTY, D(2026, 9, 24)).due == D(2026, 10, 12)


def test_other_decision_is_due_in_20_working_days() -> None:
    assert disclosure_due(DecisionType.COMPULSORY_MEASURE, D(2026, 9, 24)).due == D(2026, 10, 29)


def test_spring_festival_with_make_up_saturdays() -> None:
    assert disclosure_due(DecisionType.PENALTY, D(2026, 2, 10)).due == D(2026, 2, 26)
    assert disclosure_due(DecisionType.OTHER, D(2026, 2, 10)).due == D(2026, 3, 16)


def test_the_period_is_data_the_bureau_corrects() -> None:
    ClockRule.objects.filter(code="enforcement_disclosure").update(amount=7)
    assert disclosure_due(DecisionType.OTHER, D(2026, 9, 24)).due == D(2026, 10, 12)


def test_unknown_type_is_bad_input() -> None:
    with pytest.raises(InvalidInput):
        disclosure_due("nonsense", D(2026, 9, 24))
