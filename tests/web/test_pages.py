"""Server-rendered pages: home, calendar, audit log, API docs."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_home_shows_authority_and_jurisdiction(web_as, xihu_inspector):
    page = web_as(xihu_inspector).get("/").content.decode()
    assert "杭州市西湖区应急管理局" in page
    assert "330106" in page
    assert "执法人员" in page


def test_admin_home_warns_when_next_year_is_missing(web_as, municipal_admin, calendar_data,
                                                   monkeypatch):
    CalendarYear.objects.filter(year__gte=2027).delete()
    today = [datetime.date(2026, 11, 2)]
    real_localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: (
        today[0] if value is None else real_localdate(value, tz)))
    client = web_as(municipal_admin)

    page = client.get("/").content.decode()
    assert 'data-testid="calendar-warning"' in page
    assert "2027 年的节假日安排尚未录入" in page
    today[0] = datetime.date(2026, 10, 31)   # before November: no warning yet
    assert 'data-testid="calendar-warning"' not in client.get("/").content.decode()
    today[0] = datetime.date(2026, 11, 2)
    CalendarYear.objects.create(year=2027, published=True)   # entered and published
    assert 'data-testid="calendar-warning"' not in client.get("/").content.decode()


def _deadline_result(page: str) -> str:
    """The text of the page's deadline-result paragraph ("" when there is none)."""
    match = re.search(r'data-testid="deadline-result">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


def test_calendar_page_computes_deadlines(web_as, xihu_inspector, calendar_data):
    page = web_as(xihu_inspector).get(
        "/calendar/", {"start": "2026-09-24", "days": "7", "kind": "working"}).content.decode()
    result = _deadline_result(page)
    assert "<strong>2026-10-12</strong>" in result   # 中秋 and 国庆 skipped
    assert "暂定" not in result
    # 2027 is not published: weekends and the statutory holidays (1 January is off by
    # 全国年节及纪念日放假办法), 调休 unknown, marked provisional.
    page = web_as(xihu_inspector).get(
        "/calendar/", {"start": "2026-12-10", "days": "20", "kind": "working"}).content.decode()
    result = _deadline_result(page)
    assert "<strong>2027-01-08</strong>" in result
    assert "暂定" in result
    page = web_as(xihu_inspector).get(
        "/calendar/", {"start": "2026-09-24", "days": "7", "kind": "calendar"}).content.decode()
    assert "<strong>2026-10-08</strong>" in _deadline_result(page)


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
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    # Every script, stylesheet and icon comes from this server: a static file that is
    # there to serve, or the view's own script.
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        if asset.startswith(django_settings.STATIC_URL):
            assert finders.find(asset.removeprefix(django_settings.STATIC_URL)), asset
        else:
            assert client.get(asset).status_code == 200, asset
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


def test_openapi_schema_is_valid_without_warnings(tmp_path, capsys):
    import yaml
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    # --fail-on-warn: the command exits non-zero on any warning or validation error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/workdays/deadline/", "/api/v1/audit/events/"} <= set(schema["paths"])
    captured = capsys.readouterr()
    assert "warning" not in (captured.out + captured.err).lower()


def test_healthz_answers_without_a_query_or_a_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
    assert client.post("/healthz").status_code == 405
