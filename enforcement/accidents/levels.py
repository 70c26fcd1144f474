"""Which level investigates an accident, and to which level it is reported. Pure data.

生产安全事故报告和调查处理条例 (国务院令第493号) [S: docs/laws]:

- 第十九条: 特别重大 by the State Council (or the department it authorises); 重大, 较大,
  一般 by the people's government of the province, of the city with districts (设区的市),
  of the county where the accident happened, which may lead it itself or authorise or
  entrust a department (the emergency-management bureau here).
- 第二十条第一款: a superior government may, when it deems it necessary, investigate an
  accident a lower one is responsible for (``SUPERIOR_MAY_INVESTIGATE``).
- 第十条第一款: 特别重大 and 重大 are reported up to the State Council's department, 较大 to
  the province's, 一般 to the city's (设区的市级).

Hangzhou is a 设区的市: its municipal bureau stands at the city level, each district or
county(-level city) bureau at the county level. Nothing in this system stands at the
province or the State Council, so 重大 and 特别重大 are investigated outside it.
"""

from __future__ import annotations

from . import grading

COUNTY = "county"
CITY = "city"
PROVINCE = "province"
STATE_COUNCIL = "state_council"

LEVEL_LABELS = {COUNTY: "县级人民政府", CITY: "设区的市级人民政府", PROVINCE: "省级人民政府",
                STATE_COUNCIL: "国务院或者国务院授权的有关部门"}
#: Higher number, higher level.
RANK = {COUNTY: 1, CITY: 2, PROVINCE: 3, STATE_COUNCIL: 4}

SOURCE_19 = "生产安全事故报告和调查处理条例第十九条 [S]"
SOURCE_20 = "生产安全事故报告和调查处理条例第二十条第一款 [S]"
SOURCE_10 = "生产安全事故报告和调查处理条例第十条第一款 [S]"

#: 第十九条: the level that investigates each grade.
INVESTIGATION_LEVEL = {
    grading.ORDINARY: COUNTY,
    grading.LARGER: CITY,
    grading.MAJOR: PROVINCE,
    grading.ESPECIALLY_MAJOR: STATE_COUNCIL,
}
#: 第二十条第一款: a superior may take over a lower level's investigation.
SUPERIOR_MAY_INVESTIGATE = True

#: 第十条第一款: the level each grade is reported up to.
REPORT_UP_TO = {
    grading.ORDINARY: "设区的市级人民政府安全生产监督管理部门",
    grading.LARGER: "省级人民政府安全生产监督管理部门",
    grading.MAJOR: "国务院安全生产监督管理部门",
    grading.ESPECIALLY_MAJOR: "国务院安全生产监督管理部门",
}


def may_lead(level: str | None, grade: str) -> bool:
    """May an authority standing at ``level`` lead the investigation of ``grade``?"""
    required = INVESTIGATION_LEVEL[grade]
    if level is None or level not in RANK:
        return False
    if level == required:
        return True
    return SUPERIOR_MAY_INVESTIGATE and RANK[level] > RANK[required]
