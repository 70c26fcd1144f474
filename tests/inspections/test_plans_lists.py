"""Plan lists are keyset paginated (the list page, the approver's queue page and
GET /api/v1/plans/queue/), and the OpenAPI schema of the plan endpoints tells the
truth (the queue is a paginated list; capacity, progress and diff have their own
shapes; there is no PUT of a plan)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.web.pagination import DEFAULT_PAGE_SIZE
from inspections.plans import services as plans
from inspections.plans.models import EnforcementPlan, PlanCategory
from inspections.plans.views import QUEUE_PAGE_SIZE

pytestmark = pytest.mark.django_db
API = "/api/v1/plans/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def xihu(reference_data: None) -> Authority:
    return Authority.objects.get(code="EM-330106")


def _drafts(authority: Authority, author: Any, years: range) -> list[EnforcementPlan]:
    """Draft rows as fixtures (no workflow involved: a draft is how a plan is born)."""
    return EnforcementPlan.objects.bulk_create(
        EnforcementPlan(authority=authority, year=y, title=f"{y}年度计划", created_by=author)
        for y in years)


def _submitted(authority: Authority, author: Any, years: range) -> list[int]:
    ids = []
    for year in years:
        plan = plans.create_plan(authority=authority, year=year, actor=author)
        plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": 1, "planned": 1}],
                         actor=author)
        ids.append(plans.submit_plan(plan, actor=author).pk)
    return ids


def _links(html: str) -> list[int]:
    section = html.split('data-testid="plan-list"')[1]
    return [int(pk) for pk in re.findall(r'href="/plans/(\d+)/"', section)]


def test_list_page_is_keyset_paginated_without_truncation(web_as, xihu, xihu_chief):
    """Regression: the page showed the first 200 plans and nothing after them."""
    rows = _drafts(xihu, xihu_chief, range(2030, 2030 + DEFAULT_PAGE_SIZE + 5))
    client = web_as(xihu_chief)
    html = client.get("/plans/").content.decode()
    newest = sorted((r.pk for r in rows), reverse=True)
    assert _links(html) == newest[:DEFAULT_PAGE_SIZE]
    match = re.search(r'data-testid="next-page" href="\?before=(\d+)"', html)
    assert match and int(match.group(1)) == newest[DEFAULT_PAGE_SIZE - 1]
    html = client.get(f"/plans/?before={match.group(1)}").content.decode()
    assert _links(html) == newest[DEFAULT_PAGE_SIZE:]
    assert 'data-testid="next-page"' not in html and "回到第一页" in html


def test_list_page_costs_a_fixed_number_of_queries(web_as, xihu, xihu_chief, xihu_approver):
    _drafts(xihu, xihu_chief, range(2030, 2033))
    client = web_as(xihu_approver)
    client.get("/")  # the session's first request stamps it (a write the later ones skip)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/plans/").status_code == 200
    _drafts(xihu, xihu_chief, range(2033, 2073))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/plans/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_queue_card_continues_on_the_queue_page(web_as, xihu, xihu_chief, xihu_approver):
    ids = _submitted(xihu, xihu_chief, range(2030, 2030 + QUEUE_PAGE_SIZE + 2))
    client = web_as(xihu_approver)
    html = client.get("/plans/").content.decode()
    card = html.split('data-testid="approver-queue"')[1].split("</section>")[0]
    newest = sorted(ids, reverse=True)
    shown = [int(pk) for pk in re.findall(r'href="/plans/(\d+)/"', card)]
    assert shown == newest[:QUEUE_PAGE_SIZE]
    assert f"{QUEUE_PAGE_SIZE}+" in card
    match = re.search(r'href="/plans/queue/\?before=(\d+)"', card)
    assert match
    html = client.get(f"/plans/queue/?before={match.group(1)}").content.decode()
    assert [int(pk) for pk in re.findall(r'href="/plans/(\d+)/"', html)] == \
        newest[QUEUE_PAGE_SIZE:]
    # Page two of the plan list does not repeat the queue.
    assert 'data-testid="approver-queue"' not in client.get(
        f"/plans/?before={newest[-1]}").content.decode()


def test_queue_page_is_for_approvers(web_as, xihu, xihu_chief, xihu_inspector):
    assert web_as(xihu_inspector).get("/plans/queue/").status_code == 403
    assert "暂无待审批的计划" not in web_as(xihu_chief).get("/plans/").content.decode()


def test_queue_api_is_cursor_paginated(api_as, xihu, xihu_chief, xihu_approver):
    """Regression: GET /plans/queue/ returned every submitted plan in one list."""
    ids = _submitted(xihu, xihu_chief, range(2030, 2033))
    client = api_as(xihu_approver)
    body = client.get(f"{API}queue/?page_size=2").json()
    assert set(body) == {"next", "previous", "results"}
    first = [p["id"] for p in body["results"]]
    assert len(first) == 2 and body["next"]
    rest = client.get(body["next"]).json()
    assert rest["next"] is None
    assert sorted(first + [p["id"] for p in rest["results"]]) == sorted(ids)
    assert body["results"][0]["planned_total"] == 1


def test_put_on_a_plan_is_not_routed(api_as, xihu, xihu_chief):
    plan = _drafts(xihu, xihu_chief, range(2030, 2031))[0]
    response = api_as(xihu_chief).put(f"{API}{plan.pk}/", {"vehicles": 5}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "PUT" not in response["Allow"]


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _response(schema: dict[str, Any], path: str, method: str = "get") -> str:
    content = schema["paths"][path][method]["responses"]["200"]["content"]
    return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]


def test_schema_of_the_plan_endpoints(schema: dict[str, Any]) -> None:
    assert _response(schema, "/api/v1/plans/queue/") == "PaginatedPlanListList"
    names = {p["name"] for p in schema["paths"]["/api/v1/plans/queue/"]["get"]["parameters"]}
    assert "cursor" in names
    for action, name in (("capacity", "Capacity"), ("progress", "Progress"),
                         ("diff", "Diff")):
        assert _response(schema, f"/api/v1/plans/{{id}}/{action}/") == name
    assert "put" not in schema["paths"]["/api/v1/plans/{id}/"]
    assert "patch" in schema["paths"]["/api/v1/plans/{id}/"]
    capacity = schema["components"]["schemas"]["Capacity"]["properties"]
    assert {"planned_inspections", "load_percent", "over_cap_enterprises"} <= set(capacity)
    vehicles = schema["components"]["schemas"]["PatchedPlanInputs"]["properties"]["vehicles"]
    assert (vehicles["minimum"], vehicles["maximum"]) == (0, 1000)
