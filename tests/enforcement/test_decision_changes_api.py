"""The decision-change step through the API (/api/v1/decisions/<id>/change/,
approve-change, reject-change) and the case page's decision form: 200 with the change,
403 for a role not allowed, 409 for an illegal move, with the bilingual body."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from credit.violations.models import ViolationRecord
from enforcement.cases import services as cases
from enforcement.cases.changes import DecisionChange
from enforcement.cases.models import Case, PenaltyDecision
from tests.platform.drivers._cases import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]
S, DS = Case.Status, PenaltyDecision.Status


def _served(world: dict[str, Any]) -> PenaltyDecision:
    decision = make_case(S.DECIDED).decisions.get()
    return cases.record_service(decision, actor=world["inspector"], method="in_person")


def _body(**kwargs: Any) -> dict[str, Any]:
    body = {"source": "reconsideration", "outcome": "changed", "reason": "罚款明显不当",
            "body": "杭州市应急管理局", "ruling_number": "杭应急复决〔2026〕3号",
            "ruled_on": timezone.localdate().isoformat(), "fine_amount": "2500.00"}
    body.update(kwargs)
    return body


def test_record_and_approve_through_the_api(api_as: Any, case_world: dict[str, Any]) -> None:
    decision = _served(case_world)
    url = f"/api/v1/decisions/{decision.pk}/"
    # A case officer may not record it: 403 with the bilingual body.
    refused = api_as(case_world["inspector"]).post(f"{url}change/", _body(), format="json")
    assert refused.status_code == 403
    assert "法制审核人员" in refused.json()["detail"] and refused.json()["detail_en"]
    response = api_as(case_world["chief"]).post(f"{url}change/", _body(), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "proposed"
    assert response.json()["new_content"]["fine_amount"] == "2500.00"
    # A second change while the first is open: 409.
    again = api_as(case_world["chief"]).post(f"{url}change/", _body(), format="json")
    assert again.status_code == 409 and "待批准" in again.json()["detail"]
    # The chief who recorded it cannot approve; the head can.
    assert api_as(case_world["chief"]).post(f"{url}approve-change/", {},
                                            format="json").status_code == 403
    approved = api_as(case_world["approver"]).post(f"{url}approve-change/",
                                                   {"opinion": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "applied"
    assert ViolationRecord.objects.get(decision=decision).fine_amount == Decimal("2500.00")


def test_illegal_moves_through_the_api(api_as: Any, case_world: dict[str, Any]) -> None:
    issued = make_case(S.DECIDED).decisions.get()
    client = api_as(case_world["chief"])
    early = client.post(f"/api/v1/decisions/{issued.pk}/change/", _body(), format="json")
    assert early.status_code == 409 and "尚未送达生效" in early.json()["detail"]
    assert early.json()["code"] == "illegal_transition"
    revoked = make_case(S.REVOKED, decision_status=DS.REVOKED).decisions.get()
    late = client.post(f"/api/v1/decisions/{revoked.pk}/change/", _body(), format="json")
    assert late.status_code == 409 and "已撤销" in late.json()["detail"]
    bad = client.post(f"/api/v1/decisions/{issued.pk}/change/", _body(outcome="x"),
                      format="json")
    assert bad.status_code == 400
    none = api_as(case_world["approver"]).post(
        f"/api/v1/decisions/{issued.pk}/reject-change/", {"reason": "无"}, format="json")
    assert none.status_code == 409 and "没有待批准的变更" in none.json()["detail"]
    assert not DecisionChange.objects.exists()


def test_the_case_page_records_and_approves_a_change(web_as: Any,
                                                     case_world: dict[str, Any]) -> None:
    decision = _served(case_world)
    case_url = reverse("enforcement:case_detail", args=[decision.case_id])
    page = web_as(case_world["chief"]).get(case_url).content.decode()
    assert 'data-testid="decision-change"' in page and "行政复议" in page
    assert 'data-testid="decision-approve_change"' not in page
    step = reverse("enforcement:decision_step", args=[decision.case_id, decision.pk, "change"])
    # Refused from the page: the Chinese message, nothing written.
    refused = web_as(case_world["inspector"]).post(step, _body(), follow=True)
    assert "法制审核人员" in refused.content.decode()
    # A well-formed but impossible date is a message, not a server error.
    impossible = web_as(case_world["chief"]).post(step, {**_body(), "ruled_on": "2026-13-01"},
                                                  follow=True)
    assert impossible.status_code == 200 and "日期格式无效" in impossible.content.decode()
    assert not DecisionChange.objects.exists()
    done = web_as(case_world["chief"]).post(step, _body(), follow=True).content.decode()
    assert 'data-testid="decision-open-change"' in done and "2500.00" in done
    approve = reverse("enforcement:decision_step",
                      args=[decision.case_id, decision.pk, "approve_change"])
    page = web_as(case_world["approver"]).post(approve, {"opinion": "同意"},
                                               follow=True).content.decode()
    assert "已保存" in page and 'data-testid="decision-open-change"' not in page
    decision.refresh_from_db()
    assert decision.fine_amount == Decimal("2500.00")
