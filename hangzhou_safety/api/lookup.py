"""Object lookup before the body is read, for viewsets whose detail actions are steps."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request


class LookupFirstMixin:
    """Resolve a detail route's object (a 404 outside the caller's jurisdiction) before
    the action validates its body.

    Otherwise a POST with a bad body to another district's object answers 400, which
    tells the caller the object exists; looking it up first makes every route under an
    invisible object a 404, whatever is sent. The object is cached, so the action's own
    ``get_object()`` costs no second query."""

    _looked_up: Any = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        lookup = getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk")
        if getattr(self, "detail", False) and lookup in kwargs:
            self._looked_up = super().get_object()  # type: ignore[misc]

    def get_object(self) -> Any:
        if self._looked_up is not None:
            return self._looked_up
        return super().get_object()  # type: ignore[misc]
