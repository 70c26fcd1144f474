"""Opening a case from an escalated hidden danger, the summary procedure's limits, and
the money (late fees, continuing fines)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from enforcement.cases import services as cases
from enforcement.cases.models import Case, PenaltyDecision
from enforcement.cases.money import continuing_fine, surcharge
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from inspections.loop import services as loop
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import make_case
from tests.platform.drivers._inspections import order, rectifying_inspection

D = datetime.date
S = Case.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]


def escalated_hazard(inspector: Any) -> Any:
    _inspection, hazard = rectifying_inspection()
    order(hazard, "deadline")
    return loop.record_recheck(hazard, actor=inspector, passed=False, note="逾期仍未整改")


def test_an_escalated_hidden_danger_opens_its_case_with_the_inspection_file(
        case_world: dict[str, Any]) -> None:
    inspector = case_world["inspector"]
    hazard = escalated_hazard(inspector)
    case = cases.open_case_from_hazard(hazard, actor=inspector,
                                       officers=[inspector, case_world["inspector2"]])
    inspection = hazard.inspection
    assert (case.status, case.source, case.hazard_id, case.inspection_id) == (
        S.PENDING, "hazard", hazard.pk, inspection.pk)
    assert case.enterprise_id == inspection.enterprise_id
    assert hazard.description in case.facts and "更换防爆电器" in case.facts
    assert "逾期仍未整改" in case.facts and inspection.verification_code in case.facts
    party = case.parties.get()
    assert (party.role, party.name) == ("unit", inspection.enterprise.name)
    refs = set(case.evidence.values_list("source_ref", flat=True))
    assert f"inspections.Hazard:{hazard.pk}" in refs
    assert any(ref.startswith("inspections.ReCheck:") for ref in refs)
    with pytest.raises(DomainError) as caught:
        cases.open_case_from_hazard(hazard, actor=inspector,
                                    officers=[inspector, case_world["inspector2"]])
    assert caught.value.code == "case_exists"
    assert Case.objects.filter(hazard=hazard).count() == 1


def test_only_an_escalated_hidden_danger_opens_a_case(case_world: dict[str, Any],
                                                      binjiang_inspector: Any) -> None:
    inspector = case_world["inspector"]
    _inspection, hazard = rectifying_inspection()
    with pytest.raises(DomainError) as caught:
        cases.open_case_from_hazard(hazard, actor=inspector,
                                    officers=[inspector, case_world["inspector2"]])
    assert caught.value.status_code == 409
    hazard = escalated_hazard(inspector)
    with pytest.raises(Forbidden):
        cases.open_case_from_hazard(hazard, actor=binjiang_inspector,
                                    officers=[inspector, case_world["inspector2"]])
    assert not Case.objects.exists()


# --- The summary procedure -------------------------------------------------------------

def person_case(inspector: Any, inspector2: Any) -> Case:
    return cases.open_case(actor=inspector, source="inspection", title="未佩戴安全帽",
                           officers=[inspector, inspector2],
                           parties=[{"kind": "person", "role": "person", "name": "李四"}])


@pytest.mark.parametrize(("kind", "fine", "allowed"), [
    ("person", "200", True), ("person", "200.01", False),
    ("organisation", "3000", True), ("organisation", "3000.01", False),
])
def test_the_summary_procedure_limits(case_world: dict[str, Any], kind: str, fine: str,
                                     allowed: bool) -> None:
    inspector, inspector2 = case_world["inspector"], case_world["inspector2"]
    role = "person" if kind == "person" else "unit"
    case = cases.open_case(actor=inspector, source="inspection", title="当场处罚",
                           officers=[inspector, inspector2],
                           parties=[{"kind": kind, "role": role, "name": "当事人"}])
    party = case.parties.get()
    if not allowed:
        with refused(InvalidInput, "简易程序罚款上限"):
            cases.summary_procedure_decision(case, actor=inspector, party=party, kinds=["fine"],
                                            fine_amount=fine, basis="第九十九条")
        assert Case.objects.get(pk=case.pk).status == S.PENDING
        assert not PenaltyDecision.objects.exists()
        return
    case = cases.summary_procedure_decision(case, actor=inspector, party=party, kinds=["fine"],
                                           fine_amount=fine, basis="第九十九条")
    decision = case.decisions.get()
    assert (case.status, case.procedure) == (S.SERVED, "summary")
    assert (decision.status, decision.service_method) == ("served", "on_spot")
    assert decision.payment_clock is not None and decision.payment_clock.amount == 15
    assert case.steps.get(step="summary_procedure_decision").document_type == "应急当罚"


def test_the_summary_procedure_gives_only_a_warning_or_a_fine(case_world: dict[str, Any]) -> None:
    inspector = case_world["inspector"]
    case = person_case(inspector, case_world["inspector2"])
    with refused(InvalidInput, "警告或罚款"):
        cases.summary_procedure_decision(case, actor=inspector, party=case.parties.get(),
                                        kinds=["ordered_suspension"], basis="第九十九条")
    case = cases.summary_procedure_decision(case, actor=inspector, party=case.parties.get(),
                                           kinds=["warning"], basis="第九十九条")
    decision = case.decisions.get()
    assert decision.payment_clock is None
    assert cases.close_case(case, actor=case_world["approver"]).status == S.CLOSED


def test_a_filed_case_cannot_take_the_summary_path(case_world: dict[str, Any]) -> None:
    case = make_case(S.FILED)
    with pytest.raises(DomainError) as caught:
        cases.summary_procedure_decision(case, actor=case_world["inspector"],
                                        party=case.parties.get(), kinds=["warning"],
                                        basis="第九十九条")
    assert caught.value.code == "illegal_transition"


# --- Money ------------------------------------------------------------------------------

@pytest.mark.parametrize(("on", "expected"), [
    (D(2026, 10, 8), "0.00"),      # the deadline itself
    (D(2026, 10, 9), "300.00"),    # the day after: 3 %
    (D(2026, 10, 18), "3000.00"),  # 10 days
    (D(2026, 11, 10), "9900.00"),  # 33 days
    (D(2026, 11, 11), "10000.00"),  # 34 days: capped at the fine
    (D(2027, 3, 1), "10000.00"),
])
def test_surcharge(on: datetime.date, expected: str) -> None:
    assert surcharge(Decimal("10000"), D(2026, 10, 8), on) == Decimal(expected)


def test_continuing_fine_day_by_day_from_the_day_after_the_order() -> None:
    fine = continuing_fine(Decimal("50000"), ordered_on=D(2026, 3, 1), through=D(2026, 3, 10))
    assert (fine.first_day, fine.days, fine.total) == (D(2026, 3, 2), 9, Decimal("450000.00"))
    schedule = fine.schedule()
    assert schedule[0] == (D(2026, 3, 2), Decimal("50000.00"))
    assert schedule[-1][0] == D(2026, 3, 10) and len(schedule) == 9
    assert continuing_fine(Decimal("1"), ordered_on=D(2026, 3, 1),
                           through=D(2026, 3, 1)).days == 0
