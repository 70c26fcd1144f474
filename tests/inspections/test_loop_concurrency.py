"""Steps racing on separate connections (threads, committed data): the inspection's row
lock makes them take turns, so no interleaving leaves a closed inspection with an open
hidden danger, two orders for one hidden danger or two inspections for one planned
inspection, and the loser gets a 409, never a 500 (IntegrityError).

Each race is made deterministic: the first thread does its step inside a transaction
and waits before committing; the second starts once the first holds its locks, and the
first commits only after the second is seen waiting for a lock (pg_stat_activity)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.api.errors import DomainError
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.loop.models import HAZARD_SETTLED
from inspections.models import (
    Hazard,
    Inspection,
    InspectionItem,
    PlanCategory,
    PlannedInspection,
    RectificationOrder,
)
from tests.conftest import make_user
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(reference_data, calendar_data, xihu_inspector):
    load_checklist_templates()
    second = make_user("p_race_inspector2", "inspector", "EM-330106", cert="P330106055",
                       full_name="西湖执法员二")
    factory = enterprise("杭州西湖并发机械有限公司", 741, sector=Sector.MACHINERY,
                         special_operations=[SpecialOperation.DUST_EXPLOSION])
    return factory, [xihu_inspector, second]


def _waiting_for_a_lock(timeout: float = 10.0) -> bool:
    """True once another session of this database waits for a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any, bool]:
    """Run `first` in a transaction held open until `second` waits for a lock.
    Returns both results (an exception counts as a result) and whether `second` was
    seen waiting."""
    results: dict[str, Any] = {}
    holding, release = threading.Event(), threading.Event()

    def run_first() -> None:
        try:
            with transaction.atomic():
                try:
                    results["first"] = first()
                finally:
                    holding.set()
                release.wait(15)
        except Exception as exc:  # the race's outcome is the result
            results["first"] = exc
        finally:
            holding.set()
            connection.close()

    def run_second() -> None:
        try:
            results["second"] = second()
        except Exception as exc:
            results["second"] = exc
        finally:
            connection.close()

    one = threading.Thread(target=run_first)
    one.start()
    assert holding.wait(15)
    two = threading.Thread(target=run_second)
    two.start()
    waited = _waiting_for_a_lock()
    release.set()
    one.join(30)
    two.join(30)
    return results.get("first"), results.get("second"), waited


def _in_progress_all_compliant(factory, team) -> tuple[Inspection, InspectionItem]:
    inspection = loop.create_inspection(actor=team[0], enterprise=factory, inspectors=team,
                                        source=Inspection.Source.AD_HOC)
    loop.start_inspection(inspection, actor=team[0])
    InspectionItem.objects.filter(inspection=inspection).update(result="compliant")
    item = inspection.items.filter(checklist_item__major_hazard_criterion="").first()
    return inspection, item


def _never_closed_with_an_open_hazard(inspection: Inspection) -> int:
    inspection.refresh_from_db()
    open_hazards = Hazard.objects.filter(inspection=inspection).exclude(
        status__in=HAZARD_SETTLED).count()
    assert not (inspection.status == Inspection.Status.CLOSED and open_hazards), (
        "closed with an open hidden danger")
    return open_hazards


@pytest.mark.parametrize("step", ["complete_findings", "close_inspection"])
def test_answer_first_then_the_step(setup, step):
    """The answer holds the lock; the step, started meanwhile, counts after it."""
    factory, team = setup
    inspection, item = _in_progress_all_compliant(factory, team)
    answer, finished, waited = race(
        lambda: loop.record_answer(inspection, item.pk, actor=team[0],
                                   result="non_compliant", note="除尘器未设泄爆装置"),
        lambda: getattr(loop, step)(inspection, actor=team[1]))
    assert waited, "the step did not wait for the answer's lock"
    assert isinstance(answer, InspectionItem), answer
    assert _never_closed_with_an_open_hazard(inspection) == 1
    if step == "complete_findings":
        assert isinstance(finished, Inspection), finished
        assert inspection.status == Inspection.Status.RECTIFYING
    else:
        assert isinstance(finished, DomainError) and finished.status_code == 409, finished
        assert inspection.status == Inspection.Status.IN_PROGRESS


def test_complete_first_then_the_answer(setup):
    """The step holds the lock; the answer arriving meanwhile is refused (409)."""
    factory, team = setup
    inspection, item = _in_progress_all_compliant(factory, team)
    finished, answer, waited = race(
        lambda: loop.complete_findings(inspection, actor=team[1]),
        lambda: loop.record_answer(inspection, item.pk, actor=team[0],
                                   result="non_compliant", note="迟到的答复"))
    assert waited
    assert isinstance(finished, Inspection) and finished.status == Inspection.Status.CLOSED
    assert isinstance(answer, DomainError) and answer.status_code == 409, answer
    assert _never_closed_with_an_open_hazard(inspection) == 0
    assert not Hazard.objects.filter(inspection=inspection).exists()


def test_two_concurrent_orders_for_one_hazard(setup):
    factory, team = setup
    inspection = loop.create_inspection(actor=team[0], enterprise=factory, inspectors=team,
                                        source=Inspection.Source.AD_HOC)
    loop.start_inspection(inspection, actor=team[0])
    hazard = loop.add_hazard(inspection, actor=team[0], description="消防通道堵塞")

    def order(actor: Any, days: int) -> Any:
        return loop.issue_order(Hazard.objects.get(pk=hazard.pk), actor=actor,
                                kind="deadline", deadline_days=days,
                                responsible_person="王经理", measures="清理通道")

    first, second, waited = race(lambda: order(team[0], 5), lambda: order(team[1], 7))
    assert waited
    assert isinstance(first, RectificationOrder), first
    assert isinstance(second, DomainError), second
    assert second.status_code == 409 and second.code == "order_exists"
    assert second.detail == "该隐患已下达整改指令。"
    assert RectificationOrder.objects.get(hazard=hazard).deadline_days == 5


def test_two_concurrent_inspections_for_one_planned_inspection(setup):
    factory, team = setup
    planned = PlannedInspection.objects.create(
        authority=Authority.objects.get(code="EM-330106"), enterprise=factory,
        category=PlanCategory.RANDOM, source=PlannedInspection.Source.DRAW, year=2026,
        month=9)

    def create(actor: Any) -> Any:
        return loop.create_inspection(actor=actor, enterprise=factory, inspectors=team,
                                      source=Inspection.Source.DRAW, planned=planned)

    first, second, waited = race(lambda: create(team[0]), lambda: create(team[1]))
    assert waited
    assert isinstance(first, Inspection), first
    assert isinstance(second, DomainError), second
    assert second.status_code == 409 and second.code == "planned_taken"
    assert Inspection.objects.filter(planned=planned).count() == 1
