"""Per-row cheap list pages: a detail link without reversing a URL per row.

``{% url 'app:detail' row.pk %}`` resolves the pattern on every row (about 50 µs each
under load); a list page reverses once and fills the id in (issue 15). Labels need
nothing here: every model's get_FOO_display() is cached (hangzhou_safety.db.choices).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

#: An id no row has, reversed once and replaced by each row's own.
_PLACEHOLDER = 2**62 + 12345


def link_rows(rows: Iterable[Any], viewname: str, *, attr: str = "url") -> None:
    """Set ``row.<attr>`` to the URL of ``viewname`` with the row's pk as its only
    argument, reversing the pattern once."""
    template = reverse(viewname, args=[_PLACEHOLDER])
    head, _sep, tail = template.partition(str(_PLACEHOLDER))
    for row in rows:
        setattr(row, attr, f"{head}{row.pk}{tail}")
