"""The one transition primitive every status change of every app goes through.

A workflow is a ``Status`` TextChoices on a model plus a ``TRANSITIONS`` table
beside it (DESIGN.md, "Workflows"). Each app declares its workflows once with
:func:`register` and every step service calls :func:`transition`, which

1. re-reads the row with ``SELECT ... FOR UPDATE`` *before* any check that
   depends on related rows, so a concurrent writer (an answer arriving while the
   findings are completed) waits for us or we for it, and nobody counts stale rows;
2. checks the move against the table (an illegal move is HTTP 409);
3. runs the step's guard on the locked row (role, jurisdiction, separation of
   duties, business preconditions);
4. saves with ``update_fields`` only the status and the step's own fields;
5. appends the audit event (old and new status, actor, reason) in the same
   transaction;
6. enqueues side effects with ``transaction.on_commit``, so a task never sees a
   change that was rolled back.

:func:`transition_many` is the set-based variant for sweeps and cascades over
many rows (the overdue sweep, a redraw cancelling its planned inspections): one
locking SELECT, one conditional UPDATE and one batched audit append, whatever
the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.services import EventSpec, record_event, record_events

M = TypeVar("M", bound=models.Model)

Guard = Callable[[Any], None]
#: Values as a mapping, or as a function of the locked row.
Changes = Mapping[str, Any] | Callable[[Any], Mapping[str, Any]]


class IllegalTransition(DomainError):
    """The move is not in the workflow's TRANSITIONS table (HTTP 409)."""

    code = "illegal_transition"


@dataclass(frozen=True)
class Workflow:
    """One status machine: which model, which table, how its events are named.

    ``subject`` returns the object the audit event is about (for example the
    enterprise of an inspection), which also scopes the event to a jurisdiction;
    by default it is the row itself.
    """

    model: type[models.Model]
    transitions: Mapping[str, Collection[str]]
    event_prefix: str
    label_zh: str
    label_en: str
    status_field: str = "status"
    subject: Callable[[Any], Any] | None = None
    #: Fields Django updates on every save (auto_now) that must go with the status.
    touch_fields: tuple[str, ...] = ()
    #: Extra keys copied into the audit event's ``new`` values ("id key": pk by default).
    id_key: str = field(default="")
    #: The jurisdiction path the audit event is scoped to, when it is not the subject's
    #: own (a deadline is scoped by the case or inspection it runs for). Returning None
    #: falls back to the subject, then the actor. :func:`transition_many` calls it once
    #: per row, so it must not query.
    jurisdiction_path: Callable[[Any], str | None] | None = None
    #: Called when rows of this workflow change status: it invalidates answers cached
    #: from these rows (the public decisions, ``hangzhou_safety.cache.bump``). After
    #: commit is the call that matters: anything cached from the old state while the
    #: transaction was open dies with it. The call at the move serves the same
    #: connection's next reads, which see the change before any commit (a test's
    #: transaction is never committed).
    on_change: Callable[[], None] | None = None

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()
            transaction.on_commit(self.on_change)

    def audit_subject(self, obj: Any) -> Any:
        return self.subject(obj) if self.subject is not None else obj

    def audit_jurisdiction_path(self, obj: Any) -> str | None:
        return self.jurisdiction_path(obj) if self.jurisdiction_path is not None else None

    def allowed(self, current: str, to: str) -> bool:
        return to in self.transitions.get(current, ())

    def status_label(self, value: str) -> str:
        status_field = self.model._meta.get_field(self.status_field)
        return str(dict(status_field.flatchoices).get(value, value))  # type: ignore[union-attr]

    def illegal(self, current: str, to: str,
                refusal: tuple[str, str] | None = None) -> IllegalTransition:
        """The 409 for ``current`` → ``to``; ``refusal`` is the step's own wording
        (Chinese, English), to which the current status is appended."""
        if refusal is not None:
            zh, en = refusal
            return IllegalTransition(f"{zh}（当前状态：{self.status_label(current)}）。",
                                     f"{en} (current status: {current}).")
        return IllegalTransition(
            f"{self.label_zh}当前状态为“{self.status_label(current)}”，"
            f"不能变更为“{self.status_label(to)}”。",
            f"A {self.label_en} in status '{current}' cannot move to '{to}'.")


#: Every workflow of the project, filled by :func:`register` when the app's models
#: load. The transition test walks all of them, so none can escape it.
REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    key = workflow.model._meta.label_lower
    if workflow.status_field != "status":
        key = f"{key}.{workflow.status_field}"
    REGISTRY[key] = workflow
    return workflow


def _pk(obj_or_pk: Any) -> Any:
    return obj_or_pk.pk if isinstance(obj_or_pk, models.Model) else obj_or_pk


def lock(workflow: Workflow, obj_or_pk: Any) -> Any:
    """The row re-read under ``FOR UPDATE`` (call inside a transaction)."""
    return workflow.model._default_manager.select_for_update().get(pk=_pk(obj_or_pk))


def _values(values: Changes | None, row: Any) -> dict[str, Any]:
    return dict(values(row) if callable(values) else (values or {}))


def transition(
    workflow: Workflow,
    obj_or_pk: Any,
    to: str,
    *,
    actor: Any,
    guard: Guard | None = None,
    changes: Changes | None = None,
    reason: str = "",
    event: str | None = None,
    extra: Changes | None = None,
    extra_old: Changes | None = None,
    refusal: tuple[str, str] | None = None,
    on_commit: Iterable[Callable[[], Any]] = (),
    locked: Any = None,
) -> Any:
    """Move one row to ``to`` and return the saved, locked instance.

    ``guard(row)`` runs on the locked row after the move is checked and may raise
    any DomainError (Forbidden for role or jurisdiction, InvalidInput, ...).
    ``changes`` are the step's own fields, as a mapping or as a function of the
    locked row (called after the guard). ``extra_old`` and ``extra`` add keys to the
    audit event's old and new values; as functions they get the row before the
    changes and after the save. ``refusal`` is the step's own wording of the 409
    (see :meth:`Workflow.illegal`). Pass ``locked`` when the caller already holds
    the row lock (a service that must read related rows under the lock before
    deciding the move).
    """
    with transaction.atomic():
        row = locked if locked is not None else lock(workflow, obj_or_pk)
        current = getattr(row, workflow.status_field)
        if not workflow.allowed(current, to):
            raise workflow.illegal(current, to, refusal)
        if guard is not None:
            guard(row)
        old: dict[str, Any] = {"status": current}
        old.update(_values(extra_old, row))
        values = _values(changes, row)
        setattr(row, workflow.status_field, to)
        for name, value in values.items():
            setattr(row, name, value)
        row.save(update_fields=list(dict.fromkeys(
            [workflow.status_field, *values, *workflow.touch_fields])))
        new: dict[str, Any] = {"status": to, workflow.id_key or workflow.event_prefix: row.pk}
        new.update(_values(extra, row))
        record_event(event or f"{workflow.event_prefix}.{to}", actor=actor,
                     obj=workflow.audit_subject(row), old=old, new=new, reason=reason,
                     jurisdiction_path=workflow.audit_jurisdiction_path(row))
        workflow.changed()
        for callback in on_commit:
            transaction.on_commit(callback)
    return row


def transition_many(
    workflow: Workflow,
    queryset: models.QuerySet[Any],
    to: str,
    *,
    actor: Any = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    event: str | None = None,
    subject_related: Iterable[str] = (),
) -> list[Any]:
    """Set-based variant: move every row of ``queryset`` whose status allows ``to``.

    Rows whose status does not allow the move are left alone (a sweep run twice
    changes nothing the second time). Costs a fixed number of queries: one
    ``SELECT ... FOR UPDATE``, one ``UPDATE`` and one batched audit append.
    ``subject_related`` names the relations the audit subject needs
    (``select_related``), so building the events issues no query per row.
    Returns the moved rows as they were before the move (with ``status`` old).
    """
    sources = [s for s, targets in workflow.transitions.items() if to in targets]
    related = tuple(subject_related)
    with transaction.atomic():
        rows_qs = queryset.filter(**{f"{workflow.status_field}__in": sources})
        if related:
            # Never select_related() without names: that joins every non-null
            # foreign key, recursively.
            rows_qs = rows_qs.select_related(*related)
        rows = list(rows_qs.select_for_update(of=("self",)).order_by("pk"))
        if not rows:
            return []
        values = dict(changes or {})
        for name in workflow.touch_fields:  # .update() skips auto_now
            values.setdefault(name, timezone.now())
        workflow.model._default_manager.filter(pk__in=[r.pk for r in rows]).update(
            **{workflow.status_field: to}, **values)
        specs = []
        for row in rows:
            new = {"status": to, workflow.id_key or workflow.event_prefix: row.pk}
            specs.append(EventSpec(
                action=event or f"{workflow.event_prefix}.{to}", actor=actor,
                obj=workflow.audit_subject(row),
                old={"status": getattr(row, workflow.status_field)}, new=new,
                reason=reason, jurisdiction_path=workflow.audit_jurisdiction_path(row)))
        record_events(specs)
        workflow.changed()
    return rows
