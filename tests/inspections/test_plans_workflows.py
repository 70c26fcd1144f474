"""Every move of the plans' workflows (PLAN_WORKFLOW, CAMPAIGN_WORKFLOW,
PLANNED_INSPECTION_WORKFLOW) is reachable through a public service, and every move
not in a TRANSITIONS table is refused (409) or, for the idempotent cascades over
planned inspections, leaves the row as it was with no audit event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workflow import REGISTRY, IllegalTransition, Workflow
from inspections.plans import services as plans
from inspections.plans.models import (
    CAMPAIGN_WORKFLOW,
    PLAN_WORKFLOW,
    PLANNED_INSPECTION_WORKFLOW,
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
    SpecialCampaign,
)
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db
S = EnforcementPlan.Status
C = SpecialCampaign.Status
P = PlannedInspection.Status
WORKFLOWS = {"plan": PLAN_WORKFLOW, "campaign": CAMPAIGN_WORKFLOW,
             "planned": PLANNED_INSPECTION_WORKFLOW}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(reference_data, xihu_chief, xihu_approver, xihu_inspector) -> dict[str, Any]:
    return {"chief": xihu_chief, "approver": xihu_approver, "inspector": xihu_inspector,
            "xihu": Authority.objects.get(code="EM-330106")}


def _get(row: Any) -> Any:
    return type(row).objects.get(pk=row.pk)


# --- Building a row in each status, through the services only ---

def _plan(p: dict[str, Any], status: str, *, campaign: bool = False) -> EnforcementPlan:
    chief, approver = p["chief"], p["approver"]
    plan = plans.create_plan(authority=p["xihu"], year=2027, actor=chief)
    plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": 2, "planned": 3}],
                     actor=chief)
    if campaign:
        plans.propose_campaign(plan, actor=chief, name="粉尘涉爆专项", reason="高温",
                               months=[7], planned=2)
    if status == S.DRAFT:
        return _get(plan)
    plans.submit_plan(_get(plan), actor=chief)
    if status == S.RETURNED:
        plans.return_plan(_get(plan), actor=approver, comment="请补充")
    if status in (S.APPROVED, S.PUBLISHED, S.SUPERSEDED):
        plans.approve_plan(_get(plan), actor=approver)
    if status in (S.PUBLISHED, S.SUPERSEDED):
        plans.publish_plan(_get(plan), actor=approver)
    if status == S.SUPERSEDED:
        _supersede(_get(plan), p)
    return _get(plan)


def _supersede(published: EnforcementPlan, p: dict[str, Any]) -> EnforcementPlan:
    """published → superseded: amend, approve and publish the next version."""
    new = plans.amend_plan(published, actor=p["chief"], reason="修订")
    plans.submit_plan(new, actor=p["chief"])
    plans.approve_plan(_get(new), actor=p["approver"])
    plans.publish_plan(_get(new), actor=p["approver"])
    return _get(published)


def _campaign(p: dict[str, Any], status: str) -> SpecialCampaign:
    campaign = _plan(p, S.SUBMITTED, campaign=True).campaigns.get()
    if status == C.APPROVED:
        plans.approve_campaign(campaign, actor=p["approver"])
    elif status == C.REJECTED:
        plans.reject_campaign(campaign, actor=p["approver"])
    return _get(campaign)


def _planned(p: dict[str, Any], status: str) -> PlannedInspection:
    row = PlannedInspection.objects.create(
        authority=p["xihu"], enterprise=enterprise("杭州流程测试有限公司", 801),
        category="random", source="manual", year=2027, month=3)
    if status == P.DONE:
        plans.mark_planned_done(row, actor=p["inspector"])
    elif status == P.CANCELLED:
        plans.cancel_planned_inspections(PlannedInspection.objects.filter(pk=row.pk),
                                         actor=p["chief"], reason="取消")
    return _get(row)


BUILD: dict[str, Callable[[dict[str, Any], str], Any]] = {
    "plan": _plan, "campaign": _campaign, "planned": _planned}

# --- The service behind each target status ---

STEPS: dict[str, dict[str, Callable[[Any, dict[str, Any]], Any]]] = {
    "plan": {
        S.SUBMITTED: lambda row, p: plans.submit_plan(row, actor=p["chief"]),
        S.RETURNED: lambda row, p: plans.return_plan(row, actor=p["approver"], comment="改"),
        S.APPROVED: lambda row, p: plans.approve_plan(row, actor=p["approver"]),
        S.PUBLISHED: lambda row, p: plans.publish_plan(row, actor=p["approver"]),
        S.SUPERSEDED: lambda row, p: _supersede(row, p),
    },
    "campaign": {
        C.APPROVED: lambda row, p: plans.approve_campaign(row, actor=p["approver"]),
        C.REJECTED: lambda row, p: plans.reject_campaign(row, actor=p["approver"]),
    },
    "planned": {
        P.DONE: lambda row, p: plans.mark_planned_done(row, actor=p["inspector"]),
        P.CANCELLED: lambda row, p: plans.cancel_planned_inspections(
            PlannedInspection.objects.filter(pk=row.pk), actor=p["chief"], reason="取消"),
    },
}
#: Targets reached only as a cascade (a newer version's publication): a wrong start
#: is never tried, there is no service naming "supersede this row".
CASCADE_ONLY = {("plan", S.SUPERSEDED)}
#: Idempotent cascades: a row already past the move is left alone (no 409).
IDEMPOTENT = {("planned", P.DONE, P.DONE), ("planned", P.DONE, P.CANCELLED),
              ("planned", P.CANCELLED, P.CANCELLED)}


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for key, workflow in WORKFLOWS.items():
        targets = {t for ts in workflow.transitions.values() for t in ts}
        for start in workflow.transitions:
            for target in sorted(targets):
                # Illegal moves into a cascade-only status have no service of their own
                # to refuse them; the project-wide walk (tests/platform) drives them
                # through amend_plan, which refuses with the 409.
                if not workflow.allowed(start, target) and (key, target) in CASCADE_ONLY:
                    continue
                cases.append((key, start, target))
    return cases


def test_every_target_status_has_a_service() -> None:
    for key, workflow in WORKFLOWS.items():
        targets = {t for ts in workflow.transitions.values() for t in ts}
        assert targets == set(STEPS[key]), key
    plans_workflows = {k for k, w in REGISTRY.items()
                       if w.model.__module__ == "inspections.plans.models"}
    assert plans_workflows == {w.model._meta.label_lower for w in WORKFLOWS.values()}


@pytest.mark.parametrize("key, start, target", _cases())
def test_move(key: str, start: str, target: str, people: dict[str, Any]) -> None:
    workflow: Workflow = WORKFLOWS[key]
    legal = workflow.allowed(start, target)
    row = BUILD[key](people, start)
    assert row.status == start
    events = AuditEvent.objects.count()
    if legal:
        STEPS[key][target](row, people)
        assert _get(row).status == target
        assert AuditEvent.objects.count() > events
    elif (key, start, target) in IDEMPOTENT:
        STEPS[key][target](row, people)
        assert _get(row).status == start and AuditEvent.objects.count() == events
    else:
        with pytest.raises(IllegalTransition) as exc:
            STEPS[key][target](row, people)
        assert exc.value.status_code == 409
        assert _get(row).status == start and AuditEvent.objects.count() == events
