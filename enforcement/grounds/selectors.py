"""Reads of the enforcement rules kept as data."""

from __future__ import annotations

import datetime

from hangzhou_safety.api.errors import DomainError

from .models import ProcedureThreshold


class RuleMissing(DomainError):
    """No rule row covers the date: the administrator must enter it (never guessed)."""

    status_code = 409
    code = "rule_missing"


def procedure_threshold(code: str, *, party_kind: str, on: datetime.date) -> ProcedureThreshold:
    """The threshold row in force on `on` for this kind of party."""
    row = (ProcedureThreshold.objects
           .filter(code=code, party_kind=party_kind, valid_from__lte=on)
           .order_by("-valid_from").first())
    if row is None:
        label = ProcedureThreshold.Code(code).label
        raise RuleMissing(
            f"未录入{on:%Y-%m-%d}适用的“{label}”标准，请市局管理员在规则表中补录。",
            f"No '{code}' threshold for {party_kind} in force on {on:%Y-%m-%d}; "
            "the municipal administrator must enter it.")
    return row
