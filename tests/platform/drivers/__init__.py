"""Walk drivers: how tests/platform/test_workflow_tables.py drives each registered workflow.

Every workflow registered with ``hangzhou_safety.workflow.register`` is walked: for each
(status, target) pair the walk builds a row in ``status`` and calls the real service
that moves a row into ``target``. A move in the TRANSITIONS table must succeed and
leave the row in ``target``; any other must raise a 409 DomainError and change neither
the row nor the audit trail. A registered workflow without a driver fails the walk
("no driver for workflow <key>"), so nobody can add a workflow without walking it.

Adding the driver of a new workflow
-----------------------------------
1. Create ``tests/platform/drivers/<app>_<model>.py`` (for example
   ``inspections_inspection.py``). Nothing else needs editing: this package imports
   every module of its folder (pkgutil) and collects their ``DRIVER``; modules whose
   name starts with ``_`` are helpers and are skipped.
2. In it define a module-level ``DRIVER = Driver(key=..., make=..., steps=..., fixtures=...)``:

   ``key``
       the workflow's REGISTRY key: the model's ``app_label.modelname``
       (``"inspections.inspection"``), plus ``".<status_field>"`` when the status field
       is not called ``status``.
   ``make(status) -> row``
       builds one row in ``status`` directly in the database (``objects.create`` and
       whatever related rows that status implies), as a fixture would: no service
       call, no audit event. It must satisfy every business precondition of the
       steps, so that only the status decides whether a step is allowed.
   ``steps``
       ``{target status: callable(row) -> Any}``: each calls the real public service
       that moves a row into that target (the one the API and the page call), with
       valid input and an actor allowed to take the step. One entry for every status
       that appears as a target in the table.
   ``fixtures``
       names of pytest fixtures the walk requests before ``make`` (``"reference_data"``,
       ``"calendar_data"``, personas such as ``"xihu_chief"``). Steps look their actors
       up in the database, where those fixtures put them.
   ``no_op_targets``
       targets whose service refuses an illegal move by leaving the row alone rather
       than with a 409: a set-based cascade (``cancel_planned_inspections`` skips rows
       that are no longer planned) or an idempotent step (``mark_planned_done`` on a
       row already done). For those the walk accepts a 409 or doing nothing, and
       demands no write and no audit event either way.
3. Import ``Driver`` from this package (``from tests.platform.drivers import Driver``).
   Two drivers for one key, or a driver whose key is not registered, fail the walk.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Driver:
    key: str
    make: Callable[[str], Any]
    steps: Mapping[str, Callable[[Any], Any]]
    fixtures: tuple[str, ...] = field(default=())
    no_op_targets: tuple[str, ...] = field(default=())


def _collect() -> dict[str, Driver]:
    drivers: dict[str, Driver] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        driver = getattr(module, "DRIVER", None)
        if not isinstance(driver, Driver):
            raise TypeError(f"{module.__name__} defines no DRIVER = Driver(...)")
        if driver.key in drivers:
            raise ValueError(f"two drivers for workflow {driver.key}: {module.__name__}")
        drivers[driver.key] = driver
    return drivers


#: Every driver, by REGISTRY key.
DRIVERS: dict[str, Driver] = _collect()
