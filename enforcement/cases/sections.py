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


#: Adapters already made, so registering the same provider twice stays idempotent.
_ADAPTED: dict[Any, PageSection] = {}


def template_section(provider: Callable[[Any, Any], dict[str, Any] | None]) -> PageSection:
    """Adapt a provider ``fn(case, user) -> dict | None`` whose dict names its
    ``template``: its section is that template rendered with the dict as ``section``
    and the ``case`` (nothing when it returns None)."""
    if provider in _ADAPTED:
        return _ADAPTED[provider]
    from django.template.loader import render_to_string

    def render(request: Any, case: Any) -> str:
        section = provider(case, request.user)
        if section is None:
            return ""
        return render_to_string(section["template"], {"section": section, "case": case},
                                request=request)

    render.__name__ = f"template_section_{getattr(provider, '__name__', 'provider')}"
    _ADAPTED[provider] = render
    return render
