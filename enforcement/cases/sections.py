"""Hooks by which higher sub-packages (transfers, accidents, ...) add a section to the
case page without cases importing them (the layers contract forbids it).

A provider ``fn(case, user)`` returns None (nothing to show) or a dict with the
``template`` to include and its own context; ``case_detail.html`` includes each, in
registration order, with the dict as ``section``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CaseSection = Callable[[Any, Any], "dict[str, Any] | None"]

_SECTIONS: list[CaseSection] = []


def register_case_section(fn: CaseSection) -> CaseSection:
    """Register ``fn(case, user)``; usable as a decorator, idempotent."""
    if fn not in _SECTIONS:
        _SECTIONS.append(fn)
    return fn


def case_sections(case: Any, user: Any) -> list[dict[str, Any]]:
    out = []
    for fn in tuple(_SECTIONS):
        section = fn(case, user)
        if section is not None:
            out.append(section)
    return out
