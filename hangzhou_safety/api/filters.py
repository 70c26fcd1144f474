"""Strict query filters: a value the schema does not allow is a 400, never ignored.

django-filter's boolean widgets turn any unknown text into "no filter", so
``?high_risk=abc`` silently answered the whole list; the hostile-input check
(tests/platform/test_hostile_input.py) expects a refusal. ``FilterBackend`` is the
project's filter backend: its automatic filter sets (``filterset_fields``) use the
strict boolean too; explicit filter sets declare ``StrictBooleanFilter``.
"""

from __future__ import annotations

import copy
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django_filters.filters import QuerySetRequestMixin
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


class FastFilterSet(django_filters.FilterSet):
    """The project's base filter set. django-filter deep-copies every filter of the
    class on each request, their choices and lazy labels included (about 0.3 ms of a
    registry list request, for lists nobody mutates). Filters are configuration: each
    instance gets a shallow copy of each with its own ``extra`` dict, the one part a
    filter writes per request (QuerySetRequestMixin puts the request's queryset there),
    and its ``method=`` bound to the copy.
    The rest of ``BaseFilterSet.__init__`` is repeated as it is."""

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None,
                 prefix: str | None = None) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            filter_.__dict__.pop("_field", None)  # built per instance, from its extra
            if base.method is not None:
                # A FilterMethod points at its filter: rebind it to this copy (its
                # parent is this filter set), as deepcopy's memo would.
                filter_.method = base.method
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self) -> type[forms.Form]:
        # django-filter builds a new form class (and a field per filter) on every
        # request. Its fields depend on the filters' configuration alone, except a
        # queryset a filter takes from the request: one class per filter set then.
        cls = type(self)
        if any(isinstance(f, QuerySetRequestMixin) for f in self.filters.values()):
            return super().get_form_class()  # type: ignore[no-any-return]
        cached = cls.__dict__.get("_cached_form_class")
        if cached is None:
            cached = super().get_form_class()
            cls._cached_form_class = cached
        return cached  # type: ignore[no-any-return]


class StrictFilterSet(FastFilterSet, RestFilterSet):
    FILTER_DEFAULTS = {**RestFilterSet.FILTER_DEFAULTS,
                       models.BooleanField: {"filter_class": StrictBooleanFilter}}


class FilterBackend(DjangoFilterBackend):
    filterset_base = StrictFilterSet
