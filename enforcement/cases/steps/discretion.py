"""The discretion check of the decision step (裁量基准, enforcement.grounds).

A penalty row of ``issue_decision`` that names the violation it punishes
(``violation``: the violation type's code, ``level``: the 裁量阶次) has its fine
checked against that row of the discretion table in force on the filing date. A fine
outside the row's range is refused with the reason (409) unless the case's collective
discussion is recorded and the row gives the departure's reason; a fine outside the
statutory range is refused always (grounds.services). The decision keeps the row it
applied (``applied_row_snapshot``) and any departure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from enforcement.grounds.selectors import applied_row_snapshot, benchmark_for
from enforcement.grounds.services import check_proposed_fine
from hangzhou_safety.api.errors import InvalidInput

from ..models import Case


def _discussion_ref(case: Case) -> str:
    """The reference of the case's latest collective-discussion record, or ""."""
    if case.discussed_at is None:
        return ""
    record = (case.steps.filter(step__in=("record_collective_discussion",
                                          "discussion_after_hearing"))
              .order_by("-at", "-pk").first())
    return f"集体讨论记录#{record.pk}" if record is not None else ""


def applied_benchmark(case: Case, penalty: Mapping[str, Any], *, fine: Decimal,
                      party_kind: str) -> dict[str, Any]:
    """The snapshot to keep with the decision ({} when the row names no violation)."""
    code = str(penalty.get("violation") or "").strip()
    if not code:
        return {}
    level = str(penalty.get("level") or "").strip()
    if not level:
        raise InvalidInput("请选择裁量阶次。", "A discretion level is required with the violation.",
                           fields={"penalties": ["请选择裁量阶次。"]})
    on = timezone.localtime(case.filed_at or case.created_at).date()
    row = benchmark_for(code, level, on=on)
    reason = str(penalty.get("departure_reason") or "").strip()
    reference = _discussion_ref(case) if reason else ""
    if reason and not reference:
        message = "偏离裁量基准须经集体讨论并记录。"
        raise InvalidInput(message, "A departure from the benchmark needs a recorded "
                           "collective discussion.", fields={"penalties": [message]})
    departure = check_proposed_fine(row, fine, party_kind=party_kind,
                                    departure_reason=reason or None,
                                    collective_discussion_ref=reference or None)
    snapshot = applied_row_snapshot(row)
    snapshot["departure"] = departure.as_dict() if departure is not None else None
    return snapshot
