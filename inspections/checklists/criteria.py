"""The national major-hidden-danger criteria (重大事故隐患判定标准), as plain data.

Each criterion is one numbered situation of a published standard, with the text as the
copy under docs/laws/ gives it and how far that copy can be trusted:

- ``verified``: copied from a reprint of the official text that the file under
  docs/laws/ records (tests check the text is found there, outside any bracket);
- ``unverified``: the docs/laws/ copy marks the text as unverified (a tail in brackets,
  an interpretation page, or a text noted from memory): it is shown with
  "文本待核对" and must be checked against the official page;
- ``not_retrieved``: the article is known to exist but its text is not in any source
  available here; the row says so ("待依官方文本补全") and is never written from memory.

The municipal administrator sees every row (Django admin and the re-basing page) and
completes missing texts from the official publication.
"""

from __future__ import annotations

from typing import TypedDict

# Standard → (title as cited, file under docs/laws/ the texts were taken from; "" if none).
STANDARDS: dict[str, tuple[str, str]] = {
    "ling10": ("《工贸企业重大事故隐患判定标准》（应急管理部令第10号）",
               "工贸企业重大事故隐患判定标准(2023-04-14 应急管理部令第10号).md"),
    "hc121": ("《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
              "（安监总管三〔2017〕121号）",
              "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准(试行)"
              "(安监总管三〔2017〕121号).md"),
    "cn2022": ("《房屋市政工程生产安全重大事故隐患判定标准（2022版）》（建质规〔2022〕2号）", ""),
}

VERIFIED = "verified"
UNVERIFIED = "unverified"
NOT_RETRIEVED = "not_retrieved"


class CriterionData(TypedDict):
    code: str
    standard: str
    clause: str
    text: str
    status: str
    note: str


def crit(code: str, standard: str, clause: str, text: str, status: str = VERIFIED,
         note: str = "") -> CriterionData:
    return {"code": code, "standard": standard, "clause": clause, "text": text,
            "status": status, "note": note}


L10_TAIL = "docs/laws 副本中该项末尾为方括号补全内容，未经核对"
L10_MISSING = "docs/laws 副本未取得该条文本，待依应急管理部官方文本补全，不得凭记忆填写"
CN_MISSING = "docs/laws 中无该标准文本，条文摘引待依住房和城乡建设部官方文本核对"

LING10: list[CriterionData] = [
    crit("L10-3-1", "ling10", "第三条（一）",
         "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查的"),
    crit("L10-3-2", "ling10", "第三条（二）",
         "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的"),
    crit("L10-3-3", "ling10", "第三条（三）",
         "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格的"),
    # 第四条 冶金 (the metallurgy industry criteria): (一)–(三) retrieved, (四) cut off.
    crit("L10-4-1", "ling10", "第四条（一）",
         "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所，以及"
         "钢铁水罐冷（热）修工位设置在铁水、钢水、液渣吊运跨的地坪区域内的"),
    crit("L10-4-2", "ling10", "第四条（二）",
         "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围"
         "内的炉前平台、炉基区域、厂房内吊运和地面运输通道等6类区域存在积水的"),
    crit("L10-4-3", "ling10", "第四条（三）",
         "炼钢连铸流程未设置事故钢水罐、中间罐漏钢坑（槽）、中间罐溢流坑（槽）、漏钢回转溜槽，"
         "或者模铸流程未设置事故钢水罐（坑、槽）的"),
    crit("L10-4-4", "ling10", "第四条（四）",
         "转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等炼钢炉的水冷元件未设置出水温度、进出水流量"
         "差等监测报警装置，或者监测报警装置未与炉体倾动、氧（副）枪自动提升、电极自动断电和升"
         "[起装置联锁的]", UNVERIFIED, L10_TAIL),
    crit("L10-4-X", "ling10", "第四条（五）及以后各项", "", NOT_RETRIEVED, L10_MISSING),
    crit("L10-5-X", "ling10", "第五条（有色企业）各项", "", NOT_RETRIEVED, L10_MISSING),
    crit("L10-6-1", "ling10", "第六条（一）",
         "煤磨袋式收尘器、煤粉仓未设置温度和固定式一氧化碳浓度监测报警装置，或者未设置气体灭火"
         "装置的"),
    crit("L10-6-2", "ling10", "第六条（二）",
         "筒型储库人工清库作业未落实清库方案中防止高处坠落、坍塌等安全措施的"),
    crit("L10-6-3", "ling10", "第六条（三）",
         "水泥企业电石渣原料筒型储库未设置固定式可燃气体浓度监测报警装置，或者监测报警装置未与"
         "事故通风装置联锁的"),
    crit("L10-6-4", "ling10", "第六条（四）",
         "进入筒型储库、焙烧窑、预热器旋风筒、分解炉、竖炉、篦冷机、磨机、破碎机前，未对可能"
         "意外启动的设备和涌入的物料、高温气体、有毒有害气体等采取隔离措施，或者未落实防止高处"
         "坠落、坍塌等安全措施的"),
    crit("L10-6-5", "ling10", "第六条（五）",
         "采用预混燃烧方式的燃气窑炉（热发生炉煤气窑炉除外）的燃气总管未设置管道压力监测报警"
         "装置，或者监测报警装置未与紧急自动切断装置联锁的"),
    crit("L10-6-6", "ling10", "第六条（六）",
         "制氢站、氮氢保护气体配气间、燃气配气间等3类场所未设置固定式可燃气体浓度监测报警装置的"),
    crit("L10-6-7", "ling10", "第六条（七）", "电熔制品电炉的水冷设备失效的"),
    crit("L10-6-8", "ling10", "第六条（八）",
         "玻璃窑炉、玻璃锡槽等设备未设置水冷和风冷保护系统的监测报警装置的"),
    crit("L10-7-1", "ling10", "第七条（一）",
         "会议室、活动室、休息室、更衣室、交接班室等5类人员聚集场所设置在熔融金属吊运跨或者"
         "浇注跨的地坪区域内的"),
    crit("L10-7-2", "ling10", "第七条（二）", "铸造用熔炼炉、精炼炉、保温炉"
         "未设置紧急排放和应急储存设施的"),
    crit("L10-7-X", "ling10", "第七条（三）及以后各项", "", NOT_RETRIEVED, L10_MISSING),
    crit("L10-8-X", "ling10", "第八条（轻工企业）各项", "", NOT_RETRIEVED, L10_MISSING),
    crit("L10-9-X", "ling10", "第九条（纺织企业）各项", "", NOT_RETRIEVED, L10_MISSING),
    crit("L10-10-1", "ling10", "第十条（一）",
         "熏蒸作业场所未配备磷化氢气体浓度监测报警仪器，或者未配备防毒面具，或者熏蒸杀虫作业前"
         "未确认无关人员全部撤离熏蒸作业场所的", UNVERIFIED,
         "docs/laws 副本取自解读页面的引文，未与官方文本核对"),
    crit("L10-10-2", "ling10", "第十条（二）",
         "使用液态二氧化碳制造膨胀烟丝的生产线和场所未设置固定式二氧化碳浓度监测报警装置，或者"
         "监测报警装置未与事故通风设施联锁的", UNVERIFIED,
         "docs/laws 副本取自解读页面的引文，未与官方文本核对"),
    crit("L10-11-1", "ling10", "第十一条（一）",
         "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者粉尘爆炸危险场所内设有员工"
         "宿舍、会议室、办公室、休息室等人员聚集场所的"),
    crit("L10-11-2", "ling10", "第十一条（二）",
         "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统，或者"
         "不同建（构）筑物、不同防火分区共用一套除尘系统、除尘系统互联互通的"),
    crit("L10-11-3", "ling10", "第十一条（三）", "干式除尘系统未采取泄爆、惰化"
         "、抑爆等任一种爆炸防控措施的"),
    # (四): Al/Mg metal dust with positive-pressure removal is major on its own; other
    # combustible dust only when blown under positive pressure without spark detection.
    crit("L10-11-4", "ling10", "第十一条（四）",
         "铝镁等金属粉尘除尘系统采用正压除尘方式，或者其他可燃性粉尘除尘系统采用正压吹送粉尘时，"
         "未采取火花探测消除等防范点燃源措施的"),
    crit("L10-11-5", "ling10", "第十一条（五）",
         "除尘系统采用重力沉降室除尘，或者采用干式巷道式构筑物作为除尘风道的"),
    crit("L10-11-6", "ling10", "第十一条（六）", "铝镁等金属粉尘、木质粉尘的干"
         "式除尘系统未设置锁气卸灰装置的"),
    crit("L10-11-7", "ling10", "第十一条（七）", "除尘器、收尘仓等划分为20区的粉尘"
         "爆炸危险场所电气设备不符合防爆要求的"),
    crit("L10-11-8", "ling10", "第十一条（八）",
         "粉碎、研磨、造粒等易产生机械点燃源的工艺设备前，未设置铁、石等杂物去除装置，或者木制品"
         "加工企业与砂光机连接的风管未设置火花探测消除装置的"),
    crit("L10-11-9", "ling10", "第十一条（九）",
         "遇湿自燃金属粉尘收集、堆放、储存场所未采取通风等防止氢气积聚措施，或者干式收集、堆放、"
         "[储存场所未采取防水、防潮措施的]", UNVERIFIED, L10_TAIL),
    crit("L10-11-10", "ling10", "第十一条（十）", "[未落实粉尘清理制度，造成作业现场积尘严重的]",
         UNVERIFIED, "docs/laws 副本所据摘录未见该项，方括号内容未经核对"),
    crit("L10-12-1", "ling10", "第十二条（一）", "包装、分割、产品整理场所的"
         "空调系统采用氨直接蒸发制冷的"),
    crit("L10-12-2", "ling10", "第十二条（二）",
         "快速冻结装置未设置在单独的作业间内，或者快速冻结装置作业间内作业人员数量超过9人的"),
    crit("L10-13-1", "ling10", "第十三条（一）",
         "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志的",
         note="适用于存在硫化氢、一氧化碳等中毒风险的有限空间作业"),
    crit("L10-13-2", "ling10", "第十三条（二）",
         "未落实有限空间作业审批，或者未[执行“先通风、再检测、后作业”要求，或者未设置监护人员的]",
         UNVERIFIED, L10_TAIL + "；适用于存在硫化氢、一氧化碳等中毒风险的有限空间作业"),
    # Only noted from memory in the docs/laws copy: shown, never presented as verified.
    crit("L10-14", "ling10", "第十四条",
         "[本标准所列情形中直接关系生产安全的监控、报警、防护等设施、设备、装置失效或者无效的]",
         UNVERIFIED, "docs/laws 副本中该条系凭记忆记录，未取得官方文本；适用前须核对原文"),
]

HC121_ITEMS = {
    "一": "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格",
    "二": "特种作业人员未持证上岗",
    "三": "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求",
    "四": "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化"
          "控制系统、紧急停车系统未投入使用",
    "五": "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、"
          "剧毒液体的一级、二级重大危险源的危险化学品罐区未配备独立的安全仪表系统",
    "六": "全压力式液化烃储罐未按国家标准设置注水措施",
    "七": "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统",
    "八": "光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区（包括化工园区、工业园区）外的公共区域",
    "九": "地区架空电力线路穿越生产区且不符合国家标准要求",
    "十": "在役化工装置未经正规设计且未进行安全设计诊断",
    "十一": "使用淘汰落后安全技术工艺、设备目录列出的工艺、设备",
    "十二": "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家"
            "标准安装使用防爆电气设备",
    "十三": "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求",
    "十四": "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源",
    "十五": "安全阀、爆破片等安全附件未正常投用",
    "十六": "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度",
    "十七": "未制定操作规程和工艺控制指标",
    "十八": "未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行",
    "十九": "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产；国内首次使用"
            "的化工工艺未经过省级人民政府有关部门组织的安全可靠性论证；新建装置未制定试生产方案投料"
            "开车；精细化工企业未按规范性文件要求开展反应安全风险评估",
    "二十": "未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存",
}
HC_NUMBERS = list(HC121_ITEMS)

HC121: list[CriterionData] = [
    crit(f"HC121-{n:02d}", "hc121", f"第{number}项", text)
    for n, (number, text) in enumerate(HC121_ITEMS.items(), start=1)
]

CN2022: list[CriterionData] = [
    crit("CN2022-4-1", "cn2022", "第四条",
         "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动", UNVERIFIED, CN_MISSING),
    crit("CN2022-4-2", "cn2022", "第四条",
         "施工单位的主要负责人、项目负责人、专职安全生产管理人员未取得安全生产考核合格证书从事"
         "相关工作", UNVERIFIED, CN_MISSING),
    crit("CN2022-4-3", "cn2022", "第四条",
         "建筑施工特种作业人员未取得特种作业人员操作资格证书上岗作业", UNVERIFIED, CN_MISSING),
    crit("CN2022-4-4", "cn2022", "第四条",
         "危险性较大的分部分项工程未编制、未审核专项施工方案，或者未按规定组织专家对“超过一定"
         "规模的危险性较大的分部分项工程范围”的专项施工方案进行论证", UNVERIFIED, CN_MISSING),
]

CRITERIA: list[CriterionData] = [*LING10, *HC121, *CN2022]
CRITERIA_BY_CODE: dict[str, CriterionData] = {c["code"]: c for c in CRITERIA}


def hc(number: str) -> str:
    """The code of 121号's item by its Chinese number (一 … 二十)."""
    return f"HC121-{HC_NUMBERS.index(number) + 1:02d}"
