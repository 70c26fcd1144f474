"""The discretion check the case calls at the proposed handling and the decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from enforcement.grounds.models import PartyKind
from enforcement.grounds.selectors import RuleMissing, benchmark_for
from enforcement.grounds.services import (
    Departure,
    FineOutsideBenchmark,
    FineOutsideStatutoryRange,
    NoFineForParty,
    check_proposed_fine,
    departure_allowed,
    needs_departure,
)
from hangzhou_safety.api.errors import InvalidInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("discretion_data")]

ON = datetime.date(2026, 12, 1)
ORG, PERSON = PartyKind.ORGANISATION, PartyKind.PERSON


def row(code: str = "AQ-097-1", level: str = "general"):
    return benchmark_for(code, level, on=ON)


def test_the_row_in_force_carries_its_ranges() -> None:
    general = row()
    # 第九十七条: 处十万元以下的罚款; the 一般 share (20 %–60 %) is illustrative.
    assert (general.statutory_unit_fine_min, general.statutory_unit_fine_max) == (
        Decimal("0"), Decimal("100000"))
    assert (general.unit_fine_min, general.unit_fine_max) == (Decimal("20000"),
                                                             Decimal("60000"))
    assert general.illustrative


@pytest.mark.parametrize("amount", ["20000", "35000.50", Decimal("60000"), 45000])
def test_an_amount_inside_the_row_is_accepted(amount: object) -> None:
    assert check_proposed_fine(row(), amount, party_kind=ORG) is None


def test_outside_the_row_is_refused_with_the_range_and_the_row() -> None:
    general = row()
    with pytest.raises(FineOutsideBenchmark) as caught:
        check_proposed_fine(general, "70000", party_kind=ORG)
    error = caught.value
    assert error.status_code == 409 and error.code == "fine_outside_benchmark"
    assert "20,000.00元至60,000.00元" in error.detail and "AQ-097-1" in error.detail
    assert f"第{general.pk}行" in error.detail and "集体讨论" in error.detail
    assert "20,000.00–60,000.00" in error.detail_en and f"row {general.pk}" in error.detail_en
    assert error.fields["amount"]


def test_below_the_row_is_refused_too() -> None:
    with pytest.raises(FineOutsideBenchmark):
        check_proposed_fine(row(), "19999.99", party_kind=ORG)


def test_a_departure_with_a_collective_discussion_is_accepted_and_described() -> None:
    general = row()
    departure = check_proposed_fine(
        general, "80000", party_kind=ORG, departure_reason="涉及从业人员比例超过一半",
        collective_discussion_ref="（杭西）应急罚集〔2026〕3号")
    assert isinstance(departure, Departure)
    assert departure.as_dict() == {
        "version_id": general.violation.version_id, "row_id": general.pk,
        "party_kind": "organisation", "amount": "80000.00",
        "row_range": ["20000.00", "60000.00"], "statutory_range": ["0.00", "100000.00"],
        "reason": "涉及从业人员比例超过一半",
        "collective_discussion_ref": "（杭西）应急罚集〔2026〕3号"}


def test_an_amount_inside_the_row_needs_no_departure_even_if_one_is_offered() -> None:
    assert check_proposed_fine(row(), "30000", party_kind=ORG, departure_reason="理由",
                               collective_discussion_ref="记录1") is None


@pytest.mark.parametrize(("reason", "ref", "field"), [
    ("情节特殊", None, "collective_discussion_ref"),
    ("", "（杭西）应急罚集〔2026〕3号", "departure_reason"),
    ("   ", "记录", "departure_reason"),
])
def test_a_departure_needs_both_reason_and_discussion(reason: str, ref: str | None,
                                                      field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_proposed_fine(row(), "80000", party_kind=ORG, departure_reason=reason,
                            collective_discussion_ref=ref)
    assert caught.value.status_code == 400 and field in caught.value.fields


@pytest.mark.parametrize("amount", ["100000.01", "150000"])
def test_outside_the_statutory_range_is_refused_even_after_a_discussion(amount: str) -> None:
    with pytest.raises(FineOutsideStatutoryRange) as caught:
        check_proposed_fine(row(), amount, party_kind=ORG, departure_reason="情节特别严重",
                            collective_discussion_ref="（杭西）应急罚集〔2026〕4号")
    error = caught.value
    assert error.status_code == 409 and error.code == "fine_outside_statutory_range"
    assert "安全生产法第九十七条" in error.detail and "0.00元至100,000.00元" in error.detail
    assert "statutory range" in error.detail_en


def test_below_a_statutory_minimum_is_refused_even_after_a_discussion() -> None:
    severe = row("AQ-097-1", "severe")  # 逾期未改正: 十万元以上二十万元以下
    with pytest.raises(FineOutsideStatutoryRange):
        check_proposed_fine(severe, "99999", party_kind=ORG, departure_reason="主动消除后果",
                            collective_discussion_ref="记录5")


def test_the_person_has_a_range_of_their_own() -> None:
    severe = row("AQ-097-1", "severe")
    assert check_proposed_fine(severe, "30000", party_kind=PERSON) is None
    assert check_proposed_fine(severe, "150000", party_kind=ORG) is None
    with pytest.raises(FineOutsideStatutoryRange):
        check_proposed_fine(severe, "60000", party_kind=PERSON, departure_reason="x",
                            collective_discussion_ref="y")


def test_a_party_the_row_does_not_fine_is_bad_input() -> None:
    with pytest.raises(NoFineForParty) as caught:
        check_proposed_fine(row("AQ-097-1", "general"), "3000", party_kind=PERSON)
    assert caught.value.status_code == 400 and "个人" in caught.value.detail
    # 第九十四条 fines the principal responsible person, not the unit.
    with pytest.raises(NoFineForParty):
        check_proposed_fine(row("AQ-094", "general"), "30000", party_kind=ORG)
    assert check_proposed_fine(row("AQ-094", "general"), "30000", party_kind=PERSON) is None


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.001", "NaN", None, ""])
def test_a_malformed_amount_is_bad_input(amount: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_proposed_fine(row(), amount, party_kind=ORG)
    assert caught.value.status_code == 400 and "amount" in caught.value.fields


def test_an_unknown_party_kind_is_bad_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_proposed_fine(row(), "30000", party_kind="company")
    assert "party_kind" in caught.value.fields


def test_departure_helpers() -> None:
    general = row()
    assert not needs_departure(general, "30000", party_kind=ORG)
    assert needs_departure(general, "80000", party_kind=ORG)
    assert departure_allowed(general, "80000", party_kind=ORG)
    assert not departure_allowed(general, "100001", party_kind=ORG)


def test_no_row_for_the_violation_or_the_day_is_a_clear_409() -> None:
    with pytest.raises(RuleMissing) as caught:
        benchmark_for("AQ-999", "general", on=ON)
    assert caught.value.status_code == 409 and "AQ-999" in caught.value.detail
    with pytest.raises(RuleMissing) as caught:
        benchmark_for("AQ-097-1", "general", on=datetime.date(2021, 8, 31))
    assert "2021-08-31" in caught.value.detail
