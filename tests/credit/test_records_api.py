"""GET /api/v1/credit/records/: the violation base for staff, scoped to the caller's
jurisdiction, cursor-paginated, filtered by uscc / enterprise / kind / status / year;
a person's ID number never leaves the system in full (masked in every response)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from credit.violations.models import SubjectKind, ViolationRecord
from enforcement.cases.models import Case, CaseParty, PartyRole, PenaltyDecision
from enforcement.grounds.models import PartyKind
from hangzhou_safety.accounts.models import Authority
from tests.conftest import make_user
from tests.platform.drivers._cases import PERSONAS, Staff, make_case, make_decision, xihu_staff
from tests.platform.drivers._inspections import enterprise, user

pytestmark = pytest.mark.django_db
ID_NUMBER = "11010519491231002X"
URL = "/api/v1/credit/records/"


@pytest.fixture
def world(request: pytest.FixtureRequest) -> None:
    for name in (*PERSONAS, "binjiang_inspector", "binjiang_approver", "municipal_admin"):
        request.getfixturevalue(name)


def _record(case: Case, party: CaseParty, *, year: int = 2026, **extra: Any) -> ViolationRecord:
    decision = case.decisions.filter(party=party).first() or make_decision(
        case, party, PenaltyDecision.Status.SERVED, money=False)
    day = datetime.date(year, 3, 2)
    person = party.kind == PartyKind.PERSON
    return ViolationRecord.objects.create(
        decision=decision, case=case, authority=case.authority, enterprise=case.enterprise,
        subject_kind=SubjectKind.PERSON if person else SubjectKind.ENTERPRISE,
        person_role="principal" if person else "", subject_name=party.name,
        uscc="" if person else case.enterprise.uscc,
        id_number=party.identifier if person else "", id_number_valid=person,
        violation_type=case.title, legal_basis="安全生产法第九十七条", decided_on=day,
        final_on=day, disclose_until=day.replace(year=year + 5), **extra)


@pytest.fixture
def records(world: None) -> dict[str, ViolationRecord]:
    case = make_case(Case.Status.SERVED)
    unit = case.decisions.get()
    unit_record = ViolationRecord.objects.create(
        decision=unit, case=case, authority=case.authority, enterprise=case.enterprise,
        subject_kind=SubjectKind.ENTERPRISE, subject_name=case.enterprise.name,
        uscc=case.enterprise.uscc, violation_type=case.title, legal_basis=unit.basis,
        decided_on=datetime.date(2026, 2, 1), final_on=datetime.date(2026, 2, 3),
        disclose_until=datetime.date(2031, 2, 1), version=2)
    person = CaseParty.objects.create(case=case, kind=PartyKind.PERSON,
                                      role=PartyRole.PRINCIPAL, name="张三",
                                      identifier=ID_NUMBER)
    other = make_case(Case.Status.SERVED)
    old = _record(other, other.parties.get(), year=2024, status=ViolationRecord.Status.REMOVED,
                  removed_reason="复议撤销")
    staff = xihu_staff()
    binjiang = make_case(Case.Status.SERVED, staff=Staff(
        Authority.objects.get(code="EM-330108"), user("binjiang_inspector"),
        user("binjiang_approver"), staff.chief, staff.officers, enterprise()))
    return {"unit": unit_record, "person": _record(case, person), "old": old,
            "binjiang": _record(binjiang, binjiang.parties.get())}


def _ids(answer: Any) -> set[int]:
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["results"]}


def test_scoped_to_the_callers_jurisdiction(records: dict[str, ViolationRecord],
                                            api_as: Any) -> None:
    xihu = api_as(user("xihu_inspector"))
    mine = {records[k].pk for k in ("unit", "person", "old")}
    assert _ids(xihu.get(URL)) == mine
    assert xihu.get(f"{URL}{records['binjiang'].pk}/").status_code == 404
    assert _ids(api_as(user("binjiang_inspector")).get(URL)) == {records["binjiang"].pk}
    assert _ids(api_as(user("admin")).get(URL)) == mine | {records["binjiang"].pk}


def test_id_numbers_are_masked_everywhere(records: dict[str, ViolationRecord],
                                          api_as: Any) -> None:
    client = api_as(user("xihu_inspector"))
    listing = client.get(URL)
    detail = client.get(f"{URL}{records['person'].pk}/")
    for answer in (listing, detail):
        assert answer.status_code == 200
        assert ID_NUMBER.encode() not in answer.content
        assert b"19491231" not in answer.content  # not even the birth date
    row = detail.json()
    assert row["id_number_masked"] == "110105**********2X"
    assert row["kind"] == "person" and row["person_role"] == "principal"
    assert "id_number" not in row
    unit = client.get(f"{URL}{records['unit'].pk}/").json()
    assert unit["kind"] == "unit" and unit["id_number_masked"] == ""
    assert unit["uscc"] == records["unit"].uscc and unit["corrected"] is True


def test_filters(records: dict[str, ViolationRecord], api_as: Any) -> None:
    client = api_as(user("xihu_inspector"))
    unit, person, old = records["unit"], records["person"], records["old"]
    assert _ids(client.get(URL, {"kind": "person"})) == {person.pk}
    assert _ids(client.get(URL, {"kind": "unit"})) == {unit.pk, old.pk}
    assert _ids(client.get(URL, {"status": "current"})) == {unit.pk, person.pk}
    assert _ids(client.get(URL, {"status": "corrected"})) == {unit.pk}
    assert _ids(client.get(URL, {"status": "removed"})) == {old.pk}
    assert _ids(client.get(URL, {"year": 2024})) == {old.pk}
    code = unit.enterprise.uscc
    assert _ids(client.get(URL, {"uscc": code.lower()})) == {unit.pk, person.pk}
    assert _ids(client.get(URL, {"enterprise": old.enterprise_id})) == {old.pk}
    assert client.get(URL, {"kind": "robot"}).status_code == 400
    assert client.get(URL, {"status": "active"}).status_code == 400


def test_cursor_pagination(records: dict[str, ViolationRecord], api_as: Any) -> None:
    client = api_as(user("xihu_inspector"))
    first = client.get(URL, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"] and "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 3


def test_refused_to_partners_and_anonymous(records: dict[str, ViolationRecord], api_as: Any,
                                           anonymous: Any) -> None:
    partner = make_user("p_partner", "partner", "EM-330106")
    assert api_as(partner).get(URL).status_code == 403
    assert anonymous.get(URL).status_code == 401
    assert api_as(user("xihu_inspector")).post(URL, {}).status_code == 405
