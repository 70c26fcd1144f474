"""令11号 as data: scope, inclusion grounds and the periods of the listing.

No Django imports. Text followed: 安全生产严重失信主体名单管理办法（应急管理部令第11号），
excerpt in docs/laws/ (第二条 scope verbatim; 列入情形 via a news reprint; procedure, term
and early removal from secondary reports, marked P). Where the text was not retrieved
the ground is kept with evidence "K" and must be checked before use.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

#: 第二条 scope, mapped onto the enterprise sectors (enterprises.models.Sector) and, for
#: industries without a sector of their own, onto GB/T 4754-2017 大类 codes.
SCOPE_SECTORS: frozenset[str] = frozenset({
    "non_coal_mining",  # 矿山（含尾矿库）
    "hazardous_chemicals",  # 化工（含石油化工）、危险化学品
    "fireworks", "metallurgy", "metal_smelting", "nonferrous", "building_materials",
    "machinery", "light_industry", "textiles", "tobacco", "commerce",
})
SCOPE_INDUSTRY_PREFIXES: tuple[str, ...] = (
    "07",  # 石油和天然气开采业 (石油开采)
    "25",  # 石油、煤炭及其他燃料加工业 (石油化工)
    "26",  # 化学原料和化学制品制造业 (化工)
    "27",  # 医药制造业 (医药)
)


@dataclass(frozen=True)
class Ground:
    code: str
    article: str
    text: str
    evidence: str  # S / P / K as in ClockRule
    #: What the data must show: "accident_major", "accidents_2_in_12m",
    #: "accident_concealed" (an accident of the unit flagged 瞒报 or 谎报), "accident_any"
    #: (an accident of the unit on record: the rescue ground presupposes one),
    #: "fine_art114", "no_licence", or "" (the proposer's statement, no data check).
    check: str = ""
    service_body_only: bool = False


GROUNDS: tuple[Ground, ...] = (
    Ground("accident_major", "令11号 列入情形 发生事故（一）",
           "发生特别重大、重大生产安全事故的生产经营单位及其主要负责人，以及经调查认定对该事故发生"
           "负有责任，应当列入名单的其他单位和人员", "P", "accident_major"),
    Ground("accidents_2_in_12m", "令11号 列入情形 发生事故（二）",
           "12个月内累计发生2起以上较大生产安全事故的生产经营单位及其主要负责人", "P",
           "accidents_2_in_12m"),
    Ground("fine_art114", "令11号 列入情形 发生事故（三）；安全生产法第一百一十四条",
           "发生生产安全事故，情节特别严重、影响特别恶劣，依照《中华人民共和国安全生产法》第一百一十四条"
           "的规定被处以罚款数额2倍以上5倍以下罚款的生产经营单位及其主要负责人", "P", "fine_art114"),  # noqa: E501
    Ground("accident_concealed", "令11号 列入情形 发生事故（四）",
           "瞒报、谎报生产安全事故的生产经营单位及其有关责任人员", "P", "accident_concealed"),
    Ground("rescue_failure", "令11号 列入情形 发生事故（五）",
           "发生生产安全事故后，不立即组织抢救或者在事故调查处理期间擅离职守或者逃匿的生产经营单位"
           "主要负责人", "P", "accident_any"),
    Ground("no_licence", "令11号 列入情形 未发生事故（一）",
           "未依法取得安全生产相关许可或者许可被暂扣、吊销期间从事相关生产经营活动的生产经营单位及其"
           "主要负责人", "P", "no_licence"),
    Ground("service_body_fraud", "令11号 列入情形 未发生事故（二）",
           "承担安全评价、认证、检测、检验职责的机构及其直接责任人员租借资质、挂靠、出具虚假报告或者证书的",
           "K", "", service_body_only=True),
    Ground("refuse_execution", "令11号 列入情形 未发生事故（三）（原文未取得）",
           "有执行能力拒不执行、逃避执行行政处罚决定的（据二手资料，待核对）", "K"),
    Ground("other_severe", "令11号 列入情形 未发生事故（四）（原文未取得）",
           "其他性质恶劣、情节严重的安全生产违法行为（据二手资料，待核对）", "K"),
)
GROUNDS_BY_CODE = {g.code: g for g in GROUNDS}

#: Listing periods in months (secondary reports of 令11号, mirrored by 山西's rule: P).
TERM_MONTHS = 36  # 管理期限3年
EARLY_REMOVAL_AFTER_MONTHS = 12  # 列入满12个月可申请提前移出
QUERY_LOG_RETENTION_YEARS = 10  # 浙江省公共信用信息管理条例: 查询记录保存10年 (DOMAIN.md B6)
ACCIDENT_WINDOW_MONTHS = 12  # 列入情形 发生事故（二）: 12个月内累计发生2起以上较大
REPEAT_ACCIDENT_COUNT = 2
#: Accident grades (enforcement.accidents.grading codes) each accident ground names:
#: （一）特别重大、重大; （二）较大 (the grade named, no more: a 重大 one is ground （一）).
MAJOR_ACCIDENT_GRADES = ("major", "especially_major")
REPEAT_ACCIDENT_GRADES = ("larger",)
ALL_ACCIDENT_GRADES = ("ordinary", "larger", "major", "especially_major")
#: How far back the daily detection looks for the accidents of ground （二） (an operating
#: choice, not the rule's: two windows' worth, so a pair straddling a year is seen).
DETECTION_LOOKBACK_MONTHS = 24

#: Joint punishment measures recorded per entry (DOMAIN.md B6; 发改财金〔2016〕1001号 [S]
#: for inspections, [P] for the others).
RESTRICTIONS: tuple[tuple[str, str], ...] = (
    ("procurement", "限制参与政府采购"),
    ("bidding", "限制参与工程招投标"),
    ("state_land", "限制取得国有土地使用权"),
    ("financing", "限制融资授信"),
    ("honours", "限制评优评先、授予荣誉"),
    ("import_export", "进出口环节从严审核"),
    ("qualification", "资质审核从严"),
    ("inspections", "增加检查频次（每月检查）"),
)

#: 安全生产法第一百一十四条 is cited in a decision's basis as "第一百一十四条".
ART114_MARKERS = ("第一百一十四条", "第114条")
NO_LICENCE_MARKERS = ("未依法取得", "暂扣", "吊销", "无证", "许可")


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st of a shorter month clamps."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def repeat_window(moments: list[date]) -> tuple[int, int] | None:
    """The latest run of REPEAT_ACCIDENT_COUNT accidents (``moments`` oldest first) whose
    first and last lie within ACCIDENT_WINDOW_MONTHS (the last strictly before the first
    plus 12 months): (index of the first, index of the last), or None."""
    n = REPEAT_ACCIDENT_COUNT
    for last in range(len(moments) - 1, n - 2, -1):
        first = last - n + 1
        if moments[last] < add_months(moments[first], ACCIDENT_WINDOW_MONTHS):
            return first, last
    return None


def in_scope(sector: str, industry_code: str | None) -> bool:
    return sector in SCOPE_SECTORS or bool(
        industry_code and industry_code.startswith(SCOPE_INDUSTRY_PREFIXES))


def fine_ground_met(basis: str) -> bool:
    return any(m in (basis or "") for m in ART114_MARKERS)


def licence_ground_met(basis: str, kinds: list[str]) -> bool:
    text = basis or ""
    return ("licence_revocation" in kinds or "licence_suspension" in kinds
            or any(m in text for m in NO_LICENCE_MARKERS))
