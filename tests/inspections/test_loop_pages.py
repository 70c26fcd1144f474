"""The inspection list pages with the shared keyset helper (web/pagination.py) and its
partial: the filter is kept on the next link, a stale cursor shows the first page, a
page costs the same queries whatever the number of rows; cancel and withdraw buttons."""
# ruff: noqa: F811  (fixtures imported from the loop tests are redefined as arguments)

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hangzhou_safety.web.pagination import KeysetPage
from inspections.loop import services as loop
from inspections.loop.views import PAGE_SIZE
from inspections.models import Hazard, Inspection
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:inspection_list")


def make(count, factory, team):
    return [loop.create_inspection(actor=team[0], enterprise=factory, inspectors=team,
                                   source=Inspection.Source.AD_HOC).pk
            for _ in range(count)]


def test_list_pages_through_the_shared_helper(web_as, factory, xihu_inspector,
                                              xihu_inspector2):
    ids = sorted(make(PAGE_SIZE + 3, factory, [xihu_inspector, xihu_inspector2]),
                 reverse=True)
    client = web_as(xihu_inspector)
    first = client.get(LIST, {"status": "planned"})
    assert isinstance(first.context["page"], KeysetPage)
    assert [r.pk for r in first.context["inspections"]] == ids[:PAGE_SIZE]
    html = first.content.decode()
    assert f'href="?status=planned&amp;before={ids[PAGE_SIZE - 1]}"' in html
    assert 'data-testid="next-page"' in html and "回到第一页" not in html
    second = client.get(LIST, {"status": "planned", "before": ids[PAGE_SIZE - 1]})
    assert [r.pk for r in second.context["inspections"]] == ids[PAGE_SIZE:]
    html = second.content.decode()
    assert 'data-testid="next-page"' not in html
    assert 'href="?status=planned">' in html and "回到第一页" in html
    stale = client.get(LIST, {"before": "abc"})
    assert [r.pk for r in stale.context["inspections"]] == ids[:PAGE_SIZE]


def test_list_costs_a_fixed_number_of_queries(web_as, factory, xihu_inspector,
                                              xihu_inspector2):
    team = [xihu_inspector, xihu_inspector2]
    make(2, factory, team)
    client = web_as(xihu_inspector)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    make(PAGE_SIZE + 5, factory, team)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["inspections"]) == PAGE_SIZE
    assert len(many.captured_queries) == len(few.captured_queries)


def test_cancel_from_the_page(web_as, inspection, xihu_inspector):
    client = web_as(xihu_inspector)
    detail = client.get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    assert 'data-testid="cancel-inspection"' in detail.content.decode()
    url = reverse("inspections:inspection_cancel", args=[inspection.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "请填写取消检查的原因。" in refused.content.decode()
    assert client.post(url, {"reason": "企业已搬迁"}).status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.CANCELLED


def test_withdraw_a_report_from_the_page(web_as, inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    hazard = loop.add_hazard(inspection, actor=xihu_inspector, description="消防通道堵塞")
    loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=10,
                     responsible_person="王经理", measures="清理通道")
    loop.report_rectified(hazard, actor=xihu_inspector)
    client = web_as(xihu_inspector)
    detail = client.get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    assert 'data-testid="withdraw-report"' in detail.content.decode()
    url = reverse("inspections:inspection_hazard_withdraw", args=[inspection.pk, hazard.pk])
    assert client.post(url, {"reason": "仍在施工"}).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.RECTIFYING
