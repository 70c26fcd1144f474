"""Which checklist templates an authority may use (安全生产法 第十条).

The 应急 bureau supervises safety production comprehensively, but construction safety
is enforced by 住建, occupational health by 卫健 (since 2018) and fire safety by 消防救援,
each within its own remit. An inspection uses a template outside its authority's remit
only jointly with an officer of that department: this keeps the notice's integrated
safety and occupational-health inspection (clause 十三) as a joint inspection with 卫健.

A partner officer is recorded as free text (name, department); the department is
recognised by the words below, kept as data so the bureau can extend them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hangzhou_safety.accounts.models import Authority

Department = Authority.Department

# Department → words a partner officer's department name contains.
DEPARTMENT_WORDS: dict[str, tuple[str, ...]] = {
    Department.HOUSING: ("住房和城乡建设", "住建", "建设局", "建委"),
    Department.HEALTH: ("卫生健康", "卫健", "卫生监督"),
    Department.FIRE: ("消防",),
    Department.MARKET: ("市场监督", "市场监管"),
}


def departments_of(partner_officers: Iterable[Mapping[str, Any]]) -> set[str]:
    """The departments the joint inspection's partner officers belong to."""
    found: set[str] = set()
    for officer in partner_officers:
        name = str(officer.get("department", ""))
        found |= {dept for dept, words in DEPARTMENT_WORDS.items()
                  if any(word in name for word in words)}
    return found


def within_remit(templates: Iterable[Any], authority: Authority | None,
                 partner_officers: Iterable[Mapping[str, Any]] = ()) -> list[Any]:
    """The templates an inspection by `authority` may use, with these partner officers."""
    allowed = departments_of(partner_officers)
    if authority is not None:
        allowed.add(authority.department)
        # Street offices and zone committees carry the 应急 bureau's delegated remit.
        if authority.department in (Department.LOCAL_GOVERNMENT, Department.ZONE):
            allowed.add(Department.EMERGENCY)
    return [t for t in templates if t.remit in allowed]
