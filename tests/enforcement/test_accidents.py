"""Accidents (生产安全事故报告和调查处理条例, 国务院令第493号): grade computed and stored
(第三条), the unit's 1-hour and the authority's 2-hour clocks (第九条, 第十一条), late, false
or concealed reporting flagged and turned into a case, the investigation by level
(第十九条, 第二十条), the report's findings turned into cases, roles, the API and pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.accidents import services as accidents
from enforcement.accidents.models import Accident, AccidentFinding
from enforcement.cases.models import Case
from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.arithmetic import SHANGHAI
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import IllegalTransition
from tests.conftest import make_user
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import officers
from tests.platform.drivers._inspections import enterprise
from tests.platform.drivers._transfers import FINDINGS, make_accident

A = Accident.Status
pytestmark = pytest.mark.django_db


def _register(actor: Any, *, deaths: int = 1, injuries: int = 0, loss: str = "300000",
              occurred: datetime.datetime | None = None, after: datetime.timedelta | None = None,
              received: datetime.datetime | None = None, site: Any = None) -> Accident:
    occurred = occurred or timezone.now() - datetime.timedelta(hours=2)
    reported = occurred + (after if after is not None else datetime.timedelta(minutes=40))
    return accidents.register_accident(
        actor=actor, enterprise=site or enterprise(), occurred_at=occurred, place="二号车间",
        deaths=deaths, serious_injuries=injuries, direct_loss=loss,
        reported_by_unit_at=reported, received_at=received or reported, summary="除尘器爆燃")


@pytest.fixture
def city_approver(reference_data: None) -> Any:
    return make_user("p_city_approver", Role.DISTRICT_APPROVER, "EM-330100",
                     cert="P330100009", full_name="市局负责人")


# --- Report, grade, clocks ---------------------------------------------------------------

@pytest.mark.parametrize("deaths,injuries,loss,grade", [
    (0, 0, "0", "ordinary"), (2, 9, "9999999.99", "ordinary"), (3, 0, "0", "larger"),
    (0, 10, "0", "larger"), (0, 0, "10000000", "larger"), (10, 0, "0", "major"),
    (0, 0, "100000000", "especially_major")])
def test_the_grade_is_computed_and_stored(case_world: dict[str, Any], deaths: int,
                                          injuries: int, loss: str, grade: str) -> None:
    row = _register(case_world["inspector"], deaths=deaths, injuries=injuries, loss=loss)
    assert Accident.objects.get(pk=row.pk).grade == grade
    assert row.status == A.REPORTED and row.authority.code == "EM-330106"
    assert AuditEvent.objects.filter(action="accident.reported").get().new_values["grade"] \
        == grade


def test_the_unit_report_within_one_hour_is_on_time(case_world: dict[str, Any]) -> None:
    row = _register(case_world["inspector"], after=datetime.timedelta(hours=1))
    assert not row.late_report and row.reporting_flags == []
    unit = Deadline.objects.get(pk=row.unit_report_clock_id)
    assert (unit.kind, unit.amount, unit.status) == ("hours", 1, "met")
    assert unit.due_at == row.occurred_at + datetime.timedelta(hours=1)
    assert unit.legal_basis == "生产安全事故报告和调查处理条例第九条第一款"
    up = Deadline.objects.get(pk=row.pass_up_clock_id)
    assert (up.kind, up.amount, up.status) == ("hours", 2, "running")
    assert up.due_at == row.received_at + datetime.timedelta(hours=2)


def test_a_late_unit_report_is_flagged(case_world: dict[str, Any]) -> None:
    row = _register(case_world["inspector"], after=datetime.timedelta(hours=1, seconds=1))
    assert row.late_report and row.reporting_flags == ["迟报"]


def test_the_hour_clocks_run_through_a_holiday(case_world: dict[str, Any]) -> None:
    occurred = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)  # National Day
    row = _register(case_world["inspector"], occurred=occurred,
                    after=datetime.timedelta(minutes=30))
    up = Deadline.objects.get(pk=row.pass_up_clock_id)
    assert up.due_at == datetime.datetime(2026, 10, 1, 11, 30, tzinfo=SHANGHAI)


def test_passing_up_on_time_and_late(case_world: dict[str, Any]) -> None:
    row = _register(case_world["inspector"],
                    occurred=timezone.now() - datetime.timedelta(hours=3))
    row = accidents.pass_up(row, actor=case_world["inspector"],
                            passed_up_at=row.received_at + datetime.timedelta(minutes=90))
    assert row.status == A.PASSED_UP and not row.pass_up_late
    assert row.passed_up_to == "设区的市级人民政府安全生产监督管理部门"
    late = _register(case_world["inspector"],
                     occurred=timezone.now() - datetime.timedelta(hours=5))
    late = accidents.pass_up(late, actor=case_world["inspector"], to="杭州市应急管理局")
    assert late.pass_up_late and "逐级上报逾期" in late.reporting_flags
    assert late.passed_up_to == "杭州市应急管理局"
    met = AuditEvent.objects.filter(action="workdays.deadline_met").latest("id")
    assert met.new_values["overdue"] is True


def test_bad_reports_are_400_and_write_nothing(case_world: dict[str, Any],
                                               binjiang_inspector: Any) -> None:
    now = timezone.now()
    with refused(InvalidInput, "时间须依次为"):
        _register(case_world["inspector"], after=-datetime.timedelta(minutes=5))
    with refused(InvalidInput, "晚于现在"):
        _register(case_world["inspector"], occurred=now + datetime.timedelta(hours=1))
    with refused(InvalidInput, "人数"):
        _register(case_world["inspector"], deaths=-1)
    with refused(InvalidInput, "管辖范围"):
        _register(binjiang_inspector)
    assert not Accident.objects.exists()


# --- Late, false, concealed → a case -------------------------------------------------------

def test_late_reporting_opens_a_case_against_the_unit(case_world: dict[str, Any]) -> None:
    row = _register(case_world["inspector"], after=datetime.timedelta(hours=1, minutes=30))
    case = accidents.open_reporting_case(row, actor=case_world["inspector"], officers=officers())
    assert case.source == Case.Source.ACCIDENT and case.status == Case.Status.PENDING
    assert case.enterprise_id == row.enterprise_id and case.source_ref == f"事故{row.pk}"
    assert "迟报" in case.title and list(case.parties.values_list("role", flat=True)) == ["unit"]
    row.refresh_from_db()
    assert row.reporting_case_id == case.pk
    with refused(DomainError, "已就该事故"):
        accidents.open_reporting_case(row, actor=case_world["inspector"], officers=officers())


def test_an_on_time_report_opens_no_case(case_world: dict[str, Any]) -> None:
    row = _register(case_world["inspector"])
    with refused(DomainError, "未发现迟报"):
        accidents.open_reporting_case(row, actor=case_world["inspector"], officers=officers())
    assert not Case.objects.exists()


def test_false_or_concealed_reporting_is_flagged_then_a_case(case_world: dict[str, Any]
                                                             ) -> None:
    row = _register(case_world["inspector"])
    with refused(InvalidInput, "谎报或瞒报"):
        accidents.flag_reporting(row, actor=case_world["inspector"], kind="late", reason="x")
    row = accidents.flag_reporting(row, actor=case_world["inspector"], kind="concealed",
                                   reason="实际死亡2人，单位仅报告1人")
    assert row.concealed and "实际死亡2人" in row.flag_reason
    assert AuditEvent.objects.filter(action="accident.reporting_flagged").exists()
    case = accidents.open_reporting_case(row, actor=case_world["inspector"], officers=officers())
    assert "瞒报" in case.title and "实际死亡2人" in case.facts
    closed = make_accident(A.CLOSED)
    with refused(IllegalTransition, "已结案"):
        accidents.flag_reporting(closed, actor=case_world["inspector"], kind="false",
                                 reason="谎报")


# --- Investigation by level -------------------------------------------------------------

def test_a_district_leads_an_ordinary_accident(case_world: dict[str, Any]) -> None:
    row = make_accident(A.PASSED_UP)
    row = accidents.start_investigation(row, actor=case_world["approver"])
    assert row.status == A.INVESTIGATING
    assert row.investigating_authority.code == "EM-330106"


def test_a_district_may_not_lead_a_larger_accident_the_city_does(
        case_world: dict[str, Any], city_approver: Any) -> None:
    row = make_accident(A.PASSED_UP, deaths=3)
    assert row.grade == "larger"
    with refused(Forbidden, "设区的市级人民政府负责调查"):
        accidents.start_investigation(row, actor=case_world["approver"])
    row.refresh_from_db()
    assert row.status == A.PASSED_UP and row.investigating_authority is None
    row = accidents.start_investigation(row, actor=city_approver)
    assert row.investigating_authority.code == "EM-330100"


def test_the_city_may_take_over_an_ordinary_accident(case_world: dict[str, Any],
                                                     city_approver: Any) -> None:
    row = accidents.start_investigation(make_accident(A.PASSED_UP), actor=city_approver)
    assert row.investigating_authority.code == "EM-330100"


def test_a_major_accident_is_investigated_outside_the_system(case_world: dict[str, Any],
                                                             city_approver: Any) -> None:
    row = make_accident(A.PASSED_UP, deaths=12)
    with refused(Forbidden, "省级人民政府负责调查"):
        accidents.start_investigation(row, actor=city_approver)


def test_only_a_head_starts_the_investigation(case_world: dict[str, Any],
                                              binjiang_approver: Any) -> None:
    row = make_accident(A.PASSED_UP)
    with refused(Forbidden, "负责人"):
        accidents.start_investigation(row, actor=case_world["inspector"])
    with refused(Forbidden, "管辖"):
        accidents.start_investigation(row, actor=binjiang_approver)


# --- Findings → cases ---------------------------------------------------------------------

def test_the_findings_open_a_case_per_responsible_unit(case_world: dict[str, Any]) -> None:
    row = make_accident(A.INVESTIGATING)
    other = enterprise()
    findings = [*FINDINGS, {"unit_name": other.name, "enterprise": other.pk,
                            "responsibility": "未对承包单位统一协调管理",
                            "persons": [{"name": "李经理", "role": "safety_manager",
                                         "responsibility": "未督促检查"},
                                        {"name": "王班长", "role": "directly_responsible",
                                         "responsibility": "违章指挥"}]}]
    row = accidents.conclude_investigation(row, actor=case_world["approver"],
                                           report="事故调查报告全文", findings=findings,
                                           officers=officers())
    assert row.status == A.CONCLUDED and row.investigation_report == "事故调查报告全文"
    rows = list(AccidentFinding.objects.filter(accident=row).select_related("case"))
    assert len(rows) == 2 and all(f.case is not None for f in rows)
    first, second = (f.case for f in rows)
    assert first.source == Case.Source.ACCIDENT and first.source_ref == f"事故{row.pk}"
    assert sorted(first.parties.values_list("role", flat=True)) == ["principal", "unit"]
    assert second.enterprise_id == other.pk and second.parties.count() == 3
    assert second.parties.get(role="unit").identifier == other.uscc
    assert "违章指挥" in second.facts
    assert AuditEvent.objects.filter(action="accident.case_opened").count() == 2
    row = accidents.close_accident(row, actor=case_world["approver"])
    assert row.status == A.CLOSED and row.closed_at is not None


def test_findings_are_required_and_nothing_is_written_without_them(
        case_world: dict[str, Any]) -> None:
    row = make_accident(A.INVESTIGATING)
    with refused(InvalidInput, "责任单位"):
        accidents.conclude_investigation(row, actor=case_world["approver"], report="报告",
                                         findings=[], officers=officers())
    with refused(InvalidInput, "责任人员"):
        accidents.conclude_investigation(
            row, actor=case_world["approver"], report="报告",
            findings=[{**FINDINGS[0], "persons": [{"name": "某", "role": "unit"}]}],
            officers=officers())
    row.refresh_from_db()
    assert row.status == A.INVESTIGATING and not Case.objects.exists()


@pytest.mark.parametrize("status,step", [
    (A.REPORTED, "investigate"), (A.PASSED_UP, "pass_up"), (A.PASSED_UP, "conclude"),
    (A.INVESTIGATING, "close"), (A.CLOSED, "investigate")])
def test_illegal_moves_are_409(case_world: dict[str, Any], status: str, step: str) -> None:
    row = make_accident(status)
    before = AuditEvent.objects.count()
    calls = {
        "investigate": lambda: accidents.start_investigation(row, actor=case_world["approver"]),
        "pass_up": lambda: accidents.pass_up(row, actor=case_world["inspector"]),
        "conclude": lambda: accidents.conclude_investigation(
            row, actor=case_world["approver"], report="报告", findings=FINDINGS,
            officers=officers()),
        "close": lambda: accidents.close_accident(row, actor=case_world["approver"]),
    }
    with pytest.raises(IllegalTransition):
        calls[step]()
    row.refresh_from_db()
    assert row.status == status and AuditEvent.objects.count() == before


# --- API and pages -----------------------------------------------------------------------

def test_the_api(case_world: dict[str, Any], api_as: Any, binjiang_inspector: Any) -> None:
    site = enterprise()
    occurred = timezone.now() - datetime.timedelta(hours=4)
    body = {"enterprise": site.pk, "occurred_at": occurred.isoformat(), "place": "仓库",
            "deaths": 3, "serious_injuries": 0, "direct_loss": "120000.00",
            "reported_by_unit_at": (occurred + datetime.timedelta(hours=2)).isoformat()}
    client = api_as(case_world["inspector"])
    created = client.post("/api/v1/accidents/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["grade"] == "larger" and data["late_report"] is True
    assert [c["amount"] for c in data["clocks"]] == [1, 2]
    url = f"/api/v1/accidents/{data['id']}/"
    assert client.get("/api/v1/accidents/").json()["results"][0]["id"] == data["id"]
    assert client.post(url + "close/", {}, format="json").status_code == 409
    case = client.post(url + "reporting-case/",
                       {"officers": [u.pk for u in officers()]}, format="json")
    assert case.status_code == 201 and case.json()["source"] == "accident"
    assert client.post(url + "pass-up/", {}, format="json").json()["status"] == "passed_up"
    refused_level = api_as(case_world["approver"]).post(url + "start-investigation/", {},
                                                        format="json")
    assert refused_level.status_code == 403
    outsider = api_as(binjiang_inspector)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url + "flag/", {"kind": "false", "reason": "x"},
                         format="json").status_code == 404
    bad = client.post("/api/v1/accidents/", {**body, "deaths": -1}, format="json")
    assert bad.status_code == 400


def test_the_pages(case_world: dict[str, Any], web_as: Any) -> None:
    site = enterprise()
    page = web_as(case_world["inspector"])
    html = page.get(reverse("enforcement:accident_list")).content.decode()
    assert 'data-testid="accident-report"' in html
    occurred = timezone.localtime(timezone.now() - datetime.timedelta(hours=3))
    response = page.post(reverse("enforcement:accident_create"), {
        "enterprise": site.pk, "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "place": "二号车间", "deaths": "0", "serious_injuries": "1", "direct_loss": "80000",
        "reported_by_unit_at": (occurred + datetime.timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M")})
    row = Accident.objects.get()
    assert response.status_code == 302 and row.late_report and row.grade == "ordinary"
    html = page.get(reverse("enforcement:accident_detail", args=[row.pk])).content.decode()
    assert 'data-testid="accident-flags"' in html and "一般事故" in html
    assert 'data-testid="accident-step-reporting_case"' in html
    two = officers()
    page.post(reverse("enforcement:accident_step", args=[row.pk, "reporting_case"]),
              {"officer1": two[0].pk, "officer2": two[1].pk})
    row.refresh_from_db()
    assert row.reporting_case is not None
    case_html = page.get(reverse("enforcement:case_detail", args=[row.reporting_case_id]))
    assert 'data-testid="case-accident"' in case_html.content.decode()
    page.post(reverse("enforcement:accident_step", args=[row.pk, "pass_up"]), {})
    head = web_as(case_world["approver"])
    head.post(reverse("enforcement:accident_step", args=[row.pk, "start_investigation"]), {})
    head.post(reverse("enforcement:accident_step", args=[row.pk, "conclude"]), {
        "report": "调查报告", "units": f"{site.name}，，未落实安全责任",
        "persons": "1，张厂长，主要负责人，未履行职责",
        "officer1": two[0].pk, "officer2": two[1].pk})
    row.refresh_from_db()
    assert row.status == A.CONCLUDED
    finding = row.findings.get()
    assert finding.persons[0]["role"] == "principal"
    html = head.get(reverse("enforcement:accident_detail", args=[row.pk])).content.decode()
    assert 'data-testid="findings"' in html and finding.case.title in html
    assert Decimal(row.direct_loss) == Decimal("80000")


def test_last_years_accident_puts_the_unit_on_the_key_supervision_list(
        case_world: dict[str, Any]) -> None:
    from enforcement.accidents.models import Accident
    from enterprises.models import Enterprise
    from inspections.key_supervision.services import accidents_last_year
    from tests.platform.drivers._transfers import make_accident

    accident = make_accident()
    site = accident.enterprise
    this_year = accident.occurred_at.year
    scope = Enterprise.objects.filter(pk=site.pk)
    assert accidents_last_year(scope, this_year + 1) == {site.pk}
    assert accidents_last_year(scope, this_year) == set()
    Accident.objects.filter(pk=accident.pk).delete()
    assert accidents_last_year(scope, this_year + 1) == set()
