"""Read-only serializer fields for lists: cheap per row, the same in every app.

A list serializer runs its fields once per row. DRF's `source="get_x_display"`
inspects the method's signature and rebuilds the choice mapping on every call, and a
nested serializer builds a field set per row; at 50 rows that was most of a list
request's Python time (issue 15). These fields look a label up in a dict cached per
language, and read a related row's code and name straight from the loaded instance.

``StrictBooleanField`` is the one write field here: a decision flag in a JSON body.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from django.utils.translation import get_language, override
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@cache
def labels(choices: type[models.Choices], language: str | None) -> dict[Any, str]:
    """{value: label} of ``choices`` in ``language`` (built once per pair)."""
    with override(language):
        return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[models.Choices], value: Any) -> str:
    """The label of `value` in the active language; like get_FOO_display(), a value
    outside the choices shows as itself."""
    label = labels(choices, get_language()).get(value)
    if label is None:
        return "" if value is None else str(value)
    return label


@extend_schema_field({"type": "string", "readOnly": True})
class ChoiceLabelField(serializers.Field):
    """The translated label of a choice column: `ChoiceLabelField(Sector, source="sector")`."""

    def __init__(self, choices: type[models.Choices], **kwargs: Any) -> None:
        self.choices_class = choices
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return choice_label(self.choices_class, value)


class CodeNameSerializer(serializers.Serializer):
    """{"code", "name"} of a jurisdiction, authority or industry class (schema shape)."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field(CodeNameSerializer)
class CodeNameField(serializers.Field):
    """{"code", "name"} of a related jurisdiction, authority or class, or null."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> dict[str, str]:
        return {"code": value.code, "name": value.name}


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false`` and nothing else. DRF's BooleanField also takes
    "yes", "on", 1 and "true" as true; for a decision (approve or refuse) a guess is
    never made from a spelling, as the query filters refuse any unknown boolean
    (``api/filters.py``)."""

    default_error_messages = {
        "invalid": "请填写 true 或 false。",
        "required": "该字段为必填项。",
        "null": "该字段不能为空。",
    }

    def to_internal_value(self, data: Any) -> bool:
        if data is True or data is False:
            return bool(data)
        self.fail("invalid", input=data)
