"""Whether a failed checklist item is a major hidden danger (重大事故隐患), and under
which criterion.

A failure is major only under a criterion situation the inspector names among the
item's criteria (an item checking a single criterion situation names it by being
failed). Departing from the item's classification — a criterion item recorded as an
ordinary hidden danger, or an item without a criterion recorded as major — is an
override: it needs the inspector's reason, which the caller keeps in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hangzhou_safety.api.errors import InvalidInput
from inspections.checklists.models import ChecklistItem


@dataclass(frozen=True)
class Classification:
    is_major: bool
    criterion_code: str    # "" when not major or major by override
    criterion: str         # short reference stored on the hidden danger (≤ 200)
    override_reason: str   # "" unless the inspector departed from the item's criteria


def classify_failure(item: ChecklistItem, details: dict[str, Any]) -> Classification:
    criteria = {c.code: c for c in item.criteria.all()}
    code = str(details.get("criterion") or "").strip()
    reason = str(details.get("major_reason") or "").strip()
    stated = details.get("is_major")
    if stated is None:
        if code:
            stated = True
        elif len(criteria) == 1:
            stated, code = True, next(iter(criteria))
        elif criteria:
            raise InvalidInput(
                "该检查项涉及多种重大事故隐患判定情形，请选择适用的情形，或说明不判定为重大"
                "事故隐患的理由。",
                "State which major-hazard criterion applies, or why none does.",
                fields={"criterion": ["请选择适用的重大事故隐患判定情形。"]})
        else:
            stated = False
    if stated and criteria:
        if code not in criteria:
            raise InvalidInput(
                "请选择本检查项适用的重大事故隐患判定情形。",
                "Name one of the item's major-hazard criteria.",
                fields={"criterion": [f"可选：{'、'.join(sorted(criteria))}。"]})
        chosen = criteria[code]
        label = f"{chosen.citation}：{chosen.text}" if chosen.text else chosen.citation
        return Classification(True, code, label[:200], "")
    overriding = bool(stated) != bool(criteria)
    if overriding and not reason:
        message = ("将该检查项判定为重大事故隐患须说明理由。" if stated else
                   "不按判定标准认定为重大事故隐患须说明理由。")
        raise InvalidInput(message, "Overriding the classification needs a reason.",
                           fields={"major_reason": [message]})
    return Classification(bool(stated), "", "", reason if overriding else "")
