"""Every public service of inspections.plans that takes an ``actor`` guards itself.

The services are DISCOVERED (inspect.signature), so a new one cannot escape: each is
called on a 西湖区 object by an actor of the right role from 滨江区 (jurisdiction) and
by actors of 西湖区 with a wrong role, and must refuse with Forbidden (403) and write
nothing (no row changed, no audit event). A discovered service missing from CASES
fails its test case.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from hangzhou_safety.accounts.models import Authority, Role
from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.audit.models import AuditEvent
from inspections.plans import services as plans
from inspections.plans.models import (
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
    PlanQuota,
    PlanReview,
    SpecialCampaign,
)
from tests.conftest import make_user
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db
S = EnforcementPlan.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The personas' passwords are never checked here (force_login / direct calls).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def discovered_services() -> list[str]:
    return sorted(name for name, fn in inspect.getmembers(plans, inspect.isfunction)
                  if fn.__module__ == plans.__name__ and not name.startswith("_")
                  and "actor" in inspect.signature(fn).parameters)


@dataclass
class World:
    people: dict[str, Any]
    xihu: Authority

    def plan(self, status: str, *, year: int = 2027, campaign: bool = False) -> EnforcementPlan:
        """A 西湖区 plan written by xihu_chief, brought to ``status`` by the services."""
        chief, approver = self.people["xihu_chief"], self.people["xihu_approver"]
        plan = plans.create_plan(authority=self.xihu, year=year, actor=chief)
        plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": 1, "planned": 4}],
                         actor=chief)
        if campaign:
            plans.propose_campaign(plan, actor=chief, name="有限空间专项", reason="汛期",
                                   months=[6], planned=3)
        path = {S.DRAFT: [], S.SUBMITTED: ["submit"], S.APPROVED: ["submit", "approve"],
                S.PUBLISHED: ["submit", "approve", "publish"]}[status]
        for step in path:
            plan = EnforcementPlan.objects.get(pk=plan.pk)
            if step == "submit":
                plans.submit_plan(plan, actor=chief)
            elif step == "approve":
                plans.approve_plan(plan, actor=approver)
            else:
                plans.publish_plan(plan, actor=approver)
        return EnforcementPlan.objects.get(pk=plan.pk)

    def planned(self, n: int = 2) -> Any:
        ent = enterprise("杭州守卫测试机械有限公司", 611)
        for month in range(1, n + 1):
            PlannedInspection.objects.create(authority=self.xihu, enterprise=ent,
                                             category="random", source="manual",
                                             year=2027, month=month)
        return PlannedInspection.objects.filter(authority=self.xihu)


@pytest.fixture
def world(reference_data, xihu_chief, xihu_approver, xihu_inspector, binjiang_approver,
          binjiang_inspector) -> World:
    people = {
        "xihu_chief": xihu_chief, "xihu_approver": xihu_approver,
        "xihu_inspector": xihu_inspector, "binjiang_approver": binjiang_approver,
        "binjiang_inspector": binjiang_inspector,
        "binjiang_chief": make_user("g_binjiang_chief", Role.SECTION_CHIEF, "EM-330108",
                                    cert="G330108002"),
        "xihu_chief2": make_user("g_xihu_chief2", Role.SECTION_CHIEF, "EM-330106",
                                 cert="G330106003"),
        "xihu_auditor": make_user("g_xihu_auditor", Role.AUDITOR, "EM-330106"),
    }
    return World(people=people, xihu=Authority.objects.get(code="EM-330106"))


# name → (who is refused: an outsider of the right role, then 西湖区 actors of a wrong
# role), and how to build the call on a 西湖区 object.
Call = Callable[[Any], Any]
AUTHOR_REFUSED = ("binjiang_chief", "xihu_inspector", "xihu_auditor")
APPROVER_REFUSED = ("binjiang_approver", "xihu_chief2", "xihu_inspector", "xihu_auditor")


def _campaign(w: World) -> SpecialCampaign:
    return w.plan(S.SUBMITTED, campaign=True).campaigns.get()


CASES: dict[str, tuple[tuple[str, ...], Callable[[World], Call]]] = {
    "create_plan": (AUTHOR_REFUSED, lambda w: lambda actor: plans.create_plan(
        authority=w.xihu, year=2031, actor=actor, vehicles=3)),
    "update_plan": (AUTHOR_REFUSED, lambda w: (lambda p: lambda actor: plans.update_plan(
        p, actor=actor, vehicles=7))(w.plan(S.DRAFT))),
    "set_quotas": (AUTHOR_REFUSED, lambda w: (lambda p: lambda actor: plans.set_quotas(
        p, [{"category": "random", "month": 2, "planned": 9}], actor=actor))(w.plan(S.DRAFT))),
    "propose_campaign": (AUTHOR_REFUSED, lambda w: (lambda p: lambda actor:
                         plans.propose_campaign(p, actor=actor, name="粉尘涉爆专项",
                                                reason="高温", months=[7], planned=2))(
        w.plan(S.DRAFT))),
    "submit_plan": (AUTHOR_REFUSED, lambda w: (lambda p: lambda actor: plans.submit_plan(
        p, actor=actor))(w.plan(S.DRAFT))),
    "amend_plan": (AUTHOR_REFUSED, lambda w: (lambda p: lambda actor: plans.amend_plan(
        p, actor=actor, reason="机构调整"))(w.plan(S.PUBLISHED))),
    "return_plan": (APPROVER_REFUSED, lambda w: (lambda p: lambda actor: plans.return_plan(
        p, actor=actor, comment="请补充"))(w.plan(S.SUBMITTED))),
    "approve_plan": (APPROVER_REFUSED, lambda w: (lambda p: lambda actor: plans.approve_plan(
        p, actor=actor))(w.plan(S.SUBMITTED))),
    # The approver publishes (an author may too, tested in test_plans_cascades).
    "publish_plan": (APPROVER_REFUSED, lambda w: (lambda p: lambda actor: plans.publish_plan(
        p, actor=actor))(w.plan(S.APPROVED))),
    "approve_campaign": (APPROVER_REFUSED, lambda w: (lambda c: lambda actor:
                         plans.approve_campaign(c, actor=actor))(_campaign(w))),
    "reject_campaign": (APPROVER_REFUSED, lambda w: (lambda c: lambda actor:
                        plans.reject_campaign(c, actor=actor))(_campaign(w))),
    "decide_campaign": (APPROVER_REFUSED, lambda w: (lambda c: lambda actor:
                        plans.decide_campaign(c, actor=actor, approve=True))(_campaign(w))),
    # Inspectors carry planned inspections out; auditors never.
    "mark_planned_done": (("binjiang_inspector", "xihu_auditor"),
                          lambda w: (lambda row: lambda actor: plans.mark_planned_done(
                              row, actor=actor))(w.planned(1).get())),
    # Cancelling is a planning decision: not an inspector's.
    "cancel_planned_inspections": (("binjiang_chief", "xihu_inspector", "xihu_auditor"),
                                   lambda w: (lambda qs: lambda actor:
                                              plans.cancel_planned_inspections(
                                                  qs, actor=actor, reason="重新抽取"))(
                                       w.planned(3))),
}


def _snapshot() -> tuple[Any, ...]:
    """Everything a plan service could write."""
    return (list(EnforcementPlan.objects.order_by("pk").values()),
            list(PlanQuota.objects.order_by("pk").values()),
            list(SpecialCampaign.objects.order_by("pk").values()),
            PlanReview.objects.count(),
            list(PlannedInspection.objects.order_by("pk").values()),
            AuditEvent.objects.count())


def test_every_service_is_in_the_mapping() -> None:
    assert set(discovered_services()) == set(CASES)
    assert len(CASES) >= 14


@pytest.mark.parametrize("name", discovered_services())
def test_service_refuses_outsider_and_wrong_role(name: str, world: World) -> None:
    assert name in CASES, f"{name} takes an actor: add it to CASES"
    refused, build = CASES[name]
    call = build(world)
    assert refused[0].startswith("binjiang_")  # the jurisdiction case comes first
    for who in refused:
        before = _snapshot()
        with pytest.raises(Forbidden) as exc:
            call(world.people[who])
        assert exc.value.status_code == 403 and exc.value.detail, who
        assert _snapshot() == before, f"{name} by {who} wrote something"


def test_binjiang_approver_cannot_approve_a_xihu_plan_directly(world: World) -> None:
    """Regression: approve_plan checked the role only; a 滨江区 approver approved a
    西湖区 plan when called directly (the API answered 404 only through visible_to)."""
    plan = world.plan(S.SUBMITTED)
    events = AuditEvent.objects.count()
    with pytest.raises(Forbidden) as exc:
        plans.approve_plan(plan, actor=world.people["binjiang_approver"])
    assert "辖区" in exc.value.detail
    assert EnforcementPlan.objects.get(pk=plan.pk).status == S.SUBMITTED
    assert AuditEvent.objects.count() == events
    assert plans.approve_plan(plan, actor=world.people["xihu_approver"]).status == S.APPROVED


def test_municipal_admin_may_approve_within_the_city(world: World, municipal_admin) -> None:
    plan = world.plan(S.SUBMITTED)
    assert plans.approve_plan(plan, actor=municipal_admin).status == S.APPROVED
