"""The seed of the clock rule table (DOMAIN.md B2, B3, B8, B9, B15 and its corrections).

Data, not code: the migration copies these rows into ``ClockRule`` once, after which
the municipal administrator maintains them. Units follow the corrections at the top
of DOMAIN.md: only 行政处罚法's 二/三/五/七日 (Art. 85) and 行政强制法's "十日以内"
(Art. 69) are working days; every other day period is calendar days, and a calendar
period ending on a rest day moves to the next working day (arithmetic.py). The one
month period (stop_measure_limit) follows the same convention: its text is not
available here, and the table's rule for calendar periods is the one we have.

Each row: (code, label, kind, amount, legal basis, source text, evidence tag, note).
"""

from __future__ import annotations

from typing import Any

WD, CD, H, M = "working_days", "calendar_days", "hours", "calendar_months"

CLOCK_RULES: tuple[tuple[str, str, str, int, str, str, str, str], ...] = (
    # --- B2: the general penalty procedure ------------------------------------------
    ("case_file_after_investigation", "先行调查后补办立案", CD, 5,
     "安全生产违法行为行政处罚办法（2015）", "DOMAIN.md B2，据安徽煤矿规定引用总局令第15号",
     "P", "应急管理部令第18号（2026-02-01施行）文本未取得，期限待核对。"),
    ("evidence_preservation_decision", "先行登记保存证据处理决定", WD, 7,
     "行政处罚法第五十六条", "行政处罚法（2021）第五十六条、第八十五条", "S", ""),
    ("statement_defence", "陈述申辩期", CD, 3,
     "安全生产违法行为行政处罚办法（2015）", "DOMAIN.md B2（2015年办法，收到告知书之日起三日内）",
     "P", "逾期视为放弃；应急管理部令第18号文本未取得，期限待核对。"),
    ("hearing_request", "听证申请期", WD, 5, "行政处罚法第六十四条",
     "行政处罚法（2021）第六十四条第一项、第八十五条", "S", ""),
    ("hearing_notice_ahead", "听证通知提前期", WD, 7, "行政处罚法第六十四条",
     "行政处罚法（2021）第六十四条第二项、第八十五条", "S",
     "举行听证七个工作日前通知当事人；用于校验听证日期，不作为向后计时的期限。"),
    ("decision", "作出行政处罚决定期限", CD, 90, "行政处罚法第六十条",
     "行政处罚法（2021）第六十条（自立案之日起九十日内）", "S",
     "听证、检测、检验、检疫、鉴定等时间不计入（中止计时）；延长须经批准并记录。"),
    ("service", "处罚决定书送达", WD, 7, "行政处罚法第六十一条",
     "行政处罚法（2021）第六十一条（依照民事诉讼法在七日内送达）、第八十五条", "S", ""),
    ("payment", "缴纳罚款期限", CD, 15, "行政处罚法第六十七条",
     "行政处罚法（2021）第六十七条（收到决定书之日起十五日内）", "S", ""),
    ("fine_handover", "当场收缴罚款交付", WD, 2, "行政处罚法第七十一条",
     "行政处罚法（2021）第七十一条、第八十五条", "S", ""),
    ("case_report_up", "上级交办案件报备", CD, 10, "安全生产违法行为行政处罚办法第六十四条",
     "DOMAIN.md B2（2007年文本副本）", "S", "新办法施行后待核对。"),
    ("publication_withdrawal", "变更或撤销后撤回公开", WD, 3, "行政处罚法第四十八条",
     "行政处罚法（2021）第四十八条、第八十五条", "S", ""),
    ("safety_publicity", "安全生产违法行为信息公示", WD, 7, "安全生产法第七十八条",
     "安全生产法（2021）第七十八条", "S", ""),
    ("online_disclosure", "行政处罚结果网上公开", WD, 20, "浙江省行政处罚结果信息网上公开暂行办法",
     "DOMAIN.md B10（二手摘录）", "P", ""),
    ("enforcement_disclosure", "执法决定信息向社会公开", WD, 20,
     "杭政办函〔2017〕66号第十三条",
     "杭州市人民政府办公厅关于加强安全生产监管执法的通知（杭政办函〔2017〕66号）第十三条"
     "（作出安全生产执法决定之日起20个工作日内）", "S", "行政处罚决定以外的执法决定适用。"),
    ("disclosure_objection", "公开信息异议、纠错答复期", WD, 5, "政府信息公开（公众异议）",
     "issue 12（公众对公开的执法决定提出异议或报错，5个工作日内答复）", "K",
     "原文未取得，期限待核对。"),
    ("reconsideration", "行政复议申请期", CD, 60, "行政复议法", "DOMAIN.md B2", "K",
     "未据原文核实。"),
    ("litigation", "行政诉讼起诉期", M, 6, "行政诉讼法第四十六条",
     "DOMAIN.md B2（复议60日／诉讼6个月）", "K",
     "未据原文核实；自知道或者应当知道作出行政行为之日起计算，本系统自送达之日起计算。"),
    ("court_application", "申请人民法院强制执行期限", M, 3, "行政强制法第五十三条",
     "行政强制法（2011）第五十三条（自期限届满之日起三个月内）；DOMAIN.md B9", "S",
     "自复议、诉讼期限届满之日起算；延期或者分期缴纳的，自延期届满之日起算"
     "（行政处罚法第七十二条，DOMAIN.md B9）。"),
    # --- B3 / B9: compulsory measures and court enforcement ------------------------
    ("seizure", "查封扣押期限", CD, 30, "行政强制法第二十五条", "行政强制法（2011）第二十五条",
     "S", ""),
    ("seizure_extension", "查封扣押延长期限", CD, 30, "行政强制法第二十五条",
     "行政强制法（2011）第二十五条（情况复杂的，经行政机关负责人批准，可以延长，不得超过三十日）",
     "S", ""),
    ("emergency_measure_report", "当场实施强制措施后报告", H, 24, "行政强制法第十九条",
     "行政强制法（2011）第十九条", "S", ""),
    ("power_cut_notice", "停止供电提前通知", H, 24, "安全生产法第七十条",
     "安全生产法（2021）第七十条", "S", "紧急情况除外。"),
    ("payment_demand", "催告后履行期", WD, 10, "行政强制法第五十四条",
     "行政强制法（2011）第五十四条（催告书送达十日后）、第六十九条", "P",
     "第六十九条所称“十日以内”为工作日；第五十四条“十日后”按同一规则计算，待核对。"),
    ("recheck", "整改复查期限", CD, 10, "安全生产事故隐患排查治理暂行规定",
     "DOMAIN.md 更正（2026-12-01）", "P", "届满日为休息日的顺延至下一工作日。"),
    ("resume_review", "复产申请现场审查期限", CD, 10,
     "安全生产事故隐患排查治理暂行规定（总局令第16号）",
     "DOMAIN.md B5（单位书面申请恢复生产后现场审查，10日）", "K",
     "原文未取得，期限待核对；审查同意前不得恢复生产经营和使用（安全生产法第六十五条）。"),
    # The six-month limit of 责令暂时停产停业 / 停止使用 (issue 10): the measures are
    # 安全生产法 Art. 65(三) [S]; the six months are seen only in enforcement-document
    # software (DOMAIN.md B3, "legal meaning P"); no text in docs/laws states them.
    ("stop_measure_limit", "责令暂时停产停业、停止使用相关设施设备的期限", M, 6,
     "安全生产法第六十五条第一款第三项（措施）；六个月期限的条文出处待核对",
     "DOMAIN.md B3（执法文书软件：现场处理措施决定书“6个月内”；法律含义部分核实）；issue 10",
     "P", "六个月期限的法律出处未据原文核实，使用前须核对；届满日为休息日的顺延至下一工作日。"
     "不适用于责令立即停止作业、撤出作业人员。"),
    # --- B8: criminal transfer (行政执法机关移送涉嫌犯罪案件的规定, 国务院令第310号, 2020
    # revision, in docs/laws). Its "日" are calendar days: only 行政处罚法 第八十五条 and
    # 行政强制法 第六十九条 make days working days, and this regulation says nothing of
    # 工作日 (DOMAIN.md corrections).
    ("transfer_decision", "负责人作出批准或者不批准移送的决定", CD, 3,
     "行政执法机关移送涉嫌犯罪案件的规定第五条第二款",
     "国务院令第310号（2020修订）第五条第二款（自接到报告之日起3日内）", "S",
     "自然日；由本机关正职负责人或者主持工作的负责人决定。"),
    ("transfer_delivery", "批准后向公安机关移送", H, 24,
     "行政执法机关移送涉嫌犯罪案件的规定第五条第二款",
     "国务院令第310号（2020修订）第五条第二款（决定批准的，应当在24小时内向同级公安机关移送）",
     "S", "按小时连续计算，不因节假日顺延。"),
    ("police_acceptance", "公安机关作出立案或者不予立案决定", CD, 3,
     "行政执法机关移送涉嫌犯罪案件的规定第八条",
     "国务院令第310号（2020修订）第八条（自接受移送之日起3日内）", "S",
     "公安机关逾期的，记录为逾期（第十七条）。"),
    ("transfer_reconsideration", "提请公安机关复议", CD, 3,
     "行政执法机关移送涉嫌犯罪案件的规定第九条第一款",
     "国务院令第310号（2020修订）第九条第一款（自接到不予立案通知书之日起3日内）", "S",
     "也可以建议人民检察院依法进行立案监督。"),
    ("exhibit_handover", "向公安机关移交涉案物品和材料", CD, 3,
     "行政执法机关移送涉嫌犯罪案件的规定第十二条",
     "国务院令第310号（2020修订）第十二条（自接到立案通知书之日起3日内）", "S", ""),
    # --- B6: blacklist (应急管理部令第11号; Zhejiang credit rule) ----------------------
    ("blacklist_objection", "列入严重失信名单前陈述申辩、异议期", WD, 5,
     "浙江省公共信用信息管理条例；应急管理部令第11号",
     "DOMAIN.md B6（浙江：异议5个工作日处理，最长20个工作日）；issue 13", "P",
     "令11号告知、异议程序原文未取得，期限待核对。"),
    ("blacklist_objection_answer", "严重失信名单异议答复期", WD, 5,
     "浙江省公共信用信息管理条例", "DOMAIN.md B6（异议5个工作日内处理）", "P",
     "复杂情形可延长至20个工作日。"),
    # --- B7: 12350 reports (2012 text of the reward measure, "likely retained"; DOMAIN.md
    # open question 6). Not among the working-day periods of the corrections: calendar days.
    ("report_handling", "举报事项办结期限", CD, 60, "安全生产领域举报奖励办法",
     "DOMAIN.md B7（2012年文本：受理之日起六十日内办结）", "P",
     "2018年办法（安监总财〔2018〕19号）是否保留该期限待核对（DOMAIN.md D6）。"),
    ("report_handling_extension", "举报事项延期办结", CD, 30, "安全生产领域举报奖励办法",
     "DOMAIN.md B7（2012年文本：经上级批准可延长，不超过三十日，并告知举报人）", "P",
     "延长须经批准并告知举报人。"),
    ("report_feedback", "举报核查结果反馈", CD, 10, "安全生产领域举报奖励办法",
     "DOMAIN.md B7（2012年文本：核查后十日内反馈）", "P", ""),
    # --- B15: accidents (生产安全事故报告和调查处理条例, 国务院令第493号, in docs/laws) ---
    ("accident_unit_report", "事故发生单位向安全生产监督管理部门报告", H, 1,
     "生产安全事故报告和调查处理条例第九条第一款",
     "国务院令第493号第九条第一款（单位负责人接到报告后1小时内）", "S",
     "条文自单位负责人接到现场人员报告时起算，现场人员应当立即报告；本系统自事故发生时起算。"),
    ("accident_pass_up", "安全生产监督管理部门逐级上报", H, 2,
     "生产安全事故报告和调查处理条例第十条、第十一条",
     "国务院令第493号第十条（上报至哪一级）、第十一条（每级上报的时间不得超过2小时）", "S",
     "自本部门接到事故报告时起算。"),
    ("accident_supplement", "事故补报", CD, 30, "生产安全事故报告和调查处理条例第十三条",
     "国务院令第493号", "S", "道路交通、火灾事故为7日。"),
)


def seed_clock_rules(model: Any = None) -> int:
    """Insert the rules that are missing (by code); never overwrite an edited row.
    Returns how many were inserted."""
    if model is None:
        from .models import ClockRule as model
    existing = set(model.objects.values_list("code", flat=True))
    rows = [model(code=code, label=label, kind=kind, amount=amount, legal_basis=basis,
                  source=source, evidence=tag, note=note)
            for code, label, kind, amount, basis, source, tag, note in CLOCK_RULES
            if code not in existing]
    model.objects.bulk_create(rows)
    return len(rows)
