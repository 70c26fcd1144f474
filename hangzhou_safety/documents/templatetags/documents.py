"""Filters for document templates: {{ day|chinese_date }}, {{ amount|capitals }}."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from hangzhou_safety.documents.amounts import to_capitals
from hangzhou_safety.documents.chinese import chinese_date as _chinese_date

register = template.Library()


@register.filter
def chinese_date(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        # Contexts are stored as JSON: dates come back as ISO strings.
        value = (datetime.datetime.fromisoformat(value) if "T" in value
                 else datetime.date.fromisoformat(value))
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _chinese_date(value)


@register.filter
def capitals(value: Decimal | int | str | None) -> str:
    return "" if value in (None, "") else to_capitals(value)  # type: ignore[arg-type]
