"""The key-supervision list: listed major hidden dangers, constant query counts,
set-based key inspections, and the paginated API and page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.models import Enterprise, RiskLevel, Sector
from hangzhou_safety.accounts.models import Authority, User
from inspections.key_supervision import services as key_supervision
from inspections.loop import supervision
from inspections.loop.models import Hazard, Inspection
from inspections.plans.models import EnforcementPlan, PlanCategory, PlannedInspection
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db

API = "/api/v1/key-supervision/"
YEAR = 2026
BINJIANG_STREET = "330108001"


def hazard(unit: Enterprise, creator: User, *, major: bool = True) -> Hazard:
    authority = Authority.objects.get(code="EM-330108" if unit.location_path.startswith(
        "330100/330108") else "EM-330106")
    inspection = Inspection.objects.create(
        authority=authority, enterprise=unit, source=Inspection.Source.AD_HOC,
        status=Inspection.Status.RECTIFYING, created_by=creator,
        verification_code=uuid.uuid4().hex[:12])
    return Hazard.objects.create(inspection=inspection, description="除尘系统未设泄爆装置",
                                 is_major=major, status=Hazard.Status.RECTIFYING)


def plan_for(year: int, creator: User, **extra: Any) -> EnforcementPlan:
    return EnforcementPlan.objects.create(authority=Authority.objects.get(code="EM-330106"),
                                          year=year, title=f"{year}年计划",
                                          created_by=creator, **extra)


def test_listed_major_hidden_dangers(reference_data: None, xihu_chief: User,
                                     binjiang_approver: User,
                                     django_assert_num_queries: Any) -> None:
    """Regression: the hook returned an empty set, so an enterprise whose only reason is
    a listed (挂牌督办) major hidden danger was missing from the list."""
    listed = enterprise("西湖挂牌督办企业", 901)
    delisted = enterprise("西湖已摘牌企业", 902)
    minor = enterprise("西湖一般隐患企业", 903)
    unlisted = enterprise("西湖未挂牌企业", 904)
    outsider = enterprise("滨江挂牌督办企业", 905, location=BINJIANG_STREET)
    notice = {"notice_number": "西应急督〔2026〕1号", "level": "district",
              "supervising_unit": "西湖区应急管理局"}
    supervision.list_for_supervision(hazard(listed, xihu_chief), actor=xihu_chief, **notice)
    gone = supervision.list_for_supervision(hazard(delisted, xihu_chief), actor=xihu_chief,
                                            **notice)
    Hazard.objects.filter(pk=gone.hazard_id).update(delisted_at=timezone.now())
    Hazard.objects.filter(pk=hazard(minor, xihu_chief, major=False).pk).update(
        listed_at=timezone.now())
    hazard(unlisted, xihu_chief)
    supervision.list_for_supervision(hazard(outsider, binjiang_approver),
                                     actor=binjiang_approver, **notice)

    xihu = Enterprise.objects.visible_to(xihu_chief)
    with django_assert_num_queries(1):
        found = key_supervision.listed_major_hidden_dangers(xihu, YEAR)
    assert found == {listed.pk}
    everyone = Enterprise.objects.all()
    assert key_supervision.listed_major_hidden_dangers(everyone, YEAR) == {listed.pk,
                                                                          outsider.pk}

    rows = {k.enterprise.pk: k for k in key_supervision.key_supervision_list(xihu_chief, YEAR)}
    assert set(rows) == {listed.pk}
    assert rows[listed.pk].reasons == ["listed_hidden_danger"]
    assert rows[listed.pk].reason_labels == ["有挂牌督办的重大事故隐患"]
    assert rows[listed.pk].category == PlanCategory.KEY_MAJOR_HAZARD
    result = key_supervision.create_key_inspections(plan_for(YEAR, xihu_chief), xihu_chief)
    assert result["created"] == 4
    assert set(PlannedInspection.objects.filter(source="key_list")
               .values_list("enterprise_id", "category")) == {
        (listed.pk, PlanCategory.KEY_MAJOR_HAZARD)}


def test_list_costs_a_fixed_number_of_queries(reference_data: None, xihu_chief: User,
                                              django_assert_num_queries: Any) -> None:
    for i in range(3):
        enterprise(f"西湖危化{i}", 910 + i, sector=Sector.HAZARDOUS_CHEMICALS)
    assert xihu_chief.authority.jurisdiction  # the user's scope, loaded once per request
    # 3 of the list itself + 1 for last year's accidents + 1 for credit's bad records
    # (the hooks registered by enforcement and credit).
    with django_assert_num_queries(5):
        assert len(key_supervision.key_supervision_list(xihu_chief, YEAR)) == 3
    for i in range(3, 30):
        enterprise(f"西湖危化{i}", 910 + i, sector=Sector.HAZARDOUS_CHEMICALS)
    with django_assert_num_queries(5):
        assert len(key_supervision.key_supervision_list(xihu_chief, YEAR)) == 30


def test_create_key_inspections_costs_the_same_for_3_and_30(reference_data: None,
                                                            xihu_chief: User) -> None:
    """Set-based: one aggregate of the existing counts and one INSERT. Before: 12 + 6n
    queries (30 for 3 enterprises, 192 for 30)."""
    units = [enterprise(f"重点危化{i}", 930 + i, sector=Sector.HAZARDOUS_CHEMICALS)
             for i in range(3)]
    busy = units[0]
    authority = Authority.objects.get(code="EM-330106")
    for month in (1, 3, 4):
        PlannedInspection.objects.create(authority=authority, enterprise=busy,
                                         category=PlanCategory.CAMPAIGN,
                                         source=PlannedInspection.Source.MANUAL,
                                         year=YEAR, month=month)
    small_plan = plan_for(YEAR, xihu_chief, per_enterprise_cap=5)
    assert xihu_chief.authority.jurisdiction  # the actor's scope, loaded once per request
    with CaptureQueriesContext(connection) as small:
        small_result = key_supervision.create_key_inspections(small_plan, xihu_chief)
    assert small_result["created"] == 4 + 4 + 2
    assert small_result["capped"] == [{"enterprise": busy.pk, "name": busy.name,
                                       "planned": 2, "required": 4, "cap": 5}]
    units += [enterprise(f"重点危化{i}", 930 + i, sector=Sector.HAZARDOUS_CHEMICALS)
              for i in range(3, 30)]
    large_plan = plan_for(YEAR + 1, xihu_chief)
    with CaptureQueriesContext(connection) as large:
        large_result = key_supervision.create_key_inspections(large_plan, xihu_chief)
    assert large_result == {"created": 120, "capped": []}
    assert len(small.captured_queries) == len(large.captured_queries)
    # 14 + the two hooks' queries (accidents, credit), as in the list above.
    assert len(large.captured_queries) <= 16, [q["sql"][:120] for q in large.captured_queries]
    assert sorted(PlannedInspection.objects.filter(plan=large_plan, enterprise=units[29])
                  .values_list("month", flat=True)) == [2, 5, 8, 11]
    # A second run fills nothing and still costs the same.
    with CaptureQueriesContext(connection) as again:
        assert key_supervision.create_key_inspections(large_plan, xihu_chief)["created"] == 0
    assert len(again.captured_queries) == len(large.captured_queries) - 1  # no INSERT


def test_api_is_an_envelope_paginated_by_enterprise_id(reference_data: None,
                                                       xihu_chief: User, api_as: Any) -> None:
    units = [enterprise(f"分页危化{i}", 950 + i, sector=Sector.HAZARDOUS_CHEMICALS)
             for i in range(5)]
    red = enterprise("分页红色", 960)
    Enterprise.objects.filter(pk=red.pk).update(risk_level=RiskLevel.RED)
    client = api_as(xihu_chief)
    url: str | None = f"{API}?year={YEAR}&page_size=2"
    seen: list[int] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"year", "next", "results"} and body["year"] == YEAR
        assert len(body["results"]) <= 2
        seen += [row["enterprise"]["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == sorted([u.pk for u in units] + [red.pk], reverse=True)
    bad = client.get(f"{API}?year={YEAR}&before=abc")
    assert bad.status_code == 400 and "翻页" in bad.json()["detail"]
    assert client.get(f"{API}?page_size=0").status_code == 400


def test_schema_documents_the_envelope() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][API]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert component["type"] == "object"
    assert set(component["properties"]) == {"year", "next", "results"}
    assert component["properties"]["results"]["type"] == "array"
    assert {p["name"] for p in operation["parameters"]} >= {"year", "before", "page_size"}


def test_page_is_paginated_by_enterprise_id(reference_data: None, xihu_chief: User,
                                            web_as: Any) -> None:
    size = key_supervision.PAGE_SIZE
    units = [enterprise(f"页面危化{i:02d}", 1000 + i, sector=Sector.HAZARDOUS_CHEMICALS)
             for i in range(size + 3)]
    client = web_as(xihu_chief)
    first = client.get(f"/key-supervision/?year={YEAR}").content.decode()
    newest, oldest = units[-1], units[0]
    assert newest.name in first and oldest.name not in first
    assert 'data-testid="next-page"' in first
    last_shown = units[3]
    assert f"year={YEAR}&amp;before={last_shown.pk}" in first
    second = client.get(f"/key-supervision/?year={YEAR}&before={last_shown.pk}")
    html = second.content.decode()
    assert second.status_code == 200
    assert all(u.name in html for u in units[:3]) and newest.name not in html
    assert 'data-testid="next-page"' not in html and "回到第一页" in html
