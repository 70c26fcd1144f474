"""A list serializer's rows straight from ``.values()``: no model instance, no DRF
field walk per row.

Even with only the shown columns loaded (issue 15), a 50-row registry page built about
200 model instances (the row, its street, district and supervisor) and DRF walked 19
fields per row through ``get_attribute``: two thirds of the request. ``ValuesRows``
reads the columns the serializer's fields name and turns each ``.values()`` dict into
the serializer's own output, each value through the field's ``to_representation``
(so dates, decimals and labels read exactly as DRF writes them). The serializer class
stays the view's ``serializer_class``: the schema and the detail are unchanged, and a
test holds the two outputs equal.

Supported: plain read-only fields whose source is a column or a path of foreign keys
(``location.parent.code``), ``ChoiceLabelField``, ``CodeNameField`` and named
``computed`` values. Anything else (a nested serializer, a method field, a many
relation) is refused when the plan is built, so a list never silently drops a key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language
from rest_framework import relations, serializers

from hangzhou_safety.api.fields import ChoiceLabelField, CodeNameField, labels

Converter = Callable[[Mapping[str, Any]], Any]


def _plain(column: str, field: serializers.Field) -> Converter:
    to_representation = field.to_representation

    def convert(row: Mapping[str, Any]) -> Any:
        value = row[column]
        # As DRF's Serializer.to_representation: a missing value is null, unconverted.
        return None if value is None else to_representation(value)

    return convert


def _choice_label(column: str, table: Mapping[Any, str]) -> Converter:
    def convert(row: Mapping[str, Any]) -> Any:
        value = row[column]
        if value is None:  # as _plain: a missing value is null
            return None
        label = table.get(value)
        return str(value) if label is None else label  # as choice_label()

    return convert


def _code_name(prefix: str) -> Converter:
    code, name = f"{prefix}__code", f"{prefix}__name"

    def convert(row: Mapping[str, Any]) -> Any:
        return None if row[code] is None else {"code": row[code], "name": row[name]}

    return convert


class ValuesRows:
    """``ValuesRows(EnterpriseListSerializer, computed={"identifier": (("uscc",), fn)})``:
    ``.columns`` for ``qs.values(*columns)``, ``.serialise(rows)`` for the response."""

    def __init__(self, serializer_class: type[serializers.Serializer], *,
                 computed: Mapping[str, tuple[tuple[str, ...], Converter]] | None = None
                 ) -> None:
        self.serializer_class = serializer_class
        self.computed = dict(computed or {})
        #: Set by ``_build`` (the columns do not depend on the language).
        self._columns: tuple[str, ...] | None = None
        #: The plan per language: a choice label is looked up in that language's
        #: table, not through get_language() once per row and column.
        self._plans: dict[str | None, list[tuple[str, Converter]]] = {}

    def _build(self, language: str | None = None) -> list[tuple[str, Converter]]:
        plan: list[tuple[str, Converter]] = []
        columns: list[str] = []
        for name, field in self.serializer_class().fields.items():
            if name in self.computed:
                needed, convert = self.computed[name]
                columns += needed
                plan.append((name, convert))
                continue
            if field.write_only:
                continue
            source = "__".join(field.source_attrs)
            if isinstance(field, CodeNameField):
                columns += [f"{source}__code", f"{source}__name"]
                plan.append((name, _code_name(source)))
            elif isinstance(field, ChoiceLabelField):
                columns.append(source)
                plan.append((name, _choice_label(source, labels(field.choices_class,
                                                                language))))
            elif not isinstance(
                    field, serializers.BaseSerializer | serializers.SerializerMethodField
                    | relations.RelatedField | relations.ManyRelatedField
                    | serializers.ListField | serializers.DictField
                    | serializers.HiddenField) and field.source != "*":
                columns.append(source)
                plan.append((name, _plain(source, field)))
            else:
                raise ImproperlyConfigured(
                    f"{self.serializer_class.__name__}.{name}: {type(field).__name__} "
                    f"cannot be read from .values(); give it as computed=")
        self._columns = tuple(dict.fromkeys(columns))
        return plan

    @property
    def columns(self) -> tuple[str, ...]:
        if self._columns is None:
            self._build()
        assert self._columns is not None
        return self._columns

    def serialise(self, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        language = get_language()
        plan = self._plans.get(language)
        if plan is None:
            plan = self._plans[language] = self._build(language)
        return [{name: convert(row) for name, convert in plan} for row in rows]
