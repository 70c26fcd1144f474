"""``get_FOO_display()`` from a per-language cached table, on every model.

Django's ``Model._get_FIELD_display`` rebuilds the choice dict (``make_hashable`` over
every choice) and translates the lazy label on each call. A list page calls it once
per row and column, a DRF list serializer with ``source="get_status_display"`` too:
measured at about 0.3 ms a call on this machine, a third of a plan or inspection page
(issue 15). ``install()`` (run once from the web app's ``ready()``, after every model
is loaded) replaces each Django-generated ``get_FOO_display`` with one that looks the
label up in a dict built once per field and language. Same answers, same fallback
(a value outside the choices shows as itself); a ``get_FOO_display`` a model defines
itself is left alone. Every app's lists get it without writing anything; a list
serializer should still prefer hangzhou_safety.api.fields.ChoiceLabelField, which
needs no method call at all.
"""

from __future__ import annotations

import inspect
from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_SELF_ONLY = inspect.Signature([inspect.Parameter("self",
                                                   inspect.Parameter.POSITIONAL_OR_KEYWORD)])


def _cached_display(field: models.Field) -> Any:
    tables: dict[str | None, dict[Any, str]] = {}

    def display(self: models.Model) -> Any:
        value = getattr(self, field.attname)
        language = get_language()
        table = tables.get(language)
        if table is None:
            # Built under the active language: str() of a lazy label translates it.
            table = {make_hashable(key): force_str(label, strings_only=True)
                     for key, label in field.flatchoices}
            tables[language] = table
        try:
            return table[value]
        except (KeyError, TypeError):  # TypeError: an unhashable value (a list)
            return force_str(table.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    display.__qualname__ = display.__name__
    display.__doc__ = f"The label of {field.name} in the active language (cached)."
    # DRF calls inspect.signature() on a `source="get_x_display"` method for every row
    # (rest_framework.fields.is_simple_callable); a signature given here is returned
    # as is rather than rebuilt from the code object (about 3x cheaper).
    display.__signature__ = _SELF_ONLY  # type: ignore[attr-defined]
    return display


def install() -> int:
    """Replace Django's generated ``get_FOO_display`` methods; returns how many."""
    replaced = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            name = f"get_{field.name}_display"
            # Only the method Django generated on this very class (a partialmethod of
            # _get_FIELD_display); an inherited or hand-written one stays as it is.
            if isinstance(model.__dict__.get(name), partialmethod):
                setattr(model, name, _cached_display(field))
                replaced += 1
    return replaced
