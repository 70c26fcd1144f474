"""Annual enforcement plan: every transition, roles, jurisdiction, capacity, versions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.models import (
    PLAN_TRANSITIONS,
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
    SpecialCampaign,
)
from inspections.plans import services as plans

pytestmark = pytest.mark.django_db
S = EnforcementPlan.Status


@pytest.fixture
def xihu_bureau(reference_data):
    return Authority.objects.get(code="EM-330106")


@pytest.fixture
def draft(xihu_bureau, xihu_chief, xihu_inspector):
    plan = plans.create_plan(authority=xihu_bureau, year=2027, actor=xihu_chief)
    plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": m, "planned": 10}
                            for m in range(1, 13)], actor=xihu_chief)
    return plan


def test_create_prefills_inputs_from_registry_and_staff(draft, xihu_inspector):
    # Two certified staff in the bureau: the chief and the inspector persona.
    assert (draft.staff_count, draft.certified_staff_count) == (2, 2)
    assert draft.registry_snapshot["total"] == 0
    assert "by_sector" in draft.registry_snapshot
    assert draft.title == "西湖区应急管理局2027年度安全生产监督检查计划"
    assert AuditEvent.objects.filter(action="plan.created").exists()


def test_full_workflow_with_return(draft, xihu_chief, xihu_approver):
    plans.submit_plan(draft, actor=xihu_chief)
    returned = plans.return_plan(draft, actor=xihu_approver, comment="重点监管指标不足")
    assert returned.status == S.RETURNED
    plans.update_plan(returned, actor=xihu_chief, vehicles=3)
    plans.submit_plan(returned, actor=xihu_chief)
    approved = plans.approve_plan(returned, actor=xihu_approver)
    assert approved.approved_by == xihu_approver
    published = plans.publish_plan(approved, actor=xihu_approver)
    assert published.status == S.PUBLISHED
    steps = list(published.reviews.values_list("step", "comment"))
    assert steps == [("submitted", ""), ("returned", "重点监管指标不足"), ("submitted", ""),
                     ("approved", ""), ("published", "")]
    actions = set(AuditEvent.objects.filter(action__startswith="plan.")
                  .values_list("action", flat=True))
    assert {"plan.submitted", "plan.returned", "plan.approved", "plan.published"} <= actions


ALL_STEPS = {
    S.SUBMITTED: lambda p, a: plans.submit_plan(p, actor=a["chief"]),
    S.RETURNED: lambda p, a: plans.return_plan(p, actor=a["approver"], comment="意见"),
    S.APPROVED: lambda p, a: plans.approve_plan(p, actor=a["approver"]),
    S.PUBLISHED: lambda p, a: plans.publish_plan(p, actor=a["approver"]),
}
PATHS = {S.DRAFT: [], S.SUBMITTED: [S.SUBMITTED], S.RETURNED: [S.SUBMITTED, S.RETURNED],
         S.APPROVED: [S.SUBMITTED, S.APPROVED],
         S.PUBLISHED: [S.SUBMITTED, S.APPROVED, S.PUBLISHED]}


@pytest.mark.parametrize("start", list(PATHS))
@pytest.mark.parametrize("step", list(ALL_STEPS))
def test_transition_table(draft, xihu_chief, xihu_approver, start, step):
    actors = {"chief": xihu_chief, "approver": xihu_approver}
    for move in PATHS[start]:
        ALL_STEPS[move](EnforcementPlan.objects.get(pk=draft.pk), actors)
    plan = EnforcementPlan.objects.get(pk=draft.pk)
    assert plan.status == start
    if step in PLAN_TRANSITIONS[start]:
        assert ALL_STEPS[step](plan, actors).status == step
    else:
        with pytest.raises(DomainError) as exc:
            ALL_STEPS[step](plan, actors)
        assert exc.value.status_code == 409 and exc.value.code == "illegal_transition"
        assert "不能变更为" in exc.value.detail
        assert EnforcementPlan.objects.get(pk=draft.pk).status == start


def test_roles_and_separation_of_duties(draft, xihu_chief, xihu_inspector, xihu_approver):
    with pytest.raises(Forbidden):
        plans.create_plan(authority=draft.authority, year=2028, actor=xihu_inspector)
    plans.submit_plan(draft, actor=xihu_chief)
    with pytest.raises(Forbidden):
        plans.approve_plan(draft, actor=xihu_chief)  # a chief is not an approver
    own = plans.create_plan(authority=draft.authority, year=2028, actor=xihu_approver)
    plans.set_quotas(own, [{"category": "random", "month": 1, "planned": 1}],
                     actor=xihu_approver)
    plans.submit_plan(own, actor=xihu_approver)
    with pytest.raises(Forbidden) as exc:
        plans.approve_plan(own, actor=xihu_approver)
    assert "编制人不能审批" in exc.value.detail


def test_other_district_cannot_write_or_see(draft, binjiang_approver, binjiang_inspector):
    with pytest.raises(Forbidden):
        plans.create_plan(authority=draft.authority, year=2029, actor=binjiang_approver)
    assert not EnforcementPlan.objects.visible_to(binjiang_inspector).filter(
        pk=draft.pk).exists()


def test_return_needs_a_comment_and_submit_needs_quotas(xihu_bureau, xihu_chief,
                                                        xihu_approver):
    plan = plans.create_plan(authority=xihu_bureau, year=2030, actor=xihu_chief)
    with pytest.raises(InvalidInput) as exc:
        plans.submit_plan(plan, actor=xihu_chief)
    assert "检查指标" in str(exc.value.fields)
    plans.set_quotas(plan, [{"category": "random", "month": 3, "planned": 2}],
                     actor=xihu_chief)
    plans.submit_plan(plan, actor=xihu_chief)
    with pytest.raises(InvalidInput):
        plans.return_plan(plan, actor=xihu_approver, comment="  ")
    assert EnforcementPlan.objects.get(pk=plan.pk).status == S.SUBMITTED


def test_bad_quotas_are_rejected_without_partial_write(draft, xihu_chief):
    with pytest.raises(InvalidInput) as exc:
        plans.set_quotas(draft, [{"category": "random", "month": 1, "planned": 3},
                                 {"category": "nope", "month": 13, "planned": -1}],
                         actor=xihu_chief)
    assert "第2行" in exc.value.detail
    assert draft.quotas.count() == 12  # the earlier quotas are untouched


def test_capacity_arithmetic(draft, xihu_chief):
    # 120 planned × 2 officers × 4 h = 960 h needed; 2 certified × 600 h = 1200 h available.
    cap = plans.capacity(draft)
    assert cap.planned_inspections == 120
    assert cap.officer_hours_needed == Decimal("960.0")
    assert cap.officer_hours_available == Decimal("1200")
    assert (cap.load_percent, cap.over_capacity) == (80, False)
    plans.update_plan(draft, actor=xihu_chief, hours_per_inspection=Decimal("6"))
    cap = plans.capacity(EnforcementPlan.objects.get(pk=draft.pk))
    assert cap.officer_hours_needed == Decimal("1440")
    assert cap.over_capacity and cap.load_percent == 120
    assert any("超过持证执法人员可用工时" in w for w in cap.warnings)


def test_at_least_two_officers_per_inspection(draft, xihu_chief):
    with pytest.raises(InvalidInput) as exc:
        plans.update_plan(draft, actor=xihu_chief, officers_per_inspection=1)
    assert "不得少于 2 人" in exc.value.detail


def test_per_enterprise_cap_warning(draft, xihu_chief):
    from tests.enterprises.test_enterprise_core import enterprise

    ent = enterprise("杭州上限测试机械有限公司", 501)
    plans.update_plan(draft, actor=xihu_chief, per_enterprise_cap=2)
    for month in (1, 2, 3):
        PlannedInspection.objects.create(authority=draft.authority, plan=draft, enterprise=ent,
                                         category="random", source="manual", year=2027,
                                         month=month)
    plan = EnforcementPlan.objects.get(pk=draft.pk)
    assert plans.over_cap_enterprises(plan) == [
        {"enterprise": ent.pk, "name": ent.name, "planned": 3}]
    assert any("超过单个企业年度上限" in w for w in plans.capacity(plan).warnings)


def test_campaigns_need_prior_approval(draft, xihu_chief, xihu_approver):
    campaign = plans.propose_campaign(draft, actor=xihu_chief, name="粉尘涉爆专项",
                                      reason="夏季高温", months=[6, 7], planned=20)
    plans.submit_plan(draft, actor=xihu_chief)
    with pytest.raises(DomainError) as exc:
        plans.approve_plan(draft, actor=xihu_approver)
    assert "专项行动" in exc.value.detail
    plans.decide_campaign(campaign, actor=xihu_approver, approve=True)
    assert SpecialCampaign.objects.get(pk=campaign.pk).status == "approved"
    assert plans.approve_plan(draft, actor=xihu_approver).status == S.APPROVED
    assert plans.capacity(EnforcementPlan.objects.get(pk=draft.pk)).planned_inspections == 140


def test_capacity_says_what_its_total_is_made_of(draft, xihu_chief, xihu_approver):
    propose = plans.propose_campaign
    approved = propose(draft, actor=xihu_chief, name="粉尘涉爆专项", reason="夏季高温",
                       months=[6], planned=20)
    propose(draft, actor=xihu_chief, name="有限空间专项", reason="汛期", months=[7],
            planned=9)
    rejected = propose(draft, actor=xihu_chief, name="危化品专项", reason="节前",
                       months=[9], planned=5)
    plans.submit_plan(draft, actor=xihu_chief)
    plans.decide_campaign(approved, actor=xihu_approver, approve=True)
    plans.decide_campaign(rejected, actor=xihu_approver, approve=False)
    cap = plans.capacity(EnforcementPlan.objects.get(pk=draft.pk))
    assert (cap.quota_inspections, cap.approved_campaign_inspections,
            cap.proposed_campaign_inspections) == (120, 20, 9)
    assert cap.planned_inspections == 149  # the rejected campaign is not counted
    assert any("待批准的专项执法行动 9 次" in w for w in cap.warnings)


def test_a_resubmission_shows_what_changed_since_the_return(draft, xihu_chief,
                                                            xihu_approver):
    assert plans.changes_since_return(draft) is None  # never returned
    campaign = plans.propose_campaign(draft, actor=xihu_chief, name="粉尘涉爆专项",
                                      reason="夏季高温", months=[6], planned=20)
    plans.submit_plan(draft, actor=xihu_chief)
    plans.return_plan(draft, actor=xihu_approver, comment="请补充重点监管企业检查")
    assert plans.changes_since_return(EnforcementPlan.objects.get(pk=draft.pk)) == []
    plan = EnforcementPlan.objects.get(pk=draft.pk)
    hours = plan.hours_per_officer
    plans.update_plan(plan, actor=xihu_chief, hours_per_officer=hours + 10)
    kept = [{"category": q.category, "month": q.month, "planned": q.planned}
            for q in plan.quotas.all()]
    plans.set_quotas(plan, [*kept, {"category": "key_high_risk", "month": 3, "planned": 2}],
                     actor=xihu_chief)
    SpecialCampaign.objects.filter(pk=campaign.pk).update(planned=25)
    plans.submit_plan(plan, actor=xihu_chief)
    changes = plans.changes_since_return(EnforcementPlan.objects.get(pk=draft.pk))
    labels = {c["label"]: (c["old"], c["new"]) for c in changes}
    assert labels["重点监管·高危行业企业 3月"] == (0, 2)
    assert labels["专项行动：粉尘涉爆专项"] == ("20 次", "25 次")
    assert len([c for c in changes if c["label"].endswith("月")]) == 1  # one quota
    # The edited input is listed with both values.
    edited = [(c["old"], c["new"]) for c in changes if c["field"] == "hours_per_officer"]
    assert edited == [(hours, hours + 10)]


def test_amendment_is_a_new_version_that_supersedes(draft, xihu_chief, xihu_approver):
    plans.submit_plan(draft, actor=xihu_chief)
    plans.approve_plan(draft, actor=xihu_approver)
    v1 = plans.publish_plan(draft, actor=xihu_approver)
    with pytest.raises(DomainError):
        plans.update_plan(v1, actor=xihu_chief, vehicles=9)
    with pytest.raises(InvalidInput):
        plans.amend_plan(v1, actor=xihu_chief, reason="")
    v2 = plans.amend_plan(v1, actor=xihu_chief, reason="新增专项执法")
    assert (v2.version, v2.status, v2.previous_id) == (2, S.DRAFT, v1.pk)
    assert v2.quotas.count() == 12
    with pytest.raises(DomainError):
        plans.amend_plan(v1, actor=xihu_chief, reason="再次修订")
    plans.update_plan(v2, actor=xihu_chief, vehicles=4)
    plans.set_quotas(v2, [{"category": "random", "month": 1, "planned": 15}],
                     actor=xihu_chief)
    diff = plans.plan_diff(v1, EnforcementPlan.objects.get(pk=v2.pk))
    assert {"field": "vehicles", "label": "执法车辆", "old": 0, "new": 4} in diff
    assert any(d["field"] == "quota" and d["old"] == 10 and d["new"] == 15 for d in diff)
    # The published v1 stays in force until v2 is approved and published.
    assert EnforcementPlan.objects.get(pk=v1.pk).status == S.PUBLISHED
    plans.submit_plan(v2, actor=xihu_chief)
    plans.approve_plan(v2, actor=xihu_approver)
    plans.publish_plan(v2, actor=xihu_approver)
    assert EnforcementPlan.objects.get(pk=v1.pk).status == S.SUPERSEDED
    assert EnforcementPlan.objects.get(pk=v2.pk).status == S.PUBLISHED


def test_progress_counts_done_against_planned(draft):
    from tests.enterprises.test_enterprise_core import enterprise

    ent = enterprise("杭州进度测试纺织有限公司", 502)
    for status in ("done", "done", "planned"):
        PlannedInspection.objects.create(authority=draft.authority, plan=draft, enterprise=ent,
                                         category="random", source="draw", year=2027,
                                         month=3, status=status)
    result = plans.progress(draft)
    assert (result["planned"], result["done"]) == (120, 2)
    march = result["rows"][0]["months"][2]
    assert march == {"month": 3, "planned": 10, "done": 2}
