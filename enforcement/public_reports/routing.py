"""Routing of 12350 reports by remit, as data (pure: no Django import).

A report goes to the emergency-management authority of the place reported, unless
its subject belongs to another department's remit; then it is recorded as "referred
to department X" (安全生产法 第七十三条: a matter outside the department's remit is
transferred to the competent department). Each rule names the text it follows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RemitRule:
    code: str
    #: A report's remit topic (chosen on the form: fire, construction site, occupational
    #: health) -> the Authority.Department value that is competent.
    topic: str
    department: str
    source: str


REMIT_RULES: tuple[RemitRule, ...] = (
    RemitRule("fire", "fire", "fire", "消防法（2021）第四条：由本级人民政府消防救援机构负责实施"),
    RemitRule("construction", "construction", "housing",
              "建设工程安全生产管理条例（2003）第四十条：建设行政主管部门对建设工程安全生产实施监督管理"),
    RemitRule("occupational_health", "occupational_health", "health",
              "职业病防治法（2018）第九条：卫生行政部门负责职业病防治的监督管理（DOMAIN.md B13）"),
    RemitRule("special_equipment", "special_equipment", "market",
              "特种设备安全法（2013）第五条：负责特种设备安全监督管理的部门实施监督管理"),
)
EMERGENCY = "emergency"


def competent_department(topic: str, rules: tuple[RemitRule, ...] = REMIT_RULES,
                         ) -> tuple[str, RemitRule | None]:
    """The department competent for ``topic`` and the rule that said so (None: the
    emergency-management authority itself, the default remit of 12350)."""
    for rule in rules:
        if rule.topic == topic:
            return rule.department, rule
    return EMERGENCY, None
