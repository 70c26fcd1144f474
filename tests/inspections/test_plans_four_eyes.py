"""Separation of duties (四眼原则) that cannot be walked around: whoever wrote or changed a
plan version (created it, amended into it, edited its inputs or quotas, proposed a
campaign in it, submitted it) never returns or approves that version nor decides its
campaigns. The authors come from created_by and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority, Role
from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.audit.models import AuditEvent
from inspections.plans import services as plans
from inspections.plans.models import EnforcementPlan, PlanCategory, SpecialCampaign
from inspections.plans.selectors import approver_queue, plan_author_ids
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
S = EnforcementPlan.Status
API = "/api/v1/plans/"
QUOTAS = [{"category": PlanCategory.RANDOM, "month": m, "planned": 5} for m in (3, 6, 9)]
CAMPAIGN = {"name": "粉尘涉爆专项", "reason": "夏季高温", "months": [6, 7], "planned": 4}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def xihu(reference_data: None) -> Authority:
    return Authority.objects.get(code="EM-330106")


@pytest.fixture
def second_approver(reference_data: None) -> Any:
    return make_user("f_xihu_approver2", Role.DISTRICT_APPROVER, "EM-330106",
                     cert="F330106010", full_name="西湖审批人二")


def _fresh(plan: EnforcementPlan) -> EnforcementPlan:
    return EnforcementPlan.objects.get(pk=plan.pk)


def test_the_walk_around_through_the_api_is_refused(api_as, xihu_chief, xihu_approver,
                                                    second_approver, web_as):
    """Regression (all 200 before): the approver returns the chief's plan, edits it,
    adds a campaign, submits it, then approves the campaign and the plan."""
    chief, approver = api_as(xihu_chief), api_as(xihu_approver)
    plan_id = chief.post(API, {"year": 2027}, format="json").json()["id"]
    assert chief.put(f"{API}{plan_id}/quotas/", QUOTAS, format="json").status_code == 200
    assert chief.post(f"{API}{plan_id}/submit/", {}, format="json").status_code == 200
    response = approver.post(f"{API}{plan_id}/return/", {"comment": "请补充车辆"},
                             format="json")
    assert response.status_code == 200
    assert approver.patch(f"{API}{plan_id}/", {"vehicles": 6},
                          format="json").status_code == 200
    response = approver.post(f"{API}{plan_id}/campaigns/", CAMPAIGN, format="json")
    assert response.status_code == 201
    campaign_id = response.json()["id"]
    assert approver.post(f"{API}{plan_id}/submit/", {}, format="json").status_code == 200

    events = AuditEvent.objects.count()
    response = approver.post(f"{API}{plan_id}/campaigns/{campaign_id}/approve/")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "author_cannot_approve" and "四眼原则" in body["detail"]
    assert body["detail_en"]
    response = approver.post(f"{API}{plan_id}/approve/", {}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "author_cannot_approve"
    assert body["detail"] == "编制人不能审批自己编制、修改或提交过的计划版本（四眼原则）。"
    assert approver.post(f"{API}{plan_id}/return/", {"comment": "再改"},
                         format="json").status_code == 403
    assert AuditEvent.objects.count() == events
    assert EnforcementPlan.objects.get(pk=plan_id).status == S.SUBMITTED
    assert SpecialCampaign.objects.get(pk=campaign_id).status == SpecialCampaign.Status.PROPOSED

    # Not in the author's queue, no decision buttons on their page.
    assert approver.get(f"{API}queue/").json()["results"] == []
    html = web_as(xihu_approver).get(f"/plans/{plan_id}/").content.decode()
    assert 'data-testid="approve-plan"' not in html
    assert f"/plans/{plan_id}/campaigns/{campaign_id}/approve/" not in html

    # Another approver, who wrote nothing in this version, decides.
    other = api_as(second_approver)
    assert [p["id"] for p in other.get(f"{API}queue/").json()["results"]] == [plan_id]
    response = other.post(f"{API}{plan_id}/campaigns/{campaign_id}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = other.post(f"{API}{plan_id}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"


AUTHORING_ACTS = {
    "edit_inputs": lambda plan, who: plans.update_plan(plan, actor=who, vehicles=9),
    "set_quotas": lambda plan, who: plans.set_quotas(plan, QUOTAS[:1], actor=who),
    "propose_campaign": lambda plan, who: plans.propose_campaign(plan, actor=who, **CAMPAIGN),
    "submit": None,  # the approver submits the returned plan below
}


@pytest.mark.parametrize("act", list(AUTHORING_ACTS))
def test_every_authoring_act_disqualifies_the_approver(act, xihu, xihu_chief, xihu_approver,
                                                       second_approver):
    plan = plans.create_plan(authority=xihu, year=2027, actor=xihu_chief)
    plans.set_quotas(plan, QUOTAS, actor=xihu_chief)
    plans.submit_plan(plan, actor=xihu_chief)
    plans.return_plan(_fresh(plan), actor=xihu_approver, comment="请修改")
    assert xihu_approver.pk not in plan_author_ids(plan)  # returning is not writing
    if AUTHORING_ACTS[act] is not None:
        AUTHORING_ACTS[act](_fresh(plan), xihu_approver)
        plans.submit_plan(_fresh(plan), actor=xihu_chief)
    else:
        plans.submit_plan(_fresh(plan), actor=xihu_approver)
    assert xihu_approver.pk in plan_author_ids(plan)
    assert not approver_queue(xihu_approver).filter(pk=plan.pk).exists()
    for campaign in _fresh(plan).campaigns.all():
        with pytest.raises(Forbidden) as exc:
            plans.approve_campaign(campaign, actor=xihu_approver)
        assert exc.value.code == "author_cannot_approve"
        plans.approve_campaign(campaign, actor=second_approver)
    with pytest.raises(Forbidden) as exc:
        plans.approve_plan(_fresh(plan), actor=xihu_approver)
    assert exc.value.code == "author_cannot_approve"
    assert _fresh(plan).status == S.SUBMITTED
    assert plans.approve_plan(_fresh(plan), actor=second_approver).status == S.APPROVED


def test_the_campaign_proposer_never_decides_it(xihu, xihu_chief, xihu_approver,
                                                second_approver, municipal_admin):
    """An approver who only proposed a campaign in the chief's plan may neither approve
    nor reject it, nor approve the plan; a municipal administrator may."""
    plan = plans.create_plan(authority=xihu, year=2027, actor=xihu_chief)
    plans.set_quotas(plan, QUOTAS, actor=xihu_chief)
    campaign = plans.propose_campaign(plan, actor=xihu_approver, **CAMPAIGN)
    plans.submit_plan(_fresh(plan), actor=xihu_chief)
    for step in (plans.approve_campaign, plans.reject_campaign):
        with pytest.raises(Forbidden) as exc:
            step(campaign, actor=xihu_approver)
        assert exc.value.code == "author_cannot_approve" and "专项行动" in exc.value.detail
    assert SpecialCampaign.objects.get(pk=campaign.pk).status == "proposed"
    decided = plans.reject_campaign(campaign, actor=municipal_admin, comment="不必要")
    assert decided.status == "rejected" and decided.decided_by == municipal_admin
    with pytest.raises(Forbidden):
        plans.approve_plan(_fresh(plan), actor=xihu_approver)
    assert plans.approve_plan(_fresh(plan), actor=second_approver).status == S.APPROVED
    event = AuditEvent.objects.get(action="plan.campaign_rejected")
    assert event.new_values == {"status": "rejected", "campaign": campaign.pk,
                                "plan": plan.pk}
    assert event.reason == "不必要" and event.actor_id == municipal_admin.pk


def test_the_amender_does_not_approve_the_new_version(xihu, xihu_chief, xihu_approver,
                                                      second_approver):
    plan = plans.create_plan(authority=xihu, year=2027, actor=xihu_chief)
    plans.set_quotas(plan, QUOTAS, actor=xihu_chief)
    plans.submit_plan(plan, actor=xihu_chief)
    plans.approve_plan(_fresh(plan), actor=xihu_approver)
    v1 = plans.publish_plan(_fresh(plan), actor=xihu_approver)
    v2 = plans.amend_plan(v1, actor=xihu_approver, reason="增加专项")
    # The chief wrote v1, not v2: v1's authors do not carry over.
    assert plan_author_ids(v2) == {xihu_approver.pk}
    plans.submit_plan(v2, actor=xihu_chief)
    with pytest.raises(Forbidden):
        plans.approve_plan(_fresh(v2), actor=xihu_approver)
    assert plans.approve_plan(_fresh(v2), actor=second_approver).status == S.APPROVED


def test_an_edit_records_the_plan_it_changed(xihu, xihu_chief):
    """Regression: plan.updated carried only the changed values, so the trail could not
    tell which plan an editor had changed."""
    plan = plans.create_plan(authority=xihu, year=2027, actor=xihu_chief)
    plans.update_plan(plan, actor=xihu_chief, vehicles=4)
    event = AuditEvent.objects.get(action="plan.updated")
    assert event.new_values == {"vehicles": 4, "plan": plan.pk}
    assert event.old_values == {"vehicles": 0}
