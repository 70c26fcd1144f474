"""Every workflow of the project is registered, and every registered workflow is walked.

a) Discovery: every module-level ``*TRANSITIONS`` dict in the project packages must be
   the very table of a Workflow in hangzhou_safety.workflow.REGISTRY, so no status
   machine can live beside the primitive.
b) Walk: for every registered workflow, every status and every target of its table,
   the real service either makes the move (when the table allows it) or answers 409
   and writes nothing. The drivers live in tests/platform/drivers/ (one module per
   workflow; see that package's docstring for how to add one).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workflow import REGISTRY, Workflow
from tests.platform.drivers import DRIVERS

PACKAGES = ("hangzhou_safety", "enterprises", "inspections", "enforcement", "credit")
SKIPPED = {"migrations", "management", "tests"}

#: Tables not registered yet: being migrated in parallel; remove when registered.
#: Anything else that is not registered fails; an entry here that is registered fails
#: too, so the list only shrinks.
PENDING: set[str] = set()


# --- a) Discovery -----------------------------------------------------------------------

def _modules(name: str) -> Iterator[ModuleType]:
    module = importlib.import_module(name)
    yield module
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        if info.name in SKIPPED:
            continue
        full = f"{name}.{info.name}"
        if info.ispkg:
            yield from _modules(full)
        else:
            yield importlib.import_module(full)


def transition_tables() -> dict[int, tuple[list[str], dict[str, Any]]]:
    """Every ``*TRANSITIONS`` dict of the project by identity, with the qualified names
    it goes by (a table imported into a service module shows up there too)."""
    found: dict[int, tuple[list[str], dict[str, Any]]] = {}
    for package in PACKAGES:
        for module in _modules(package):
            for attr, value in vars(module).items():
                if attr.endswith("TRANSITIONS") and isinstance(value, dict):
                    names, _ = found.setdefault(id(value), ([], value))
                    names.append(f"{module.__name__}.{attr}")
    return found


def _resolve(qualified: str) -> Any:
    module, _, attr = qualified.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def test_every_transitions_table_is_a_registered_workflow() -> None:
    tables = transition_tables()
    assert tables, "discovery found no TRANSITIONS table at all"
    registered = {id(workflow.transitions) for workflow in REGISTRY.values()}
    pending = {id(_resolve(name)) for name in PENDING}
    missing = sorted(", ".join(sorted(names)) for key, (names, _) in tables.items()
                     if key not in registered and key not in pending)
    assert not missing, (
        "TRANSITIONS tables without a registered Workflow (register(Workflow(...)) beside "
        f"the table, with this very dict as transitions): {missing}")


def test_pending_tables_are_really_pending() -> None:
    registered = {id(workflow.transitions) for workflow in REGISTRY.values()}
    tables = transition_tables()
    for name in sorted(PENDING):
        table = _resolve(name)
        assert isinstance(table, dict), f"{name} in PENDING is not a TRANSITIONS dict"
        assert id(table) in tables, f"{name} in PENDING is not found by the discovery"
        assert id(table) not in registered, (
            f"{name} is registered now: remove it from PENDING in {__name__}")


def test_every_registered_workflow_table_is_found_by_discovery() -> None:
    """A registered table the discovery cannot see would mean the walk of modules
    misses a package."""
    tables = transition_tables()
    for key, workflow in REGISTRY.items():
        assert id(workflow.transitions) in tables, (
            f"{key}: its transitions are not a module-level *TRANSITIONS dict of "
            f"{', '.join(PACKAGES)}")


# --- b) The walk ------------------------------------------------------------------------

def _statuses(workflow: Workflow) -> list[str]:
    field = workflow.model._meta.get_field(workflow.status_field)
    return [str(value) for value, _label in field.flatchoices]  # type: ignore[union-attr]


def _targets(workflow: Workflow) -> list[str]:
    return sorted({str(t) for targets in workflow.transitions.values() for t in targets})


WALK = [(key, status, target) for key, workflow in sorted(REGISTRY.items())
        for status in _statuses(workflow) for target in _targets(workflow)]


def _driver(key: str) -> Any:
    driver = DRIVERS.get(key)
    if driver is None:
        pytest.fail(f"no driver for workflow {key}: add tests/platform/drivers/"
                    f"{key.replace('.', '_')}.py (see tests/platform/drivers/__init__.py)")
    return driver


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_every_registered_workflow_has_a_driver(key: str) -> None:
    _driver(key)


def test_every_driver_drives_a_registered_workflow() -> None:
    unknown = sorted(set(DRIVERS) - set(REGISTRY))
    assert not unknown, f"drivers for workflows that are not registered: {unknown}"


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_the_table_is_well_formed_and_every_target_has_a_step(key: str) -> None:
    workflow = REGISTRY[key]
    statuses = set(_statuses(workflow))
    assert set(workflow.transitions) == statuses, (
        f"{key}: the table needs one row per status (terminal ones with set())")
    unknown = set(_targets(workflow)) - statuses
    assert not unknown, f"{key}: targets that are not statuses: {sorted(unknown)}"
    missing = set(_targets(workflow)) - set(map(str, _driver(key).steps))
    assert not missing, f"the driver of {key} has no step into {sorted(missing)}"


def _snapshot(workflow: Workflow, pk: Any) -> dict[str, Any]:
    return dict(workflow.model._default_manager.filter(pk=pk).values().get())


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "status", "target"), WALK,
                         ids=[f"{k}:{s}->{t}" for k, s, t in WALK])
def test_walk(key: str, status: str, target: str, request: pytest.FixtureRequest) -> None:
    workflow = REGISTRY[key]
    driver = _driver(key)
    for fixture in driver.fixtures:
        request.getfixturevalue(fixture)
    step = {str(k): v for k, v in driver.steps.items()}.get(target)
    if step is None:
        pytest.fail(f"the driver of {key} has no step into {target}")
    row = driver.make(status)
    before = _snapshot(workflow, row.pk)
    assert before[workflow.status_field] == status, f"make({status!r}) built a wrong row"
    events = AuditEvent.objects.count()

    if workflow.allowed(status, target):
        step(row)
        assert _snapshot(workflow, row.pk)[workflow.status_field] == target
        assert AuditEvent.objects.count() > events, f"{key}: {status} → {target} not audited"
    elif target in {str(t) for t in driver.no_op_targets}:
        # A set-based cascade or an idempotent step may refuse by doing nothing; if it
        # raises, it must be the 409. Either way nothing is written.
        try:
            step(row)
        except DomainError as exc:
            assert exc.status_code == 409, f"{key}: {status} → {target}: {exc.status_code}"
        assert _snapshot(workflow, row.pk) == before
        assert AuditEvent.objects.count() == events
    else:
        with pytest.raises(DomainError) as caught:
            step(row)
        assert caught.value.status_code == 409, (
            f"{key}: {status} → {target} answered {caught.value.status_code}, not 409")
        assert caught.value.detail and caught.value.detail_en
        assert _snapshot(workflow, row.pk) == before
        assert AuditEvent.objects.count() == events
