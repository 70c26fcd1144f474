"""The measures API and the case page's 强制措施 section: scoping (404), roles (403),
illegal moves (409 with the bilingual body), bad input (400), and the steps."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from enforcement.cases.models import Case
from enforcement.measures.models import CompulsoryMeasure
from hangzhou_safety.accounts.models import Role
from tests.conftest import make_user
from tests.platform.drivers._cases import make_case
from tests.platform.drivers._measures import make_measure, safe_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]
MS = CompulsoryMeasure.Status


def _seal_body() -> dict[str, Any]:
    return {"kind": "seal", "reason": "设备不符合国家标准", "place": "二号车间",
            "items": [{"description": "反应釜", "quantity": "1台", "kept_at": "原地"}]}


def test_propose_approve_execute_and_lift_through_the_api(
        api_as: Any, case_world: dict[str, Any]) -> None:
    w = case_world
    case = make_case(Case.Status.INVESTIGATING)
    officer = api_as(w["inspector"])
    created = officer.post(f"/api/v1/cases/{case.pk}/measures/", _seal_body(), format="json")
    assert created.status_code == 201, created.json()
    measure = created.json()
    assert measure["status"] == "proposed" and measure["items"][0]["description"] == "反应釜"
    listed = officer.get(f"/api/v1/cases/{case.pk}/measures/").json()
    assert [m["id"] for m in listed] == [measure["id"]]
    url = f"/api/v1/measures/{measure['id']}/"
    assert officer.post(f"{url}approve/", {}, format="json").status_code == 403
    approved = api_as(w["approver"]).post(f"{url}approve/", {"opinion": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    CompulsoryMeasure.objects.filter(pk=measure["id"]).update(approved_at=safe_moment().replace(
        hour=9))
    body = {"officers": [w["inspector"].pk, w["inspector2"].pk],
            "executed_at": safe_moment().isoformat(), "onsite_record": "现场笔录",
            "party_signed": True}
    executed = officer.post(f"{url}execute/", body, format="json")
    assert executed.status_code == 200, executed.json()
    data = executed.json()
    assert data["status"] == "executed" and data["limit_due_at"]
    assert "应急查扣" in data["decision_document_number"]
    again = officer.post(f"{url}execute/", body, format="json")
    assert again.status_code == 409
    err = again.json()
    assert err["code"] == "illegal_transition" and err["detail"] and err["detail_en"]
    bad = api_as(w["approver"]).post(f"{url}extend/", {"days": 31, "reason": "x"},
                                     format="json")
    assert bad.status_code == 400
    extended = api_as(w["approver"]).post(f"{url}extend/", {"days": 30, "reason": "情况复杂"},
                                          format="json")
    assert extended.status_code == 200 and extended.json()["extension_days"] == 30
    lifted = api_as(w["approver"]).post(f"{url}lift/", {"reason": "cause_removed"},
                                        format="json")
    assert lifted.status_code == 200 and lifted.json()["status"] == "lifted"
    assert lifted.json()["items"][0]["disposal"] == "returned"
    assert "应急解除" in lifted.json()["lifting_document_number"]


def test_an_emergency_measure_through_the_api(api_as: Any, case_world: dict[str, Any]) -> None:
    w = case_world
    case = make_case(Case.Status.INVESTIGATING)
    body = {"kind": "withdraw", "reason": "有透水危险", "place": "井下", "executed_on_spot": True,
            "officers": [w["inspector"].pk, w["inspector2"].pk], "onsite_record": "当场撤人",
            "party_signed": True}
    created = api_as(w["inspector"]).post(f"/api/v1/cases/{case.pk}/measures/", body,
                                          format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "emergency" and created.json()["report_due_at"]
    url = f"/api/v1/measures/{created.json()['id']}/"
    reported = api_as(w["inspector"]).post(f"{url}report/", {"report": "已实施"}, format="json")
    assert reported.status_code == 200 and reported.json()["report_late"] is False
    refused = api_as(w["approver"]).post(f"{url}disapprove/", {"reason": "不应采取"},
                                         format="json")
    assert refused.status_code == 200 and refused.json()["status"] == "not_approved"


def test_another_district_sees_nothing_and_an_auditor_may_not_write(
        api_as: Any, binjiang_inspector: Any) -> None:
    measure = make_measure(MS.PROPOSED)
    client = api_as(binjiang_inspector)
    assert client.get(f"/api/v1/measures/{measure.pk}/").status_code == 404
    assert client.post(f"/api/v1/measures/{measure.pk}/approve/", {},
                       format="json").status_code == 404
    assert client.get(f"/api/v1/cases/{measure.case_id}/measures/").status_code == 404
    assert client.post(f"/api/v1/cases/{measure.case_id}/measures/", _seal_body(),
                       format="json").status_code == 404
    auditor = make_user("p_xihu_auditor_m", Role.AUDITOR, "EM-330106")
    reader = api_as(auditor)
    assert reader.get(f"/api/v1/measures/{measure.pk}/").status_code == 200
    assert reader.post(f"/api/v1/measures/{measure.pk}/approve/", {},
                       format="json").status_code == 403


def test_bad_input_is_a_400(api_as: Any, case_world: dict[str, Any]) -> None:
    case = make_case(Case.Status.INVESTIGATING)
    client = api_as(case_world["inspector"])
    url = f"/api/v1/cases/{case.pk}/measures/"
    assert client.post(url, {"kind": "nonsense", "reason": "x", "place": "y"},
                       format="json").status_code == 400
    no_items = {**_seal_body(), "items": []}
    response = client.post(url, no_items, format="json")
    assert response.status_code == 400 and "清单" in response.json()["detail"]
    assert not CompulsoryMeasure.objects.filter(case=case).exists()


def test_the_schema_has_the_measure_routes() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/cases/{case_id}/measures/" in paths
    assert "/api/v1/measures/{id}/" in paths
    for step in ("approve", "refuse", "execute", "report", "confirm", "disapprove", "extend",
                 "party-refused", "dispose", "lift"):
        post = paths[f"/api/v1/measures/{{id}}/{step}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(post["responses"]), step


def test_the_case_page_lists_measures_with_clock_document_and_next_step(
        web_as: Any, case_world: dict[str, Any]) -> None:
    w = case_world
    measure = make_measure(MS.PROPOSED, kind="seize")
    client = web_as(w["approver"])
    page = client.get(f"/cases/{measure.case_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "强制措施" in html and 'data-testid="measure-step-approve"' in html
    posted = client.post(f"/cases/{measure.case_id}/measures/{measure.pk}/approve/",
                         {"text": "同意"})
    assert posted.status_code == 302
    measure.refresh_from_db()
    assert measure.status == MS.APPROVED
    running = make_measure(MS.EMERGENCY, kind="seize", case=measure.case)
    html = client.get(f"/cases/{measure.case_id}/").content.decode()
    assert 'data-testid="measure-clock"' in html and "小时" in html
    assert 'data-testid="measure-step-report"' in html and running.pk
    officer = web_as(w["inspector"])
    response = officer.post(f"/cases/{measure.case_id}/measures/",
                            {"kind": "withdraw", "reason": "有坍塌危险", "place": "井下"})
    assert response.status_code == 302
    assert measure.case.measures.filter(kind="withdraw").exists()


def test_an_emergency_measure_and_item_disposal_from_the_page(
        web_as: Any, case_world: dict[str, Any]) -> None:
    w = case_world
    case = make_case(Case.Status.INVESTIGATING)
    officer = web_as(w["inspector"])
    html = officer.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="measure-emergency"' in html
    body = {"kind": "seize", "reason": "危险物品随时可能泄漏", "place": "仓库",
            "items": "液氨钢瓶，3个，本局暂扣库", "officer2": w["inspector2"].pk,
            "onsite_record": "现场扣押液氨钢瓶三个", "party_signed": "on"}
    assert officer.post(f"/cases/{case.pk}/measures/emergency/",
                        {**body, "kind": "stop_power"}).status_code == 302
    assert not case.measures.exists()  # a power cut is never executed first
    officer.post(f"/cases/{case.pk}/measures/emergency/", body)
    measure = case.measures.get()
    assert measure.status == MS.EMERGENCY and measure.emergency
    assert measure.report_clock is not None and measure.items.count() == 1
    seized = make_measure(MS.EXECUTED, kind="seize", case=case)
    item = seized.items.get()
    url = f"/cases/{case.pk}/measures/{seized.pk}/items/{item.pk}/dispose/"
    assert f'measure-dispose-{item.pk}' in officer.get(f"/cases/{case.pk}/").content.decode()
    officer.post(url, {"disposal": "nonsense"})
    item.refresh_from_db()
    assert item.disposal == ""
    officer.post(url, {"disposal": "confiscated", "note": "依法没收"})
    item.refresh_from_db()
    assert item.disposal == "confiscated"
    other = make_user("p_bj_measure", Role.INSPECTOR, "EM-330108", cert="P330108077")
    assert web_as(other).post(url, {"disposal": "returned"}).status_code == 404
