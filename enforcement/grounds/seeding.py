"""The discretion table (裁量基准) seeded for the common violations of 安全生产法 第七章
(第九十四条 to 第一百零九条), published as one version.

Used by the data migration (with historical models) and by the tests' fixture after a
transactional test has flushed the tables. Each row quotes the clause of the article
that gives its statutory fine range, word for word (tests/enforcement/
test_grounds_statute.py checks the quotes and the figures against docs/laws/). The
split of a statutory range into 轻微/一般/较重 (and 严重 where the article has no
aggravated clause) is ILLUSTRATIVE: the tables of 应急〔2024〕90号 were not available, so
those rows are flagged ``illustrative`` and say so in their source, for the municipal
administrator to replace with the bureau's own figures. Rows for the article's
aggravated clause (逾期未改正 / 拒不执行 / 拒不改正) carry the statutory range itself.
Not seeded: fines as a share of annual income (第九十五条, 第九十六条 second half,
第一百一十条), multiples of illegal gains (第一百零三条), 第一百条 (penalised under the
hazardous-goods laws) and the continuing daily fine of 第一百一十二条 (computed by the
case from the original fine, not a range).

Plain strings, not the models' TextChoices: historical models have no nested choices.
"""

# ruff: noqa: E501  (statute quotes are kept whole on one line, to compare with the text)

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

LAW = "安全生产法"
VALID_FROM = datetime.date(2021, 9, 1)  # 安全生产法 (2021 rev.) in force
VERSION_NAME = "杭州市应急管理行政处罚裁量基准（安全生产法部分，示意版）"
VERSION_SOURCE = ("结构依应急〔2024〕90号（应急管理部令第12号）；法定幅度摘自安全生产法（2021年修订）"
                  "第九十四条至第一百零九条；阶次划分为示意，待市局核定")
ILLUSTRATIVE_NOTE = "阶次划分为示意：未取得应急〔2024〕90号原表，按法定幅度拆分，待市局核定。"
STATUTORY_NOTE = "处罚标准即该条加重情形的法定幅度；阶次名称待市局核定。"

DIRECT = "对其直接负责的主管人员和其他直接责任人员处"
NONE = (None, None)


def _tier(unit_clause="", unit=NONE, person_clause="", person=NONE, other=(),
          circumstance=""):
    return {"unit_clause": unit_clause, "unit": unit, "person_clause": person_clause,
            "person": person, "other": list(other), "circumstance": circumstance}


# Penalty schemes: the article's whole penalty clause, the base clause (责令改正 with a
# fine) and the aggravated clause where there is one. Figures in yuan, as in the text.
SCHEMES = {
    "94": {
        "clause": "责令限期改正，处二万元以上五万元以下的罚款；逾期未改正的，处五万元以上十万元以下的"
                  "罚款，责令生产经营单位停产停业整顿",
        "person_kind": "principal",
        "base": _tier(person_clause="处二万元以上五万元以下的罚款", person=(20000, 50000),
                      other=["order_correction"]),
        "aggravated": _tier(person_clause="逾期未改正的，处五万元以上十万元以下的罚款",
                            person=(50000, 100000), other=["suspend_for_rectification"],
                            circumstance="逾期未改正的（并责令生产经营单位停产停业整顿）"),
    },
    "96": {
        "clause": "责令限期改正，处一万元以上三万元以下的罚款",
        "person_kind": "other_managers",
        "base": _tier(person_clause="处一万元以上三万元以下的罚款", person=(10000, 30000),
                      other=["order_correction"]),
        "note": "导致发生生产安全事故的，按上一年年收入比例罚款并暂停或者吊销资格，不在本表。",
    },
    "97": {
        "clause": "责令限期改正，处十万元以下的罚款；逾期未改正的，责令停产停业整顿，并处十万元以上"
                  "二十万元以下的罚款，" + DIRECT + "二万元以上五万元以下的罚款",
        "person_kind": "directly_responsible",
        "base": _tier(unit_clause="处十万元以下的罚款", unit=(0, 100000),
                      other=["order_correction"]),
        "aggravated": _tier(
            unit_clause="逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款",
            unit=(100000, 200000), person_clause=DIRECT + "二万元以上五万元以下的罚款",
            person=(20000, 50000), other=["suspend_for_rectification"],
            circumstance="逾期未改正的"),
    },
    "98": {
        "clause": "责令停止建设或者停产停业整顿，限期改正，并处十万元以上五十万元以下的罚款，"
                  + DIRECT + "二万元以上五万元以下的罚款；逾期未改正的，处五十万元以上一百万元以下"
                  "的罚款，" + DIRECT + "五万元以上十万元以下的罚款",
        "person_kind": "directly_responsible",
        "base": _tier(
            unit_clause="责令停止建设或者停产停业整顿，限期改正，并处十万元以上五十万元以下的罚款",
            unit=(100000, 500000), person_clause=DIRECT + "二万元以上五万元以下的罚款",
            person=(20000, 50000),
            other=["construction_halt", "suspend_for_rectification", "order_correction"]),
        "aggravated": _tier(
            unit_clause="逾期未改正的，处五十万元以上一百万元以下的罚款", unit=(500000, 1000000),
            person_clause=DIRECT + "五万元以上十万元以下的罚款", person=(50000, 100000),
            other=["construction_halt", "suspend_for_rectification"],
            circumstance="逾期未改正的"),
    },
    "99": {
        "clause": "责令限期改正，处五万元以下的罚款；逾期未改正的，处五万元以上二十万元以下的罚款，"
                  + DIRECT + "一万元以上二万元以下的罚款；情节严重的，责令停产停业整顿",
        "person_kind": "directly_responsible",
        "base": _tier(unit_clause="处五万元以下的罚款", unit=(0, 50000),
                      other=["order_correction"]),
        "aggravated": _tier(
            unit_clause="逾期未改正的，处五万元以上二十万元以下的罚款", unit=(50000, 200000),
            person_clause=DIRECT + "一万元以上二万元以下的罚款", person=(10000, 20000),
            other=["suspend_for_rectification"],
            circumstance="逾期未改正的（情节严重的，并责令停产停业整顿）"),
    },
    "102": {
        "clause": "责令立即消除或者限期消除，处五万元以下的罚款；生产经营单位拒不执行的，责令停产停业"
                  "整顿，" + DIRECT + "五万元以上十万元以下的罚款",
        "person_kind": "directly_responsible",
        "base": _tier(unit_clause="处五万元以下的罚款", unit=(0, 50000),
                      other=["order_correction"]),
        "aggravated": _tier(
            person_clause=DIRECT + "五万元以上十万元以下的罚款", person=(50000, 100000),
            other=["suspend_for_rectification"],
            circumstance="生产经营单位拒不执行的（责令停产停业整顿，罚款到人）"),
    },
    "103-1": {
        "clause": "责令限期改正，没收违法所得；违法所得十万元以上的，并处违法所得二倍以上五倍以下的"
                  "罚款；没有违法所得或者违法所得不足十万元的，单处或者并处十万元以上二十万元以下的罚款；"
                  + DIRECT + "一万元以上二万元以下的罚款",
        "person_kind": "directly_responsible",
        "base": _tier(
            unit_clause="没有违法所得或者违法所得不足十万元的，单处或者并处十万元以上二十万元以下的罚款",
            unit=(100000, 200000), person_clause=DIRECT + "一万元以上二万元以下的罚款",
            person=(10000, 20000), other=["confiscation", "order_correction"]),
        "note": "违法所得十万元以上的，并处违法所得二倍以上五倍以下的罚款，按违法所得计算，不在本表。",
    },
    "103-2": {
        "clause": "责令限期改正，处五万元以下的罚款，" + DIRECT + "一万元以下的罚款；逾期未改正的，"
                  "责令停产停业整顿",
        "person_kind": "directly_responsible",
        "base": _tier(unit_clause="处五万元以下的罚款", unit=(0, 50000),
                      person_clause=DIRECT + "一万元以下的罚款", person=(0, 10000),
                      other=["order_correction"]),
        "aggravated": _tier(other=["suspend_for_rectification"],
                            circumstance="逾期未改正的（责令停产停业整顿，不另设罚款幅度）"),
    },
    "104": {
        "clause": "责令限期改正，处五万元以下的罚款，" + DIRECT + "一万元以下的罚款；逾期未改正的，"
                  "责令停产停业",
        "person_kind": "directly_responsible",
        "base": _tier(unit_clause="处五万元以下的罚款", unit=(0, 50000),
                      person_clause=DIRECT + "一万元以下的罚款", person=(0, 10000),
                      other=["order_correction"]),
        "aggravated": _tier(other=["ordered_suspension"],
                            circumstance="逾期未改正的（责令停产停业，不另设罚款幅度）"),
    },
    "106": {
        "clause": "该协议无效；对生产经营单位的主要负责人、个人经营的投资人处二万元以上十万元以下的罚款",
        "person_kind": "principal_or_owner",
        "base": _tier(person_clause="对生产经营单位的主要负责人、个人经营的投资人处二万元以上十万元"
                                    "以下的罚款", person=(20000, 100000)),
    },
    "108": {
        "clause": "责令改正；拒不改正的，处二万元以上二十万元以下的罚款；" + DIRECT
                  + "一万元以上二万元以下的罚款",
        "person_kind": "directly_responsible",
        "base": _tier(unit_clause="拒不改正的，处二万元以上二十万元以下的罚款", unit=(20000, 200000),
                      person_clause=DIRECT + "一万元以上二万元以下的罚款", person=(10000, 20000),
                      other=["order_correction"]),
        "note": "罚款以“拒不改正”为前提：责令改正后拒不改正的，按本表裁量。",
    },
    "109": {
        "clause": "责令限期改正，处五万元以上十万元以下的罚款；逾期未改正的，处十万元以上二十万元以下的罚款",
        "person_kind": "",
        "base": _tier(unit_clause="处五万元以上十万元以下的罚款", unit=(50000, 100000),
                      other=["order_correction"]),
        "aggravated": _tier(unit_clause="逾期未改正的，处十万元以上二十万元以下的罚款",
                            unit=(100000, 200000), circumstance="逾期未改正的"),
    },
}
SCHEMES["101"] = dict(SCHEMES["97"])
SCHEMES["105"] = dict(SCHEMES["103-2"])
SCHEMES["105"]["clause"] = SCHEMES["103-2"]["clause"]

# (code, violation, provision breached, penalty article, scheme)
VIOLATIONS = [
    ("AQ-094", "生产经营单位的主要负责人未履行本法规定的安全生产管理职责", "第二十一条", "第九十四条第一款", "94"),
    ("AQ-096", "生产经营单位的其他负责人和安全生产管理人员未履行本法规定的安全生产管理职责",
     "第二十五条", "第九十六条", "96"),
    ("AQ-097-1", "未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师",
     "第二十四条", "第九十七条第（一）项", "97"),
    ("AQ-097-2", "危险物品的生产、经营、储存、装卸单位以及矿山、金属冶炼、建筑施工、运输单位的主要负责人"
     "和安全生产管理人员未按照规定经考核合格", "第二十七条", "第九十七条第（二）项", "97"),
    ("AQ-097-3", "未按照规定对从业人员、被派遣劳动者、实习学生进行安全生产教育和培训，或者未按照规定如实"
     "告知有关的安全生产事项", "第二十八条", "第九十七条第（三）项", "97"),
    ("AQ-097-4", "未如实记录安全生产教育和培训情况", "第二十八条", "第九十七条第（四）项", "97"),
    ("AQ-097-5", "未将事故隐患排查治理情况如实记录或者未向从业人员通报", "第四十一条",
     "第九十七条第（五）项", "97"),
    ("AQ-097-6", "未按照规定制定生产安全事故应急救援预案或者未定期组织演练", "第八十一条",
     "第九十七条第（六）项", "97"),
    ("AQ-097-7", "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业", "第三十条",
     "第九十七条第（七）项", "97"),
    ("AQ-098-1", "未按照规定对矿山、金属冶炼建设项目或者用于生产、储存、装卸危险物品的建设项目进行安全评价",
     "第三十二条", "第九十八条第（一）项", "98"),
    ("AQ-098-2", "矿山、金属冶炼建设项目或者用于生产、储存、装卸危险物品的建设项目没有安全设施设计或者安全"
     "设施设计未按照规定报经有关部门审查同意", "第三十三条", "第九十八条第（二）项", "98"),
    ("AQ-098-3", "矿山、金属冶炼建设项目或者用于生产、储存、装卸危险物品的建设项目的施工单位未按照批准的"
     "安全设施设计施工", "第三十四条", "第九十八条第（三）项", "98"),
    ("AQ-098-4", "矿山、金属冶炼建设项目或者用于生产、储存、装卸危险物品的建设项目竣工投入生产或者使用前，"
     "安全设施未经验收合格", "第三十四条", "第九十八条第（四）项", "98"),
    ("AQ-099-1", "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志",
     "第三十五条", "第九十九条第（一）项", "99"),
    ("AQ-099-2", "安全设备的安装、使用、检测、改造和报废不符合国家标准或者行业标准", "第三十六条",
     "第九十九条第（二）项", "99"),
    ("AQ-099-3", "未对安全设备进行经常性维护、保养和定期检测", "第三十六条", "第九十九条第（三）项", "99"),
    ("AQ-099-4", "关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施，或者篡改、隐瞒、销毁其相关"
     "数据、信息", "第三十六条", "第九十九条第（四）项", "99"),
    ("AQ-099-5", "未为从业人员提供符合国家标准或者行业标准的劳动防护用品", "第四十五条",
     "第九十九条第（五）项", "99"),
    ("AQ-099-6", "危险物品的容器、运输工具，以及涉及人身安全、危险性较大的海洋石油开采特种设备和矿山井下特种"
     "设备未经具有专业资质的机构检测、检验合格，取得安全使用证或者安全标志，投入使用", "第三十七条",
     "第九十九条第（六）项", "99"),
    ("AQ-099-7", "使用应当淘汰的危及生产安全的工艺、设备", "第三十八条", "第九十九条第（七）项", "99"),
    ("AQ-099-8", "餐饮等行业的生产经营单位使用燃气未安装可燃气体报警装置", "第三十六条",
     "第九十九条第（八）项", "99"),
    ("AQ-101-1", "生产、经营、运输、储存、使用危险物品或者处置废弃危险物品，未建立专门安全管理制度、未采取"
     "可靠的安全措施", "第三十九条", "第一百零一条第（一）项", "101"),
    ("AQ-101-2", "对重大危险源未登记建档，未进行定期检测、评估、监控，未制定应急预案，或者未告知应急措施",
     "第四十条", "第一百零一条第（二）项", "101"),
    ("AQ-101-3", "进行爆破、吊装、动火、临时用电以及国务院应急管理部门会同国务院有关部门规定的其他危险作业，"
     "未安排专门人员进行现场安全管理", "第四十三条", "第一百零一条第（三）项", "101"),
    ("AQ-101-4", "未建立安全风险分级管控制度或者未按照安全风险分级采取相应管控措施", "第四十一条",
     "第一百零一条第（四）项", "101"),
    ("AQ-101-5", "未建立事故隐患排查治理制度，或者重大事故隐患排查治理情况未按照规定报告", "第四十一条",
     "第一百零一条第（五）项", "101"),
    ("AQ-102", "生产经营单位未采取措施消除事故隐患", "第四十一条", "第一百零二条", "102"),
    ("AQ-103-1", "将生产经营项目、场所、设备发包或者出租给不具备安全生产条件或者相应资质的单位或者个人",
     "第四十九条", "第一百零三条第一款", "103-1"),
    ("AQ-103-2", "未与承包单位、承租单位签订专门的安全生产管理协议或者未在承包合同、租赁合同中明确各自的"
     "安全生产管理职责，或者未对承包单位、承租单位的安全生产统一协调、管理", "第四十九条",
     "第一百零三条第二款", "103-2"),
    ("AQ-104", "两个以上生产经营单位在同一作业区域内进行可能危及对方安全生产的生产经营活动，未签订安全生产"
     "管理协议或者未指定专职安全生产管理人员进行安全检查与协调", "第四十八条", "第一百零四条", "104"),
    ("AQ-105-1", "生产、经营、储存、使用危险物品的车间、商店、仓库与员工宿舍在同一座建筑内，或者与员工宿舍"
     "的距离不符合安全要求", "第四十二条", "第一百零五条第（一）项", "105"),
    ("AQ-105-2", "生产经营场所和员工宿舍未设有符合紧急疏散需要、标志明显、保持畅通的出口、疏散通道，或者"
     "占用、锁闭、封堵生产经营场所或者员工宿舍出口、疏散通道", "第四十二条", "第一百零五条第（二）项",
     "105"),
    ("AQ-106", "生产经营单位与从业人员订立协议，免除或者减轻其对从业人员因生产安全事故伤亡依法应承担的责任",
     "第五十二条", "第一百零六条", "106"),
    ("AQ-108", "生产经营单位拒绝、阻碍负有安全生产监督管理职责的部门依法实施监督检查", "第六十六条",
     "第一百零八条", "108"),
    ("AQ-109", "高危行业、领域的生产经营单位未按照国家规定投保安全生产责任保险", "第五十一条",
     "第一百零九条", "109"),
]

#: Minor rows where 首违不罚 (行政处罚法 第三十三条) may apply: record-keeping and
#: notice duties, not those where the danger itself is the violation (illustrative).
FIRST_VIOLATION_MAY_BE_WAIVED = {"AQ-097-4", "AQ-097-5", "AQ-097-6", "AQ-099-1", "AQ-099-3",
                                 "AQ-103-2", "AQ-104", "AQ-109"}

# Illustrative circumstances and shares of the statutory range, lightest first.
WITH_AGGRAVATED = [
    ("minor", "初次违法，危害后果轻微，并在责令限期内改正（示意）", Decimal("0"), Decimal("0.2")),
    ("general", "初次违法，涉及从业人员或场所、设备范围较小，在责令限期内改正（示意）",
     Decimal("0.2"), Decimal("0.6")),
    ("serious", "一年内再次违法，或涉及从业人员比例较大、存在导致事故的现实风险（示意）",
     Decimal("0.6"), Decimal("1")),
]
WITHOUT_AGGRAVATED = [
    ("minor", "初次违法，危害后果轻微，并及时改正（示意）", Decimal("0"), Decimal("0.2")),
    ("general", "初次违法，涉及从业人员或场所、设备范围较小（示意）", Decimal("0.2"), Decimal("0.5")),
    ("serious", "一年内再次违法，或涉及从业人员比例较大（示意）", Decimal("0.5"), Decimal("0.8")),
    ("severe", "多次违法、拒不配合调查或造成较大社会影响（示意）", Decimal("0.8"), Decimal("1")),
]


def _share(bounds, lo_share, hi_share):
    """The part of a statutory range between two shares, to the yuan."""
    if bounds == NONE:
        return NONE
    lo, hi = Decimal(bounds[0]), Decimal(bounds[1])
    span = hi - lo
    one = Decimal("1")
    return ((lo + span * lo_share).quantize(one, ROUND_HALF_UP),
            (lo + span * hi_share).quantize(one, ROUND_HALF_UP))


def _fields(tier, row_range_unit, row_range_person, person_kind):
    has_person = tier["person"] != NONE
    return {
        "unit_clause": tier["unit_clause"],
        "statutory_unit_fine_min": tier["unit"][0], "statutory_unit_fine_max": tier["unit"][1],
        "unit_fine_min": row_range_unit[0], "unit_fine_max": row_range_unit[1],
        "person_kind": person_kind if has_person else "",
        "person_clause": tier["person_clause"],
        "statutory_person_fine_min": tier["person"][0],
        "statutory_person_fine_max": tier["person"][1],
        "person_fine_min": row_range_person[0], "person_fine_max": row_range_person[1],
        "other_penalties": tier["other"],
    }


def benchmark_rows(code, article, scheme):
    """The rows of one violation type: the base clause split into levels
    (illustrative), then the aggravated clause at its statutory range."""
    base, aggravated = scheme["base"], scheme.get("aggravated")
    split = WITH_AGGRAVATED if aggravated else WITHOUT_AGGRAVATED
    note = scheme.get("note", "")
    rows = []
    for level, circumstance, lo, hi in split:
        rows.append({
            "level": level, "circumstance": circumstance,
            **_fields(base, _share(base["unit"], lo, hi), _share(base["person"], lo, hi),
                      scheme["person_kind"]),
            "no_penalty_possible": level == "minor" and code in FIRST_VIOLATION_MAY_BE_WAIVED,
            "illustrative": True,
            "source": f"{LAW}（2021年修订）{article}；阶次为示意划分",
            "note": (ILLUSTRATIVE_NOTE + note)[:500],
        })
    if aggravated:
        rows.append({
            "level": "severe", "circumstance": aggravated["circumstance"],
            **_fields(aggravated, aggravated["unit"], aggravated["person"],
                      scheme["person_kind"]),
            "no_penalty_possible": False, "illustrative": False,
            "source": f"{LAW}（2021年修订）{article}（法定加重情形）",
            "note": (STATUTORY_NOTE + note)[:500],
        })
    return rows


def seed_discretion(version_model: Any = None, violation_model: Any = None,
                    benchmark_model: Any = None) -> Any:
    """Create and publish the seeded version unless it exists; return it."""
    if version_model is None:
        from enforcement.grounds.models import DiscretionBenchmark, DiscretionVersion, ViolationType

        version_model, violation_model, benchmark_model = (
            DiscretionVersion, ViolationType, DiscretionBenchmark)
    existing = version_model.objects.filter(name=VERSION_NAME).first()
    if existing is not None:
        return existing
    version = version_model.objects.create(
        name=VERSION_NAME, source=VERSION_SOURCE, valid_from=VALID_FROM, status="draft",
        note="系统初始数据（数据迁移）。违法行为、法律规定、处罚依据及法定幅度摘自法律原文；"
             "标注“示意”的阶次划分须由市局按本局裁量基准核定后发布新版本。")
    for order, (code, name, breached, penalty_article, key) in enumerate(VIOLATIONS, 1):
        scheme = SCHEMES[key]
        violation = violation_model.objects.create(
            version=version, code=code, name=name, order=order,
            breached_statute=LAW, breached_article=breached,
            penalty_statute=LAW, penalty_article=penalty_article,
            penalty_clause=scheme["clause"])
        article = penalty_article.split("条")[0] + "条"
        for row in benchmark_rows(code, article, scheme):
            benchmark_model.objects.create(violation=violation, **row)
    version.status = "published"
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


def seed_thresholds() -> None:
    """The procedure thresholds of migration 0002 (update_or_create, so idempotent), for
    a database whose tables were flushed after migrating (a test run, a restore) before
    the demo or a test needs them. The rows stay in the migration: they are its history."""
    import importlib

    from django.apps import apps
    from django.db import transaction

    migration = importlib.import_module("enforcement.migrations.0002_seed_procedure_thresholds")
    with transaction.atomic():
        migration.seed(apps, None)
