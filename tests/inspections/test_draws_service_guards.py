"""Every public service of checklists/, draws/ and key_supervision/ that takes an
``actor`` checks role and jurisdiction itself.

The services are discovered (inspect.signature), so a new one cannot escape: each
needs a case in GUARDS, which calls it with an actor of the right role from another
district (滨江区) on a 西湖区 object, with a wrong-role actor of 西湖区, and — as the
control that the refusal is about the actor, not the arguments — with an allowed
actor. A refusal is Forbidden / DomainError / Http404 (or False for a predicate),
and leaves every row and the audit trail unchanged.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from enterprises.models import Enterprise, Sector
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists import services as checklists
from inspections.checklists.models import ChecklistTemplate, InspectionScheme
from inspections.draws import services as draws
from inspections.draws.models import ConflictDeclaration, DrawItemList, ObjectDirectory, RandomDraw
from inspections.key_supervision import services as key_supervision
from inspections.plans.models import EnforcementPlan, PlannedInspection
from tests.enterprises.test_enterprise_core import enterprise
from tests.inspections.test_draws import make_staff

pytestmark = pytest.mark.django_db

MODULES: tuple[ModuleType, ...] = (checklists, draws, key_supervision)
YEAR = 2026


def discover() -> list[str]:
    """module:function for every public function defined in MODULES taking ``actor``."""
    found = []
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (not name.startswith("_") and fn.__module__ == module.__name__
                    and "actor" in inspect.signature(fn).parameters):
                found.append(f"{module.__name__.split('.')[1]}:{name}")
    return sorted(found)


def scheme_data(template: ChecklistTemplate, team: list[User], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "守卫测试检查方案", "area": "北山街道", "content": "安全管理",
        "focus": "除尘系统", "start_date": datetime.date(2026, 12, 1),
        "end_date": datetime.date(2026, 12, 15), "templates": [template.pk],
        "team": [u.pk for u in team]}
    data.update(extra)
    return data


@dataclass
class World:
    xihu: Authority
    inspector: User
    inspector2: User
    chief: User
    approver: User
    auditor: User
    binjiang_inspector: User
    binjiang_chief: User
    binjiang_approver: User
    template: ChecklistTemplate
    draft: InspectionScheme
    submitted: InspectionScheme
    unit: Enterprise
    directory: ObjectDirectory
    item_list: DrawItemList
    draw: RandomDraw
    plan: EnforcementPlan

    def scheme_data(self, **extra: Any) -> dict[str, Any]:
        return scheme_data(self.template, [self.inspector, self.inspector2], **extra)


@pytest.fixture
def world(reference_data: None, xihu_inspector: User, xihu_chief: User,
          xihu_approver: User, binjiang_inspector: User, binjiang_approver: User) -> World:
    """西湖区 objects in every state the services start from, and the actors."""
    xihu = Authority.objects.get(code="EM-330106")
    inspector2 = make_staff("g_inspector2", Role.INSPECTOR, "EM-330106", cert="G330106002")
    template = ChecklistTemplate.objects.create(code="T-GUARD", name="守卫检查表")
    team = [xihu_inspector, inspector2]
    draft = checklists.create_scheme(scheme_data(template, team), actor=xihu_inspector)
    submitted = checklists.submit_scheme(
        checklists.create_scheme(scheme_data(template, team, title="已提交方案"),
                                 actor=xihu_inspector), actor=xihu_inspector)
    unit = enterprise("守卫测试危化", 1500, sector=Sector.HAZARDOUS_CHEMICALS)
    for i in range(3):
        enterprise(f"守卫测试企业{i}", 1510 + i)
    directory = draws.create_object_directory(xihu_chief, "守卫名录", {})
    item_list = draws.create_item_list(xihu_chief, "守卫事项", [template])
    return World(
        xihu=xihu, inspector=xihu_inspector, inspector2=inspector2, chief=xihu_chief,
        approver=xihu_approver, auditor=make_staff("g_auditor", Role.AUDITOR, "EM-330106"),
        binjiang_inspector=binjiang_inspector,
        binjiang_chief=make_staff("g_bj_chief", Role.SECTION_CHIEF, "EM-330108",
                                  cert="G330108002"),
        binjiang_approver=binjiang_approver, template=template, draft=draft,
        submitted=submitted, unit=unit, directory=directory, item_list=item_list,
        draw=draws.perform_draw(xihu_chief, directory, item_list, YEAR, 5, 2, seed="guard"),
        plan=EnforcementPlan.objects.create(authority=xihu, year=YEAR, title="守卫计划",
                                            created_by=xihu_chief))


@dataclass(frozen=True)
class Guard:
    #: call(world, actor) runs the service with everything but the actor fixed.
    call: Callable[[World, Any], Any]
    #: The actor of the right role outside the object's jurisdiction.
    outsider: Callable[[World], User]
    #: The actor of the object's jurisdiction with a role the step does not allow.
    wrong_role: Callable[[World], User]
    #: An actor the step allows (the control).
    allowed: Callable[[World], User]
    predicate: bool = False


GUARDS: dict[str, Guard] = {
    # --- checklists (schemes): an out-of-jurisdiction scheme is a 404 ---
    "checklists:create_scheme": Guard(
        lambda w, a: checklists.create_scheme(w.scheme_data(authority=w.xihu), actor=a),
        lambda w: w.binjiang_inspector, lambda w: w.auditor, lambda w: w.inspector),
    "checklists:update_scheme": Guard(
        lambda w, a: checklists.update_scheme(w.draft, {"title": "改名"}, actor=a),
        lambda w: w.binjiang_chief, lambda w: w.auditor, lambda w: w.inspector),
    "checklists:delete_scheme": Guard(
        lambda w, a: checklists.delete_scheme(w.draft, actor=a),
        lambda w: w.binjiang_chief, lambda w: w.inspector2, lambda w: w.inspector),
    "checklists:submit_scheme": Guard(
        lambda w, a: checklists.submit_scheme(w.draft, actor=a),
        lambda w: w.binjiang_chief, lambda w: w.auditor, lambda w: w.chief),
    "checklists:approve_scheme": Guard(
        lambda w, a: checklists.approve_scheme(w.submitted, actor=a, comment="同意"),
        lambda w: w.binjiang_chief, lambda w: w.inspector2, lambda w: w.chief),
    "checklists:return_scheme": Guard(
        lambda w, a: checklists.return_scheme(w.submitted, actor=a, reason="请补充"),
        lambda w: w.binjiang_chief, lambda w: w.approver, lambda w: w.chief),
    "checklists:can_review": Guard(
        lambda w, a: checklists.can_review(w.submitted, a),
        lambda w: w.binjiang_chief, lambda w: w.inspector, lambda w: w.chief, predicate=True),
    "checklists:can_approve": Guard(
        lambda w, a: checklists.can_approve(w.submitted, a),
        lambda w: w.binjiang_chief, lambda w: w.inspector2, lambda w: w.chief,
        predicate=True),
    "checklists:can_edit": Guard(
        lambda w, a: checklists.can_edit(w.draft, a),
        lambda w: w.binjiang_chief, lambda w: w.auditor, lambda w: w.chief, predicate=True),
    # --- draws ---
    "draws:create_object_directory": Guard(
        lambda w, a: draws.create_object_directory(a, "新名录", {}, w.xihu),
        lambda w: w.binjiang_approver, lambda w: w.inspector, lambda w: w.approver),
    "draws:create_item_list": Guard(
        lambda w, a: draws.create_item_list(a, "新事项", [w.template], w.xihu),
        lambda w: w.binjiang_approver, lambda w: w.auditor, lambda w: w.chief),
    "draws:declare_conflict": Guard(
        lambda w, a: draws.declare_conflict(a, w.inspector2, w.unit, "亲属在该单位任职"),
        lambda w: w.binjiang_approver, lambda w: w.auditor, lambda w: w.chief),
    "draws:perform_draw": Guard(
        lambda w, a: draws.perform_draw(a, w.directory, w.item_list, YEAR, 6, 2, seed="g2"),
        lambda w: w.binjiang_approver, lambda w: w.inspector, lambda w: w.approver),
    "draws:redraw": Guard(
        lambda w, a: draws.redraw(w.draw, a, "名录库有误"),
        lambda w: w.binjiang_approver, lambda w: w.inspector, lambda w: w.chief),
    "draws:publish_results": Guard(
        lambda w, a: draws.publish_results(w.draw, a),
        lambda w: w.binjiang_approver, lambda w: w.auditor, lambda w: w.approver),
    # --- key supervision ---
    "key_supervision:create_key_inspections": Guard(
        lambda w, a: key_supervision.create_key_inspections(w.plan, a),
        lambda w: w.binjiang_approver, lambda w: w.inspector, lambda w: w.chief),
}

REFUSALS = (DomainError, Http404, PermissionDenied)


def fingerprint() -> dict[str, list[Any]]:
    """Every row the services of these sub-packages write, and the audit trail."""
    return {
        "schemes": list(InspectionScheme.objects.order_by("pk").values_list(
            "pk", "status", "title", "approved_by_id")),
        "directories": list(ObjectDirectory.objects.order_by("pk").values_list("pk", "name")),
        "item_lists": list(DrawItemList.objects.order_by("pk").values_list("pk", "name")),
        "conflicts": list(ConflictDeclaration.objects.order_by("pk").values_list("pk")),
        "draws": list(RandomDraw.objects.order_by("pk").values_list(
            "pk", "results_published_at")),
        "planned": list(PlannedInspection.objects.order_by("pk").values_list("pk", "status")),
        "audit": list(AuditEvent.objects.order_by("pk").values_list("pk")),
    }


def test_every_service_has_a_guard_case() -> None:
    discovered = discover()
    assert discovered, "no service discovered"
    assert sorted(GUARDS) == discovered


@pytest.mark.parametrize("name", discover())
def test_service_refuses_outsider_and_wrong_role(name: str, world: World) -> None:
    guard = GUARDS.get(name)
    assert guard is not None, f"{name} takes an actor but has no case in GUARDS"
    for label, actor in (("outsider", guard.outsider(world)),
                         ("wrong role", guard.wrong_role(world))):
        before = fingerprint()
        if guard.predicate:
            assert guard.call(world, actor) is False, (name, label)
        else:
            with pytest.raises(REFUSALS):
                guard.call(world, actor)
        assert fingerprint() == before, (name, label)
    # The control: an allowed actor passes with the same arguments.
    result = guard.call(world, guard.allowed(world))
    if guard.predicate:
        assert result is True, name


def test_out_of_jurisdiction_writes_are_403_with_a_chinese_message(world: World) -> None:
    """The draws and key supervision answer Forbidden (403) themselves, with Chinese."""
    for call in (lambda a: draws.publish_results(world.draw, a),
                 lambda a: draws.redraw(world.draw, a, "越权重抽"),
                 lambda a: draws.perform_draw(a, world.directory, world.item_list, YEAR, 7,
                                              1, seed="x"),
                 lambda a: key_supervision.create_key_inspections(world.plan, a)):
        with pytest.raises(DomainError) as refused:
            call(world.binjiang_approver)
        assert refused.value.status_code == 403
        assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.detail)
