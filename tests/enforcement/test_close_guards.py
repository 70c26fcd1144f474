"""close_case runs the guards higher sub-packages register (the no-以罚代刑 hook)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from enforcement.cases import services as cases
from enforcement.cases.guards import register_close_guard, unregister_close_guard
from enforcement.cases.models import Case, PenaltyDecision
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.models import AuditEvent
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import make_case

S, DS = Case.Status, PenaltyDecision.Status
seen: list[tuple[int, int]] = []


def refuse_pending_transfer(case: Any, actor: Any) -> None:
    seen.append((case.pk, actor.pk))
    if "移送" in case.facts:
        raise DomainError("案件已移送公安机关，不得以罚代刑。", "Pending transfer.",
                          code="pending_transfer")


@pytest.fixture
def guard() -> Iterator[None]:
    register_close_guard(refuse_pending_transfer)
    register_close_guard(refuse_pending_transfer)  # idempotent
    seen.clear()
    yield
    unregister_close_guard(refuse_pending_transfer)


@pytest.mark.django_db
def test_a_registered_guard_refuses_closing_and_nothing_is_written(
        case_world: dict[str, Any], guard: None) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.PAID)
    Case.objects.filter(pk=case.pk).update(facts="涉嫌犯罪，已移送公安机关")
    before = AuditEvent.objects.count()
    with refused(DomainError, "以罚代刑"):
        cases.close_case(case, actor=case_world["approver"])
    case.refresh_from_db()
    assert case.status == S.EXECUTING
    assert AuditEvent.objects.count() == before
    assert seen == [(case.pk, case_world["approver"].pk)]


@pytest.mark.django_db
def test_a_guard_that_passes_lets_the_case_close(case_world: dict[str, Any],
                                                 guard: None) -> None:
    case = make_case(S.EXECUTING, decision_status=DS.PAID)
    case = cases.close_case(case, actor=case_world["approver"])
    assert case.status == S.CLOSED and len(seen) == 1
