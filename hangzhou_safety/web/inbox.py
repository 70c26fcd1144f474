"""The work inbox (待办) on the home page, filled by the domain apps.

The platform imports no domain app, so the home page cannot read plans or
inspections itself: each domain app registers a provider (from its AppConfig.ready)
that returns the sections of one user's inbox. Each provider costs a fixed number of
queries whatever the user's workload, and shows at most ROWS_SHOWN rows per section
with a link to the full list (no COUNT(*): a section with more rows says "20+").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROWS_SHOWN = 5
COUNT_CAP = 20


@dataclass(frozen=True)
class InboxAction:
    """A button on a row: a POST (with the CSRF token) to `url`."""

    label: Any
    url: str
    testid: str = "inbox-action"


@dataclass(frozen=True)
class InboxRow:
    label: str
    url: str
    detail: str = ""
    action: InboxAction | None = None


@dataclass(frozen=True)
class InboxSection:
    key: str
    title: Any
    rows: list[InboxRow]
    url: str = ""
    tone: str = "primary"  # a Bootstrap colour: danger for overdue work
    more: bool = False  # more rows exist than were read
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP}+" if self.more else str(len(self.rows))

    @property
    def shown(self) -> list[InboxRow]:
        return self.rows[:ROWS_SHOWN]


Provider = Callable[[Any], list[InboxSection]]
_providers: list[Provider] = []


def register_inbox(provider: Provider) -> Provider:
    """Add a provider once (ready() may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def inbox_for(user: Any) -> list[InboxSection]:
    return [section for provider in _providers for section in provider(user)]


def capped(rows: list[Any]) -> tuple[list[Any], bool]:
    """Rows read with LIMIT COUNT_CAP + 1: the rows and whether more exist."""
    return rows[:COUNT_CAP], len(rows) > COUNT_CAP
