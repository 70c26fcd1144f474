"""The discretion check of the decision step: the fine against the applied benchmark
row, a departure only on a recorded collective discussion, the row kept with the
decision (applied_row_snapshot)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from enforcement.cases import services as cases
from enforcement.cases.models import Case, CaseStepRecord
from enforcement.grounds.models import DiscretionBenchmark
from enforcement.grounds.selectors import version_in_force
from enforcement.grounds.services import FineOutsideBenchmark, FineOutsideStatutoryRange
from hangzhou_safety.api.errors import InvalidInput
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import make_case

pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("case_world", "discretion_data")]


def _row() -> DiscretionBenchmark:
    """A row of the table in force whose unit range lies strictly inside the statute's."""
    version = version_in_force(timezone.localdate())
    for row in (DiscretionBenchmark.objects.filter(violation__version=version,
                                                   unit_fine_min__isnull=False)
                .select_related("violation").order_by("pk")):
        assert row.unit_fine_max is not None and row.statutory_unit_fine_max is not None
        if row.unit_fine_max < row.statutory_unit_fine_max:
            return row
    raise AssertionError("the seeded table has no row narrower than its statute")


def _penalty(case: Case, row: DiscretionBenchmark, fine: Decimal, **extra: Any
             ) -> list[dict[str, Any]]:
    return [{"party": case.parties.get().pk, "kinds": ["fine"], "fine_amount": str(fine),
             "violation": row.violation.code, "level": row.level, **extra}]


def _notified(row: DiscretionBenchmark, *, discussed: bool = False,
              proposed: Decimal | None = None) -> Case:
    assert row.statutory_unit_fine_max is not None
    case = make_case(Case.Status.NOTIFIED, fine=proposed or row.statutory_unit_fine_max)
    if discussed:
        Case.objects.filter(pk=case.pk).update(discussed_at=timezone.now())
    cases.record_statement(case, actor=case.officers.order_by("pk").first(), waived=True)
    case.refresh_from_db()
    return case


def test_a_fine_inside_the_row_keeps_the_row_with_the_decision(
        case_world: dict[str, Any]) -> None:
    row = _row()
    assert row.unit_fine_max is not None
    case = _notified(row)
    decided = cases.issue_decision(case, actor=case_world["approver"],
                                   penalties=_penalty(case, row, row.unit_fine_max),
                                   basis=row.violation.penalty_article)
    snapshot = decided.decisions.get().applied_row_snapshot
    assert snapshot["departure"] is None
    assert snapshot["level"] == row.level and row.violation.code in str(snapshot)


def test_a_fine_outside_the_row_is_refused_with_the_reason(
        case_world: dict[str, Any]) -> None:
    row = _row()
    assert row.unit_fine_max is not None
    case = _notified(row)
    above = row.unit_fine_max + 1
    with refused(FineOutsideBenchmark, "裁量"):
        cases.issue_decision(case, actor=case_world["approver"],
                             penalties=_penalty(case, row, above), basis="依据")
    # A departure reason without a recorded collective discussion is refused as well.
    with refused(InvalidInput, "集体讨论"):
        cases.issue_decision(case, actor=case_world["approver"],
                             penalties=_penalty(case, row, above, departure_reason="情节特殊"),
                             basis="依据")
    case.refresh_from_db()
    assert case.status == Case.Status.NOTIFIED and not case.decisions.exists()


def test_a_departure_on_a_recorded_discussion_is_kept(case_world: dict[str, Any]) -> None:
    row = _row()
    assert row.unit_fine_max is not None and row.statutory_unit_fine_max is not None
    case = _notified(row, discussed=True)
    record = CaseStepRecord.objects.create(
        case=case, step="record_collective_discussion", actor=case_world["approver"],
        actor_name="局长", text="同意从重处罚", document_type="应急罚集")
    above = row.unit_fine_max + 1
    decided = cases.issue_decision(
        case, actor=case_world["approver"], basis="依据",
        penalties=_penalty(case, row, above, departure_reason="拒不改正，情节严重"))
    departure = decided.decisions.get().applied_row_snapshot["departure"]
    assert departure["reason"] == "拒不改正，情节严重"
    assert departure["collective_discussion_ref"] == f"集体讨论记录#{record.pk}"
    assert departure["amount"] == f"{above:.2f}"


def test_never_beyond_the_statutory_range(case_world: dict[str, Any]) -> None:
    row = _row()
    assert row.statutory_unit_fine_max is not None
    case = _notified(row, discussed=True, proposed=row.statutory_unit_fine_max * 2)
    CaseStepRecord.objects.create(
        case=case, step="record_collective_discussion", actor=case_world["approver"],
        actor_name="局长", text="讨论", document_type="应急罚集")
    with refused(FineOutsideStatutoryRange, "法定"):
        cases.issue_decision(
            case, actor=case_world["approver"], basis="依据",
            penalties=_penalty(case, row, row.statutory_unit_fine_max + 1,
                               departure_reason="情节特别严重"))
