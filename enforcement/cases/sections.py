"""Hook by which higher sub-packages (measures, transfers) add a section to the case page.

The layers contract lets them import cases, never the reverse, so the case page asks
this registry: each registered ``fn(request, case) -> str`` returns the HTML of its
section (rendered from its own template), shown after the decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PageSection = Callable[[Any, Any], str]

_SECTIONS: list[PageSection] = []


def register_page_section(fn: PageSection) -> PageSection:
    """Register ``fn(request, case)``; usable as a decorator, idempotent."""
    if fn not in _SECTIONS:
        _SECTIONS.append(fn)
    return fn


def page_sections(request: Any, case: Any) -> list[str]:
    return [fn(request, case) for fn in tuple(_SECTIONS)]
