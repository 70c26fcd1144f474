"""The case pages: list, detail (clocks with days left, parties, evidence, timeline,
next steps), a step posted from the page, my deadlines; scoping and roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from enforcement.cases.models import Case
from hangzhou_safety.accounts.models import Role
from tests.conftest import make_user
from tests.platform.drivers._cases import make_case

S = Case.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]


def test_the_list_and_the_detail(web_as: Any, case_world: dict[str, Any]) -> None:
    case = make_case(S.NOTIFIED)
    client = web_as(case_world["inspector"])
    listing = client.get(reverse("enforcement:case_list"))
    assert listing.status_code == 200 and case.title in listing.content.decode()
    page = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    for text in ("作出行政处罚决定期限", "陈述申辩期", "听证申请期", "剩 ", case.parties.get().name,
                 "现场检查笔录", 'data-testid="step-statement"', 'data-testid="step-decide"'):
        assert text in page, text
    assert 'data-testid="step-approve_filing"' not in page


def test_a_step_from_the_page(web_as: Any, case_world: dict[str, Any]) -> None:
    case = make_case(S.FILED)
    client = web_as(case_world["inspector"])
    url = reverse("enforcement:case_step", args=[case.pk, "start_investigation"])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == S.INVESTIGATING
    again = client.post(url, follow=True).content.decode()
    assert "不能变更为" in again or "当前状态" in again


def test_a_refused_step_shows_its_reason_and_changes_nothing(
        web_as: Any, case_world: dict[str, Any]) -> None:
    case = make_case(S.PENDING)
    client = web_as(case_world["inspector"])
    response = client.post(reverse("enforcement:case_step", args=[case.pk, "approve_filing"]),
                           follow=True)
    assert "负责人" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == S.PENDING


def test_my_deadlines(web_as: Any, case_world: dict[str, Any], binjiang_inspector: Any) -> None:
    case = make_case(S.NOTIFIED)
    page = web_as(case_world["inspector"]).get(reverse("enforcement:deadlines")).content.decode()
    assert "陈述申辩期" in page and case.title in page
    other = web_as(binjiang_inspector).get(reverse("enforcement:deadlines")).content.decode()
    assert case.title not in other


def test_another_district_gets_404_and_an_auditor_403(web_as: Any,
                                                      binjiang_inspector: Any) -> None:
    case = make_case(S.FILED)
    client = web_as(binjiang_inspector)
    assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 404
    auditor = make_user("p_auditor", Role.AUDITOR, "EM-330106")
    client = web_as(auditor)
    assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 200
    url = reverse("enforcement:case_step", args=[case.pk, "start_investigation"])
    assert client.post(url).status_code == 403


def test_the_detail_page_costs_a_fixed_number_of_queries(
        web_as: Any, case_world: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    case = make_case(S.EXECUTING)
    client = web_as(case_world["inspector"])
    client.get(reverse("enforcement:case_detail", args=[case.pk]))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 200


def test_an_escalated_hidden_danger_is_offered_and_opened_from_the_list(
        web_as: Any, case_world: dict[str, Any]) -> None:
    from tests.enforcement.test_cases_sources_and_money import escalated_hazard

    hazard = escalated_hazard(case_world["inspector"])
    client = web_as(case_world["inspector"])
    page = client.get(reverse("enforcement:case_list")).content.decode()
    assert 'data-testid="escalated-hazards"' in page and hazard.description[:20] in page
    url = reverse("enforcement:open_from_hazard", args=[hazard.pk])
    refused = client.post(url, follow=True).content.decode()
    assert "第二名承办人" in refused and not Case.objects.exists()
    response = client.post(url, {"officer": case_world["inspector2"].pk})
    case = Case.objects.get(hazard=hazard)
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/")
    page = client.get(reverse("enforcement:case_list")).content.decode()
    assert 'data-testid="escalated-hazards"' not in page
