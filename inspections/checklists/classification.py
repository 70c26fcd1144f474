"""Whether a failed checklist item is a major hidden danger (重大事故隐患), and under
which criterion.

A failure is major only under a criterion situation the inspector names among the
item's criteria (an item checking a single criterion situation whose text was
retrieved names it by being failed; a text noted from memory applies only when
named). Departing from the item's classification — a criterion item recorded as an
ordinary hidden danger, or an item without a criterion recorded as major — is an
override: it needs the inspector's reason, which the caller keeps in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hangzhou_safety.api.errors import InvalidInput
from inspections.checklists.models import ChecklistItem, MajorHazardCriterion


@dataclass(frozen=True)
class Classification:
    is_major: bool
    criterion_code: str    # "" when not major or major by override
    criterion: str         # short reference stored on the hidden danger (≤ 200)
    override_reason: str   # "" unless the inspector departed from the item's criteria


def _retrieved(criterion: MajorHazardCriterion) -> bool:
    """The criterion's text was retrieved from a source (wholly bracketed texts were
    noted from memory or not seen in the excerpts, criteria.py)."""
    return bool(criterion.text) and not criterion.text.startswith("[")


def classify_failure(item: ChecklistItem, details: dict[str, Any]) -> Classification:
    criteria = {c.code: c for c in item.criteria.all()}
    # Only a criterion whose text was retrieved classifies a failure without the
    # inspector naming it; one noted from memory (令10号 第十四条) applies only when named.
    retrieved = [c for c in criteria.values() if _retrieved(c)]
    code = str(details.get("criterion") or "").strip()
    reason = str(details.get("major_reason") or "").strip()
    stated = details.get("is_major")
    if stated is None:
        if code:
            stated = True
        elif len(criteria) == 1 and retrieved:
            stated, code = True, retrieved[0].code
        elif len(criteria) > 1 and retrieved:
            raise InvalidInput(
                "该检查项涉及多种重大事故隐患判定情形，请选择适用的情形，或说明不判定为重大"
                "事故隐患的理由。",
                "State which major-hazard criterion applies, or why none does.",
                fields={"criterion": ["请选择适用的重大事故隐患判定情形。"]})
        else:
            stated = False
    if stated and criteria:
        if not code and len(criteria) == 1:
            code = next(iter(criteria))
        if code not in criteria:
            raise InvalidInput(
                "请选择本检查项适用的重大事故隐患判定情形。",
                "Name one of the item's major-hazard criteria.",
                fields={"criterion": [f"可选：{'、'.join(sorted(criteria))}。"]})
        return Classification(True, code, criteria[code].label[:200], "")
    # Departing from the item's classification: recording a retrieved criterion's
    # situation as ordinary, or an item without any criterion as major.
    overriding = bool(retrieved) if not stated else not criteria
    if overriding and not reason:
        message = ("将该检查项判定为重大事故隐患须说明理由。" if stated else
                   "不按判定标准认定为重大事故隐患须说明理由。")
        raise InvalidInput(message, "Overriding the classification needs a reason.",
                           fields={"major_reason": [message]})
    return Classification(bool(stated), "", "", reason if overriding else "")
