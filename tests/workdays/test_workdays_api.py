"""GET /api/v1/workdays/deadline/ (public) and /days/ (staff)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_data")]
DEADLINE = "/api/v1/workdays/deadline/"
DAYS = "/api/v1/workdays/days/"


@pytest.mark.parametrize(("start", "days", "due"), [
    ("2026-02-10", 7, "2026-02-26"),
    ("2026-02-10", 20, "2026-03-16"),
    ("2026-09-24", 7, "2026-10-12"),
    ("2026-09-24", 20, "2026-10-29"),
])
def test_worked_examples_anonymously(anonymous: Any, start: str, days: int,
                                     due: str) -> None:
    response = anonymous.get(DEADLINE, {"start": start, "days": days})
    assert response.status_code == 200, response.content
    assert response.json() == {"start": start, "days": days, "kind": "working", "due": due,
                               "provisional": False}


def test_provisional_into_2027(anonymous: Any) -> None:
    body = anonymous.get(DEADLINE, {"start": "2026-12-20", "days": 20}).json()
    # 2027 unscheduled: weekends and its statutory holidays (1 January) are days off.
    assert body["provisional"] is True and body["due"] == "2027-01-18"


def test_calendar_kind(anonymous: Any) -> None:
    body = anonymous.get(DEADLINE, {"start": "2026-09-24", "days": 7,
                                    "kind": "calendar"}).json()
    assert (body["due"], body["kind"]) == ("2026-10-08", "calendar")


@pytest.mark.parametrize(("params", "field", "zh"), [
    ({"days": 7}, "start", "开始日期格式应为 YYYY-MM-DD。"),
    ({"start": "2026/02/10", "days": 7}, "start", "开始日期格式应为 YYYY-MM-DD。"),
    ({"start": "2026-02-30", "days": 7}, "start", "开始日期格式应为 YYYY-MM-DD。"),
    ({"start": "1900-01-01", "days": 7}, "start", "开始日期须在1950年至2200年之间。"),
    ({"start": "2026-02-10"}, "days", "期限天数应为 0 到 3650 之间的整数。"),
    ({"start": "2026-02-10", "days": "-1"}, "days", "期限天数应为 0 到 3650 之间的整数。"),
    ({"start": "2026-02-10", "days": "3651"}, "days", "期限天数应为 0 到 3650 之间的整数。"),
    ({"start": "2026-02-10", "days": "七"}, "days", "期限天数应为 0 到 3650 之间的整数。"),
    ({"start": "2026-02-10", "days": 7, "kind": "lunar"}, "kind",
     "期限类型应为 working（工作日）或 calendar（自然日）。"),
])
def test_bad_input_is_400_in_chinese_and_english(anonymous: Any, params: dict,
                                                 field: str, zh: str) -> None:
    response = anonymous.get(DEADLINE, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == zh
    assert body["detail_en"] and body["detail_en"].isascii()
    assert body["errors"] == {field: [zh]}


def test_longest_period_is_answered(anonymous: Any) -> None:
    response = anonymous.get(DEADLINE, {"start": "2026-01-01", "days": 3650})
    assert response.status_code == 200 and response.json()["provisional"] is True


def test_days_list_needs_staff(anonymous: Any) -> None:
    assert anonymous.get(DAYS, {"year": 2026}).status_code in (401, 403)


def test_days_list_for_staff(api_as: Any, xihu_inspector: Any) -> None:
    response = api_as(xihu_inspector).get(DAYS, {"year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026 and body["published"] is True
    workdays = [d["date"] for d in body["days"] if d["kind"] == "workday"]
    assert workdays == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09",
                        "2026-09-20", "2026-10-10"]
    assert api_as(xihu_inspector).get(DAYS, {"year": 2027}).json() == {
        "year": 2027, "published": False, "days": []}
    bad = api_as(xihu_inspector).get(DAYS, {"year": "next"})
    assert bad.status_code == 400 and bad.json()["errors"]["year"]


def test_schema_documents_the_parameters() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/workdays/deadline/"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["start"]["required"] and params["start"]["schema"]["format"] == "date"
    assert params["days"]["required"]
    assert set(params["kind"]["schema"]["enum"]) == {"working", "calendar"}
    assert "/api/v1/workdays/days/" in schema["paths"]
