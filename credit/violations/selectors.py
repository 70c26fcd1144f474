"""Shared reads of the violation base: staff records scoped to the caller's jurisdiction
(the authority that punished), and the masked form of a person's ID number."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ViolationRecord


def visible_records(user: Any) -> QuerySet[ViolationRecord]:
    return ViolationRecord.objects.visible_to(user).select_related("authority", "enterprise")


def masked_id_number(number: str) -> str:
    """A resident ID number as every output shows it (hangzhou_safety.masking's form:
    the 6-digit area code and the last 2 characters; the birth date and serial hidden).
    The full number stays inside the system: the record and the push to the credit
    platforms (credit/violations/payload.py), never a page or an API response."""
    if len(number) != 18:
        return ""
    return number[:6] + "*" * 10 + number[-2:]
