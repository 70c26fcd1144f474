"""整改延期 through the REST API:
POST /api/v1/inspections/{id}/hazards/{hid}/extensions/ registers the enterprise's
written request, POST .../extensions/{eid}/decide/ decides it. The services
(loop/extensions.py) check role, team, jurisdiction and input; the API answers bad
input with the bilingual error body and writes nothing."""
# ruff: noqa: F811

from __future__ import annotations

import datetime

import pytest

from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.services import add_calendar_days
from inspections.loop import services as loop
from inspections.loop.services import MAX_RECTIFICATION_DAYS
from inspections.models import DeadlineExtension, RectificationOrder
from tests.conftest import make_user
from tests.inspections.test_deadline_extension import rectifying  # noqa: F401
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inspections/"


def extensions_url(hazard) -> str:
    return f"{BASE}{hazard.inspection_id}/hazards/{hazard.pk}/extensions/"


def decide_url(hazard, extension) -> str:
    eid = extension if isinstance(extension, int) else extension.pk
    return f"{extensions_url(hazard)}{eid}/decide/"


def body(**changes):
    data = {"requested_on": loop._today().isoformat(), "extra_days": 10,
            "reason": "警示标志定制周期较长"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def events() -> int:
    return AuditEvent.objects.filter(action__startswith="extension.").count()


def assert_bilingual_400(response, field):
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "invalid"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["detail"])
    assert data["detail_en"].isascii() and data["detail_en"]
    assert field in data["errors"], data
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in data["errors"][field])


@pytest.fixture
def pending(api_as, rectifying, xihu_inspector):
    response = api_as(xihu_inspector).post(extensions_url(rectifying), body(), format="json")
    assert response.status_code == 201, response.content
    return DeadlineExtension.objects.get(pk=response.json()["id"])


def test_request_then_approval_moves_the_deadline(api_as, rectifying, xihu_inspector,
                                                 xihu_chief):
    old = rectifying.order.due_date
    created = api_as(xihu_inspector).post(extensions_url(rectifying), body(), format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["hazard"] == rectifying.pk and row["status"] == "pending"
    assert row["extra_days"] == 10 and row["reason"] == "警示标志定制周期较长"
    assert row["old_due_date"] == old.isoformat() and row["new_due_date"] is None
    assert row["registered_by"] == xihu_inspector.pk and row["decided_by"] is None

    # The hazard shows the pending request, read-only.
    hazard = api_as(xihu_chief).get(f"/api/v1/hazards/{rectifying.pk}/").json()
    assert [e["id"] for e in hazard["extensions"]] == [row["id"]]
    assert hazard["extensions"][0]["status"] == "pending"

    decided = api_as(xihu_chief).post(
        decide_url(rectifying, row["id"]),
        {"approve": True, "decision_reason": "理由充分，同意延期"}, format="json")
    assert decided.status_code == 200, decided.content
    expected = add_calendar_days(old, 10).due
    data = decided.json()
    assert data["status"] == "approved" and data["new_due_date"] == expected.isoformat()
    assert data["decided_by"] == xihu_chief.pk and data["decided_by_name"] == "西湖科长"
    assert data["decision_reason"] == "理由充分，同意延期" and data["decided_at"]
    order = RectificationOrder.objects.get(hazard=rectifying)
    assert order.due_date == expected and order.deadline_days == 25
    detail = api_as(xihu_inspector).get(f"{BASE}{rectifying.inspection_id}/").json()
    card = next(h for h in detail["hazards"] if h["id"] == rectifying.pk)
    assert card["order"]["due_date"] == expected.isoformat()
    assert card["extensions"][0]["status"] == "approved"
    assert {e.action for e in AuditEvent.objects.filter(action__startswith="extension.")} \
        == {"extension.requested", "extension.approved"}


def test_refusal_with_a_reason_keeps_the_deadline(api_as, rectifying, pending, xihu_chief):
    old = rectifying.order.due_date
    response = api_as(xihu_chief).post(decide_url(rectifying, pending),
                                       {"approve": False, "decision_reason": "理由不充分"},
                                       format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "refused"
    assert response.json()["decision_reason"] == "理由不充分"
    assert RectificationOrder.objects.get(hazard=rectifying).due_date == old
    # A new request may follow a refusal.
    again = api_as(xihu_chief).post(extensions_url(rectifying), body(), format="json")
    assert again.status_code == 201, again.content


@pytest.mark.parametrize(("approve", "reason"), [(False, ""), (True, "   "), (False, ...)])
def test_a_decision_needs_its_reason(api_as, rectifying, pending, xihu_chief, approve,
                                     reason):
    before = events()
    payload = {"approve": approve, "decision_reason": reason}
    response = api_as(xihu_chief).post(decide_url(rectifying, pending),
                                       {k: v for k, v in payload.items() if v is not ...},
                                       format="json")
    assert_bilingual_400(response, "decision_reason")
    assert "审批意见" in response.json()["detail"]
    assert DeadlineExtension.objects.get(pk=pending.pk).status == "pending"
    assert events() == before


@pytest.mark.parametrize("approve", ["yes", "true", "false", 1, 0, "1", None, [True], ...])
def test_approve_is_a_json_boolean_only(api_as, rectifying, pending, xihu_chief, approve):
    before = events()
    payload = {"approve": approve, "decision_reason": "同意"}
    response = api_as(xihu_chief).post(decide_url(rectifying, pending),
                                       {k: v for k, v in payload.items() if v is not ...},
                                       format="json")
    assert_bilingual_400(response, "approve")
    assert DeadlineExtension.objects.get(pk=pending.pk).status == "pending"
    assert RectificationOrder.objects.get(hazard=rectifying).due_date == pending.old_due_date
    assert events() == before


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"reason": ...}, "reason", "理由"),
    ({"reason": "  "}, "reason", "理由"),
    ({"requested_on": ...}, "requested_on", "书面申请的日期"),
    ({"requested_on": None}, "requested_on", "书面申请的日期"),
    ({"requested_on": "2026/01/01"}, "requested_on", "YYYY-MM-DD"),
    ({"requested_on": "tomorrow"}, "requested_on", "YYYY-MM-DD"),
    ({"extra_days": ...}, "extra_days", "延长天数"),
    ({"extra_days": 0}, "extra_days", "延长天数"),
    ({"extra_days": -3}, "extra_days", "延长天数"),
    ({"extra_days": MAX_RECTIFICATION_DAYS + 1}, "extra_days", "延长天数"),
    ({"extra_days": 2**63}, "extra_days", "延长天数"),
    ({"extra_days": "十天"}, "extra_days", "整数"),
    ({"reason": "隐" * 2001}, "reason", "2000"),
])
def test_bad_requests_are_refused_and_write_nothing(api_as, rectifying, xihu_inspector,
                                                    changes, field, message):
    response = api_as(xihu_inspector).post(extensions_url(rectifying), body(**changes),
                                           format="json")
    assert_bilingual_400(response, field)
    assert message in " ".join(response.json()["errors"][field])
    assert not DeadlineExtension.objects.exists() and events() == 0


def test_a_request_dated_in_the_future_is_refused(api_as, rectifying, xihu_inspector):
    tomorrow = loop._today() + datetime.timedelta(days=1)
    response = api_as(xihu_inspector).post(
        extensions_url(rectifying), body(requested_on=tomorrow.isoformat()), format="json")
    assert_bilingual_400(response, "requested_on")
    assert "不能晚于今天" in response.json()["detail"]
    assert not DeadlineExtension.objects.exists()


def test_a_request_after_the_deadline_is_refused(api_as, rectifying, xihu_inspector):
    order = rectifying.order
    order.due_date = loop._today() - datetime.timedelta(days=2)
    order.save(update_fields=["due_date"])
    response = api_as(xihu_inspector).post(extensions_url(rectifying), body(), format="json")
    assert_bilingual_400(response, "requested_on")
    assert "期限届满前" in response.json()["detail"]
    assert not DeadlineExtension.objects.exists() and events() == 0


def test_a_second_pending_request_is_a_409(api_as, rectifying, pending, xihu_inspector):
    before = events()
    response = api_as(xihu_inspector).post(extensions_url(rectifying), body(extra_days=5),
                                           format="json")
    assert response.status_code == 409, response.content
    data = response.json()
    assert data["code"] == "extension_pending" and "待审批" in data["detail"]
    assert data["detail_en"]
    assert DeadlineExtension.objects.count() == 1 and events() == before


def test_a_hazard_without_a_deadline_is_not_extendable(api_as, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    hazard = loop.add_hazard(inspection, actor=xihu_inspector, description="通道堵塞",
                             legal_basis="", is_major=False, plant_location="", client_id=None)
    response = api_as(xihu_inspector).post(extensions_url(hazard), body(), format="json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "not_extendable"
    assert not DeadlineExtension.objects.exists()


def test_an_inspector_does_not_decide(api_as, rectifying, pending, xihu_inspector,
                                      xihu_inspector2):
    before = events()
    for actor in (xihu_inspector, xihu_inspector2):
        response = api_as(actor).post(decide_url(rectifying, pending),
                                      {"approve": True, "decision_reason": "同意"},
                                      format="json")
        assert response.status_code == 403, response.content
        assert response.json()["detail"] and response.json()["detail_en"]
    assert DeadlineExtension.objects.get(pk=pending.pk).status == "pending"
    assert events() == before


def test_the_officer_who_registered_it_does_not_decide(api_as, rectifying, xihu_chief):
    created = api_as(xihu_chief).post(extensions_url(rectifying), body(), format="json")
    assert created.status_code == 201, created.content
    response = api_as(xihu_chief).post(decide_url(rectifying, created.json()["id"]),
                                       {"approve": True, "decision_reason": "同意"},
                                       format="json")
    assert response.status_code == 403, response.content
    assert "登记" in response.json()["detail"]
    assert DeadlineExtension.objects.get().status == "pending"


def test_an_auditor_neither_requests_nor_decides(api_as, rectifying, pending):
    auditor = make_user("p_xihu_auditor", "auditor", "EM-330106", full_name="西湖审计员")
    client = api_as(auditor)
    assert client.post(extensions_url(rectifying), body(), format="json").status_code == 403
    assert client.post(decide_url(rectifying, pending),
                       {"approve": True, "decision_reason": "同意"},
                       format="json").status_code == 403
    assert DeadlineExtension.objects.count() == 1


def test_another_district_sees_nothing(api_as, rectifying, pending, binjiang_approver,
                                       binjiang_inspector):
    before = events()
    request = api_as(binjiang_inspector).post(extensions_url(rectifying), body(),
                                              format="json")
    assert request.status_code == 404 and request.json()["code"] == "not_found"
    decided = api_as(binjiang_approver).post(decide_url(rectifying, pending),
                                             {"approve": True, "decision_reason": "同意"},
                                             format="json")
    assert decided.status_code == 404 and decided.json()["detail_en"]
    assert DeadlineExtension.objects.get(pk=pending.pk).status == "pending"
    assert DeadlineExtension.objects.count() == 1 and events() == before


def test_an_extension_is_reached_through_its_own_hazard(api_as, rectifying, pending,
                                                        xihu_chief):
    wrong_hazard = (f"{BASE}{rectifying.inspection_id}/hazards/{rectifying.pk + 1000}/"
                    f"extensions/{pending.pk}/decide/")
    unknown = decide_url(rectifying, pending.pk + 1000)
    for url in (wrong_hazard, unknown):
        response = api_as(xihu_chief).post(url, {"approve": True, "decision_reason": "同意"},
                                           format="json")
        assert response.status_code == 404, (url, response.content)
    assert DeadlineExtension.objects.get(pk=pending.pk).status == "pending"


@pytest.mark.parametrize(("first", "second"), [(True, True), (True, False), (False, True),
                                               (False, False)])
def test_a_decided_request_is_not_decided_again(api_as, rectifying, pending, xihu_chief,
                                                xihu_approver, first, second):
    url = decide_url(rectifying, pending)
    done = api_as(xihu_chief).post(url, {"approve": first, "decision_reason": "第一次审批"},
                                   format="json")
    assert done.status_code == 200, done.content
    due = RectificationOrder.objects.get(hazard=rectifying).due_date
    before = events()
    again = api_as(xihu_approver).post(url, {"approve": second, "decision_reason": "再次审批"},
                                       format="json")
    assert again.status_code == 409, again.content
    assert again.json()["detail"] and again.json()["detail_en"]
    row = DeadlineExtension.objects.get(pk=pending.pk)
    assert row.status == ("approved" if first else "refused")
    assert row.decided_by_id == xihu_chief.pk and row.decision_reason == "第一次审批"
    assert RectificationOrder.objects.get(hazard=rectifying).due_date == due
    assert events() == before


def test_the_schema_documents_the_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths, components = schema["paths"], schema["components"]["schemas"]
    create = paths["/api/v1/inspections/{id}/hazards/{hid}/extensions/"]["post"]
    decide = paths["/api/v1/inspections/{id}/hazards/{hid}/extensions/{eid}/decide/"]["post"]
    assert {c for c in create["responses"] if c.startswith("2")} == {"201"}
    assert {c for c in decide["responses"] if c.startswith("2")} == {"200"}
    decision = components["DeadlineExtensionDecision"]
    assert decision["properties"]["approve"]["type"] == "boolean"
    assert decision["required"] == ["approve"]
    assert components["DeadlineExtensionRequest"]["properties"]["extra_days"]["maximum"] \
        == MAX_RECTIFICATION_DAYS
    extensions = components["Hazard"]["properties"]["extensions"]
    assert extensions["type"] == "array" and extensions["readOnly"] is True
    assert extensions["items"]["$ref"].endswith("/DeadlineExtension")
