"""The case API: scoping (404), roles (403), illegal moves (409), bad input (400), the
steps as POSTs, keyset pages, and the schema with its error statuses."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from enforcement.cases.models import Case, PenaltyDecision
from hangzhou_safety.accounts.models import Role
from tests.conftest import make_user
from tests.enforcement.test_cases_sources_and_money import escalated_hazard
from tests.platform.drivers._cases import make_case

S = Case.Status
API = "/api/v1/cases/"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]


def test_open_from_an_escalated_hidden_danger_and_file(api_as: Any,
                                                       case_world: dict[str, Any]) -> None:
    inspector = case_world["inspector"]
    hazard = escalated_hazard(inspector)
    client = api_as(inspector)
    body = {"hazard": hazard.pk, "officers": [inspector.pk, case_world["inspector2"].pk]}
    response = client.post(f"{API}from-hazard/", body, format="json")
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["status"] == "pending" and case["hazard"] == hazard.pk
    assert case["parties"][0]["role"] == "unit" and case["evidence"]
    again = client.post(f"{API}from-hazard/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "case_exists"
    assert client.post(f"{API}{case['id']}/file/", {}, format="json").status_code == 200
    approved = api_as(case_world["approver"]).post(f"{API}{case['id']}/approve-filing/", {},
                                                   format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "filed"
    clocks = {c["label"]: c for c in approved.json()["clocks"]}
    assert clocks["作出行政处罚决定期限"]["days_left"] >= 89


def test_an_illegal_step_is_a_409_with_the_bilingual_body(api_as: Any,
                                                           case_world: dict[str, Any]) -> None:
    case = make_case(S.PENDING)
    response = api_as(case_world["inspector"]).post(f"{API}{case.pk}/start-investigation/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition" and body["detail"] and body["detail_en"]


def test_another_district_sees_nothing(api_as: Any, binjiang_inspector: Any) -> None:
    case = make_case(S.FILED)
    client = api_as(binjiang_inspector)
    assert client.get(f"{API}{case.pk}/").status_code == 404
    assert client.post(f"{API}{case.pk}/start-investigation/").status_code == 404
    assert client.get(API).json()["results"] == []
    decision = make_case(S.DECIDED).decisions.get()
    assert client.post(f"/api/v1/decisions/{decision.pk}/serve/", {"method": "post"},
                       format="json").status_code == 404


def test_an_auditor_reads_but_never_writes(api_as: Any) -> None:
    auditor = make_user("p_auditor", Role.AUDITOR, "EM-330106")
    case = make_case(S.FILED)
    client = api_as(auditor)
    assert client.get(f"{API}{case.pk}/").status_code == 200
    assert client.post(f"{API}{case.pk}/start-investigation/").status_code == 403


def test_a_wrong_role_for_the_step_is_a_403(api_as: Any, case_world: dict[str, Any]) -> None:
    case = make_case(S.PENDING)
    response = api_as(case_world["inspector"]).post(f"{API}{case.pk}/approve-filing/", {},
                                                    format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_bad_input_is_a_400_and_writes_nothing(api_as: Any, case_world: dict[str, Any]) -> None:
    client = api_as(case_world["inspector"])
    response = client.post(API, {"source": "inspection", "title": "案由",
                                 "officers": [case_world["inspector"].pk]}, format="json")
    assert response.status_code == 400 and "两名" in response.json()["detail"]
    response = client.post(API, {"source": "nowhere", "title": "", "officers": "x"},
                           format="json")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_summary_procedure_over_the_api(api_as: Any, case_world: dict[str, Any]) -> None:
    inspector = case_world["inspector"]
    client = api_as(inspector)
    created = client.post(API, {
        "source": "inspection", "title": "未佩戴安全帽",
        "officers": [inspector.pk, case_world["inspector2"].pk],
        "parties": [{"kind": "person", "role": "person", "name": "李四"}]}, format="json")
    assert created.status_code == 201, created.json()
    case = created.json()
    party = case["parties"][0]["id"]
    too_much = client.post(f"{API}{case['id']}/summary-decision/", {
        "party": party, "kinds": ["fine"], "fine_amount": "201", "basis": "第九十九条"},
        format="json")
    assert too_much.status_code == 400 and "200" in too_much.json()["detail"]
    done = client.post(f"{API}{case['id']}/summary-decision/", {
        "party": party, "kinds": ["fine"], "fine_amount": "200", "basis": "第九十九条"},
        format="json")
    assert done.status_code == 200 and done.json()["status"] == "served"
    decision = done.json()["decisions"][0]
    paid = client.post(f"/api/v1/decisions/{decision['id']}/pay/", {"amount": "200"},
                       format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    closed = api_as(case_world["approver"]).post(f"{API}{case['id']}/close/", {},
                                                 format="json")
    assert closed.json()["status"] == "closed"


def test_lists_are_keyset_pages(api_as: Any, case_world: dict[str, Any]) -> None:
    for _ in range(3):
        make_case(S.FILED)
    client = api_as(case_world["chief"])
    first = client.get(API, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"] and "count" not in first
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert client.get(API, {"cursor": "cD1hYmM="}).status_code == 400
    decisions = client.get("/api/v1/decisions/", {"status": "issued"}).json()
    assert decisions["results"] == []


def test_the_schema_documents_the_steps_and_their_errors() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    step = schema["paths"]["/api/v1/cases/{id}/approve-filing/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(step["responses"])
    assert "/api/v1/decisions/{id}/pay/" in schema["paths"]
    assert PenaltyDecision.Status.PAID in str(schema["components"]["schemas"])
