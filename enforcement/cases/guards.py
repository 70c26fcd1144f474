"""Hooks by which higher sub-packages (transfers, measures, accidents) veto closing a case.

The layers contract lets them import cases, never the reverse, so cases keeps a
registry they fill when their module loads: ``close_case`` runs every registered
guard on the locked case row, and a guard raises a DomainError to refuse (for
example, no 以罚代刑: a case with a pending criminal transfer cannot close on a fine
alone unless the police declined it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CloseGuard = Callable[[Any, Any], None]

_CLOSE_GUARDS: list[CloseGuard] = []


def register_close_guard(fn: CloseGuard) -> CloseGuard:
    """Register ``fn(case, actor)``; usable as a decorator, idempotent."""
    if fn not in _CLOSE_GUARDS:
        _CLOSE_GUARDS.append(fn)
    return fn


def unregister_close_guard(fn: CloseGuard) -> None:
    if fn in _CLOSE_GUARDS:
        _CLOSE_GUARDS.remove(fn)


def run_close_guards(case: Any, actor: Any) -> None:
    for fn in tuple(_CLOSE_GUARDS):
        fn(case, actor)
