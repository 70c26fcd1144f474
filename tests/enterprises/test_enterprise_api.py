"""The registry API: /api/v1/enterprises/ with hazard sources and insurance nested.

Personas from tests/conftest.py; enterprises are made through the real services.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum.cn import ric, uscc

from enterprises import services
from enterprises.models import (
    Enterprise,
    IndustryClass,
    InsurancePolicy,
    LevelAssignment,
    MajorHazardSource,
    RiskLevel,
    Sector,
)
from enterprises.reference import load_industry_classes
from enterprises.tasks import recompute_enterprise_risk
from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role, User
from hangzhou_safety.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/enterprises/"
XIHU_STREET = "330106002"      # 西湖区 北山街道
XIHU_STREET_2 = "330106004"    # 西湖区 西溪街道
BINJIANG_STREET = "330108001"  # 滨江区 西兴街道
VALID_VECTOR = "9144030071526726XG"


def make_staff(username: str, role: str, authority_code: str) -> User:
    # Local helper (not conftest's make_user): several conftest modules share that
    # module name, so importing from it depends on which directory pytest collects.
    user = User(username=username, full_name=username, role=role,
                authority=Authority.objects.get(code=authority_code))
    user.set_unusable_password()
    user.save()
    return user


def make_uscc(n: int, region: str = "330106") -> str:
    first17 = f"91{region}MA{n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def make_id_number(seq: int) -> str:
    first17 = f"33010619900101{seq:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum expects a placeholder


def make_enterprise(name: str, n: int, *, street: str = XIHU_STREET,
                    sector: str = Sector.OTHER, **extra: Any) -> Enterprise:
    """A registry entry made through the real service (supervisor derived, audited)."""
    data = {"name": name, "uscc": make_uscc(n, street[:6]),
            "location": Jurisdiction.objects.get(code=street), "sector": sector, **extra}
    return services.create_enterprise(data, actor=None)


def detail_url(enterprise: Enterprise | int) -> str:
    pk = enterprise if isinstance(enterprise, int) else enterprise.pk
    return f"{API}{pk}/"


def ids_of(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def assert_chinese(text: str) -> None:
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


@pytest.fixture(autouse=True)
def industry_classes(db: Any) -> None:
    """GB/T 4754 classes are loaded by migration, but a transactional test elsewhere
    flushes every table: reload them (inside this test's transaction) when missing."""
    if not IndustryClass.objects.filter(code="2614").exists():
        load_industry_classes(IndustryClass)


@pytest.fixture
def auditor(reference_data: None) -> User:
    return make_staff("p_auditor", Role.AUDITOR, "EM-330106")


@pytest.fixture
def xihu_approver(reference_data: None) -> User:
    return make_staff("p_xihu_approver", Role.DISTRICT_APPROVER, "EM-330106")


@pytest.fixture
def xihu_enterprise(reference_data: None) -> Enterprise:
    return make_enterprise("杭州西湖化工有限公司", 1, sector=Sector.HAZARDOUS_CHEMICALS)


@pytest.fixture
def binjiang_enterprise(reference_data: None) -> Enterprise:
    return make_enterprise("杭州滨江机械制造厂", 2, street=BINJIANG_STREET,
                           sector=Sector.MACHINERY)


def enterprise_body(**overrides: Any) -> dict[str, Any]:
    body = {"name": "杭州之江纺织有限公司", "uscc": make_uscc(101), "location": XIHU_STREET,
            "sector": "hazardous_chemicals", "industry": "2614", "employees": 120,
            "legal_representative": "张三", "address": "杭州市西湖区北山街道1号",
            "special_operations": ["confined_space"], "duty_departments": ["HS-330106"]}
    body.update(overrides)
    return body


# --- CRUD ---------------------------------------------------------------------------

def test_create_read_update_happy_path(api_as, xihu_inspector, django_capture_on_commit_callbacks):
    client = api_as(xihu_inspector)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(API, enterprise_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert callbacks, "creating an enterprise schedules its risk recompute"
    assert body["name"] == "杭州之江纺织有限公司"
    assert body["uscc"] == make_uscc(101)
    assert body["location"] == {"code": XIHU_STREET, "name": "北山街道"}
    assert body["district"]["code"] == "330106"
    assert body["supervising_authority"] == {"code": "EM-330106",
                                             "name": "杭州市西湖区应急管理局"}
    assert body["supervision_basis"] == "locality"
    assert body["is_high_risk"] is True
    assert body["industry"]["code"] == "2614"
    assert [d["code"] for d in body["duty_departments"]] == ["HS-330106"]
    assert body["operator_id_number"] is None
    assert {"risk_level", "risk_score", "risk_explanation"} <= set(body)
    pk = body["id"]
    assert AuditEvent.objects.filter(action="enterprise.created", object_id=str(pk),
                                     actor_id=xihu_inspector.pk).exists()

    # Risk is computed by the Celery task; run it as the worker would.
    recompute_enterprise_risk(pk)
    body = client.get(detail_url(pk)).json()
    assert body["risk_level"] in RiskLevel.values and body["risk_score"] >= 30
    assert any("高危行业" in part["reason"] for part in body["risk_explanation"])

    response = client.patch(detail_url(pk), {"name": "杭州之江纺织股份有限公司",
                                             "employees": 350}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "杭州之江纺织股份有限公司"
    assert response.json()["employees"] == 350
    event = AuditEvent.objects.filter(action="enterprise.updated", object_id=str(pk)).get()
    assert event.new_values["name"] == "杭州之江纺织股份有限公司"

    # Derived fields are refused, not silently dropped.
    response = client.patch(detail_url(pk), {"risk_level": "blue", "is_high_risk": False,
                                             "supervising_authority": "EM-330100"},
                            format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"risk_level", "is_high_risk",
                                              "supervising_authority"}
    assert_chinese(response.json()["errors"]["risk_level"][0])
    assert Enterprise.objects.get(pk=pk).supervising_authority.code == "EM-330106"

    response = client.put(detail_url(pk), enterprise_body(
        name="杭州之江纺织集团", location=XIHU_STREET_2, sector="textiles", reason="搬迁"),
        format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "杭州之江纺织集团"
    assert body["location"]["code"] == XIHU_STREET_2
    assert body["is_high_risk"] is False
    moved = AuditEvent.objects.filter(action="enterprise.updated", object_id=str(pk),
                                      reason="搬迁").get()
    assert moved.new_values["location"] == str(Jurisdiction.objects.get(code=XIHU_STREET_2).pk)

    response = client.get(API)
    assert pk in ids_of(response)


def test_sole_trader_id_number_masked_in_detail_absent_from_list(api_as, xihu_inspector):
    client = api_as(xihu_inspector)
    number = make_id_number(7)
    response = client.post(API, {"name": "王记五金店", "operator_id_number": number,
                                 "location": XIHU_STREET}, format="json")
    assert response.status_code == 201, response.content
    detail = response.json()
    assert detail["uscc"] is None
    assert detail["operator_id_number"] == number[:6] + "********" + number[-4:]
    assert number not in response.content.decode()
    listing = client.get(API)
    row = next(r for r in listing.json()["results"] if r["id"] == detail["id"])
    assert "operator_id_number" not in row
    assert number[:10] not in listing.content.decode()


def test_missing_identifier_and_bad_codes_are_field_errors(api_as, xihu_inspector):
    client = api_as(xihu_inspector)
    response = client.post(API, enterprise_body(uscc=""), format="json")
    assert response.status_code == 400
    assert_chinese(response.json()["errors"]["uscc"][0])

    response = client.post(API, enterprise_body(location="330106", industry="9999",
                                                sector="spaceflight"), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "所在街道/乡镇" in errors["location"][0]  # a district is not a street
    assert "国民经济行业" in errors["industry"][0]
    assert "监管行业" in errors["sector"][0]
    assert not Enterprise.objects.exists()


def test_credit_code_validation(api_as, xihu_inspector):
    client = api_as(xihu_inspector)
    response = client.post(API, enterprise_body(uscc="9144030071526726XA"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert_chinese(body["detail"])
    assert "校验位" in body["errors"]["uscc"][0]
    assert not Enterprise.objects.exists()

    response = client.post(API, enterprise_body(uscc="91440300715267"), format="json")
    assert response.status_code == 400
    assert "18 位" in response.json()["errors"]["uscc"][0]

    # The published test vector, typed in lower case with spaces: normalised, accepted.
    response = client.post(API, enterprise_body(uscc="9144 0300 7152 6726xg"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == VALID_VECTOR


def test_duplicate_credit_code_is_rejected_in_chinese(api_as, xihu_inspector,
                                                      binjiang_enterprise):
    client = api_as(xihu_inspector)
    # The holder is outside the caller's jurisdiction: still a duplicate (city-wide).
    response = client.post(API, enterprise_body(uscc=binjiang_enterprise.uscc),
                           format="json")
    assert response.status_code == 400
    message = response.json()["errors"]["uscc"][0]
    assert "已登记" in message
    assert binjiang_enterprise.name not in response.content.decode()

    created = client.post(API, enterprise_body(), format="json").json()
    other = client.post(API, enterprise_body(uscc=make_uscc(102), name="另一家"),
                        format="json").json()
    response = client.patch(detail_url(other["id"]), {"uscc": created["uscc"]},
                            format="json")
    assert response.status_code == 400
    assert "已登记" in response.json()["errors"]["uscc"][0]
    # Saving an enterprise with its own code is not a duplicate.
    response = client.patch(detail_url(created["id"]), {"uscc": created["uscc"]},
                            format="json")
    assert response.status_code == 200


# --- Scope and roles ------------------------------------------------------------------

def test_outsider_gets_404_and_does_not_see_it(api_as, binjiang_inspector, xihu_enterprise,
                                               binjiang_enterprise):
    source = MajorHazardSource.objects.create(enterprise=xihu_enterprise, name="液氨罐区",
                                              level=2, substances=[])
    policy = InsurancePolicy.objects.create(
        enterprise=xihu_enterprise, kind="safety_liability", insurer="人保",
        policy_number="P-1", start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31))
    client = api_as(binjiang_inspector)
    assert ids_of(client.get(API)) == {binjiang_enterprise.pk}
    url = detail_url(xihu_enterprise)
    assert client.get(url).status_code == 404
    response = client.patch(url, {"name": "改名"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.put(url, enterprise_body(), format="json").status_code == 404
    assert client.get(f"{url}hazard-sources/").status_code == 404
    assert client.get(f"{url}hazard-sources/{source.pk}/").status_code == 404
    assert client.post(f"{url}hazard-sources/", {"name": "x", "level": 1, "substances": [
        {"name": "液氯", "quantity_t": 5}]}, format="json").status_code == 404
    assert client.post(f"{url}hazard-sources/{source.pk}/file/").status_code == 404
    assert client.get(f"{url}insurance/").status_code == 404
    assert client.get(f"{url}insurance/{policy.pk}/").status_code == 404
    xihu_enterprise.refresh_from_db()
    assert xihu_enterprise.name == "杭州西湖化工有限公司"
    assert MajorHazardSource.objects.get(pk=source.pk).status == "submitted"
    # A hazard source of another enterprise is not reachable through one's own.
    own = detail_url(binjiang_enterprise)
    assert client.get(f"{own}hazard-sources/{source.pk}/").status_code == 404


def test_cannot_create_outside_own_jurisdiction(api_as, binjiang_inspector):
    response = api_as(binjiang_inspector).post(API, enterprise_body(), format="json")
    assert response.status_code == 400
    assert "管辖范围" in response.json()["errors"]["location"][0]
    assert not Enterprise.objects.exists()


def test_auditor_reads_but_cannot_write(api_as, auditor, xihu_enterprise, anonymous):
    client = api_as(auditor)
    assert ids_of(client.get(API)) == {xihu_enterprise.pk}
    assert client.get(detail_url(xihu_enterprise)).status_code == 200
    response = client.post(API, enterprise_body(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert_chinese(response.json()["detail"])
    assert client.patch(detail_url(xihu_enterprise), {"name": "x"},
                        format="json").status_code == 403
    assert client.put(detail_url(xihu_enterprise), enterprise_body(),
                      format="json").status_code == 403
    assert client.post(f"{detail_url(xihu_enterprise)}insurance/", {},
                       format="json").status_code == 403
    assert not Enterprise.objects.filter(uscc=make_uscc(101)).exists()
    assert anonymous.get(API).status_code in (401, 403)


# --- Performance ----------------------------------------------------------------------

def test_list_costs_a_fixed_number_of_queries(api_as, xihu_inspector,
                                              django_assert_max_num_queries):
    streets = [XIHU_STREET, XIHU_STREET_2, "330106005", "330106007"]
    for i in range(12):
        enterprise = make_enterprise(f"测试企业{i:02d}号", 200 + i, street=streets[i % 4],
                                     sector=Sector.HAZARDOUS_CHEMICALS if i % 2 else
                                     Sector.COMMERCE)
        MajorHazardSource.objects.create(enterprise=enterprise, name="储罐区", level=3,
                                         substances=[])
    LevelAssignment.objects.create(enterprise=enterprise,
                                   authority=Authority.objects.get(code="EM-330100"),
                                   valid_from=datetime.date(2020, 1, 1))
    services.refresh_supervisor(enterprise)
    client = api_as(xihu_inspector)
    client.get(API)  # warm up: the persona's authority → jurisdiction is then cached
    counts = []
    for size in (5, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(API, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, 12)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 2, counts
    with django_assert_max_num_queries(counts[0]):
        client.get(API, {"page_size": 100, "sector": "hazardous_chemicals"})
    with django_assert_max_num_queries(counts[0]):
        client.get(API, {"page_size": 5})


def test_cursor_pagination_walks_all_pages(api_as, municipal_admin):
    made = {make_enterprise(f"分页企业{i}", 300 + i).pk for i in range(7)}
    client = api_as(municipal_admin)
    seen: list[int] = []
    response = client.get(API, {"page_size": 3})
    while True:
        body = response.json()
        assert "count" not in body  # no COUNT(*) per request
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        response = client.get(body["next"])
    assert seen == sorted(made, reverse=True)


# --- Hazard sources ---------------------------------------------------------------------

def test_hazard_source_filing_workflow(api_as, xihu_inspector, auditor, xihu_enterprise,
                                       django_capture_on_commit_callbacks):
    client = api_as(xihu_inspector)
    base = f"{detail_url(xihu_enterprise)}hazard-sources/"
    bad = client.post(base, {"name": "液氨罐区", "level": 2, "substances": [
        {"name": "液氨", "quantity_t": 0}]}, format="json")
    assert bad.status_code == 400
    assert "大于 0" in bad.json()["errors"]["substances"][0]
    bad = client.post(base, {"name": "液氨罐区", "level": 5, "substances": []}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"level"}
    assert not MajorHazardSource.objects.exists()

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(base, {"name": "液氨罐区", "level": 2, "substances": [
            {"name": "液氨", "cas": "7664-41-7", "quantity_t": "12.5", "threshold_t": 10}],
            "monitoring": "online"}, format="json")
    assert response.status_code == 201, response.content
    assert callbacks, "a new hazard source schedules the risk recompute"
    source = response.json()
    assert source["status"] == "submitted"
    assert source["substances"] == [{"name": "液氨", "cas": "7664-41-7", "quantity_t": 12.5,
                                     "threshold_t": 10.0}]
    assert AuditEvent.objects.filter(action="hazard_source.created",
                                     object_id=str(xihu_enterprise.pk)).exists()
    url = f"{base}{source['id']}/"
    assert client.get(url).json()["name"] == "液氨罐区"
    assert ids_of(client.get(base)) == {source["id"]}

    assert api_as(auditor).post(f"{url}file/").status_code == 403

    # Cancelling a filing that was never filed is an illegal move.
    response = client.post(f"{url}cancel/", {"reason": "已拆除"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert_chinese(response.json()["detail"])

    response = client.post(f"{url}file/", {"filing_date": "2026-03-02"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "filed"
    assert response.json()["filing_date"] == "2026-03-02"
    assert response.json()["filing_authority"]["code"] == "EM-330106"
    assert client.post(f"{url}file/").status_code == 409

    response = client.post(f"{url}cancel/", {}, format="json")
    assert response.status_code == 400
    assert "理由" in response.json()["errors"]["reason"][0]
    assert MajorHazardSource.objects.get(pk=source["id"]).status == "filed"

    response = client.post(f"{url}cancel/", {"reason": "装置已拆除"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancellation_reason"] == "装置已拆除"
    assert client.post(f"{url}cancel/", {"reason": "再次"}, format="json").status_code == 409
    actions = set(AuditEvent.objects.filter(object_id=str(xihu_enterprise.pk))
                  .values_list("action", flat=True))
    assert {"hazard_source.filed", "hazard_source.cancelled"} <= actions


# --- Insurance ------------------------------------------------------------------------

def test_insurance_create_list_detail_and_validation(api_as, xihu_inspector, xihu_enterprise):
    client = api_as(xihu_inspector)
    base = f"{detail_url(xihu_enterprise)}insurance/"
    body = {"kind": "safety_liability", "insurer": "中国人民财产保险杭州分公司",
            "policy_number": "PZAA2026330106000001", "start_date": "2026-01-01",
            "end_date": "2026-12-31", "cover_amount": "500.00"}
    response = client.post(base, {**body, "end_date": "2025-12-31"}, format="json")
    assert response.status_code == 400
    assert "早于" in response.json()["errors"]["end_date"][0]

    response = client.post(base, body, format="json")
    assert response.status_code == 201, response.content
    policy = response.json()
    assert policy["kind_display"] == "安全生产责任保险"
    assert client.get(f"{base}{policy['id']}/").json()["policy_number"] == body["policy_number"]
    assert ids_of(client.get(base)) == {policy["id"]}
    assert AuditEvent.objects.filter(action="insurance.created",
                                     object_id=str(xihu_enterprise.pk)).exists()

    response = client.post(base, body, format="json")
    assert response.status_code == 400
    assert "已登记" in response.json()["errors"]["policy_number"][0]
    assert_chinese(response.json()["detail"])
    assert InsurancePolicy.objects.count() == 1


def test_insurance_warning_list(api_as, xihu_inspector, binjiang_enterprise):
    today = timezone.localdate()
    year = datetime.timedelta(days=365)
    uninsured = make_enterprise("无保险化工厂", 11, sector=Sector.HAZARDOUS_CHEMICALS)
    insured = make_enterprise("已投保化工厂", 12, sector=Sector.HAZARDOUS_CHEMICALS)
    expired = make_enterprise("保单过期建筑公司", 13, sector=Sector.CONSTRUCTION)
    injury_only = make_enterprise("只有工伤保险的矿山", 14, sector=Sector.NON_COAL_MINING)
    make_enterprise("低风险商贸公司", 15, sector=Sector.COMMERCE)
    make_enterprise("滨江无保险化工厂", 16, street=BINJIANG_STREET,
                    sector=Sector.HAZARDOUS_CHEMICALS)
    for enterprise, kind, start, end in [
            (insured, "safety_liability", today - year, today + year),
            (expired, "safety_liability", today - 2 * year, today - year),
            (injury_only, "work_injury", today - year, today + year)]:
        InsurancePolicy.objects.create(enterprise=enterprise, kind=kind, insurer="人保",
                                       policy_number=f"P{enterprise.pk}", start_date=start,
                                       end_date=end)
    client = api_as(xihu_inspector)
    response = client.get(f"{API}insurance-warnings/")
    assert ids_of(response) == {uninsured.pk, expired.pk, injury_only.pk}
    # Other filters combine with the warning.
    response = client.get(f"{API}insurance-warnings/", {"sector": "construction"})
    assert ids_of(response) == {expired.pk}
    # The same set as the list's filter.
    assert ids_of(client.get(API, {"insurance_missing": "true"})) == {
        uninsured.pk, expired.pk, injury_only.pk}


# --- Supervision problems -------------------------------------------------------------

def test_supervision_problems_report(api_as, municipal_admin, xihu_approver, xihu_inspector,
                                     xihu_enterprise, binjiang_enterprise):
    client = api_as(xihu_approver)
    response = client.get(f"{API}supervision-problems/")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "results": []}

    # Lose the supervisor of both (as a bad bulk load would): each shows up, but the
    # 西湖区 approver sees only the 西湖区 one.
    Enterprise.objects.filter(pk__in=[xihu_enterprise.pk, binjiang_enterprise.pk]).update(
        supervising_authority=None, supervision_basis="")
    response = client.get(f"{API}supervision-problems/")
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["enterprise"]["id"] == xihu_enterprise.pk
    assert_chinese(body["results"][0]["problem"])
    everything = api_as(municipal_admin).get(f"{API}supervision-problems/").json()
    assert {r["enterprise"]["id"] for r in everything["results"]} == {
        xihu_enterprise.pk, binjiang_enterprise.pk}
    assert api_as(xihu_inspector).get(f"{API}supervision-problems/").status_code == 403


# --- Filters and search ---------------------------------------------------------------

def test_filters_and_search(api_as, municipal_admin):
    chem = make_enterprise("杭州西湖化工有限公司", 21, sector=Sector.HAZARDOUS_CHEMICALS)
    textile = make_enterprise("杭州之江纺织有限公司", 22, street=XIHU_STREET_2,
                              sector=Sector.TEXTILES)
    machinery = make_enterprise("杭州滨江机械制造厂", 23, street=BINJIANG_STREET,
                                sector=Sector.MACHINERY)
    MajorHazardSource.objects.create(enterprise=chem, name="储罐区", level=1,
                                     substances=[{"name": "液氯", "quantity_t": 20}],
                                     status="filed")
    # The municipal bureau takes the machinery works (分级).
    LevelAssignment.objects.create(enterprise=machinery,
                                   authority=Authority.objects.get(code="EM-330100"),
                                   valid_from=datetime.date(2020, 1, 1))
    services.refresh_supervisor(machinery, reason="分级监管")
    for enterprise in (chem, textile, machinery):
        recompute_enterprise_risk(enterprise.pk)
    chem.refresh_from_db()
    textile.refresh_from_db()
    assert chem.risk_level == RiskLevel.ORANGE or chem.risk_level == RiskLevel.RED
    assert textile.risk_level == RiskLevel.BLUE

    client = api_as(municipal_admin)

    def found(**params: Any) -> set[int]:
        return ids_of(client.get(API, params))

    assert found() == {chem.pk, textile.pk, machinery.pk}
    assert found(sector="textiles") == {textile.pk}
    assert found(high_risk="true") == {chem.pk}
    assert found(high_risk="false") == {textile.pk, machinery.pk}
    assert found(district="330106") == {chem.pk, textile.pk}
    assert found(district="330108") == {machinery.pk}
    assert found(street=XIHU_STREET_2) == {textile.pk}
    assert found(risk_level=chem.risk_level) == {chem.pk}
    assert found(risk_level="blue") == {textile.pk} | (
        {machinery.pk} if Enterprise.objects.get(pk=machinery.pk).risk_level == "blue"
        else set())
    assert found(has_hazard_sources="true") == {chem.pk}
    assert found(has_hazard_sources="false") == {textile.pk, machinery.pk}
    assert found(supervisor="EM-330100") == {machinery.pk}
    assert found(supervisor="EM-330106") == {chem.pk, textile.pk}
    assert found(supervision_basis="level") == {machinery.pk}
    assert found(sector="textiles", district="330108") == set()
    # Chinese search: a 2-character word (bigram path) and a 4-character one (trigrams).
    assert found(search="化工") == {chem.pk}
    assert found(search="机械制造") == {machinery.pk}
    assert found(search="之江纺织") == {textile.pk}
    assert found(search="杭州") == {chem.pk, textile.pk, machinery.pk}
    # By credit code, whole or in part, any case.
    assert found(search=textile.uscc) == {textile.pk}
    assert found(search=textile.uscc.lower()) == {textile.pk}
    assert found(search=machinery.uscc[:8]) == {machinery.pk}

    bad = client.get(API, {"sector": "spaceflight"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"


def test_search_respects_jurisdiction(api_as, xihu_inspector):
    make_enterprise("西湖化工一厂", 31)
    outsider = make_enterprise("滨江化工二厂", 32, street=BINJIANG_STREET)
    response = api_as(xihu_inspector).get(API, {"search": "化工"})
    assert outsider.pk not in ids_of(response)
    assert len(ids_of(response)) == 1
