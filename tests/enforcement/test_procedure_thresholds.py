"""Procedure thresholds are data with their source, read by the date in force."""

import datetime
from decimal import Decimal

import pytest

from enforcement.grounds.models import PartyKind, ProcedureThreshold
from enforcement.grounds.selectors import RuleMissing, procedure_threshold

pytestmark = pytest.mark.django_db

Code = ProcedureThreshold.Code


def test_seeded_summary_procedure_limits_follow_article_51():
    on = datetime.date(2026, 12, 1)
    person = procedure_threshold(Code.SUMMARY_PROCEDURE_FINE_MAX,
                                 party_kind=PartyKind.PERSON, on=on)
    org = procedure_threshold(Code.SUMMARY_PROCEDURE_FINE_MAX,
                              party_kind=PartyKind.ORGANISATION, on=on)
    assert (person.amount, org.amount) == (Decimal("200"), Decimal("3000"))
    assert "第五十一条" in person.source and person.tag == "S"


def test_unverified_hearing_threshold_says_so():
    row = procedure_threshold(Code.LARGE_FINE_MIN, party_kind=PartyKind.ORGANISATION,
                              on=datetime.date(2026, 12, 1))
    assert row.amount == Decimal("50000")
    assert row.tag == "K" and "第18号" in row.note


def test_a_later_row_governs_from_its_date_and_earlier_cases_keep_theirs():
    ProcedureThreshold.objects.create(
        code=Code.LARGE_FINE_MIN, party_kind=PartyKind.ORGANISATION, amount=Decimal("30000"),
        valid_from=datetime.date(2026, 2, 1), source="应急管理部令第18号（核实后录入）", tag="P")
    before = procedure_threshold(Code.LARGE_FINE_MIN, party_kind=PartyKind.ORGANISATION,
                                 on=datetime.date(2026, 1, 31))
    after = procedure_threshold(Code.LARGE_FINE_MIN, party_kind=PartyKind.ORGANISATION,
                                on=datetime.date(2026, 2, 1))
    assert (before.amount, after.amount) == (Decimal("50000"), Decimal("30000"))


def test_no_row_in_force_is_a_clear_refusal_not_a_guess():
    with pytest.raises(RuleMissing) as caught:
        procedure_threshold(Code.SUMMARY_PROCEDURE_FINE_MAX, party_kind=PartyKind.PERSON,
                            on=datetime.date(2020, 1, 1))
    assert "市局管理员" in caught.value.detail and caught.value.status_code == 409
