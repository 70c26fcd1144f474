"""Bad input to plans, quotas and campaigns is a 400 (or a form error) with a Chinese
field message and writes nothing; huge integers never reach the database (they were
a 500: integer out of range). The bounds live in plans/models.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.plans import services as plans
from inspections.plans.models import (
    PLAN_INPUT_BOUNDS,
    EnforcementPlan,
    PlanCategory,
    PlanQuota,
    SpecialCampaign,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/plans/"
HUGE = 10**20
CAMPAIGN = {"name": "粉尘涉爆专项", "reason": "夏季高温", "months": [6, 7], "planned": 4}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(reference_data, xihu_chief) -> EnforcementPlan:
    plan = plans.create_plan(authority=Authority.objects.get(code="EM-330106"), year=2027,
                             actor=xihu_chief)
    plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": 1, "planned": 3}],
                     actor=xihu_chief)
    return EnforcementPlan.objects.get(pk=plan.pk)


def _row(plan: EnforcementPlan) -> dict[str, Any]:
    return EnforcementPlan.objects.filter(pk=plan.pk).values().get()


def _out_of_range(name: str) -> list[Any]:
    bound = PLAN_INPUT_BOUNDS[name]
    step = Decimal("0.01") if bound.places else 1
    return [bound.low - step, bound.high + step, HUGE]


NUMERIC = sorted(PLAN_INPUT_BOUNDS)


# --- API ---

@pytest.mark.parametrize("name", NUMERIC)
def test_api_patch_out_of_range_numbers_are_400(name, api_as, draft, xihu_chief):
    client = api_as(xihu_chief)
    before, events = _row(draft), AuditEvent.objects.count()
    for value in _out_of_range(name):
        body = {name: str(value) if isinstance(value, Decimal) else value}
        response = client.patch(f"{API}{draft.pk}/", body, format="json")
        assert response.status_code == 400, (name, value, response.content[:200])
        errors = response.json()["errors"]
        assert list(errors) == [name] and errors[name][0], (name, value)
    assert _row(draft) == before and AuditEvent.objects.count() == events


def test_api_create_with_huge_numbers_is_400(api_as, reference_data, xihu_chief):
    response = api_as(xihu_chief).post(API, {"year": 2030, "vehicles": HUGE,
                                             "staff_count": HUGE}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"vehicles", "staff_count"}
    assert response.json()["errors"]["vehicles"] == ["执法车辆应在 0–1000 之间。"]
    response = api_as(xihu_chief).post(API, {"year": HUGE}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["year"] == ["年度无效。"]
    assert not EnforcementPlan.objects.exists()


@pytest.mark.parametrize("rows, fragment", [
    ([{"category": "random", "month": 1, "planned": HUGE}], "第1行 planned：计划次数应在"),
    ([{"category": "random", "month": "一月", "planned": 1}], "第1行 month：月份应为整数"),
    ([{"category": "random", "month": 1, "planned": 1}, 7], "第2行：无效数据"),
])
def test_api_bad_quota_rows_are_400_with_flat_messages(rows, fragment, api_as, draft,
                                                       xihu_chief):
    events = AuditEvent.objects.count()
    response = api_as(xihu_chief).put(f"{API}{draft.pk}/quotas/", rows, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and fragment in body["detail"]
    assert all(isinstance(m, str) for m in body["errors"]["quotas"])
    assert list(PlanQuota.objects.filter(plan=draft).values_list("planned", flat=True)) == [3]
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("change, field, message", [
    ({"months": ["六月"]}, "months", "第1项：实施月份应为 1–12 的整数。"),
    ({"months": [6, 13]}, "months", "第2项：实施月份应为 1–12 的整数。"),
    ({"months": "6"}, "months", "实施月份应为月份列表，如 [6, 7]。"),
    ({"months": []}, "months", "请选择实施月份。"),
    ({"planned": HUGE}, "planned", "计划检查次数应在 1–10000 之间。"),
    ({"planned": 0}, "planned", "计划检查次数应在 1–10000 之间。"),
    ({"name": "专" * 201}, "name", "专项行动名称不能超过 200 个字。"),
])
def test_api_bad_campaigns_are_400(change, field, message, api_as, draft, xihu_chief):
    response = api_as(xihu_chief).post(f"{API}{draft.pk}/campaigns/", {**CAMPAIGN, **change},
                                       format="json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["errors"][field] == [message]
    assert not SpecialCampaign.objects.exists()


# --- Services, called directly ---

@pytest.mark.parametrize("months", [["6"], [6, "7"], "67", [True], [0], None, [6.0]])
def test_service_propose_campaign_rejects_bad_months(months, draft, xihu_chief):
    """Regression: a month given as a string raised TypeError (a 500)."""
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        plans.propose_campaign(draft, actor=xihu_chief, **{**CAMPAIGN, "months": months})
    assert exc.value.status_code == 400 and "months" in exc.value.fields
    assert not SpecialCampaign.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize("change, field", [
    ({"planned": HUGE}, "planned"), ({"planned": "4"}, "planned"),
    ({"name": "专" * 201}, "name"), ({"reason": "  "}, "reason"), ({"name": None}, "name"),
])
def test_service_propose_campaign_rejects_bad_values(change, field, draft, xihu_chief):
    with pytest.raises(InvalidInput) as exc:
        plans.propose_campaign(draft, actor=xihu_chief, **{**CAMPAIGN, **change})
    assert field in exc.value.fields
    assert not SpecialCampaign.objects.exists()


@pytest.mark.parametrize("name", NUMERIC)
def test_service_update_plan_checks_bounds_and_types(name, draft, xihu_chief):
    before = _row(draft)
    for value in [*_out_of_range(name), "3", True, None]:
        with pytest.raises(InvalidInput) as exc:
            plans.update_plan(draft, actor=xihu_chief, **{name: value})
        assert list(exc.value.fields) == [name], (name, value)
    assert _row(draft) == before


def test_service_update_plan_rejects_extra_decimal_places(draft, xihu_chief):
    with pytest.raises(InvalidInput) as exc:
        plans.update_plan(draft, actor=xihu_chief, hours_per_inspection=Decimal("4.25"))
    assert exc.value.fields == {"hours_per_inspection": ["每次检查工时（小时）最多保留 1 位小数。"]}


@pytest.mark.parametrize("rows", [
    [{"category": "random", "month": 1, "planned": HUGE}],
    [{"category": "random", "month": "1", "planned": 1}],
    [{"category": ["random"], "month": 1, "planned": 1}],
    ["random"], "random",
])
def test_service_set_quotas_rejects_bad_rows(rows, draft, xihu_chief):
    with pytest.raises(InvalidInput) as exc:
        plans.set_quotas(draft, rows, actor=xihu_chief)
    assert exc.value.fields["quotas"]
    assert list(PlanQuota.objects.filter(plan=draft).values_list("planned", flat=True)) == [3]


@pytest.mark.parametrize("year", ["2027", 1999, 2101, HUGE, None])
def test_service_create_plan_rejects_bad_years(year, reference_data, xihu_chief):
    with pytest.raises(InvalidInput) as exc:
        plans.create_plan(authority=Authority.objects.get(code="EM-330106"), year=year,
                          actor=xihu_chief)
    assert exc.value.fields == {"year": ["年度无效。"]}
    assert not EnforcementPlan.objects.exists()


# --- Pages ---

FORM = {"title": "", "staff_count": 2, "certified_staff_count": 2, "vehicles": 3,
        "funding": "12.5", "officers_per_inspection": 2, "hours_per_inspection": "4",
        "hours_per_officer": 600, "per_enterprise_cap": 4}


@pytest.mark.parametrize("name", NUMERIC)
def test_edit_page_out_of_range_numbers_are_form_errors(name, web_as, draft, xihu_chief):
    client = web_as(xihu_chief)
    before = _row(draft)
    for value in _out_of_range(name):
        response = client.post(f"/plans/{draft.pk}/edit/", {**FORM, name: str(value)})
        assert response.status_code == 200, (name, value)
        assert f'data-testid="error-{name}"' in response.content.decode(), (name, value)
    assert _row(draft) == before


def test_new_plan_page_with_huge_numbers_is_a_form_error(web_as, reference_data, xihu_chief):
    response = web_as(xihu_chief).post("/plans/new/", {**FORM, "year": str(HUGE),
                                                       "vehicles": str(HUGE)})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-year"' in html and "执法车辆应在 0–1000 之间。" in html
    assert not EnforcementPlan.objects.exists()


@pytest.mark.parametrize("cell", [str(HUGE), "10001", "²", "-1", "1.5"])
def test_quota_grid_rejects_bad_cells(cell, web_as, draft, xihu_chief):
    response = web_as(xihu_chief).post(f"/plans/{draft.pk}/quotas/",
                                       {"q_random_2": cell}, follow=True)
    assert response.status_code == 200
    assert "双随机抽查 2月：请输入 0–10000 的整数。" in response.content.decode()
    assert list(PlanQuota.objects.filter(plan=draft).values_list("planned", flat=True)) == [3]


@pytest.mark.parametrize("change, message", [
    ({"planned": str(HUGE)}, "计划检查次数应在 1–10000 之间。"),
    ({"planned": "²"}, "计划检查次数应为整数。"),
    ({"months": ["13"]}, "实施月份应为 1–12 的整数。"),
])
def test_campaign_page_rejects_bad_numbers(change, message, web_as, draft, xihu_chief):
    data = {"name": "有限空间专项", "reason": "汛期", "months": ["6"], "planned": "5", **change}
    response = web_as(xihu_chief).post(f"/plans/{draft.pk}/campaigns/", data, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert not SpecialCampaign.objects.exists()
