"""Fixtures of the generated edge checks: one seeded world per module, rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.platform import surface
from tests.platform.world import World, seeded_world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any,
          tmp_path_factory: Any) -> Iterator[World]:
    """The demo world, seeded once per module inside a transaction rolled back at the
    end (so the module's tests share it and the test database is left untouched)."""
    evidence_root = tmp_path_factory.mktemp("evidence")
    with django_db_blocker.unblock(), override_settings(EVIDENCE_ROOT=evidence_root):
        outer = surface.atomic()
        outer.__enter__()
        try:
            yield seeded_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def in_world(world: World, django_db_blocker: Any) -> Iterator[World]:
    """A savepoint per test inside the module's world."""
    with django_db_blocker.unblock(), surface.atomic():
        yield world
        transaction.set_rollback(True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The figures of the generated checks that ran (endpoints, requests)."""
    import sys

    for name, label in (("test_permission_matrix", "permission matrix"),
                        ("test_hostile_input", "hostile input")):
        module = next((m for key, m in list(sys.modules.items())
                       if key.rsplit(".", 1)[-1] == name), None)
        figures = getattr(module, "FIGURES", None)
        if figures and figures.get("requests"):
            terminalreporter.write_line(f"{label}: " + ", ".join(
                f"{key} {value}" for key, value in figures.items()))
