"""The accident grounds of 令11号 against the accident records: （一） a 重大/特别重大 accident
at the enterprise or found its responsibility; （二） two 较大 accidents within 12 months
found its responsibility, detected and proposed once to the authority that punished —
by the daily task on a real worker, when findings are recorded, and when an accident
case's decision takes effect."""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

import pytest
from celery.signals import task_postrun
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credit.blacklist import accidents as detection
from credit.blacklist import rules, services
from credit.blacklist.models import BlacklistEntry
from enforcement.accidents import services as accident_services
from enforcement.accidents.models import Accident, AccidentFinding
from enforcement.cases import services as cases
from enforcement.cases.models import Case, PenaltyDecision
from enterprises.models import Enterprise
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from tests.platform.drivers._blacklist import art114_decision
from tests.platform.drivers._cases import PERSONAS, Staff, make_case, officers, xihu_staff
from tests.platform.drivers._inspections import enterprise, user
from tests.platform.drivers._transfers import make_accident

pytestmark = pytest.mark.django_db
A = Accident.Status
B = BlacklistEntry.Status
LARGER = 3  # deaths: 较大事故 (3–9)
MAJOR = 10  # deaths: 重大事故


@pytest.fixture
def world(request: pytest.FixtureRequest) -> None:
    for name in PERSONAS:
        request.getfixturevalue(name)


def _accident(site: Enterprise, deaths: int, days_ago: int) -> Accident:
    row = make_accident(A.CONCLUDED, deaths=deaths, site=site)
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Accident.objects.filter(pk=row.pk).update(occurred_at=moment, reported_by_unit_at=moment,
                                              received_at=moment)
    row.refresh_from_db()
    return row


def _finding(accident: Accident, site: Enterprise | None, *, case: Case | None = None,
             identifier: str = "") -> AccidentFinding:
    return AccidentFinding.objects.create(
        accident=accident, unit_name=site.name if site else "外地某公司",
        identifier=identifier or (site.uscc if site else ""), enterprise=site,
        responsibility="未落实安全生产主体责任", case=case,
        persons=[{"name": "张厂长", "role": "principal", "identifier": "",
                  "responsibility": "未履行主要负责人职责"}])


def _accident_case(site: Enterprise, status: str = Case.Status.SERVED) -> Case:
    """A case of the enterprise opened from an accident; from DECIDED on it has the
    unit's decision (served when SERVED)."""
    staff = xihu_staff()
    case = make_case(status, staff=Staff(staff.authority, staff.inspector, staff.approver,
                                         staff.chief, staff.officers, site))
    Case.objects.filter(pk=case.pk).update(source=Case.Source.ACCIDENT)
    case.refresh_from_db()
    return case


def _scoped(site: Enterprise) -> Enterprise:
    Enterprise.objects.filter(pk=site.pk).update(sector="machinery")
    site.refresh_from_db()
    return site


# --- （一） particularly serious or major accidents ----------------------------------------

def test_major_ground_refused_without_a_major_accident(world: None, xihu_approver) -> None:
    decision = art114_decision()
    site = decision.case.enterprise
    _accident(site, LARGER, 10)  # 较大 only
    with pytest.raises(InvalidInput) as refused:
        services.propose(decision, actor=xihu_approver, ground="accident_major", reasons="x")
    assert "特别重大、重大" in refused.value.detail
    assert not BlacklistEntry.objects.exists()


def test_major_ground_accepted_for_the_accidents_unit(world: None, xihu_approver) -> None:
    decision = art114_decision()
    _accident(decision.case.enterprise, MAJOR, 30)
    entry = services.propose(decision, actor=xihu_approver, ground="accident_major",
                             reasons="发生重大生产安全事故", principal_name="张厂长")
    assert entry.status == B.PROPOSED and entry.ground == "accident_major"


def test_major_ground_accepted_for_a_unit_found_responsible(world: None,
                                                            xihu_approver) -> None:
    decision = art114_decision()
    site = decision.case.enterprise
    elsewhere = _accident(enterprise(), MAJOR, 30)  # happened at another unit
    with pytest.raises(InvalidInput):
        services.propose(decision, actor=xihu_approver, ground="accident_major", reasons="x")
    _finding(elsewhere, None, identifier=site.uscc)  # typed in by credit code
    assert services.propose(decision, actor=xihu_approver, ground="accident_major",
                            reasons="经调查认定负有责任").ground == "accident_major"


# --- （二） two 较大 accidents within 12 months ---------------------------------------------

def test_repeat_ground_needs_two_found_within_twelve_months(world: None,
                                                            xihu_approver) -> None:
    decision = art114_decision()
    site = decision.case.enterprise
    first = _accident(site, LARGER, 400)
    _finding(first, site)
    second = _accident(site, LARGER, 20)
    with pytest.raises(InvalidInput) as refused:  # one found responsible only
        services.propose(decision, actor=xihu_approver, ground="accidents_2_in_12m",
                         reasons="x")
    assert "12个月内" in refused.value.detail
    _finding(second, site)
    with pytest.raises(InvalidInput):  # two, but 380 days apart
        services.propose(decision, actor=xihu_approver, ground="accidents_2_in_12m",
                         reasons="x")
    third = _accident(site, LARGER, 100)
    _finding(third, site)
    entry = services.propose(decision, actor=xihu_approver, ground="accidents_2_in_12m",
                             reasons="12个月内2起较大事故")
    assert entry.ground == "accidents_2_in_12m"


def test_the_twelve_month_window() -> None:
    d = datetime.date
    assert rules.repeat_window([d(2025, 3, 1), d(2026, 2, 28)]) == (0, 1)
    assert rules.repeat_window([d(2025, 3, 1), d(2026, 3, 1)]) is None
    assert rules.repeat_window([d(2024, 1, 1), d(2025, 6, 1), d(2025, 9, 1)]) == (1, 2)
    assert rules.repeat_window([d(2025, 1, 1)]) is None


def _two_larger(site: Enterprise, *, decided: bool = True) -> tuple[Case, Case]:
    first_case = _accident_case(site, Case.Status.SERVED if decided else Case.Status.DECIDED)
    second_case = _accident_case(site, Case.Status.INVESTIGATING)
    _finding(_accident(site, LARGER, 200), site, case=first_case)
    _finding(_accident(site, LARGER, 30), site, case=second_case)
    return first_case, second_case


def test_detected_and_proposed_once(world: None, xihu_approver) -> None:
    site = _scoped(enterprise())
    first_case, _ = _two_larger(site)
    made = detection.propose_repeat_accidents()
    assert len(made) == 1
    entry = made[0]
    decision = first_case.decisions.get()
    assert entry.status == B.PROPOSED and entry.proposed_by is None
    assert entry.ground == "accidents_2_in_12m" and entry.enterprise == site
    assert entry.decision == decision and entry.authority == first_case.authority  # 谁处罚
    assert entry.principal_name == "张厂长" and "2起较大生产安全事故" in entry.reasons
    assert AuditEvent.objects.filter(action="blacklist.proposed",
                                     new_values__detected=True).count() == 1
    # Idempotent: again, nothing.
    assert detection.propose_repeat_accidents() == []
    # The authority takes the proposal on through the usual steps, or withdraws it
    # (不予列入): the same facts propose no more.
    entry = services.notify(entry, actor=user("xihu_inspector"))
    assert entry.status == B.NOTIFIED
    services.withdraw(entry, actor=xihu_approver, reason="经核查不予列入")
    assert detection.propose_repeat_accidents() == []
    assert BlacklistEntry.objects.count() == 1


def test_not_proposed_without_a_decision_in_effect_or_out_of_scope(world: None) -> None:
    site = _scoped(enterprise())
    _two_larger(site, decided=False)  # the decision issued, not yet served
    assert detection.propose_repeat_accidents() == []
    other = enterprise()  # sector outside 令11号 第二条
    Enterprise.objects.filter(pk=other.pk).update(sector="construction")
    _two_larger(other)
    assert detection.propose_repeat_accidents() == []


def test_proposed_when_the_findings_are_recorded(world: None, case_world: Any) -> None:
    """The second accident's investigation concludes: checked at once (the first case's
    decision is in effect)."""
    site = _scoped(enterprise())
    first_case = _accident_case(site)
    _finding(_accident(site, LARGER, 90), site, case=first_case)
    second = _accident(site, LARGER, 5)
    Accident.objects.filter(pk=second.pk).update(status=A.INVESTIGATING)
    accident_services.conclude_investigation(
        second, actor=user("xihu_approver"), report="事故调查报告", officers=officers(),
        findings=[{"unit_name": site.name, "enterprise": site.pk,
                   "responsibility": "未落实安全生产主体责任",
                   "persons": [{"name": "李经理", "role": "principal"}]}])
    entry = BlacklistEntry.objects.get()
    assert entry.ground == "accidents_2_in_12m" and entry.principal_name == "李经理"


def test_proposed_when_an_accident_cases_decision_takes_effect(world: None,
                                                               case_world: Any) -> None:
    site = _scoped(enterprise())
    first_case, _ = _two_larger(site, decided=False)
    assert not BlacklistEntry.objects.exists()
    decision = first_case.decisions.get()
    assert decision.status == PenaltyDecision.Status.ISSUED
    cases.record_service(decision, actor=user("xihu_inspector"), method="in_person")
    assert BlacklistEntry.objects.get().decision == decision


def _selects(captured: CaptureQueriesContext) -> int:
    return sum(q["sql"].lstrip().upper().startswith("SELECT")
               for q in captured.captured_queries)


def test_the_detection_reads_the_same_for_1_or_6_enterprises(world: None) -> None:
    _two_larger(_scoped(enterprise()))
    with CaptureQueriesContext(connection) as few:
        detection.propose_repeat_accidents()
    BlacklistEntry.objects.all().delete()
    for _ in range(5):
        _two_larger(_scoped(enterprise()))
    with CaptureQueriesContext(connection) as many:
        made = detection.propose_repeat_accidents()
    assert len(made) == 6
    # Reads are fixed; each new proposal costs its savepoint and insert.
    assert _selects(many) == _selects(few), (_selects(few), _selects(many))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_daily_detection_runs_on_a_real_worker(reference_data: Any, calendar_data: Any,
                                                   clock_rules: Any, threshold_data: Any,
                                                   celery_live_worker: Any, xihu_inspector: Any,
                                                   xihu_chief: Any, xihu_approver: Any) -> None:
    from credit.tasks import propose_repeat_accidents

    site = _scoped(enterprise())
    _two_larger(site)
    done = threading.Event()

    def finished(sender: Any = None, **kwargs: Any) -> None:
        if getattr(sender, "name", "") == propose_repeat_accidents.name:
            done.set()

    task_postrun.connect(finished, weak=False)
    try:
        for _ in range(2):  # twice: one proposal
            done.clear()
            propose_repeat_accidents.delay()
            assert done.wait(30)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not BlacklistEntry.objects.exists():
                time.sleep(0.1)
    finally:
        task_postrun.disconnect(finished)
    entry = BlacklistEntry.objects.get()
    assert entry.enterprise == site and entry.status == B.PROPOSED


def test_the_detection_is_on_the_daily_beat() -> None:
    from hangzhou_safety.celery import app

    entry = app.conf.beat_schedule["credit-propose-repeat-accidents"]
    assert entry["task"] == "credit.tasks.propose_repeat_accidents"
    assert entry["schedule"].hour == {1} and entry["schedule"].minute == {50}


def test_a_detected_proposal_on_the_page_and_the_api(world: None, web_as: Any,
                                                     api_as: Any) -> None:
    from django.urls import reverse

    site = _scoped(enterprise())
    _two_larger(site)
    entry = detection.propose_repeat_accidents()[0]
    page = web_as(user("xihu_approver")).get(reverse("credit:blacklist_detail",
                                                     args=[entry.pk]))
    assert page.status_code == 200 and "系统自动识别" in page.content.decode()
    row = api_as(user("xihu_approver")).get(f"/api/v1/credit/blacklist/{entry.pk}/").json()
    assert row["detected"] is True and row["proposed_by"] is None
    assert row["ground"] == "accidents_2_in_12m"


# --- （四） concealed or false reports, （五） rescue ------------------------------------------

def test_concealed_ground_needs_a_flagged_accident(world: None, xihu_approver) -> None:
    decision = art114_decision()
    site = decision.case.enterprise
    row = _accident(site, 1, 10)
    with pytest.raises(InvalidInput):
        services.propose(decision, actor=xihu_approver, ground="accident_concealed",
                         reasons="x")
    accident_services.flag_reporting(row, actor=user("xihu_inspector"), kind="concealed",
                                     reason="事故发生后未报告，经群众举报查实")
    entry = services.propose(decision, actor=xihu_approver, ground="accident_concealed",
                             reasons="瞒报生产安全事故")
    assert entry.ground == "accident_concealed"


def test_rescue_ground_needs_an_accident_on_record(world: None, xihu_approver) -> None:
    decision = art114_decision()
    with pytest.raises(InvalidInput):
        services.propose(decision, actor=xihu_approver, ground="rescue_failure", reasons="x")
    _accident(decision.case.enterprise, 1, 3)
    assert services.propose(decision, actor=xihu_approver, ground="rescue_failure",
                            reasons="事故后擅离职守").ground == "rescue_failure"
