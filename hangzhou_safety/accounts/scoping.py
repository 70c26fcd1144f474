"""Jurisdiction scoping, implemented once.

Every model a staff user can read carries (directly or through a relation) a
jurisdiction whose materialised ``path`` lists its ancestors. A user sees the
rows whose jurisdiction lies in their authority's subtree; the municipal level
sees everything. Views never filter by hand: they call ``visible_to(user)`` and
let ``get_object_or_404`` turn an out-of-jurisdiction id into a 404.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def user_scope_path(user: Any) -> str | None:
    """The jurisdiction path prefix a user may see; "" means everything, None nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if getattr(user, "role", "") == "partner":
        return None  # a partner department reads no staff rows (only restriction answers)
    authority = getattr(user, "authority", None)
    if authority is None:
        return None
    jurisdiction = authority.jurisdiction
    if jurisdiction.kind == "city":
        return ""
    return jurisdiction.path


class JurisdictionScopedQuerySet(models.QuerySet):
    #: Lookup from the model to its Jurisdiction ("" when the model is Jurisdiction).
    jurisdiction_lookup = "jurisdiction"

    def visible_to(self, user: Any) -> JurisdictionScopedQuerySet:
        path = user_scope_path(user)
        if path is None:
            return self.none()
        if path == "":
            return self
        field = f"{self.jurisdiction_lookup}__path" if self.jurisdiction_lookup else "path"
        return self.filter(**{f"{field}__startswith": path})


class AuthorityScopedQuerySet(JurisdictionScopedQuerySet):
    """Rows owned by an authority: visible within that authority's jurisdiction."""

    jurisdiction_lookup = "authority__jurisdiction"
