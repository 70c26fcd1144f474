"""The transition primitive itself (hangzhou_safety.workflow), on real registered
workflows: the Deadline clock (workdays) and the major hazard source filing (enterprises).

What it must guarantee: an illegal move is a 409 that writes nothing; the table check
and the guard see the locked, re-read row; only the status and the step's fields are
saved; the audit event carries old/new status, actor and reason; side effects run
only after commit; transition_many moves only what may move, is idempotent, audits
each row in one verified chain and costs the same for 3 rows as for 30.
"""

from __future__ import annotations

import datetime
import re
import threading
import time
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.models import (
    HAZARD_SOURCE_TRANSITIONS,
    HAZARD_SOURCE_WORKFLOW,
    Enterprise,
    MajorHazardSource,
)
from hangzhou_safety import workflow as workflow_module
from hangzhou_safety.accounts.models import Jurisdiction
from hangzhou_safety.api.errors import DomainError, Forbidden
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.audit.services import verify_chain
from hangzhou_safety.workdays.models import (
    DEADLINE_WORKFLOW,
    TRANSITIONS,
    Deadline,
    DeadlinePause,
)
from hangzhou_safety.workflow import (
    REGISTRY,
    IllegalTransition,
    Workflow,
    lock,
    register,
    transition,
    transition_many,
)
from tests.enterprises.test_enterprise_core import make_uscc

Status = Deadline.Status
HazardStatus = MajorHazardSource.Status


# --- Rows built directly, as a fixture would --------------------------------------------

def make_deadline(status: str = Status.RUNNING, **extra: Any) -> Deadline:
    now = timezone.now()
    fields: dict[str, Any] = {
        "label": "行政处罚决定送达", "kind": Deadline.Kind.WORKING_DAYS, "amount": 10,
        "started_at": now - datetime.timedelta(days=3),
        "due_at": now + datetime.timedelta(days=11), "status": status,
    }
    if status == Status.PAUSED:
        fields["paused_at"] = now - datetime.timedelta(days=1)
    if status in (Status.MET, Status.CANCELLED):
        fields["completed_at"] = now - datetime.timedelta(hours=1)
    fields.update(extra)
    return Deadline.objects.create(**fields)


_serial = iter(range(70000, 99999))


def make_hazard_source(status: str = HazardStatus.SUBMITTED,
                       enterprise: Enterprise | None = None) -> MajorHazardSource:
    if enterprise is None:
        enterprise = Enterprise(name=f"杭州工作流测试化工{next(_serial)}厂",
                                uscc=make_uscc(next(_serial)),
                                location=Jurisdiction.objects.get(code="330106002"))
        enterprise.save()
    return MajorHazardSource.objects.create(enterprise=enterprise, name="液氨罐区", level=2,
                                            substances=[], status=status)


def row_values(model: type[Any], pk: Any) -> dict[str, Any]:
    return dict(model.objects.filter(pk=pk).values().get())


def update_columns(queries: list[dict[str, Any]], table: str) -> list[set[str]]:
    """The column sets of every UPDATE of ``table`` in captured queries."""
    found = []
    for query in queries:
        match = re.match(r'UPDATE "(\w+)" SET (.*?) WHERE ', query["sql"])
        if match and match.group(1) == table:
            found.append(set(re.findall(r'"(\w+)" = ', match.group(2))))
    return found


def writes(queries: list[dict[str, Any]]) -> list[str]:
    return [q["sql"] for q in queries
            if q["sql"].split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


# --- Registration -----------------------------------------------------------------------

def test_both_workflows_are_registered_with_their_tables() -> None:
    assert REGISTRY["workdays.deadline"] is DEADLINE_WORKFLOW
    assert DEADLINE_WORKFLOW.transitions is TRANSITIONS
    assert REGISTRY["enterprises.majorhazardsource"] is HAZARD_SOURCE_WORKFLOW
    assert HAZARD_SOURCE_WORKFLOW.transitions is HAZARD_SOURCE_TRANSITIONS


def test_register_keys_by_model_and_status_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workflow_module, "REGISTRY", {})
    plain = register(Workflow(model=Deadline, transitions=TRANSITIONS, event_prefix="t",
                              label_zh="期限", label_en="deadline"))
    other = register(Workflow(model=Deadline, transitions={}, event_prefix="t",
                              label_zh="期限", label_en="deadline", status_field="kind"))
    registered = workflow_module.REGISTRY
    assert registered == {"workdays.deadline": plain, "workdays.deadline.kind": other}


# --- Illegal moves ----------------------------------------------------------------------

@pytest.mark.django_db
def test_an_illegal_move_is_a_409_and_writes_nothing(municipal_admin: Any) -> None:
    deadline = make_deadline(Status.MET)
    before, events = row_values(Deadline, deadline.pk), AuditEvent.objects.count()
    called: list[str] = []
    with CaptureQueriesContext(connection) as ctx, \
            pytest.raises(IllegalTransition) as caught:
        transition(DEADLINE_WORKFLOW, deadline, Status.PAUSED, actor=municipal_admin,
                   guard=lambda row: called.append("guard"),
                   changes=lambda row: called.append("changes") or {},
                   on_commit=[lambda: called.append("on_commit")])
    error = caught.value
    assert isinstance(error, DomainError)
    assert (error.status_code, error.code) == (409, "illegal_transition")
    assert error.detail == "法定期限当前状态为“已完成”，不能变更为“已中止计时”。"
    assert error.detail_en == "A deadline in status 'met' cannot move to 'paused'."
    assert called == []                          # neither the guard nor the changes ran
    assert writes(ctx.captured_queries) == []   # not one INSERT / UPDATE / DELETE
    assert row_values(Deadline, deadline.pk) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_refused_step_keeps_its_own_wording() -> None:
    deadline = make_deadline(Status.CANCELLED)
    with pytest.raises(IllegalTransition) as caught:
        transition(DEADLINE_WORKFLOW, deadline, Status.RUNNING, actor=None,
                   refusal=("只有已中止计时的期限才能恢复计时",
                            "Only a paused deadline can be resumed"))
    assert caught.value.detail == "只有已中止计时的期限才能恢复计时（当前状态：已撤销）。"
    assert caught.value.detail_en == ("Only a paused deadline can be resumed "
                                      "(current status: cancelled).")


@pytest.mark.django_db
def test_an_illegal_move_through_the_api_is_409_illegal_transition(
        api_as: Any, xihu_chief: Any) -> None:
    source = make_hazard_source(HazardStatus.SUBMITTED)
    before, events = row_values(MajorHazardSource, source.pk), AuditEvent.objects.count()
    url = f"/api/v1/enterprises/{source.enterprise_id}/hazard-sources/{source.pk}/cancel/"
    response = api_as(xihu_chief).post(url, {"reason": "装置已拆除"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["detail"] == "重大危险源当前状态为“已申报”，不能变更为“已核销”。"
    assert body["detail_en"] == ("A major hazard source in status 'submitted' cannot move "
                                 "to 'cancelled'.")
    assert row_values(MajorHazardSource, source.pk) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_guard_that_refuses_writes_nothing(municipal_admin: Any) -> None:
    deadline = make_deadline(Status.RUNNING)
    before, events = row_values(Deadline, deadline.pk), AuditEvent.objects.count()

    def refuse(row: Deadline) -> None:
        raise Forbidden("您无权中止该期限。", "You may not pause this deadline.")

    with pytest.raises(Forbidden):
        transition(DEADLINE_WORKFLOW, deadline, Status.PAUSED, actor=municipal_admin,
                   guard=refuse, changes={"paused_at": timezone.now()})
    assert row_values(Deadline, deadline.pk) == before
    assert AuditEvent.objects.count() == events


# --- The locked, re-read row ------------------------------------------------------------

@pytest.mark.django_db
def test_check_and_guard_see_the_locked_re_read_row_not_the_callers_copy() -> None:
    deadline = make_deadline(Status.RUNNING, amount=10)
    stale = Deadline.objects.get(pk=deadline.pk)
    # Another writer commits after the caller loaded its copy.
    Deadline.objects.filter(pk=deadline.pk).update(amount=25)
    seen: list[tuple[int, bool]] = []

    def guard(row: Deadline) -> None:
        seen.append((row.amount, row is stale))

    moved = transition(DEADLINE_WORKFLOW, stale, Status.MET, actor=None, guard=guard,
                       changes=lambda row: {"completed_at": timezone.now()})
    assert seen == [(25, False)]
    assert moved.amount == 25 and stale.amount == 10
    assert row_values(Deadline, deadline.pk)["amount"] == 25

    # The table check reads the locked row too: the caller's copy still says running.
    Deadline.objects.filter(pk=deadline.pk).update(status=Status.CANCELLED)
    assert stale.status == Status.RUNNING
    with pytest.raises(IllegalTransition):
        transition(DEADLINE_WORKFLOW, stale, Status.PAUSED, actor=None)


@pytest.mark.django_db
def test_lock_issues_select_for_update() -> None:
    deadline = make_deadline()
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        row = lock(DEADLINE_WORKFLOW, deadline.pk)
    assert row.pk == deadline.pk
    assert any(q["sql"].endswith("FOR UPDATE") for q in ctx.captured_queries)


# --- update_fields ----------------------------------------------------------------------

@pytest.mark.django_db
def test_only_the_status_the_step_fields_and_touch_fields_are_saved() -> None:
    deadline = make_deadline(Status.RUNNING)
    held = Deadline.objects.get(pk=deadline.pk)       # the copy the caller holds
    # A concurrent change to columns the step does not own.
    Deadline.objects.filter(pk=deadline.pk).update(label="另一人改过的名称", amount=30)
    paused_at = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        transition(DEADLINE_WORKFLOW, held, Status.PAUSED, actor=None, locked=held,
                   changes={"paused_at": paused_at})
    assert update_columns(ctx.captured_queries, "workdays_deadline") == [
        {"status", "paused_at", "updated_at"}]
    stored = Deadline.objects.get(pk=deadline.pk)
    # The stale copy (label, amount) was not written back over the other change.
    assert (stored.label, stored.amount) == ("另一人改过的名称", 30)
    assert (stored.status, stored.paused_at) == (Status.PAUSED, paused_at)
    assert stored.updated_at > deadline.updated_at   # the auto_now touch field went along


@pytest.mark.django_db
def test_hazard_source_step_saves_its_own_fields_only(xihu_chief: Any) -> None:
    source = make_hazard_source(HazardStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as ctx:
        transition(HAZARD_SOURCE_WORKFLOW, source, HazardStatus.FILED, actor=xihu_chief,
                   changes={"filing_date": datetime.date(2026, 3, 2),
                            "filing_authority": xihu_chief.authority})
    assert update_columns(ctx.captured_queries, "enterprises_majorhazardsource") == [
        {"status", "filing_date", "filing_authority_id"}]


# --- The audit event --------------------------------------------------------------------

@pytest.mark.django_db
def test_the_audit_event_has_old_and_new_status_actor_and_reason(
        municipal_admin: Any) -> None:
    xihu = Jurisdiction.objects.get(code="330106")
    deadline = make_deadline(Status.RUNNING, object_id=str(xihu.pk),
                             content_type=_content_type(Jurisdiction))
    paused_at = timezone.now()
    transition(DEADLINE_WORKFLOW, deadline, Status.PAUSED, actor=municipal_admin,
               changes={"paused_at": paused_at}, reason="举行听证",
               event="workdays.deadline_paused", extra={"paused_at": paused_at},
               extra_old=lambda row: {"due_at": row.due_at})
    event = AuditEvent.objects.get()
    assert event.action == "workdays.deadline_paused"
    assert (event.actor_id, event.actor_name) == (municipal_admin.pk, "市局管理员")
    assert (event.object_type, event.object_id) == ("workdays.deadline", str(deadline.pk))
    as_json = DjangoJSONEncoder().default
    assert event.old_values == {"status": "running", "due_at": as_json(deadline.due_at)}
    assert event.new_values == {"status": "paused", "deadline": deadline.pk,
                                "paused_at": as_json(paused_at)}
    assert event.reason == "举行听证"
    # Scoped by the clock's subject (西湖区), not by the municipal actor.
    assert event.jurisdiction_path == xihu.path
    assert verify_chain().ok


@pytest.mark.django_db
def test_default_event_name_and_subject(xihu_chief: Any) -> None:
    source = make_hazard_source(HazardStatus.SUBMITTED)
    transition(HAZARD_SOURCE_WORKFLOW, source, HazardStatus.FILED, actor=xihu_chief,
               reason="备案")
    event = AuditEvent.objects.get()
    assert event.action == "hazard_source.filed"
    assert (event.object_type, event.object_id) == ("enterprises.enterprise",
                                                    str(source.enterprise_id))
    assert event.new_values == {"status": "filed", "hazard_source": source.pk}
    assert event.old_values == {"status": "submitted"}


def _content_type(model: type[Any]) -> Any:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


# --- Side effects after commit ----------------------------------------------------------

@pytest.mark.django_db
def test_on_commit_callbacks_wait_for_the_commit(
        django_capture_on_commit_callbacks: Any) -> None:
    deadline = make_deadline(Status.RUNNING)
    fired: list[str] = []
    with django_capture_on_commit_callbacks() as callbacks:
        transition(DEADLINE_WORKFLOW, deadline, Status.MET, actor=None,
                   changes={"completed_at": timezone.now()},
                   on_commit=[lambda: fired.append("notify")])
        assert fired == []
    assert len(callbacks) == 1 and fired == []
    callbacks[0]()
    assert fired == ["notify"]


@pytest.mark.django_db
def test_on_commit_callbacks_are_dropped_on_rollback_and_on_refusal(
        django_capture_on_commit_callbacks: Any) -> None:
    running, met = make_deadline(Status.RUNNING), make_deadline(Status.MET)
    fired: list[str] = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            transition(DEADLINE_WORKFLOW, running, Status.MET, actor=None,
                       changes={"completed_at": timezone.now()},
                       on_commit=[lambda: fired.append("rolled back")])
            raise RuntimeError("the caller's transaction fails afterwards")
        with pytest.raises(IllegalTransition):
            transition(DEADLINE_WORKFLOW, met, Status.PAUSED, actor=None,
                       on_commit=[lambda: fired.append("refused")])
    assert callbacks == [] and fired == []
    assert Deadline.objects.get(pk=running.pk).status == Status.RUNNING
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_on_commit_fires_after_a_real_commit_only() -> None:
    committed, rolled_back = make_deadline(Status.RUNNING), make_deadline(Status.RUNNING)
    fired: list[int] = []
    with transaction.atomic():
        transition(DEADLINE_WORKFLOW, committed, Status.MET, actor=None,
                   changes={"completed_at": timezone.now()},
                   on_commit=[lambda: fired.append(committed.pk)])
        assert fired == []        # the caller's transaction is still open
    assert fired == [committed.pk]

    with pytest.raises(RuntimeError), transaction.atomic():
        transition(DEADLINE_WORKFLOW, rolled_back, Status.MET, actor=None,
                   changes={"completed_at": timezone.now()},
                   on_commit=[lambda: fired.append(rolled_back.pk)])
        raise RuntimeError("rolled back")
    assert fired == [committed.pk]
    assert Deadline.objects.get(pk=rolled_back.pk).status == Status.RUNNING
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_of_one_row_take_turns_on_the_lock() -> None:
    """Two connections: the second waits for the first's lock, then re-reads the row
    and finds the move no longer allowed."""
    deadline = make_deadline(Status.RUNNING)
    first_holds, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                transition(DEADLINE_WORKFLOW, deadline.pk, Status.MET, actor=None,
                           changes={"completed_at": timezone.now()})
                first_holds.set()
                release.wait(10)
        finally:
            connection.close()

    def second() -> None:
        first_holds.wait(10)
        try:
            transition(DEADLINE_WORKFLOW, deadline.pk, Status.PAUSED, actor=None,
                       changes={"paused_at": timezone.now()})
            outcome["second"] = "moved"
        except IllegalTransition as exc:
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_holds.wait(10)
    time.sleep(0.5)
    assert threads[1].is_alive(), "the second mover did not wait for the row lock"
    release.set()
    for thread in threads:
        thread.join(20)
    assert isinstance(outcome["second"], IllegalTransition)
    assert Deadline.objects.get(pk=deadline.pk).status == Status.MET
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "workdays.deadline.met"]
    assert verify_chain().ok


# --- transition_many --------------------------------------------------------------------

@pytest.mark.django_db
def test_transition_many_moves_only_rows_whose_status_allows_it(
        municipal_admin: Any) -> None:
    rows = {status: make_deadline(status) for status in Status.values}
    extra_running = make_deadline(Status.RUNNING)
    untouched = {status: row_values(Deadline, rows[status].pk)
                 for status in (Status.MET, Status.CANCELLED)}
    now = timezone.now()
    moved = transition_many(DEADLINE_WORKFLOW, Deadline.objects.all(), Status.CANCELLED,
                            actor=municipal_admin, changes={"completed_at": now},
                            reason="撤销立案", event="workdays.deadline_cancelled")
    expected = sorted([rows[Status.RUNNING].pk, rows[Status.PAUSED].pk, extra_running.pk])
    assert [row.pk for row in moved] == expected
    # Returned as they were before the move.
    assert {row.pk: row.status for row in moved} == {
        rows[Status.RUNNING].pk: Status.RUNNING, rows[Status.PAUSED].pk: Status.PAUSED,
        extra_running.pk: Status.RUNNING}
    for pk in expected:
        stored = Deadline.objects.get(pk=pk)
        assert (stored.status, stored.completed_at) == (Status.CANCELLED, now)
        assert stored.updated_at >= now            # touch field set by the UPDATE
    for status, values in untouched.items():
        assert row_values(Deadline, rows[status].pk) == values

    events = list(AuditEvent.objects.order_by("id"))
    assert [e.object_id for e in events] == [str(pk) for pk in expected]
    assert [e.old_values["status"] for e in events] == ["running", "paused", "running"]
    for event in events:
        assert event.action == "workdays.deadline_cancelled"
        assert event.new_values["status"] == "cancelled"
        assert event.new_values["deadline"] == int(event.object_id)
        assert (event.actor_id, event.reason) == (municipal_admin.pk, "撤销立案")
    assert verify_chain().ok


@pytest.mark.django_db
def test_transition_many_twice_changes_nothing_the_second_time() -> None:
    for _ in range(3):
        make_deadline(Status.RUNNING)
    first = transition_many(DEADLINE_WORKFLOW, Deadline.objects.all(), Status.CANCELLED)
    assert len(first) == 3
    before = list(Deadline.objects.order_by("pk").values())
    with CaptureQueriesContext(connection) as ctx:
        again = transition_many(DEADLINE_WORKFLOW, Deadline.objects.all(), Status.CANCELLED)
    assert again == []
    assert writes(ctx.captured_queries) == []
    assert list(Deadline.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == 3
    check = verify_chain()
    assert check.ok and check.checked == 3


@pytest.mark.django_db
def test_transition_many_with_nothing_to_move_is_one_select() -> None:
    make_deadline(Status.MET)
    with CaptureQueriesContext(connection) as ctx:
        assert transition_many(DEADLINE_WORKFLOW, Deadline.objects.all(), Status.PAUSED) == []
    selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1 and 'FOR UPDATE OF "workdays_deadline"' in selects[0]
    assert not AuditEvent.objects.exists()


def _many_queries(workflow: Workflow, queryset: Any, to: str, **kwargs: Any) -> list[str]:
    if kwargs.get("actor") is not None:
        # A fresh copy each time, so every call pays for the actor's authority alike.
        kwargs["actor"] = type(kwargs["actor"]).objects.get(pk=kwargs["actor"].pk)
    with CaptureQueriesContext(connection) as ctx:
        moved = transition_many(workflow, queryset, to, **kwargs)
    assert len(moved) == queryset.count()
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_transition_many_costs_the_same_for_3_rows_and_for_30(
        municipal_admin: Any) -> None:
    small = [make_deadline().pk for _ in range(3)]
    large = [make_deadline().pk for _ in range(30)]
    kwargs = {"actor": municipal_admin, "reason": "批量撤销"}
    few = _many_queries(DEADLINE_WORKFLOW, Deadline.objects.filter(pk__in=small),
                        Status.CANCELLED, **kwargs)
    many = _many_queries(DEADLINE_WORKFLOW, Deadline.objects.filter(pk__in=large),
                         Status.CANCELLED, **kwargs)
    assert len(few) == len(many)
    assert sum(sql.startswith('UPDATE "workdays_deadline"') for sql in many) == 1
    assert sum(sql.startswith('INSERT INTO "audit_auditevent"') for sql in many) == 1
    assert AuditEvent.objects.count() == 33
    assert verify_chain().ok


@pytest.mark.django_db
def test_transition_many_with_a_related_subject_costs_the_same_too(xihu_chief: Any) -> None:
    def sources(n: int) -> list[int]:
        enterprises = [make_hazard_source().enterprise for _ in range(2)]
        return [make_hazard_source(HazardStatus.FILED, enterprises[i % 2]).pk
                for i in range(n)]

    small, large = sources(3), sources(30)
    kwargs = {"actor": xihu_chief, "reason": "装置拆除", "subject_related": ("enterprise",),
              "changes": {"cancelled_at": datetime.date(2026, 3, 2)}}
    few = _many_queries(HAZARD_SOURCE_WORKFLOW,
                        MajorHazardSource.objects.filter(pk__in=small),
                        HazardStatus.CANCELLED, **kwargs)
    many = _many_queries(HAZARD_SOURCE_WORKFLOW,
                         MajorHazardSource.objects.filter(pk__in=large),
                         HazardStatus.CANCELLED, **kwargs)
    assert len(few) == len(many)
    events = AuditEvent.objects.filter(action="hazard_source.cancelled")
    assert events.count() == 33
    assert {e.object_type for e in events} == {"enterprises.enterprise"}
    assert verify_chain().ok


@pytest.mark.django_db
def test_transition_many_joins_nothing_unasked(reference_data: None) -> None:
    """Regression: select_related() without names joins every non-null foreign key
    (the enterprise, its location, ...); with no subject_related nothing is joined."""
    bare = Workflow(model=MajorHazardSource, transitions=HAZARD_SOURCE_TRANSITIONS,
                    event_prefix="hazard_source", label_zh="重大危险源",
                    label_en="major hazard source")   # not registered: a test double
    make_hazard_source(HazardStatus.FILED)
    queries = _many_queries(bare, MajorHazardSource.objects.all(), HazardStatus.CANCELLED)
    select = next(sql for sql in queries if "FOR UPDATE" in sql)
    assert "JOIN" not in select


@pytest.mark.django_db
def test_transition_many_locks_only_its_own_rows(reference_data: None) -> None:
    make_hazard_source(HazardStatus.FILED)
    queries = _many_queries(HAZARD_SOURCE_WORKFLOW, MajorHazardSource.objects.all(),
                            HazardStatus.CANCELLED, subject_related=("enterprise",))
    select = next(sql for sql in queries if "FOR UPDATE" in sql)
    assert 'FOR UPDATE OF "enterprises_majorhazardsource"' in select


@pytest.mark.django_db
def test_deadline_services_write_their_pause_records_only_for_a_legal_move(
        municipal_admin: Any, calendar_data: None) -> None:
    from hangzhou_safety.workdays import services

    met = make_deadline(Status.MET)
    with pytest.raises(IllegalTransition):
        services.pause_deadline(met, actor=municipal_admin, reason="举行听证")
    assert not DeadlinePause.objects.filter(deadline=met).exists()
    running = make_deadline(Status.RUNNING)
    services.pause_deadline(running, actor=municipal_admin, reason="举行听证")
    assert DeadlinePause.objects.filter(deadline=running, resumed_at=None).count() == 1
