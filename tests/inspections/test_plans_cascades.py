"""Cascades: planned inspections done or cancelled (PLANNED_INSPECTION_WORKFLOW), and a
published version superseded by its amendment (PLAN_WORKFLOW), each through the
workflow primitive and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workflow import IllegalTransition
from inspections.plans import services as plans
from inspections.plans.models import (
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
    PlanReview,
)
from tests.conftest import make_user
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db
P = PlannedInspection.Status
S = EnforcementPlan.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def xihu(reference_data: None) -> Authority:
    return Authority.objects.get(code="EM-330106")


def _planned(authority: Authority, n: int, *, serial: int = 700, status: str = P.PLANNED,
             year: int = 2027) -> list[PlannedInspection]:
    ent = enterprise(f"杭州级联测试{serial}有限公司", serial)
    return PlannedInspection.objects.bulk_create(
        PlannedInspection(authority=authority, enterprise=ent, category="random",
                          source="draw", year=year, month=1 + i % 12, status=status)
        for i in range(n))


# --- mark_planned_done ---

def test_mark_done_moves_through_the_workflow_and_is_audited(xihu, xihu_inspector):
    row = _planned(xihu, 1)[0]
    done = plans.mark_planned_done(row, actor=xihu_inspector)
    assert done.status == P.DONE and done.done_at is not None
    stored = PlannedInspection.objects.get(pk=row.pk)
    assert (stored.status, stored.done_at) == (P.DONE, done.done_at)
    event = AuditEvent.objects.get(action="planned_inspection.done")
    assert event.old_values == {"status": "planned"}
    assert event.new_values == {"status": "done", "planned_inspection": row.pk}
    assert event.actor_id == xihu_inspector.pk
    assert (event.object_type, event.object_id) == ("enterprises.enterprise",
                                                   str(row.enterprise_id))


def test_mark_done_is_idempotent_even_from_a_stale_instance(xihu, xihu_inspector):
    row = _planned(xihu, 1)[0]
    first = plans.mark_planned_done(row, actor=xihu_inspector)
    events = AuditEvent.objects.count()
    # `row` still says "planned" in memory: the locked row decides.
    again = plans.mark_planned_done(row, actor=xihu_inspector)
    assert again.status == P.DONE and again.done_at == first.done_at
    assert AuditEvent.objects.count() == events


def test_a_cancelled_planned_inspection_cannot_be_done(xihu, xihu_inspector):
    row = _planned(xihu, 1, status=P.CANCELLED)[0]
    events = AuditEvent.objects.count()
    with pytest.raises(IllegalTransition) as exc:
        plans.mark_planned_done(row, actor=xihu_inspector)
    assert exc.value.status_code == 409 and "已取消" in exc.value.detail
    assert PlannedInspection.objects.get(pk=row.pk).status == P.CANCELLED
    assert AuditEvent.objects.count() == events


# --- cancel_planned_inspections ---

def _cancel_queries(authority: Authority, chief: Any, n: int, serial: int) -> int:
    rows = _planned(authority, n, serial=serial)
    qs = PlannedInspection.objects.filter(pk__in=[r.pk for r in rows])
    actor = User.objects.get(pk=chief.pk)  # nothing cached from an earlier call
    with CaptureQueriesContext(connection) as ctx:
        cancelled = plans.cancel_planned_inspections(qs, actor=actor, reason="重新抽取")
    assert sorted(cancelled) == sorted(r.pk for r in rows)
    return len(ctx.captured_queries)


def test_cancel_is_set_based(xihu, xihu_chief):
    """The same number of queries for 3 and for 30 rows (one lock, one UPDATE, one
    batched audit append), and one event per row."""
    few = _cancel_queries(xihu, xihu_chief, 3, 701)
    many = _cancel_queries(xihu, xihu_chief, 30, 702)
    assert few == many, (few, many)
    # The actor's jurisdiction, the scope check, the locking SELECT, one UPDATE and the
    # audit append (lock, last hash, one INSERT), plus savepoints.
    assert few <= 14
    assert AuditEvent.objects.filter(action="planned_inspection.cancelled").count() == 33
    event = AuditEvent.objects.filter(action="planned_inspection.cancelled").first()
    assert event is not None and event.reason == "重新抽取"
    assert event.old_values == {"status": "planned"}


def test_cancel_is_idempotent_and_leaves_done_rows_alone(xihu, xihu_chief, xihu_inspector):
    rows = _planned(xihu, 4)
    plans.mark_planned_done(rows[0], actor=xihu_inspector)
    qs = PlannedInspection.objects.filter(authority=xihu)
    assert sorted(plans.cancel_planned_inspections(qs, actor=xihu_chief, reason="重抽")) == \
        sorted(r.pk for r in rows[1:])
    events = AuditEvent.objects.count()
    assert plans.cancel_planned_inspections(qs, actor=xihu_chief, reason="重抽") == []
    assert AuditEvent.objects.count() == events
    assert dict(qs.values_list("pk", "status")) == {
        rows[0].pk: P.DONE, **{r.pk: P.CANCELLED for r in rows[1:]}}


def test_cancel_refuses_a_set_reaching_outside_the_jurisdiction(xihu, xihu_chief,
                                                                municipal_admin):
    binjiang = Authority.objects.get(code="EM-330108")
    ours, theirs = _planned(xihu, 2, serial=703), _planned(binjiang, 2, serial=704)
    qs = PlannedInspection.objects.filter(pk__in=[r.pk for r in ours + theirs])
    with pytest.raises(Forbidden):
        plans.cancel_planned_inspections(qs, actor=xihu_chief, reason="重抽")
    assert set(qs.values_list("status", flat=True)) == {P.PLANNED}
    with pytest.raises(InvalidInput):
        plans.cancel_planned_inspections(qs, actor=municipal_admin, reason=" ")
    assert len(plans.cancel_planned_inspections(qs, actor=municipal_admin,
                                                reason="全市统一调整")) == 4


# --- A published version superseded by its amendment ---

def _published(xihu: Authority, chief: Any, approver: Any) -> EnforcementPlan:
    plan = plans.create_plan(authority=xihu, year=2027, actor=chief)
    plans.set_quotas(plan, [{"category": PlanCategory.RANDOM, "month": 1, "planned": 2}],
                     actor=chief)
    plans.submit_plan(plan, actor=chief)
    plans.approve_plan(EnforcementPlan.objects.get(pk=plan.pk), actor=approver)
    return plans.publish_plan(EnforcementPlan.objects.get(pk=plan.pk), actor=approver)


def test_publishing_an_amendment_supersedes_through_the_workflow(xihu, xihu_chief,
                                                                 xihu_approver):
    v1 = _published(xihu, xihu_chief, xihu_approver)
    v2 = plans.amend_plan(v1, actor=xihu_chief, reason="增加车辆")
    plans.submit_plan(v2, actor=xihu_chief)
    plans.approve_plan(EnforcementPlan.objects.get(pk=v2.pk), actor=xihu_approver)
    plans.publish_plan(EnforcementPlan.objects.get(pk=v2.pk), actor=xihu_chief)  # an author
    assert EnforcementPlan.objects.get(pk=v1.pk).status == S.SUPERSEDED
    assert EnforcementPlan.objects.get(pk=v2.pk).status == S.PUBLISHED
    event = AuditEvent.objects.get(action="plan.superseded")
    assert event.old_values == {"status": "published"}
    assert event.new_values == {"status": "superseded", "plan": v1.pk, "version": 1,
                                "superseded_by": v2.pk}
    assert event.actor_id == xihu_chief.pk and event.reason == "被第2版替代"
    review = PlanReview.objects.get(plan=v1, step="superseded")
    assert review.comment == "被第2版替代"
    # The supersede event comes right before the publication of v2.
    actions = list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2])
    assert actions == ["plan.published", "plan.superseded"]


def test_a_chief_who_did_not_write_the_version_cannot_publish_it(xihu, xihu_chief,
                                                                 xihu_approver):
    plan = plans.create_plan(authority=xihu, year=2027, actor=xihu_chief)
    plans.set_quotas(plan, [{"category": "random", "month": 1, "planned": 2}],
                     actor=xihu_chief)
    plans.submit_plan(plan, actor=xihu_chief)
    plans.approve_plan(EnforcementPlan.objects.get(pk=plan.pk), actor=xihu_approver)
    other = make_user("c_xihu_chief2", Role.SECTION_CHIEF, "EM-330106", cert="C330106004")
    with pytest.raises(Forbidden):
        plans.publish_plan(EnforcementPlan.objects.get(pk=plan.pk), actor=other)
    assert EnforcementPlan.objects.get(pk=plan.pk).status == S.APPROVED
