"""Annual enforcement plan over HTTP: the /api/v1/plans/ endpoints and the /plans/ pages."""

from __future__ import annotations

from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority
from inspections.models import EnforcementPlan, PlanCategory, PlannedInspection, PlanQuota
from inspections.plans import services as plans

pytestmark = pytest.mark.django_db
S = EnforcementPlan.Status
API = "/api/v1/plans/"


@pytest.fixture
def xihu_bureau(reference_data: None) -> Authority:
    return Authority.objects.get(code="EM-330106")


def _make_plan(authority: Authority, author: Any, year: int = 2027) -> EnforcementPlan:
    plan = plans.create_plan(authority=authority, year=year, actor=author)
    plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": m, "planned": 10}
                            for m in range(1, 13)], actor=author)
    return plan


@pytest.fixture
def draft(xihu_bureau, xihu_chief, xihu_inspector) -> EnforcementPlan:
    return _make_plan(xihu_bureau, xihu_chief)


def _fresh(plan: EnforcementPlan) -> EnforcementPlan:
    return EnforcementPlan.objects.get(pk=plan.pk)


def _walk(plan: EnforcementPlan, chief: Any, approver: Any, to: str) -> EnforcementPlan:
    """Bring a draft to `to` through the services."""
    path = {S.DRAFT: [], S.SUBMITTED: ["submit"], S.RETURNED: ["submit", "return"],
            S.APPROVED: ["submit", "approve"],
            S.PUBLISHED: ["submit", "approve", "publish"]}[to]
    for step in path:
        plan = _fresh(plan)
        if step == "submit":
            plans.submit_plan(plan, actor=chief)
        elif step == "return":
            plans.return_plan(plan, actor=approver, comment="请补充")
        elif step == "approve":
            plans.approve_plan(plan, actor=approver)
        else:
            plans.publish_plan(plan, actor=approver)
    return _fresh(plan)


# --- List, detail, create, update ---

def test_create_defaults_to_own_authority_and_prefills(api_as, xihu_chief, xihu_inspector):
    response = api_as(xihu_chief).post(API, {"year": 2027, "vehicles": 2}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["authority"] == "EM-330106" and body["status"] == "draft"
    assert (body["staff_count"], body["certified_staff_count"]) == (2, 2)
    assert body["vehicles"] == 2 and "total" in body["registry_snapshot"]


def test_create_errors(api_as, draft, xihu_chief, xihu_inspector):
    response = api_as(xihu_chief).post(API, {"year": 1800}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["year"] == ["年度无效。"]
    response = api_as(xihu_chief).post(API, {"year": 2027}, format="json")
    assert response.status_code == 409 and "已存在" in response.json()["detail"]
    response = api_as(xihu_chief).post(API, {"year": 2028, "officers_per_inspection": 1},
                                       format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["officers_per_inspection"] == [
        "每次检查执法人员不得少于 2 人。"]
    response = api_as(xihu_chief).post(API, {"year": 2028, "authority": "EM-330108"},
                                       format="json")
    assert response.status_code == 400 and "管辖范围" in response.json()["detail"]
    response = api_as(xihu_inspector).post(API, {"year": 2028}, format="json")
    assert response.status_code == 403 and response.json()["detail_en"]
    assert EnforcementPlan.objects.count() == 1


def test_detail_and_out_of_jurisdiction(api_as, draft, xihu_inspector, binjiang_inspector):
    body = api_as(xihu_inspector).get(f"{API}{draft.pk}/").json()
    assert body["title"] == draft.title and len(body["quotas"]) == 12
    response = api_as(binjiang_inspector).get(f"{API}{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "对象不存在或不在您的辖区内。"
    assert api_as(binjiang_inspector).get(API).json()["results"] == []


def test_patch_only_while_editable(api_as, draft, xihu_chief, xihu_approver, xihu_inspector):
    client = api_as(xihu_chief)
    response = client.patch(f"{API}{draft.pk}/", {"vehicles": 5}, format="json")
    assert response.status_code == 200 and response.json()["vehicles"] == 5
    response = client.patch(f"{API}{draft.pk}/", {"vehicles": -1}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["vehicles"]
    assert client.put(f"{API}{draft.pk}/", {"vehicles": 5}, format="json").status_code == 405
    response = api_as(xihu_inspector).patch(f"{API}{draft.pk}/", {"vehicles": 9},
                                            format="json")
    assert response.status_code == 403
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    response = client.patch(f"{API}{draft.pk}/", {"vehicles": 7}, format="json")
    assert response.status_code == 409 and "不能修改" in response.json()["detail"]
    assert _fresh(draft).vehicles == 5


def test_list_query_count_is_fixed(api_as, xihu_bureau, xihu_chief,
                                   django_assert_max_num_queries):
    client = api_as(xihu_chief)
    for year in range(2031, 2034):
        _make_plan(xihu_bureau, xihu_chief, year)
    with django_assert_max_num_queries(4) as few:
        assert len(client.get(API).json()["results"]) == 3
    for year in range(2034, 2046):
        _make_plan(xihu_bureau, xihu_chief, year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(API).json()
    assert len(body["results"]) == 15 and body["results"][0]["planned_total"] == 120


# --- Workflow steps ---

STEPS: dict[str, dict[str, Any]] = {
    # step: legal start, who acts, body, resulting status, an illegal start
    "submit": {"start": S.DRAFT, "actor": "chief", "body": {}, "to": S.SUBMITTED,
               "illegal": S.APPROVED, "wrong": "inspector"},
    "return": {"start": S.SUBMITTED, "actor": "approver", "body": {"comment": "指标不足"},
               "to": S.RETURNED, "illegal": S.DRAFT, "wrong": "chief"},
    "approve": {"start": S.SUBMITTED, "actor": "approver", "body": {}, "to": S.APPROVED,
                "illegal": S.RETURNED, "wrong": "chief"},
    "publish": {"start": S.APPROVED, "actor": "approver", "body": {}, "to": S.PUBLISHED,
                "illegal": S.SUBMITTED, "wrong": "inspector"},
}


@pytest.mark.parametrize("step", list(STEPS))
def test_step_endpoints(step, api_as, draft, xihu_chief, xihu_approver, xihu_inspector,
                        binjiang_approver):
    spec = STEPS[step]
    people = {"chief": xihu_chief, "approver": xihu_approver, "inspector": xihu_inspector}
    url = f"{API}{draft.pk}/{step}/"

    # Another district: 404 whatever the state, and nothing moves.
    _walk(draft, xihu_chief, xihu_approver, spec["start"])
    response = api_as(binjiang_approver).post(url, spec["body"], format="json")
    assert response.status_code == 404
    # Wrong role: 403 with a Chinese message.
    response = api_as(people[spec["wrong"]]).post(url, spec["body"], format="json")
    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "permission_denied" and response.json()["detail"]
    assert _fresh(draft).status == spec["start"]
    # Legal: 200 with the new status.
    response = api_as(people[spec["actor"]]).post(url, spec["body"], format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == spec["to"]
    assert response.json()["reviews"][-1]["step"] == spec["to"]


@pytest.mark.parametrize("step", list(STEPS))
def test_illegal_steps_are_409(step, api_as, xihu_bureau, xihu_chief, xihu_approver,
                               xihu_inspector):
    spec = STEPS[step]
    people = {"chief": xihu_chief, "approver": xihu_approver}
    plan = _walk(_make_plan(xihu_bureau, xihu_chief), xihu_chief, xihu_approver,
                 spec["illegal"])
    response = api_as(people[spec["actor"]]).post(f"{API}{plan.pk}/{step}/", spec["body"],
                                                  format="json")
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "illegal_transition" and "不能变更为" in body["detail"]
    assert "cannot move to" in body["detail_en"]
    assert _fresh(plan).status == spec["illegal"]


def test_return_needs_a_comment(api_as, draft, xihu_chief, xihu_approver):
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    response = api_as(xihu_approver).post(f"{API}{draft.pk}/return/", {"comment": " "},
                                          format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "退回计划须填写修改意见。"
    assert _fresh(draft).status == S.SUBMITTED


def test_amend_endpoint(api_as, draft, xihu_chief, xihu_approver, xihu_inspector,
                        binjiang_approver):
    url = f"{API}{draft.pk}/amend/"
    response = api_as(xihu_chief).post(url, {"reason": "机构调整"}, format="json")
    assert response.status_code == 409 and response.json()["detail"] == "只有已发布的计划可以修订。"
    _walk(draft, xihu_chief, xihu_approver, S.PUBLISHED)
    assert api_as(binjiang_approver).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api_as(xihu_inspector).post(url, {"reason": "x"}, format="json").status_code == 403
    response = api_as(xihu_chief).post(url, {}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == "修订计划须说明理由。"
    response = api_as(xihu_chief).post(url, {"reason": "机构调整"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"], body["previous"]) == ("draft", 2, draft.pk)
    assert len(body["quotas"]) == 12


# --- Quotas, campaigns ---

def test_quotas_put_validation(api_as, draft, xihu_chief, xihu_inspector):
    url = f"{API}{draft.pk}/quotas/"
    client = api_as(xihu_chief)
    response = client.put(url, {"category": "random"}, format="json")
    assert response.status_code == 400 and "列表" in response.json()["detail"]
    response = client.put(url, [{"category": "random", "month": 1, "planned": 3},
                                {"category": "nope", "month": 13, "planned": -1}],
                          format="json")
    assert response.status_code == 400 and response.json()["detail_en"]
    response = client.put(url, [{"category": "random", "month": 1, "planned": 3},
                                {"category": "random", "month": 1, "planned": 4}],
                          format="json")
    assert response.status_code == 400 and "重复" in response.json()["detail"]
    assert PlanQuota.objects.filter(plan=draft).count() == 12  # untouched
    assert api_as(xihu_inspector).put(url, [], format="json").status_code == 403
    response = client.put(url, [{"category": "key_high_risk", "month": m, "planned": 2}
                                for m in (3, 6, 9, 12)], format="json")
    assert response.status_code == 200
    assert sorted((q["month"], q["planned"]) for q in response.json()["quotas"]) == [
        (3, 2), (6, 2), (9, 2), (12, 2)]


def test_quotas_refused_once_submitted(api_as, draft, xihu_chief, xihu_approver):
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    response = api_as(xihu_chief).put(f"{API}{draft.pk}/quotas/",
                                      [{"category": "random", "month": 1, "planned": 1}],
                                      format="json")
    assert response.status_code == 409 and response.json()["detail"]


def test_campaigns_need_approval(api_as, draft, xihu_chief, xihu_approver,
                                 binjiang_approver):
    url = f"{API}{draft.pk}/campaigns/"
    response = api_as(xihu_chief).post(url, {"name": "", "months": []}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) >= {
        "name", "months", "reason", "planned"}
    body = {"name": "粉尘涉爆专项", "reason": "夏季高温", "months": [6, 7], "planned": 20}
    first = api_as(xihu_chief).post(url, body, format="json").json()
    second = api_as(xihu_chief).post(url, {**body, "name": "有限空间专项"},
                                     format="json").json()
    assert first["status"] == "proposed"
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    response = api_as(xihu_approver).post(f"{API}{draft.pk}/approve/", {}, format="json")
    assert response.status_code == 409 and "专项行动" in response.json()["detail"]
    assert api_as(xihu_chief).post(f"{url}{first['id']}/approve/").status_code == 403
    assert api_as(binjiang_approver).post(f"{url}{first['id']}/approve/").status_code == 404
    response = api_as(xihu_approver).post(f"{url}{first['id']}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = api_as(xihu_approver).post(f"{url}{second['id']}/reject/")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert api_as(xihu_approver).post(f"{url}{second['id']}/reject/").status_code == 409
    assert api_as(xihu_approver).post(f"{url}999999/reject/").status_code == 404
    response = api_as(xihu_approver).post(f"{API}{draft.pk}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"


# --- Capacity, progress, diff, queue ---

def test_capacity_payload(api_as, draft, xihu_inspector):
    body = api_as(xihu_inspector).get(f"{API}{draft.pk}/capacity/").json()
    assert body == {"planned_inspections": 120, "quota_inspections": 120,
                    "approved_campaign_inspections": 0, "proposed_campaign_inspections": 0,
                    "officer_hours_needed": "960.0",
                    "officer_hours_available": "1200", "load_percent": 80,
                    "over_capacity": False, "warnings": [], "over_cap_enterprises": []}


def test_progress_payload(api_as, draft, xihu_inspector):
    body = api_as(xihu_inspector).get(f"{API}{draft.pk}/progress/").json()
    assert (body["planned"], body["done"], body["percent"]) == (120, 0, 0)
    assert body["rows"][0]["category"] == "random"
    assert body["rows"][0]["months"][0] == {"month": 1, "planned": 10, "done": 0}
    assert PlannedInspection.objects.count() == 0


def test_diff_against_previous_version(api_as, draft, xihu_chief, xihu_approver):
    assert api_as(xihu_chief).get(f"{API}{draft.pk}/diff/").json() == {
        "previous": None, "changes": []}
    _walk(draft, xihu_chief, xihu_approver, S.PUBLISHED)
    new = plans.amend_plan(_fresh(draft), actor=xihu_chief, reason="增加车辆")
    plans.update_plan(new, actor=xihu_chief, vehicles=4)
    plans.set_quotas(new, [{"category": "random", "month": m, "planned": 12 if m == 5 else 10}
                           for m in range(1, 13)], actor=xihu_chief)
    body = api_as(xihu_approver).get(f"{API}{new.pk}/diff/").json()
    assert (body["previous"], body["previous_version"], body["version"]) == (draft.pk, 1, 2)
    assert {"field": "vehicles", "label": "执法车辆", "old": 0, "new": 4} in body["changes"]
    assert {"field": "quota", "label": "双随机抽查 5月", "old": 10, "new": 12} in body["changes"]


def test_queue_lists_submitted_visible_plans(api_as, reference_data, xihu_chief,
                                             xihu_approver, xihu_inspector,
                                             binjiang_approver):
    xihu = Authority.objects.get(code="EM-330106")
    submitted = _walk(_make_plan(xihu, xihu_chief, 2027), xihu_chief, xihu_approver,
                      S.SUBMITTED)
    _make_plan(xihu, xihu_chief, 2028)  # a draft: not in the queue
    _walk(_make_plan(xihu, xihu_chief, 2029), xihu_chief, xihu_approver, S.APPROVED)
    body = api_as(xihu_approver).get(f"{API}queue/").json()
    assert [p["id"] for p in body["results"]] == [submitted.pk]
    assert body["next"] is None
    assert api_as(binjiang_approver).get(f"{API}queue/").json()["results"] == []
    assert api_as(xihu_inspector).get(f"{API}queue/").status_code == 403


# --- Pages ---

def test_plan_page_for_author(web_as, draft, xihu_chief):
    response = web_as(xihu_chief).get(f"/plans/{draft.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "草稿" in html and "提交审批" in html and 'name="q_random_1"' in html
    assert "table-responsive" in html and "<progress" in html
    assert " style=" not in html  # CSP: no inline styles
    assert "退回" not in html.split('data-testid="plan-actions"')[1].split("</section>")[0]


def test_plan_page_for_approver_and_return_without_comment(web_as, draft, xihu_chief,
                                                           xihu_approver):
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    client = web_as(xihu_approver)
    html = client.get(f"/plans/{draft.pk}/").content.decode()
    assert "批准" in html and 'data-testid="return-form"' in html
    assert 'name="q_random_1"' not in html  # read-only grid once submitted
    response = client.post(f"/plans/{draft.pk}/return/", {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert "退回计划须填写修改意见。" in response.content.decode()
    assert _fresh(draft).status == S.SUBMITTED
    response = client.post(f"/plans/{draft.pk}/return/", {"comment": "随机抽查比例偏低"},
                           follow=True)
    assert "计划已退回修改。" in response.content.decode()
    assert _fresh(draft).status == S.RETURNED


def test_author_sees_the_return_comment(web_as, draft, xihu_chief, xihu_approver):
    _walk(draft, xihu_chief, xihu_approver, S.RETURNED)
    html = web_as(xihu_chief).get(f"/plans/{draft.pk}/").content.decode()
    assert 'data-testid="return-comment"' in html and "请补充" in html


def test_pages_out_of_jurisdiction_and_wrong_role(web_as, client, draft, binjiang_inspector,
                                                  xihu_inspector):
    web_as(binjiang_inspector)
    assert client.get(f"/plans/{draft.pk}/").status_code == 404
    assert client.get(f"/plans/{draft.pk}/diff/").status_code == 404
    assert client.post(f"/plans/{draft.pk}/submit/").status_code == 404
    web_as(xihu_inspector)
    assert client.get(f"/plans/{draft.pk}/").status_code == 200
    assert client.post(f"/plans/{draft.pk}/submit/").status_code == 403
    assert client.get("/plans/new/").status_code == 403
    assert _fresh(draft).status == S.DRAFT


def test_illegal_step_on_page_is_an_alert(web_as, draft, xihu_chief):
    response = web_as(xihu_chief).post(f"/plans/{draft.pk}/publish/", follow=True)
    html = response.content.decode()
    assert 'alert alert-danger' in html and "不能变更为“已发布”" in html
    assert _fresh(draft).status == S.DRAFT


def test_list_shows_queue_for_approver(web_as, client, draft, xihu_chief, xihu_approver,
                                       xihu_inspector):
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    html = web_as(xihu_approver).get("/plans/").content.decode()
    assert "待我审批" in html and f"/plans/{draft.pk}/" in html
    html = web_as(xihu_inspector).get("/plans/").content.decode()
    assert "待我审批" not in html and draft.title in html
    assert "执法计划" in html  # the menu item


def test_new_plan_form_prefilled_and_created(web_as, xihu_bureau, xihu_chief, xihu_inspector):
    client = web_as(xihu_chief)
    response = client.get("/plans/new/")
    html = response.content.decode()
    assert response.status_code == 200 and "杭州市西湖区应急管理局" in html
    assert 'name="staff_count" value="2"' in html
    assert 'data-testid="plan-inputs-live"' in html
    data = {"year": 2027, "staff_count": 2, "certified_staff_count": 3, "vehicles": 1,
            "funding": "10", "officers_per_inspection": 2, "hours_per_inspection": "4",
            "hours_per_officer": 600, "per_enterprise_cap": 6}
    response = client.post("/plans/new/", data)
    assert response.status_code == 200
    assert "持证执法人员数不能超过执法人员总数。" in response.content.decode()
    assert not EnforcementPlan.objects.exists()
    response = client.post("/plans/new/", {**data, "certified_staff_count": 2})
    plan = EnforcementPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert plan.authority == xihu_bureau and plan.year == 2027


def test_quota_grid_saves_whole_or_nothing(web_as, draft, xihu_chief):
    client = web_as(xihu_chief)
    grid = {f"q_{c}_{m}": "0" for c in PlanCategory.values for m in range(1, 13)}
    response = client.post(f"/plans/{draft.pk}/quotas/",
                           {**grid, "q_joint_3": "abc", "q_random_1": "5"}, follow=True)
    assert "联合检查 3月：请输入 0–10000 的整数。" in response.content.decode()
    assert PlanQuota.objects.filter(plan=draft).count() == 12
    response = client.post(f"/plans/{draft.pk}/quotas/",
                           {**grid, "q_joint_3": "2", "q_random_1": "5"}, follow=True)
    assert "已保存检查指标，共 7 次。" in response.content.decode()
    assert sorted(PlanQuota.objects.filter(plan=draft)
                  .values_list("category", "month", "planned")) == [
        ("joint", 3, 2), ("random", 1, 5)]


def test_diff_page(web_as, draft, xihu_chief, xihu_approver):
    client = web_as(xihu_chief)
    assert "没有可比较的上一版本" in client.get(f"/plans/{draft.pk}/diff/").content.decode()
    _walk(draft, xihu_chief, xihu_approver, S.PUBLISHED)
    response = client.post(f"/plans/{draft.pk}/amend/", {"reason": "增加车辆"})
    new = EnforcementPlan.objects.get(previous=draft)
    assert response["Location"] == f"/plans/{new.pk}/"
    plans.update_plan(new, actor=xihu_chief, vehicles=4)
    html = client.get(f"/plans/{new.pk}/diff/").content.decode()
    assert "执法车辆" in html and "<del>0</del>" in html


def test_edit_page_updates_inputs_only_while_editable(web_as, draft, xihu_chief,
                                                      xihu_approver):
    client = web_as(xihu_chief)
    html = client.get(f"/plans/{draft.pk}/edit/").content.decode()
    assert 'name="per_enterprise_cap" value="6"' in html
    data = {"title": draft.title, "staff_count": 2, "certified_staff_count": 2,
            "vehicles": 3, "funding": "12.5", "officers_per_inspection": 2,
            "hours_per_inspection": "4", "hours_per_officer": 600, "per_enterprise_cap": 4}
    response = client.post(f"/plans/{draft.pk}/edit/", {**data, "officers_per_inspection": 1})
    assert response.status_code == 200 and "error-officers_per_inspection" in \
        response.content.decode()
    response = client.post(f"/plans/{draft.pk}/edit/", data)
    assert response.status_code == 302
    plan = _fresh(draft)
    assert (plan.vehicles, plan.per_enterprise_cap) == (3, 4)
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    response = client.get(f"/plans/{draft.pk}/edit/", follow=True)
    assert "不能修改" in response.content.decode()
    assert web_as(xihu_approver).get(f"/plans/{draft.pk}/").status_code == 200


def test_campaign_pages(web_as, draft, xihu_chief, xihu_approver):
    client = web_as(xihu_chief)
    response = client.post(f"/plans/{draft.pk}/campaigns/",
                           {"name": "", "reason": "", "planned": "3"}, follow=True)
    assert "专项行动须填写名称和开展理由。" in response.content.decode()
    client.post(f"/plans/{draft.pk}/campaigns/", {"name": "有限空间专项", "reason": "汛期",
                                                  "months": ["6", "7"], "planned": "5"})
    campaign = draft.campaigns.get()
    assert (campaign.months, campaign.planned) == ([6, 7], 5)
    _walk(draft, xihu_chief, xihu_approver, S.SUBMITTED)
    url = f"/plans/{draft.pk}/campaigns/{campaign.pk}/approve/"
    assert client.post(url).status_code == 403
    html = web_as(xihu_approver).get(f"/plans/{draft.pk}/").content.decode()
    assert url in html
    web_as(xihu_approver).post(url)
    campaign.refresh_from_db()
    assert campaign.status == "approved"
