"""Disclosure of compulsory-measure decisions (issue 12: the other enforcement decisions,
20 working days): opened when the measure's decision document is issued, due by the rule
table across the National Day holiday, masked, reviewed and published like a penalty;
lifting keeps it, an annulment (not approved after the fact) withdraws it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from enforcement.cases.models import Case, CaseParty, PartyRole
from enforcement.disclosure import selectors
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from enforcement.disclosure.rules import DecisionType
from enforcement.grounds.models import PartyKind
from enforcement.measures import services as measures
from enforcement.measures.models import CompulsoryMeasure, MeasureKind
from hangzhou_safety.workdays.arithmetic import SHANGHAI, add_working_days
from tests.enforcement.disclosure_helpers import id_number, personal_numbers
from tests.platform.drivers._cases import make_case, officers
from tests.platform.drivers._measures import make_measure, safe_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]
MS = CompulsoryMeasure.Status
DS = Disclosure.Status
DECIDED = datetime.datetime(2026, 9, 24, 10, 0, tzinfo=SHANGHAI)


def _sealed(w: dict[str, Any], at: datetime.datetime = DECIDED) -> CompulsoryMeasure:
    """A 查封 proposed, approved and executed (its decision document issued) at ``at``,
    on a case whose other party is a natural person with an ID number and a mobile."""
    case = make_case(Case.Status.INVESTIGATING)
    CaseParty.objects.create(case=case, kind=PartyKind.PERSON,
                             role=PartyRole.DIRECTLY_RESPONSIBLE, name="钱小明",
                             identifier=id_number("33010619850202002"), phone="13905710002")
    measure = measures.propose_measure(
        case, actor=w["inspector"], kind=MeasureKind.SEAL, place="一号车间",
        reason="压力容器未经检验，现场负责人钱小明（电话13905710002）拒不停用",
        items=[{"description": "不合格压力容器", "quantity": "1台", "kept_at": "厂区仓库"}])
    measures.approve_measure(measure, actor=w["approver"], opinion="同意")
    # The approval precedes the execution on the decision day (the service stamps now).
    CompulsoryMeasure.objects.filter(pk=measure.pk).update(
        approved_at=at - datetime.timedelta(hours=1))
    return measures.execute_measure(measure, actor=w["inspector"], officers=officers(),
                                    executed_at=at, party_signed=True,
                                    onsite_record="出示执法证件，告知理由、依据和权利。")


def test_a_seal_decision_opens_its_disclosure_due_20_working_days_later(
        case_world: dict[str, Any]) -> None:
    measure = _sealed(case_world)
    row = Disclosure.objects.get(measure=measure)
    assert row.decision_id is None and row.case_id == measure.case_id
    assert row.decision_type == DecisionType.COMPULSORY_MEASURE
    assert row.decided_on == datetime.date(2026, 9, 24)
    # 20 working days, the National Day and Mid-Autumn holiday not counted (calendar).
    expected = add_working_days(datetime.date(2026, 9, 24), 20).due
    assert row.due_date == expected == datetime.date(2026, 10, 29)
    assert row.due_clock is not None and row.due_clock.amount == 20
    assert "查封" in row.original_text and "不合格压力容器" in row.original_text
    # Masked by the same masking as penalties: the person's name, ID and mobile.
    assert "钱小明" in row.original_text and "钱小明" not in row.public_text
    assert personal_numbers(row.original_text) and not personal_numbers(row.public_text)
    assert row.party_name == measure.case.parties.get(role=PartyRole.UNIT).name
    # Idempotent.
    assert disclosure.create_for_measure(measure, actor=None).pk == row.pk


def test_a_measure_disclosure_is_reviewed_and_published(case_world: dict[str, Any]) -> None:
    w = case_world
    row = Disclosure.objects.get(measure=_sealed(w, safe_moment()))
    row = disclosure.submit_for_review(row, actor=w["inspector"])
    row = disclosure.approve_redaction(row, actor=w["chief"], severity="ordinary", months=3)
    row = disclosure.publish(row, actor=w["inspector"])
    assert row.status == DS.PUBLISHED and row.timeliness == "on_time"
    public = list(selectors.published_disclosures())
    assert [d.pk for d in public] == [row.pk]
    assert public[0].decision_type == DecisionType.COMPULSORY_MEASURE
    # The portal shows the measure's own decision number and finds it by district.
    number = row.measure.decision_document.number
    assert number and row.document_number == number and row.district_code == "330106"
    found = Client().get("/api/v1/public/decisions/", {"q": number, "district": "330106"})
    assert [(r["id"], r["document_number"]) for r in found.json()["results"]] == [
        (row.pk, number)]


def test_lifting_keeps_the_disclosure_and_annulment_withdraws_it(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _sealed(w, safe_moment())
    row = Disclosure.objects.get(measure=measure)
    row = disclosure.submit_for_review(row, actor=w["inspector"])
    row = disclosure.approve_redaction(row, actor=w["chief"], severity="ordinary")
    row = disclosure.publish(row, actor=w["inspector"])
    measures.lift_measure(measure, actor=w["approver"], reason="cause_removed", note="已整改")
    row.refresh_from_db()
    assert row.status == DS.PUBLISHED and row.withdrawal_due is None
    # An emergency measure the head does not approve after the fact no longer stands.
    urgent = make_measure(MS.REPORTED, kind=MeasureKind.SEIZE)
    opened = disclosure.create_for_measure(urgent, actor=None)
    measures.disapprove_emergency(urgent, actor=w["approver"], reason="不应采取")
    opened.refresh_from_db()
    assert opened.status == DS.WITHDRAWN and "不予补办批准" in opened.withdrawal_reason


def test_an_emergency_measure_opens_its_disclosure_when_executed(
        case_world: dict[str, Any]) -> None:
    w = case_world
    at = timezone.now() - datetime.timedelta(minutes=30)
    measure = measures.execute_emergency(
        make_case(Case.Status.INVESTIGATING), actor=w["inspector"], kind=MeasureKind.SEIZE,
        reason="危险物品可能转移", place="仓库", officers=officers(), executed_at=at,
        onsite_record="紧急扣押", party_signed=True,
        items=[{"description": "液化气钢瓶", "quantity": "10只"}])
    row = Disclosure.objects.get(measure=measure)
    assert row.decided_on == timezone.localdate(at)
    assert row.due_date == add_working_days(row.decided_on, 20).due


def test_staff_pages_list_and_review_measure_disclosures(web_as: Any,
                                                         case_world: dict[str, Any]) -> None:
    from django.urls import reverse

    row = Disclosure.objects.get(measure=_sealed(case_world, safe_moment()))
    client = web_as(case_world["chief"])
    listing = client.get(reverse("enforcement:disclosure_list")).content.decode()
    assert row.party_name in listing and "行政强制措施决定" in listing
    detail = client.get(reverse("enforcement:disclosure_detail", args=[row.pk])).content.decode()
    assert "查封" in detail and "行政强制措施决定" in detail
    web_as(case_world["inspector"]).post(
        reverse("enforcement:disclosure_step", args=[row.pk, "submit"]), follow=True)
    client = web_as(case_world["chief"])
    page = client.post(reverse("enforcement:disclosure_step", args=[row.pk, "approve"]),
                       {"severity": "ordinary", "months": "3"}, follow=True).content.decode()
    assert "已保存" in page, page[page.find("alert"):page.find("alert") + 300]
    row.refresh_from_db()
    assert row.status == DS.IN_REVIEW and row.reviewed_at is not None
