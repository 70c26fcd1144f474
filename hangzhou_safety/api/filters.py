"""Strict query filters: a value the schema does not allow is a 400, never ignored.

django-filter's boolean widgets turn any unknown text into "no filter", so
``?high_risk=abc`` silently answered the whole list; the hostile-input check
(tests/platform/test_hostile_input.py) expects a refusal. ``FilterBackend`` is the
project's filter backend: its automatic filter sets (``filterset_fields``) use the
strict boolean too; explicit filter sets declare ``StrictBooleanFilter``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet

_BOOLEANS: dict[Any, bool | None] = {
    "true": True, "True": True, "1": True, "2": True, "on": True,
    "false": False, "False": False, "0": False, "3": False,
    "unknown": None, "": None, None: None,
}


class _RawBooleanSelect(forms.NullBooleanSelect):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = data.get(name)
        # Known spellings (the page's select, the API's true/false); anything else
        # reaches the field unchanged, which refuses it.
        return _BOOLEANS.get(value, value) if isinstance(value, str) or value is None \
            else value


class StrictNullBooleanField(forms.NullBooleanField):
    widget = _RawBooleanSelect

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (True, False, None):
            return value  # type: ignore[no-any-return]
        raise ValidationError("请填写 true 或 false。", code="invalid")

    def validate(self, value: Any) -> None:
        return None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class StrictFilterSet(RestFilterSet):
    FILTER_DEFAULTS = {**RestFilterSet.FILTER_DEFAULTS,
                       models.BooleanField: {"filter_class": StrictBooleanFilter}}


class FilterBackend(DjangoFilterBackend):
    filterset_base = StrictFilterSet
