"""12350 reports: routing, clocks, anonymity, rewards, throttles, uploads, challenge."""

from __future__ import annotations

import datetime
import io
import json
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from enforcement.cases.models import Case
from enforcement.public_reports import challenge, services
from enforcement.public_reports.models import (
    PublicReport,
    ReportCategory,
    ReporterIdentity,
    ReportReward,
    ReportTopic,
    RewardBasis,
)
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workflow import IllegalTransition
from tests.platform.drivers._cases import make_case

NAME = "张举报人"
PHONE = "13905710000"
ID_NUMBER = "330106199001011234"
XIHU_STREET = "330106002"


def solved() -> tuple[str, str]:
    """A challenge token issued 10 seconds ago and its answer."""
    nonce = "n0nce"
    token = signing.dumps({"n": nonce, "t": int(time.time()) - 10,
                           "h": challenge._digest("42", nonce)},
                          salt=challenge.SALT, compress=True)
    return token, "42"


def submit(**kw: Any) -> services.Submitted:
    token, answer = solved()
    values: dict[str, Any] = {
        "category": ReportCategory.HIDDEN_DANGER, "place_code": XIHU_STREET,
        "enterprise_name": "杭州某某化工有限公司", "address": "转塘街道某路 1 号",
        "description": "仓库内违规存放大量危险化学品，消防通道堵塞。",
        "challenge_token": token, "challenge_answer": answer}
    values.update(kw)
    return services.submit_report(**values)


def named(**kw: Any) -> services.Submitted:
    return submit(anonymous=False, name=NAME, phone=PHONE, id_number=ID_NUMBER, **kw)


@pytest.fixture
def world(reference_data: None, calendar_data: None, clock_rules: None, threshold_data: None,
          xihu_inspector: Any, xihu_chief: Any, xihu_approver: Any, binjiang_approver: Any,
          settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.EVIDENCE_ROOT = tmp_path
    cache.clear()
    return {"inspector": xihu_inspector, "chief": xihu_chief, "approver": xihu_approver,
            "outsider": binjiang_approver}


def png(size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


# --- Routing -----------------------------------------------------------------------------

@pytest.mark.parametrize(("place", "authority"), [
    ("330106002", "EM-330106"),   # a 西湖区 street → 西湖区应急管理局
    ("330106", "EM-330106"),
    ("330108", "EM-330108"),      # 滨江区
    ("3301Z01", "EM-330100"),     # 西湖风景名胜区 hangs under the city
])
def test_a_report_goes_to_the_bureau_of_the_place(world: Any, place: str,
                                                  authority: str) -> None:
    report = submit(place_code=place).report
    assert report.authority.code == authority
    assert report.remit_department == "emergency" and report.forwarded_to is None


@pytest.mark.parametrize(("category", "topic", "department", "prefix"), [
    (ReportCategory.HIDDEN_DANGER, ReportTopic.FIRE, "fire", "FR"),
    (ReportCategory.ILLEGAL_PRODUCTION, ReportTopic.CONSTRUCTION, "housing", "HS"),
    (ReportCategory.OCCUPATIONAL_HAZARD, ReportTopic.SAFETY, "health", "HE"),
    (ReportCategory.HIDDEN_DANGER, ReportTopic.SPECIAL_EQUIPMENT, "market", "MK"),
])
def test_remit_reports_are_forwarded_to_their_department(
        world: Any, category: str, topic: str, department: str, prefix: str) -> None:
    report = submit(category=category, topic=topic).report
    assert report.authority.code == "EM-330106"
    assert report.remit_department == department and report.remit_basis
    moved = services.forward(report, actor=world["chief"])
    assert moved.status == PublicReport.Status.FORWARDED
    assert moved.forwarded_to.code == f"{prefix}-330106"
    progress = services.progress(moved)
    assert progress["forwarded_to"] == moved.forwarded_to.name
    assert any("已转交" in r["text"] for r in progress["replies"])


def test_a_safety_report_cannot_be_forwarded_without_a_department(world: Any) -> None:
    report = submit().report
    with pytest.raises(InvalidInput):
        services.forward(report, actor=world["chief"])


def test_staff_of_another_district_see_nothing(world: Any) -> None:
    report = submit().report
    assert not PublicReport.objects.visible_to(world["outsider"]).filter(pk=report.pk).exists()
    with pytest.raises(Forbidden):
        services.accept(report, actor=world["outsider"])


# --- Clocks ------------------------------------------------------------------------------

def test_handling_is_60_days_from_acceptance_extendable_once_by_30(world: Any) -> None:
    report = submit().report
    accepted = services.accept(report, actor=world["chief"])
    today = timezone.localdate()
    clock = accepted.handling_clock
    assert clock.kind == "calendar_days" and clock.amount == 60
    assert clock.due_date >= today + datetime.timedelta(days=60)
    assert clock.due_date <= today + datetime.timedelta(days=60 + 10)  # holiday roll-over
    with pytest.raises(Forbidden):  # the head approves an extension, not an inspector
        services.extend(accepted, actor=world["inspector"], reason="案情复杂")
    extended = services.extend(accepted, actor=world["approver"], reason="涉及多个部门")
    extended.handling_clock.refresh_from_db()
    assert extended.handling_clock.amount == 90
    assert extended.extended
    notice = services.progress(PublicReport.objects.get(pk=report.pk))
    assert notice["extended"] and any("延长至" in r["text"] for r in notice["replies"])
    with pytest.raises(IllegalTransition):
        services.extend(extended, actor=world["approver"], reason="再次延期")


def test_feedback_within_10_days_of_verification(world: Any) -> None:
    report = submit().report
    services.accept(report, actor=world["chief"])
    services.start_verification(report, actor=world["inspector"])
    with pytest.raises(InvalidInput):  # a verification links its inspection or case
        services.verify(report, actor=world["inspector"], finding="substantiated",
                        result="现场核实属实")
    case = make_case(Case.Status.DECIDED)
    verified = services.verify(report, actor=world["inspector"], finding="substantiated",
                               result="现场核实属实，已立案查处", case=case.pk)
    assert verified.case_id == case.pk
    clock = verified.feedback_clock
    assert clock.amount == 10 and clock.kind == "calendar_days"
    done = services.feed_back(verified, actor=world["inspector"],
                              text="经核查，举报属实，已依法查处。")
    for row in (done.feedback_clock, done.handling_clock):
        row.refresh_from_db()
        assert row.status == "met"
    with pytest.raises(IllegalTransition):
        services.accept(done, actor=world["chief"])
    assert services.close(done, actor=world["inspector"]).status == "closed"


# --- Anonymity ---------------------------------------------------------------------------

def _assert_no_identity(text: str) -> None:
    for secret in (NAME, PHONE, ID_NUMBER):
        assert secret not in text


def test_the_reporter_never_appears_in_enterprise_facing_outputs(
        world: Any, client: Any, anonymous: Any, web_as: Any) -> None:
    done = named()
    report = done.report
    assert ReporterIdentity.objects.get(report=report).name == NAME
    services.accept(report, actor=world["chief"])
    services.add_note(report, actor=world["inspector"], text="内部：举报人系该企业员工")
    services.start_verification(report, actor=world["inspector"])
    case = make_case(Case.Status.DECIDED)
    services.verify(report, actor=world["inspector"], finding="substantiated",
                    result="内部核查记录", case=case.pk)
    services.feed_back(report, actor=world["inspector"], text="经核查属实，已立案处罚。")
    # The progress answer (API and page) and the audit trail.
    api = anonymous.get(f"/api/v1/public/reports/{report.tracking_no}/",
                        {"code": done.query_code})
    assert api.status_code == 200
    _assert_no_identity(api.content.decode())
    assert "内部" not in api.content.decode()
    page = client.post("/public/reports/track/", {"number": report.tracking_no,
                                                  "code": done.query_code})
    assert page.status_code == 200 and "经核查属实" in page.content.decode()
    _assert_no_identity(page.content.decode())
    assert "内部" not in page.content.decode()
    events = AuditEvent.objects.filter(object_id=str(report.pk))
    assert events.exists()
    for event in events:
        _assert_no_identity(json.dumps([event.new_values, event.old_values, event.reason,
                                        event.object_repr], ensure_ascii=False))
    # The case page the enterprise's documents come from knows nothing of the reporter.
    case_page = web_as(world["inspector"]).get(f"/cases/{case.pk}/")
    _assert_no_identity(case_page.content.decode())
    # Staff: an inspector's report page shows no identity; the identity page is refused.
    inspector_page = client.get(f"/reports/{report.pk}/")
    assert inspector_page.status_code == 200
    _assert_no_identity(inspector_page.content.decode())
    assert client.get(f"/reports/{report.pk}/identity/").status_code == 403


def test_the_identity_is_shown_to_a_chief_and_each_view_is_audited(
        world: Any, web_as: Any) -> None:
    report = named().report
    client = web_as(world["chief"])
    before = AuditEvent.objects.filter(action="public_report.identity_viewed").count()
    answer = client.get(f"/reports/{report.pk}/identity/")
    assert answer.status_code == 200 and NAME in answer.content.decode()
    assert AuditEvent.objects.filter(action="public_report.identity_viewed").count() == before + 1


def test_wrong_query_code_reveals_nothing(world: Any, anonymous: Any) -> None:
    report = submit().report
    answer = anonymous.get(f"/api/v1/public/reports/{report.tracking_no}/", {"code": "WRONG"})
    assert answer.status_code == 404
    assert report.tracking_no not in answer.content.decode()


# --- Rewards -----------------------------------------------------------------------------

def _verified(done: services.Submitted, world: Any, case: Case | None = None,
              finding: str = "substantiated") -> PublicReport:
    report = done.report
    services.accept(report, actor=world["chief"])
    services.start_verification(report, actor=world["inspector"])
    case = case or make_case(Case.Status.DECIDED)
    return services.verify(report, actor=world["inspector"], finding=finding,
                           result="核查属实", case=case.pk)


def test_fine_reward_is_15_percent_of_the_linked_case_fines(world: Any) -> None:
    case = make_case(Case.Status.DECIDED)
    fine = sum(d.fine_amount for d in case.decisions.all())
    report = _verified(named(), world, case)
    row = services.compute_reward(report, actor=world["inspector"], basis=RewardBasis.FINE)
    expected = min(max((fine * Decimal("0.15")).quantize(Decimal("0.01")), Decimal(3000)),
                   Decimal(300000))
    assert row.amount == expected and row.status == ReportReward.Status.COMPUTED
    with pytest.raises(Forbidden):  # who computed may not approve
        services.decide_reward(row, actor=world["inspector"], approve=True)
    approved = services.decide_reward(row, actor=world["approver"], approve=True)
    assert approved.status == ReportReward.Status.APPROVED
    paid = services.pay_reward(approved, actor=world["inspector"], reference="JL-2026-001")
    assert paid.status == ReportReward.Status.PAID and paid.paid_at
    with pytest.raises(IllegalTransition):
        services.compute_reward(report, actor=world["inspector"], basis=RewardBasis.FINE)


def test_concealed_deaths_are_rewarded_per_death_by_grade_capped(world: Any) -> None:
    report = _verified(named(category=ReportCategory.CONCEALED_ACCIDENT), world)
    row = services.compute_reward(report, actor=world["inspector"],
                                  basis=RewardBasis.CONCEALED_ACCIDENT, deaths=3,
                                  grade="larger")
    assert row.amount == Decimal("120000.00")
    other = _verified(named(category=ReportCategory.CONCEALED_ACCIDENT,
                            enterprise_name="另一家企业"), world)
    capped = services.compute_reward(other, actor=world["inspector"],
                                     basis=RewardBasis.CONCEALED_ACCIDENT, deaths=12,
                                     grade="major")
    assert capped.amount == Decimal("300000.00")


def test_only_the_first_real_name_reporter_of_a_matter_is_rewarded(world: Any) -> None:
    anonymous_first = _verified(submit(), world)
    with pytest.raises(DomainError) as refused:
        services.compute_reward(anonymous_first, actor=world["inspector"],
                                basis=RewardBasis.FINE)
    assert refused.value.code == "not_rewardable"
    first_named = _verified(named(), world)
    second_named = _verified(named(), world)
    services.link_same_matter(first_named, actor=world["chief"],
                              earlier=anonymous_first.tracking_no)
    services.link_same_matter(second_named, actor=world["chief"],
                              earlier=first_named.tracking_no)
    second_named.refresh_from_db()
    assert second_named.same_matter_as_id == anonymous_first.pk  # joined the root matter
    with pytest.raises(DomainError) as later:
        services.compute_reward(second_named, actor=world["inspector"], basis=RewardBasis.FINE)
    assert later.value.code == "not_rewardable"
    assert services.compute_reward(first_named, actor=world["inspector"],
                                   basis=RewardBasis.FINE).amount >= Decimal(3000)


def test_an_unsubstantiated_report_earns_nothing(world: Any) -> None:
    report = _verified(named(), world, finding="unsubstantiated")
    with pytest.raises(DomainError):
        services.compute_reward(report, actor=world["inspector"], basis=RewardBasis.FINE)


# --- Abuse -------------------------------------------------------------------------------

def test_anonymous_submission_needs_the_challenge(world: Any, anonymous: Any) -> None:
    body = {"category": "hidden_danger", "place": XIHU_STREET, "enterprise_name": "某厂",
            "description": "车间粉尘浓度很高，没有除尘设备。", "anonymous": True}
    assert anonymous.post("/api/v1/public/reports/", body, format="json").status_code == 400
    fresh = challenge.issue()  # answered at once: too fast for a person
    body.update(challenge_token=fresh.token, challenge_answer="0")
    assert anonymous.post("/api/v1/public/reports/", body, format="json").status_code == 400
    token, answer = solved()
    body.update(challenge_token=token, challenge_answer="41")
    assert anonymous.post("/api/v1/public/reports/", body, format="json").status_code == 400
    body.update(challenge_answer=answer)
    created = anonymous.post("/api/v1/public/reports/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert set(data) == {"tracking_no", "query_code", "deadline", "provisional"}
    report = PublicReport.objects.get(tracking_no=data["tracking_no"])
    assert report.anonymous and not ReporterIdentity.objects.filter(report=report).exists()
    assert data["query_code"] not in report.query_code_hash
    received = AuditEvent.objects.get(action="public_report.received", object_id=str(report.pk))
    assert not received.client_ip  # an address would identify an anonymous reporter


def test_a_named_submission_needs_no_challenge_but_a_phone(world: Any, anonymous: Any) -> None:
    body = {"category": "illegal_production", "place": XIHU_STREET, "enterprise_name": "某厂",
            "description": "无证生产烟花爆竹，夜间开工。", "anonymous": False, "name": NAME}
    assert anonymous.post("/api/v1/public/reports/", body, format="json").status_code == 400
    body["phone"] = PHONE
    assert anonymous.post("/api/v1/public/reports/", body, format="json").status_code == 201


def test_submissions_are_throttled_per_client(world: Any, anonymous: Any) -> None:
    answers = [anonymous.post("/api/v1/public/reports/", {"category": "x"}, format="json",
                              REMOTE_ADDR="203.0.113.7").status_code for _ in range(11)]
    assert answers[:10] == [400] * 10 and answers[10] == 429
    other = anonymous.post("/api/v1/public/reports/", {"category": "x"}, format="json",
                           REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 400  # another client is not slowed


def test_photos_take_the_evidence_checks(world: Any) -> None:
    done = submit(photos=[png()])
    photo = done.report.photos.get()
    assert photo.content_type == "image/png" and photo.preview_path
    renamed = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    with pytest.raises(InvalidInput):
        submit(photos=[renamed])
    with pytest.raises(InvalidInput):
        submit(photos=[png() for _ in range(services.MAX_PHOTOS + 1)])
    count = PublicReport.objects.count()
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (
        services.MAX_PHOTO_BYTES + 1), content_type="image/png")
    with pytest.raises(InvalidInput):
        submit(photos=[big])
    assert PublicReport.objects.count() == count  # nothing partially written


def test_the_public_form_submits_and_shows_the_codes(world: Any, client: Any) -> None:
    form = client.get("/public/reports/new/")
    assert form.status_code == 200 and "challenge_token" in form.content.decode()
    token, answer = solved()
    answer_page = client.post("/public/reports/new/", {
        "category": "hidden_danger", "topic": "safety", "place": "330106",
        "enterprise_name": "某某厂", "description": "配电箱裸露，电线乱拉乱接。",
        "anonymous": "1", "challenge_token": token, "challenge_answer": answer,
        "photos": [png()]})
    assert answer_page.status_code == 200
    report = PublicReport.objects.get()
    assert report.tracking_no in answer_page.content.decode()
    assert report.photos.count() == 1
    refused = client.post("/public/reports/new/", {
        "category": "hidden_danger", "place": "330106", "enterprise_name": "某某厂",
        "description": "配电箱裸露，电线乱拉乱接。", "anonymous": "1"})
    assert refused.status_code == 400 and "验证题" in refused.content.decode()


def test_staff_pages_walk_a_report(world: Any, web_as: Any) -> None:
    report = submit().report
    chief = web_as(world["chief"])
    listing = chief.get("/reports/?status=received")
    assert listing.status_code == 200 and report.tracking_no in listing.content.decode()
    accepted = chief.post(f"/reports/{report.pk}/steps/accept/", {"note": "属实受理"})
    assert accepted.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
    again = chief.post(f"/reports/{report.pk}/steps/accept/", {}, follow=True)
    assert "不能变更" in again.content.decode() or "当前状态" in again.content.decode()


def test_the_form_finds_the_enterprise_in_the_registry(world: Any, anonymous: Any) -> None:
    from tests.platform.drivers._inspections import enterprise

    site = enterprise()
    found = anonymous.get("/api/v1/public/reports/enterprises/", {"q": site.name[2:8]})
    assert found.status_code == 200
    rows = found.json()
    assert {"id": site.pk, "name": site.name, "place": site.location.name} in rows
    assert set(rows[0]) == {"id", "name", "place"}  # nothing else of the registry
    assert anonymous.get("/api/v1/public/reports/enterprises/", {"q": "厂"}).json() == []
    by_id = submit(enterprise_id=site.pk, enterprise_name="").report
    assert by_id.enterprise_id == site.pk and by_id.enterprise_name == site.name
    by_name = submit(enterprise_name=site.name).report
    assert by_name.enterprise_id == site.pk
    assert submit(enterprise_name="不在名录里的小作坊").report.enterprise_id is None


def test_a_flood_of_reports_does_not_slow_the_staff_list(
        world: Any, web_as: Any, django_assert_max_num_queries: Any) -> None:
    first = submit().report
    client = web_as(world["chief"])
    client.get("/reports/")  # warm the session and the menu
    with django_assert_max_num_queries(12) as few:
        assert client.get("/reports/").status_code == 200
    baseline = len(few.captured_queries)
    rows = [PublicReport(tracking_no=f"JBFLOOD{i:08d}", query_code_hash="0" * 64,
                         category=first.category, enterprise_name="洪水测试",
                         place=first.place, description=first.description,
                         authority=first.authority) for i in range(1500)]
    PublicReport.objects.bulk_create(rows, batch_size=500)
    with django_assert_max_num_queries(baseline) as many:
        page = client.get("/reports/")
    assert page.status_code == 200
    assert len(many.captured_queries) == baseline  # one keyset page, whatever the count
    assert page.content.decode().count('data-testid="report-row"') == 30


def test_the_form_shares_the_submission_throttle(world: Any, client: Any,
                                                 anonymous: Any) -> None:
    for _ in range(6):
        anonymous.post("/api/v1/public/reports/", {"category": "x"}, format="json",
                       REMOTE_ADDR="198.51.100.4")
    answers = [client.post("/public/reports/new/", {"category": "x"},
                           REMOTE_ADDR="198.51.100.4").status_code for _ in range(5)]
    assert answers == [400, 400, 400, 400, 429]
    assert client.get("/public/reports/new/", REMOTE_ADDR="198.51.100.4").status_code == 200
