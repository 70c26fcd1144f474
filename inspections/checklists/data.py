"""Seed content of the municipal checklist templates (检查表), as plain data.

Each item cites a law by its short name (LAWS: the statute text under docs/laws/ it
quotes and the version of that text) and one article exactly as the text spells it
("第二十七条"). ``quote`` is a phrase copied literally from that article: the tests
check that it is found in the article's own text and nowhere else in the law (so it
identifies the clause), and a phrase shared by several items must be long enough to
name the clause. It is not stored in the database.

``major`` lists the codes of the national criteria (criteria.py) whose situation
the item checks: a failed item is a major hidden danger (重大事故隐患) only under a
criterion the inspector names. Items bundle no ordinary duty with a criterion: where a
duty and a criterion met in one question, the question is split so that only the
criterion situation is major.

``remit`` (per template) is the department whose enforcement the template belongs to
(安全生产法 第十条: 住建 for construction safety, 卫健 for occupational health): an
应急 inspection offers it only jointly with an officer of that department (remit.py).
"""

from __future__ import annotations

from typing import TypedDict

from enterprises.models import INDUSTRY_AND_TRADE_SECTORS, Sector, SpecialOperation
from inspections.checklists.criteria import hc


class LawText(TypedDict):
    file: str      # the text under docs/laws/ the quotes come from
    version: str   # the version quoted, shown in every citation: 《…》（2016）第十九条
    rebase: str    # why items citing it need re-basing ("" while the text is current)


ZJ_REBASE = ("《浙江省安全生产条例》已修订，修订后的文本自2023-03-01起施行，条文序号与2016年文本"
             "不同；本项引用2016年文本，须依现行文本核对条款和内容。")
HC_REBASE = ("《中华人民共和国危险化学品安全法》自2026-05-01起施行；本项引用2013年修订的"
             "《危险化学品安全管理条例》，须依新法核对依据和条款。")

LAWS: dict[str, LawText] = {
    "安全生产法": {"file": "安全生产法(2021-06-10).md", "version": "2021", "rebase": ""},
    "危险化学品安全管理条例": {"file": "危险化学品安全管理条例(2013-12-07).md",
                       "version": "2013", "rebase": HC_REBASE},
    "建设工程安全生产管理条例": {"file": "建设工程安全生产管理条例(2003-11-24).md",
                        "version": "2003", "rebase": ""},
    "职业病防治法": {"file": "职业病防治法(2018-12-29).md", "version": "2018", "rebase": ""},
    "浙江省安全生产条例": {"file": "浙江省安全生产条例(2016-07-29).md", "version": "2016",
                   "rebase": ZJ_REBASE},
    "杭州市安全生产监督管理条例": {"file": "杭州市安全生产监督管理条例(2010-10-11).md",
                         "version": "2010", "rebase": ""},
    "安全生产许可证条例": {"file": "安全生产许可证条例(2014-07-29).md", "version": "2014",
                   "rebase": ""},
}
# Short law name → its text under docs/laws/ (kept for the tests and docs/laws/README).
LAW_FILES: dict[str, str] = {name: law["file"] for name, law in LAWS.items()}


class ItemData(TypedDict):
    text: str
    law: str
    article: str
    quote: str
    major: list[str]
    oh: bool


class TemplateData(TypedDict):
    code: str
    name: str
    remit: str
    sectors: list[str]
    special_operations: list[str]
    version: int
    items: list[ItemData]


def item(text: str, law: str, article: str, quote: str, *major: str,
         oh: bool = False) -> ItemData:
    return {"text": text, "law": law, "article": article, "quote": quote,
            "major": list(major), "oh": oh}


SAFETY_LAW = "安全生产法"
HC_REG = "危险化学品安全管理条例"
CN_REG = "建设工程安全生产管理条例"
OH_LAW = "职业病防治法"
ZJ_REG = "浙江省安全生产条例"
HZ_REG = "杭州市安全生产监督管理条例"
LICENCE_REG = "安全生产许可证条例"

GM_SECTORS = sorted(str(s) for s in INDUSTRY_AND_TRADE_SECTORS)

# Departments whose enforcement a template belongs to (安全生产法 第十条), as
# hangzhou_safety.accounts.models.Authority.Department values.
EMERGENCY = "emergency"
HOUSING = "housing"
HEALTH = "health"

# Phrases quoted by several items: each is long enough to identify its clause.
SIGNS = "在有较大危险因素的生产经营场所和有关设施、设备上，设置明显的安全警示标志"
SPECIAL_OPERATORS = "必须按照国家有关规定经专门的安全作业培训，取得相应资格，方可上岗作业"
EXAMINED = "应当由主管的负有安全生产监督管理职责的部门对其安全生产知识和管理能力考核合格"
MAINTENANCE = "生产经营单位必须对安全设备进行经常性维护、保养，并定期检测，保证正常运转"
EQUIPMENT_STANDARDS = ("安全设备的设计、制造、安装、使用、检测、维"
                       "修、改造和报废，应当符合国家标准或者行业标准")
SPECIAL_WORK = "应当安排专门人员进行现场安全管理，确保操作规程的遵守和安全措施的落实"
OBSOLETE = "生产经营单位不得使用应当淘汰的危及生产安全的工艺、设备"
RULES = "组织制定并实施本单位安全生产规章制度和操作规程"
DRILLS = "与所在地县级以上地方人民政府组织制定的生产安全事故应急救援预案相衔接，并定期组织演练"
DANGEROUS_GOODS = ("必须执行有关法律、法规和国家标准或者行业标准"
                   "，建立专门的安全管理制度，采取可靠的安全措施")
CONTRACTORS = "生产经营单位对承包单位、承租单位的安全生产工作统一协调、管理，定期进行安全检查"
ZJ_DUST = "通风除尘、防静电、防爆等安全设施，符合国家相关防燃爆标准要求"
ZJ_PERMIT = "作业前完成作业现场危险危害因素辨识分析、安全防护措施落实以及相关内部审签手续"
ZJ_SITE = "应当安排专门人员进行现场安全管理，并落实下列措施"
HC_FACILITIES = "在作业场所设置相应的监测、监控、通风、防晒、调温、防火、灭火、防爆、泄压、防毒"
HC_DISTANCES = ("储存数量构成重大危险源的危险化学品储存设施(运输工具加油站、"
                "加气站除外)，与下列场所、设施、区域的距离应当符合国家有关规定")

GM_GENERAL: TemplateData = {
    "code": "GM-GEN-2026",
    "name": "工贸企业安全生产通用检查表",
    "remit": EMERGENCY,
    "sectors": GM_SECTORS,
    "special_operations": [],
    "version": 2,
    "items": [
        # 第二十二条 (not 第二十一条) sets what the responsibility system must contain.
        item("全员安全生产责任制是否明确各岗位的责任人员、责任范围和考核标准，是否建立相应机制"
             "监督考核其落实情况。", SAFETY_LAW, "第二十二条",
             "全员安全生产责任制应当明确各岗位的责任人员、责任范围和考核标准等内容"),
        item("主要负责人是否组织制定并实施安全生产规章制度和岗位安全操作规程，并发放到相关岗位。",
             SAFETY_LAW, "第二十一条", RULES),
        item("是否按规定设置安全生产管理机构或配备安全生产管理人员（从业人员超过一百人的，"
             "设置机构或配备专职人员；一百人以下的，配备专职或兼职人员）。",
             SAFETY_LAW, "第二十四条",
             "从业人员在一百人以下的，应当配备专职或者兼职的安全生产管理人员"),
        item("主要负责人和安全生产管理人员是否具备与本单位生产经营活动相应的安全生产知识和管理"
             "能力。", SAFETY_LAW, "第二十七条",
             "必须具备与本单位所从事的生产经营活动相应的安全生产知识和管理能力"),
        # Split from the item above: only metallurgy firms fall under 第三条（三）.
        item("（仅金属冶炼企业）主要负责人、安全生产管理人员是否经主管部门考核合格。",
             SAFETY_LAW, "第二十七条", EXAMINED, "L10-3-3"),
        item("从业人员（含被派遣劳动者、实习学生）是否经安全生产教育和培训合格后上岗，"
             "是否建立培训档案如实记录培训时间、内容、参加人员和考核结果。",
             SAFETY_LAW, "第二十八条", "生产经营单位应当建立安全生产教育和培训档案"),
        item("电工、焊接与热切割、高处作业、制冷与空调等特种作业人员是否经专门的安全作业培训、"
             "取得相应资格后持证上岗。", SAFETY_LAW, "第三十条", SPECIAL_OPERATORS, "L10-3-2"),
        item("有较大危险因素的生产经营场所和有关设施、设备上是否设置明显的安全警示标志。",
             SAFETY_LAW, "第三十五条", SIGNS),
        item("安全设备是否经常性维护、保养并定期检测，记录是否有相关人员签字；是否存在关闭、"
             "破坏监控、报警、防护、救生设备设施或篡改、隐瞒、销毁相关数据的情况。",
             SAFETY_LAW, "第三十六条", MAINTENANCE),
        item("是否使用国家或省公布的应当淘汰的危及生产安全的工艺、设备。",
             SAFETY_LAW, "第三十八条", OBSOLETE),
        item("是否建立安全风险分级管控制度和事故隐患排查治理制度，隐患排查治理情况是否如实记录"
             "并向从业人员通报。", SAFETY_LAW, "第四十一条", "事故隐患排查治理情况应当如实记录"),
        item("生产经营场所和员工宿舍是否设有符合紧急疏散要求、标志明显、保持畅通的出口和疏散"
             "通道，是否存在占用、锁闭、封堵的情况；危险物品车间、仓库是否与员工宿舍在同一座"
             "建筑物内。", SAFETY_LAW, "第四十二条",
             "禁止占用、锁闭、封堵生产经营场所或者员工宿舍的出口、疏散通道"),
        item("动火、吊装、临时用电等危险作业是否安排专门人员进行现场安全管理，确保操作规程"
             "遵守和安全措施落实。", SAFETY_LAW, "第四十三条", SPECIAL_WORK),
        # 第四十九条 accepts the duties agreed in the contract; a missing agreement alone
        # is punished under 第一百零三条, it is no criterion of 令10号.
        item("将生产经营项目、场所、设备发包或出租的，承包、承租单位是否具备安全生产条件或"
             "相应资质；是否签订专门的安全生产管理协议，或在承包、租赁合同中约定各自的安全"
             "生产管理职责。", SAFETY_LAW, "第四十九条",
             "或者在承包合同、租赁合同中约定各自的安全生产管理职责"),
        item("是否对承包单位、承租单位的安全生产工作统一协调、管理，并定期进行安全检查。",
             SAFETY_LAW, "第四十九条", CONTRACTORS, "L10-3-1"),
        item("是否为从业人员提供符合国家标准或行业标准的劳动防护用品，并监督、教育从业人员"
             "按照使用规则佩戴、使用。", SAFETY_LAW, "第四十五条",
             "必须为从业人员提供符合国家标准或者行业标准的劳动防护用品"),
        item("是否制定生产安全事故应急救援预案，与所在地政府预案相衔接，并定期组织演练。",
             SAFETY_LAW, "第八十一条", DRILLS),
    ],
}

GM_DUST: TemplateData = {
    "code": "GM-DUST-2026",
    "name": "粉尘涉爆企业专项检查表",
    "remit": EMERGENCY,
    "sectors": GM_SECTORS,
    "special_operations": [SpecialOperation.DUST_EXPLOSION.value],
    "version": 2,
    "items": [
        item("粉尘爆炸危险场所是否设置在非框架结构的多层建（构）筑物内，场所内是否设有员工宿舍、"
             "会议室、办公室、休息室等人员聚集场所。", ZJ_REG, "第十九条",
             "应当保证作业场所的建筑物、构筑物", "L10-11-1"),
        item("不同类别的可燃性粉尘、可燃性粉尘与可燃气体是否共用一套除尘系统，不同建（构）筑物、"
             "不同防火分区的除尘系统是否共用或互联互通。", ZJ_REG, "第十九条", ZJ_DUST,
             "L10-11-2"),
        item("干式除尘系统是否采取泄爆、惰化、抑爆等爆炸防控措施，已设置的防控装置是否正常运行、"
             "有效。", ZJ_REG, "第十九条", ZJ_DUST, "L10-11-3", "L10-14"),
        # 第十一条（四）: Al/Mg metal dust with positive-pressure removal is major as such;
        # other combustible dust only when blown under positive pressure without spark
        # detection and extinguishing.
        item("铝镁等金属粉尘除尘系统是否采用正压除尘方式；其他可燃性粉尘除尘系统采用正压吹送"
             "粉尘的，是否采取火花探测消除等防范点燃源措施，措施是否有效。",
             ZJ_REG, "第十九条", ZJ_DUST, "L10-11-4", "L10-14"),
        item("除尘系统是否采用重力沉降室除尘，或者采用干式巷道式构筑物作为除尘风道。",
             ZJ_REG, "第十九条", ZJ_DUST, "L10-11-5"),
        item("铝镁等金属粉尘、木质粉尘的干式除尘系统是否设置锁气卸灰装置，装置是否完好有效。",
             ZJ_REG, "第十九条", ZJ_DUST, "L10-11-6", "L10-14"),
        item("除尘器、收尘仓等划分为20区的粉尘爆炸危险场所电气设备是否符合防爆要求。",
             ZJ_REG, "第十九条", "应当保证作业场所的建筑物、构筑物、电气设备", "L10-11-7"),
        item("电气设备和通风除尘、防静电、防爆等安全设施是否按国家标准、行业标准定期检测和"
             "维护保养。", ZJ_REG, "第十九条",
             "按照国家标准、行业标准定期对电气设备和通风除"
                  "尘、防静电、防爆等安全设施进行检测和维护保养"),
        item("粉碎、研磨、造粒等易产生机械点燃源的工艺设备前是否设置铁、石等杂物去除装置；"
             "木制品加工企业与砂光机连接的风管是否设置火花探测消除装置；装置是否有效。",
             ZJ_REG, "第十九条", ZJ_DUST, "L10-11-8", "L10-14"),
        item("遇湿自燃金属粉尘的收集、堆放、储存场所是否采取通风等防止氢气积聚措施，干式收集、"
             "堆放、储存场所是否采取防水、防潮措施。", ZJ_REG, "第十九条", ZJ_DUST, "L10-11-9"),
        item("是否建立粉尘清理制度，按国家标准、行业标准定期清理可燃爆粉尘。", ZJ_REG, "第十九条",
             "按照国家标准、行业标准定期清理可燃爆粉尘"),
        # Split from the duty above: only serious accumulation from an unapplied cleaning
        # rule is the criterion.
        item("是否因未落实粉尘清理制度，造成作业现场积尘严重。", ZJ_REG, "第十九条",
             "（一）执行爆炸性危险作业场所安全管理制度", "L10-11-10"),
        item("是否按规定控制作业场所爆炸性危险物质（可燃性粉尘）的存放数量。",
             ZJ_REG, "第十九条", "按照规定控制作业场所爆炸性危险物质的存放数量"),
        item("是否对粉尘作业人员进行粉尘防爆安全操作规程和应急措施培训。",
             ZJ_REG, "第十九条", "对作业人员进行安全操作规程和应急措施培训"),
        item("粉尘爆炸危险场所及除尘设施是否设置明显的安全警示标志。",
             SAFETY_LAW, "第三十五条", SIGNS),
    ],
}

GM_AMMONIA: TemplateData = {
    "code": "GM-NH3-2026",
    "name": "涉氨制冷企业专项检查表",
    "remit": EMERGENCY,
    "sectors": GM_SECTORS,
    "special_operations": [SpecialOperation.LIQUID_AMMONIA.value],
    "version": 2,
    "items": [
        item("包装间、分割间、产品整理间等人员较多场所的空调系统是否采用氨直接蒸发制冷。",
             SAFETY_LAW, "第二十条", "不具备安全生产条件的，不得从事生产经营活动", "L10-12-1"),
        item("快速冻结装置是否设置在单独的作业间内，快速冻结装置作业间内作业人员是否超过9人。",
             SAFETY_LAW, "第二十条", "不具备安全生产条件的，不得从事生产经营活动", "L10-12-2"),
        item("液氨储量构成重大危险源的，是否登记建档，定期检测、评估、监控，制定应急预案，"
             "并报应急管理部门备案。", SAFETY_LAW, "第四十条",
             "生产经营单位对重大危险源应当登记建档，进行定期检测、评估、监控"),
        item("是否根据液氨的危险特性和使用量，建立健全液氨使用安全管理规章制度和安全操作规程。",
             HC_REG, "第二十八条", "建立、健全使用危险化学品的安全管理规章制度和安全操作规程"),
        # Re-based: 职业病防治法 第二十五条 is the health authority's power; the ammonia
        # detectors are safety equipment under 安全生产法 第三十六条.
        item("氨制冷机房、设备间等可能发生氨泄漏的场所是否按国家标准、行业标准设置氨气浓度"
             "检测报警装置，报警装置是否正常运行、有效。", SAFETY_LAW, "第三十六条",
             EQUIPMENT_STANDARDS, "L10-14"),
        item("从事制冷与空调作业的人员是否经专门的安全作业培训，取得特种作业操作证后上岗。",
             SAFETY_LAW, "第三十条", SPECIAL_OPERATORS, "L10-3-2"),
        item("氨制冷系统安全阀、压力表、液位计、紧急泄氨装置及报警与事故排风联锁是否完好，"
             "是否经常性维护保养并定期检测。", SAFETY_LAW, "第三十六条", MAINTENANCE, "L10-14"),
        item("氨制冷机房、储氨器及管道阀门等部位是否设置明显的安全警示标志。",
             SAFETY_LAW, "第三十五条", SIGNS),
        item("储存、使用液氨的车间、仓库是否与员工宿舍在同一座建筑物内，是否保持安全距离。",
             SAFETY_LAW, "第四十二条", "不得与员工宿舍在同一座建筑物内"),
        item("充氨、放油、检修等危险作业是否安排专门人员进行现场安全管理。",
             SAFETY_LAW, "第四十三条", SPECIAL_WORK),
        item("是否制定液氨泄漏事故应急预案，配备正压式空气呼吸器、防化服等应急救援器材，"
             "并定期组织演练。", HC_REG, "第七十条",
             "配备应急救援人员和必要的应急救援器材、设备"),
    ],
}

# 第十三条 covers confined spaces with a hydrogen-sulphide or carbon-monoxide poisoning
# risk only; its two situations are checked by their own items.
CS_SCOPE = "（存在硫化氢、一氧化碳等中毒风险的有限空间）"

GM_CONFINED_SPACE: TemplateData = {
    "code": "GM-CS-2026",
    "name": "有限空间作业专项检查表",
    "remit": EMERGENCY,
    "sectors": GM_SECTORS,
    "special_operations": [SpecialOperation.CONFINED_SPACE.value],
    "version": 2,
    "items": [
        item("是否对本单位有限空间进行辨识、建立有限空间安全管理台账，并在有限空间出入口设置"
             "明显的安全警示标志。", SAFETY_LAW, "第三十五条", SIGNS),
        # The criterion needs both failures at once ("并且"): its own item.
        item(f"{CS_SCOPE}是否既未对有限空间进行辨识、建立安全管理台账，又未设置明显的安全警示"
             "标志。", SAFETY_LAW, "第三十五条", SIGNS, "L10-13-1"),
        item(f"{CS_SCOPE}有限空间作业是否落实作业审批。", ZJ_REG, "第十八条", ZJ_PERMIT,
             "L10-13-2"),
        item("作业前是否完成危险有害因素辨识分析、安全防护措施落实和内部审签手续。",
             ZJ_REG, "第十八条", ZJ_PERMIT),
        item(f"{CS_SCOPE}作业是否执行“先通风、再检测、后作业”。", HZ_REG, "第二十七条",
             "采取安全防范措施，设置作业现场的安全区域", "L10-13-2"),
        item("作业前是否进行危害识别和风险评估，制定作业方案和安全操作规程。", HZ_REG,
             "第二十七条", "进行危害识别和风险评估，制定作业方案、安全操作规程"),
        item("是否配备气体检测报警仪器和通风设备，设备是否正常运行、有效。", SAFETY_LAW,
             "第三十六条", MAINTENANCE, "L10-14"),
        item(f"{CS_SCOPE}作业现场是否设置监护人员。", ZJ_REG, "第十八条", ZJ_SITE, "L10-13-2"),
        item("有限空间作业现场是否安排专门人员进行现场安全管理。", ZJ_REG, "第十八条", ZJ_SITE),
        item("作业方案是否经本单位技术负责人审查同意，作业前是否向作业人员进行安全技术交底"
             "并双方签字确认。", HZ_REG, "第二十七条",
             "作业方案应经本单位技术负责人审查同意后方可实施"),
        item("是否确认作业人员具备相应技能、身体状况符合要求，呼吸防护用品、安全带、安全绳等"
             "劳动防护用品配备符合安全作业要求。", ZJ_REG, "第十八条",
             "确认作业人员具备上岗资质或者技能"),
        item("作业前是否告知作业人员有限空间内的危险有害因素、安全作业要求和应急措施。",
             ZJ_REG, "第十八条", "告知作业人员危险危害因素、安全作业要求和应急措施"),
        item("发现直接危及人身安全的紧急情况时，是否立即停止作业、撤出作业人员，严禁盲目施救。",
             ZJ_REG, "第十八条", "停止作业并撤出作业人员"),
        item("是否对有限空间作业人员、监护人员和管理人员开展专项安全培训，使其掌握岗位安全操作"
             "技能和应急处置方法。", SAFETY_LAW, "第二十八条",
             "熟悉有关的安全生产规章制度和安全操作规程，掌握本岗位的安全操作技能"),
        item("有限空间作业发包的，承包单位是否具备安全生产条件或相应资质，是否签订安全生产"
             "管理协议。", SAFETY_LAW, "第四十九条",
             "不得将生产经营项目、场所、设备发包或者出租给不具备安全生产条件或者相应资质的"
             "单位或者个人"),
        item("是否制定有限空间作业事故应急预案或现场处置方案，配备应急救援装备并定期演练。",
             SAFETY_LAW, "第八十一条", DRILLS),
    ],
}

HC_GENERAL: TemplateData = {
    "code": "HC-GEN-2026",
    "name": "危险化学品生产经营单位安全检查表",
    "remit": EMERGENCY,
    "sectors": [Sector.HAZARDOUS_CHEMICALS.value],
    "special_operations": [],
    "version": 2,
    "items": [
        item("危险化学品生产、经营单位的主要负责人和安全生产管理人员是否由主管部门对其安全"
             "生产知识和管理能力考核合格。", SAFETY_LAW, "第二十七条", EXAMINED, hc("一")),
        item("危险化学品生产、储存单位是否有注册安全工程师从事安全生产管理工作。",
             SAFETY_LAW, "第二十七条", "应当有注册安全工程师从事安全生产管理工作"),
        item("特种作业人员（危险化工工艺作业、电工、焊工等）是否持证上岗。",
             SAFETY_LAW, "第三十条", SPECIAL_OPERATORS, hc("二")),
        item("涉及“两重点一重大”的生产装置、储存设施外部安全防护距离是否符合国家标准要求。",
             HC_REG, "第十九条", HC_DISTANCES, hc("三")),
        item("危险化学品生产企业是否依法取得危险化学品安全生产许可证并在有效期内。",
             HC_REG, "第十四条", "应当依照《安全生产许可证条例》的"
                  "规定，取得危险化学品安全生产许可证"),
        item("作业场所是否按危险化学品的种类和危险特性设置监测、监控、通风、防火、防爆、泄压、"
             "防泄漏等安全设施设备，并经常性维护、保养。", HC_REG, "第二十条", HC_FACILITIES),
        # Split from the facilities duty above: only detectors and explosion-proof
        # equipment are 121号's item 十二.
        item("可燃和有毒有害气体泄漏场所是否按国家标准设置检测报警装置，爆炸危险场所是否按国家"
             "标准安装使用防爆电气设备。", HC_REG, "第二十条", HC_FACILITIES, hc("十二")),
        # Re-based from 安全生产法 第三十六条 (which forbids switching devices off, not the
        # lack of automation): hazardous goods must meet the national standards (第三十九条).
        item("涉及重点监管危险化工工艺的装置是否实现自动化控制，是否具备紧急停车功能，"
             "自动化控制系统、紧急停车系统是否投入使用。", SAFETY_LAW, "第三十九条",
             DANGEROUS_GOODS, hc("四")),
        # Re-based from 浙江省安全生产条例（2016）第十六条 (monitoring, not cut-off).
        item("构成一级、二级重大危险源的危险化学品罐区是否实现紧急切断功能；涉及毒性气体、"
             "液化气体、剧毒液体的一级、二级重大危险源罐区是否配备独立的安全仪表系统。",
             SAFETY_LAW, "第三十九条", DANGEROUS_GOODS, hc("五")),
        item("全压力式液化烃储罐是否按国家标准设置注水措施。", SAFETY_LAW, "第三十九条",
             DANGEROUS_GOODS, hc("六")),
        item("液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装是否使用万向管道充装系统。",
             SAFETY_LAW, "第三十九条", DANGEROUS_GOODS, hc("七")),
        item("光气、氯气等剧毒气体及硫化氢气体管道是否穿越除厂区（包括化工园区、工业园区）外的"
             "公共区域。", HC_REG, "第十三条",
             "应当对其铺设的危险化学品管道设置明显标志，并对危险化学品管道定期检查、检测",
             hc("八")),
        item("地区架空电力线路是否穿越生产区且不符合国家标准要求。", HC_REG, "第十九条",
             HC_DISTANCES, hc("九")),
        item("在役化工装置是否经正规设计，未经正规设计的是否进行安全设计诊断。",
             SAFETY_LAW, "第三十二条",
             "用于生产、储存、装卸危险物品的建设项目，应当按照国家有关规定进行安全评价", hc("十")),
        item("是否使用淘汰落后安全技术工艺、设备目录列出的工艺、设备。", SAFETY_LAW, "第三十八条",
             OBSOLETE, hc("十一")),
        item("控制室或机柜间面向具有火灾、爆炸危险性装置一侧是否满足国家标准关于防火防爆的要求。",
             HC_REG, "第二十条", HC_FACILITIES, hc("十三")),
        item("化工生产装置是否按国家标准要求设置双重电源供电，自动化控制系统是否设置不间断电源。",
             SAFETY_LAW, "第三十九条", DANGEROUS_GOODS, hc("十四")),
        item("重大危险源是否登记建档、定期检测评估监控、制定应急预案，并报应急管理部门备案。",
             SAFETY_LAW, "第四十条", "报有关地方人民政府应急管理部门和有关部门备案"),
        item("危险化学品是否储存在专用仓库并由专人管理；剧毒化学品和构成重大危险源的危险化学品"
             "是否单独存放、双人收发、双人保管。", HC_REG, "第二十四条",
             "应当在专用仓库内单独存放，并实行双人收发、双人保管制度"),
        item("是否按国家标准分区分类储存危险化学品，是否超量、超品种储存，相互禁配物质是否混放"
             "混存。", HC_REG, "第二十四条",
             "危险化学品的储存方式、方法以及储存数量应当符合国家标准或者国家有关规定", hc("二十")),
        item("是否建立并执行危险化学品出入库核查、登记制度。", HC_REG, "第二十五条",
             "储存危险化学品的单位应当建立危险化学品出入库核查、登记制度"),
        item("生产、储存危险化学品的企业是否每3年委托有资质机构进行安全评价，评价报告及整改"
             "方案落实情况是否备案。", HC_REG, "第二十二条", "每3年进行一次安全评价"),
        item("安全阀、爆破片等安全附件是否正常投用。", SAFETY_LAW, "第三十六条",
             "不得关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施", hc("十五")),
        item("安全设备是否经常性维护、保养并定期检测，记录是否有相关人员签字。",
             SAFETY_LAW, "第三十六条", MAINTENANCE),
        item("是否按国家标准制定动火、进入受限空间等特殊作业管理制度，制度是否有效执行。",
             SAFETY_LAW, "第四十三条", SPECIAL_WORK, hc("十八")),
        item("动火、进入受限空间等特殊作业是否安排专门人员进行现场安全管理。",
             SAFETY_LAW, "第四十三条", SPECIAL_WORK),
        item("是否建立与岗位相匹配的全员安全生产责任制，是否制定并实施生产安全事故隐患排查"
             "治理制度。", SAFETY_LAW, "第四十一条",
             "生产经营单位应当建立健全并落实生产安全事故隐患排查治理制度", hc("十六")),
        item("是否制定操作规程和工艺控制指标。", SAFETY_LAW, "第二十一条", RULES, hc("十七")),
        item("新开发的危险化学品生产工艺是否经小试、中试、工业化试验；国内首次使用的化工工艺"
             "是否经省级人民政府有关部门组织的安全可靠性论证；新建装置是否制定试生产方案投料"
             "开车；精细化工企业是否按规范性文件要求开展反应安全风险评估。", HC_REG, "第十二条",
             "建设单位应当对建设项目进行安全条件论证", hc("十九")),
        item("是否制定危险化学品事故应急预案，配备应急救援人员和必要的应急救援器材、设备，"
             "并定期组织演练。", HC_REG, "第七十条", "配备应急救援人员和必要的应急救援器材、设备"),
    ],
}

CN_GENERAL: TemplateData = {
    "code": "CN-GEN-2026",
    "name": "建筑施工安全检查表",
    # Construction safety is 住建's (安全生产法 第十条).
    "remit": HOUSING,
    "sectors": [Sector.CONSTRUCTION.value],
    "special_operations": [],
    "version": 1,
    "items": [
        item("建筑施工企业是否取得安全生产许可证，是否在有效期内从事施工活动。",
             LICENCE_REG, "第二条",
             "企业未取得安全生产许可证的，不得从事生产活动", "CN2022-4-1"),
        item("施工单位是否依法取得相应等级的资质证书，并在资质等级许可的范围内承揽工程。",
             CN_REG, "第二十条", "依法取得相应等级的资质证书"),
        item("施工单位的主要负责人、项目负责人、专职安全生产管理人员是否经考核合格后任职。",
             CN_REG, "第三十六条", "考核合格后方可任职",
             "CN2022-4-2"),
        item("施工单位是否设立安全生产管理机构，项目是否配备专职安全生产管理人员。",
             CN_REG, "第二十三条", "施工单位应当设立安全生产管理机构，配备专职安全生产管理人员"),
        item("垂直运输机械作业人员、安装拆卸工、起重信号工、登高架设作业人员等特种作业人员是否"
             "取得特种作业操作资格证书后上岗。", CN_REG, "第二十五条",
             "取得特种作业操作资格证书后，方可上岗作业", "CN2022-4-3"),
        item("基坑、模板、起重吊装、脚手架、拆除等危险性较大的分部分项工程是否编制专项施工"
             "方案并附安全验算结果、经技术负责人和总监理工程师签字；深基坑、高大模板等工程的"
             "专项方案是否"
                  "组织专家论证。", CN_REG, "第二十六条", "组织专家进行论证、审查", "CN2022-4-4"),
        item("施工组织设计中是否编制安全技术措施和施工现场临时用电方案。",
             CN_REG, "第二十六条", "应当在施工组织设计中编制安全技术措施和施工现场临时用电方案"),
        item("施工前是否就安全施工的技术要求向施工作业班组、作业人员进行交底，并由双方签字"
             "确认。", CN_REG, "第二十七条", "并由双方签字确认"),
        item("施工现场入口、起重机械、临时用电设施、脚手架、洞口、基坑边沿等危险部位是否设置"
             "明显的安全警示标志。", CN_REG, "第二十八条",
             "爆破物及有害危险气体和液体存放处等危险部位，设置明显的安全警示标志"),
        item("办公、生活区是否与作业区分开设置并保持安全距离，是否在尚未竣工的建筑物内设置"
             "员工集体宿舍。", CN_REG, "第二十九条",
             "施工单位不得在尚未竣工的建筑物内设置员工集体宿舍"),
        item("施工现场是否建立消防安全责任制度，设置消防通道、消防水源，配备消防设施和灭火"
             "器材。", CN_REG, "第三十一条", "设置消防通道、消防水源，配备消防设施和灭火器材"),
        item("施工起重机械和整体提升脚手架、模板等自升式架设设施使用前是否组织验收。",
             CN_REG, "第三十五条", "应当组织有关单位进行验收"),
        item("作业人员进入新的岗位或新的施工现场前是否接受安全生产教育培训并考核合格。",
             CN_REG, "第三十七条", "未经教育培训或者教育培训考核不合格的人员，不得上岗作业"),
        item("是否向作业人员提供安全防护用具和安全防护服装，并书面告知危险岗位的操作规程和"
             "违章操作的危害。", CN_REG, "第三十二条", "并书面告知危险岗位的操"
                  "作规程和违章操作的危害"),
        item("是否为施工现场从事危险作业的人员办理意外伤害保险。", CN_REG, "第三十八条",
             "办理意外伤害保险"),
    ],
}

OH_GENERAL: TemplateData = {
    "code": "OH-GEN-2026",
    "name": "职业健康检查表",
    # Occupational health is 卫健's since 2018; 应急 checks it jointly (notice 十三).
    "remit": HEALTH,
    # Empty sectors and special operations: applies across sectors (see templates_for).
    "sectors": [],
    "special_operations": [],
    "version": 1,
    "items": [
        item("是否设置或指定职业卫生管理机构或组织，配备专职或兼职的职业卫生管理人员。",
             OH_LAW, "第二十条", "配备专职或者兼职的职业卫生管理人员", oh=True),
        item("是否制定职业病防治计划和实施方案，建立健全职业卫生管理制度、操作规程和职业卫生"
             "档案。", OH_LAW, "第二十条", "制定职业病防治计划和实施方案", oh=True),
        item("工作场所存在职业病目录所列危害因素的，是否及时、如实申报职业病危害项目。",
             OH_LAW, "第十六条", "应当及时、如实向所在地卫生行政部门申报危害项目", oh=True),
        item("是否采用有效的职业病防护设施，并为劳动者提供符合要求的个人职业病防护用品。",
             OH_LAW, "第二十二条", "必须采用有效的职业病防护设施", oh=True),
        item("是否在醒目位置设置公告栏，公布职业病防治规章制度、操作规程、应急救援措施和检测"
             "结果；严重职业病危害岗位是否设置警示标识和中文警示说明。",
             OH_LAW, "第二十四条", "在醒目位置设置公告栏", oh=True),
        item("可能发生急性职业损伤的有毒、有害工作场所是否设置报警装置，配置现场急救用品、"
             "冲洗设备、应急撤离通道和必要的泄险区。", OH_LAW, "第二十五条",
             "配置现场急救用品、冲洗设备、应急撤离通道和必要的泄险区", oh=True),
        item("职业病防护设备、应急救援设施和个人防护用品是否经常性维护、检修和定期检测，"
             "是否擅自拆除或停止使用。", OH_LAW, "第二十五条", "不得擅自拆除或者停止使用",
             oh=True),
        item("是否由专人负责职业病危害因素日常监测，并定期委托有资质的机构进行检测、评价，"
             "结果存档、报告并向劳动者公布。", OH_LAW, "第二十六条",
             "定期对工作场所进行职业病危害因素检测、评价", oh=True),
        item("订立劳动合同时是否将可能产生的职业病危害及其后果、防护措施和待遇如实告知劳动者"
             "并写入合同。", OH_LAW, "第三十三条", "如实告知劳动者", oh=True),
        item("主要负责人和职业卫生管理人员是否接受职业卫生培训；是否对劳动者进行上岗前和在岗"
             "期间的定期职业卫生培训。", OH_LAW, "第三十四条", "应当接受职业卫生培训", oh=True),
        item("是否组织接触职业病危害的劳动者进行上岗前、在岗期间和离岗时的职业健康检查，结果"
             "是否书面告知；是否安排有职业禁忌的劳动者从事所禁忌的作业。", OH_LAW, "第三十五条",
             "组织上岗前、在岗期间和离岗时的职业健康检查", oh=True),
        item("是否为劳动者建立职业健康监护档案，并按规定期限妥善保存。", OH_LAW, "第三十六条",
             "用人单位应当为劳动者建立职业健康监护档案，并按照规定的期限妥善保存", oh=True),
        item("是否安排未成年工从事接触职业病危害的作业，是否安排孕期、哺乳期女职工从事对本人"
             "和胎儿、婴儿有危害的作业。", OH_LAW, "第三十八条",
             "不得安排未成年工从事接触职业病危害的作业", oh=True),
    ],
}

TEMPLATES: list[TemplateData] = [GM_GENERAL, GM_DUST, GM_AMMONIA, GM_CONFINED_SPACE,
                                 HC_GENERAL, CN_GENERAL, OH_GENERAL]
