"""Server-rendered pages: home, calendar, audit log, API docs."""

from __future__ import annotations

import pytest

from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_home_shows_authority_and_jurisdiction(web_as, xihu_inspector):
    page = web_as(xihu_inspector).get("/").content.decode()
    assert "杭州市西湖区应急管理局" in page
    assert "330106" in page
    assert "执法人员" in page


def test_admin_home_warns_when_next_year_is_missing(web_as, municipal_admin, settings):
    CalendarYear.objects.filter(year__gte=2027).delete()
    from hangzhou_safety.workdays.services import next_year_missing

    page = web_as(municipal_admin).get("/").content.decode()
    assert ('data-testid="calendar-warning"' in page) == next_year_missing()


def test_calendar_page_computes_deadlines(web_as, xihu_inspector, calendar_data):
    page = web_as(xihu_inspector).get(
        "/calendar/", {"start": "2026-09-24", "days": "7", "kind": "working"}).content.decode()
    assert "2026-10-12" in page
    page = web_as(xihu_inspector).get(
        "/calendar/", {"start": "2026-12-10", "days": "20", "kind": "working"}).content.decode()
    assert "暂定" in page


def test_calendar_page_explains_bad_input_in_chinese(web_as, xihu_inspector):
    page = web_as(xihu_inspector).get(
        "/calendar/", {"start": "2026-13-40", "days": "-1", "kind": "working"}).content.decode()
    assert "请输入有效日期。" in page
    assert "天数不能为负数。" in page


def test_audit_page_is_role_and_jurisdiction_scoped(web_as, client, xihu_inspector,
                                                    binjiang_inspector, municipal_admin):
    from hangzhou_safety.accounts.models import Role

    record_event("test.xihu", actor=xihu_inspector, obj=xihu_inspector.authority)
    record_event("test.binjiang", actor=binjiang_inspector, obj=binjiang_inspector.authority)
    assert web_as(xihu_inspector).get("/audit/").status_code == 403
    client.logout()
    xihu_inspector.role = Role.DISTRICT_APPROVER
    xihu_inspector.save(update_fields=["role"])
    page = web_as(xihu_inspector).get("/audit/").content.decode()
    assert "test.xihu" in page and "test.binjiang" not in page
    client.logout()
    page = web_as(municipal_admin).get("/audit/").content.decode()
    assert "test.xihu" in page and "test.binjiang" in page


def test_api_docs_and_schema_are_served_offline(client):
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/api/v1/workdays/deadline/" in body and "/api/v1/auth/token/" in body


def test_csp_header_is_strict(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp


def test_audit_api_list_has_fixed_query_count(api_as, municipal_admin,
                                              django_assert_max_num_queries):
    for n in range(30):
        record_event("test.bulk", actor=municipal_admin, new={"n": n})
    client = api_as(municipal_admin)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/audit/events/", {"page_size": 25})
    assert response.status_code == 200 and len(response.json()["results"]) == 25


def test_openapi_schema_is_valid_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
