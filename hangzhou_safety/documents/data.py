"""Seed data of the document service: document types, abbreviations, rights notices.

Everything here is *seed*: the migration and the lazy loaders copy it into tables the
municipal administrator edits in the admin. Each row says which text it follows
(``source``); rows tagged [K] or [P] in DOMAIN.md are presented as editable defaults,
never as verified law.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Default pattern of a document number. {abbr} the authority's abbreviation, {code} the
#: document type's code, {year} the year, {serial} the case or inspection serial (with
#: "-2", "-3" … for a second document of the same type on the same serial).
DEFAULT_PATTERN = "（{abbr}）应急{code}〔{year}〕{serial}号"
PATTERN_SOURCE = ("DOMAIN.md, corrections (2026-12-01): （区简称）应急立〔2026〕N号; real "
                  "examples (德阳)应急罚〔2019〕15号, 深龙华应急罚〔2026〕1号 "
                  "[S: public code and decisions]")

#: Named serial series: every document of a case shares the case's serial, every document
#: of an inspection the inspection's.
SERIES_CASE = "case"
SERIES_INSPECTION = "inspection"
SERIES = {SERIES_CASE: "执法案件", SERIES_INSPECTION: "监督检查"}


@dataclass(frozen=True)
class DocumentTypeSeed:
    code: str
    name: str
    name_en: str
    series: str
    source: str
    #: Type codes that must already be issued for the same subject.
    requires: tuple[str, ...] = field(default=())
    #: Why the prerequisite holds (shown in the refusal).
    requires_source: str = ""
    #: Which rights notice the document carries ("" for none).
    rights_notice: str = ""


B4 = "DOMAIN.md B4 (national 式样 enumerated in public code) [S]"
B4_CODES = "DOMAIN.md corrections (2026-12-01), document numbers [S: public code and decisions]"

DOCUMENT_TYPES: tuple[DocumentTypeSeed, ...] = (
    # Inspection and on-site documents (series: the inspection).
    DocumentTypeSeed("检记", "现场检查记录", "on-site inspection record", SERIES_INSPECTION,
                     f"{B4}; code: project default [K]"),
    DocumentTypeSeed("责改", "责令限期整改指令书", "order to rectify within a time limit",
                     SERIES_INSPECTION,
                     f"{B4}; code: project default [K]; 安全生产法 第六十五条. Notice of rights: "
                     "no statute in docs/laws requires it on an order (an order to correct is "
                     "not a penalty, 行政处罚法 第二十八条), but the order can be challenged and "
                     "the national 式样 carries it [K]",
                     rights_notice="remedies"),
    DocumentTypeSeed("复查", "整改复查意见书", "rectification re-check opinion",
                     SERIES_INSPECTION, f"{B4}; code: project default [K]",
                     requires=("责改",),
                     requires_source="issue 11: no 整改复查意见书 without an order before it"),
    DocumentTypeSeed("现决", "现场处理措施决定书", "decision on on-site measures",
                     SERIES_INSPECTION, f"{B4}; 安全生产法 第六十五条(三); code [K]",
                     rights_notice="remedies"),
    DocumentTypeSeed("强措", "强制措施决定书", "decision on compulsory measures", SERIES_CASE,
                     f"{B4}; 行政强制法 第二十四条 (content); code [K]",
                     rights_notice="remedies"),
    # Investigation (series: the case).
    DocumentTypeSeed("立", "立案审批表", "case filing approval form", SERIES_CASE,
                     f"{B4}; {B4_CODES}"),
    DocumentTypeSeed("询", "询问通知书", "notice of interview", SERIES_CASE,
                     f"{B4}; {B4_CODES}"),
    DocumentTypeSeed("先保", "先行登记保存证据通知书", "notice of registering evidence for "
                     "preservation", SERIES_CASE, f"{B4}; 行政处罚法 第五十六条; code [K]"),
    DocumentTypeSeed("查扣", "查封扣押决定书", "decision on sealing or seizure", SERIES_CASE,
                     f"{B4}; 行政强制法 第二十四条; code [K]", rights_notice="remedies"),
    # Compulsory and on-site measures of a case (series: the case; issue 11).
    DocumentTypeSeed("现措", "现场处理措施决定书", "decision on on-site measures (case)",
                     SERIES_CASE, f"{B4}; 安全生产法 第六十五条第一款第三项; numbered from the "
                     "case (the inspection's own is 现决); code [K]",
                     rights_notice="remedies"),
    DocumentTypeSeed("停供", "停止供电（停止供应民用爆炸物品）通知书",
                     "notice to stop the power or explosives supply", SERIES_CASE,
                     "安全生产法 第七十条 (written notice to the supplier) [S]; title and code "
                     "[K]", rights_notice="remedies"),
    DocumentTypeSeed("解除", "解除行政强制措施决定书", "decision lifting a compulsory measure",
                     SERIES_CASE, "行政强制法 第十九条、第二十八条; 安全生产法 第七十条第二款 [S]; "
                     "title and code [K]"),
    # Decision.
    DocumentTypeSeed("罚告", "行政处罚告知书", "notice of proposed administrative penalty",
                     SERIES_CASE, f"{B4}; {B4_CODES}; 行政处罚法 第四十四条"),
    DocumentTypeSeed("听告", "听证告知书", "notice of the right to a hearing", SERIES_CASE,
                     f"{B4}; {B4_CODES}; 行政处罚法 第六十三条、第六十四条"),
    DocumentTypeSeed("处呈", "案件处理呈批表", "case handling approval form", SERIES_CASE,
                     f"{B4}; {B4_CODES}"),
    DocumentTypeSeed("罚集", "行政处罚集体讨论记录", "record of the collective discussion",
                     SERIES_CASE, f"{B4}; {B4_CODES}; 行政处罚法 第五十七条第二款"),
    DocumentTypeSeed("罚", "行政处罚决定书", "administrative penalty decision", SERIES_CASE,
                     f"{B4}; {B4_CODES}; 行政处罚法 第五十九条 (content)",
                     requires=("罚告",),
                     requires_source="行政处罚法 第四十四条、第六十二条: no decision without the "
                     "notice; the statement period is checked by the domain",
                     rights_notice="remedies"),
    DocumentTypeSeed("回", "文书送达回执", "proof of service", SERIES_CASE,
                     f"{B4}; {B4_CODES}; 行政处罚法 第六十一条"),
    DocumentTypeSeed("缴审", "延期（分期）缴纳罚款审批表", "approval of deferred or instalment "
                     "payment", SERIES_CASE, f"{B4}; {B4_CODES}; 行政处罚法 第六十六条"),
    DocumentTypeSeed("缴批", "延期（分期）缴纳罚款批准书", "permission of deferred or instalment "
                     "payment", SERIES_CASE, f"{B4}; {B4_CODES}; 行政处罚法 第六十六条",
                     requires=("缴审",), requires_source="DOMAIN.md B4: 审批表 before 批准书"),
    DocumentTypeSeed("执行催告", "催告书", "written demand before enforcement", SERIES_CASE,
                     f"{B4}; {B4_CODES}; 行政强制法 第三十五条",
                     requires=("罚",),
                     requires_source="行政强制法 第三十五条: a decision to enforce"),
    DocumentTypeSeed("强执", "强制执行申请书", "application for court enforcement",
                     SERIES_CASE, f"{B4}; {B4_CODES}",
                     requires=("执行催告",),
                     requires_source="行政强制法 第五十四条: 催告 before applying to the court"),
    DocumentTypeSeed("结", "结案审批表", "case closing approval form", SERIES_CASE,
                     f"{B4}; {B4_CODES}"),
    DocumentTypeSeed("移", "案件移送书", "case transfer letter", SERIES_CASE,
                     f"{B4}; code [K]"),
    # Step documents of the general procedure rendered from the case's step records
    # (enforcement/cases/step_documents.py); codes follow the cases' DocumentType [K].
    DocumentTypeSeed("先处", "先行登记保存证据处理决定书", "decision on preserved evidence",
                     SERIES_CASE, f"{B4}; 行政处罚法 第五十六条 (decide within 7 days); code [K]",
                     requires=("先保",),
                     requires_source="行政处罚法 第五十六条: evidence is decided on after it was "
                     "registered for preservation"),
    DocumentTypeSeed("调报", "案件调查报告", "case investigation report", SERIES_CASE,
                     f"{B4}; 行政处罚法 第五十七条 (review of the investigation); code [K]"),
    DocumentTypeSeed("法审", "行政处罚法制审核意见书", "legal review opinion", SERIES_CASE,
                     f"{B4}; 行政处罚法 第五十八条; code [K]"),
    DocumentTypeSeed("陈申", "当事人陈述申辩笔录", "record of the party's statement and defence",
                     SERIES_CASE, f"{B4}; 行政处罚法 第四十五条; code [K]",
                     requires=("罚告",),
                     requires_source="行政处罚法 第四十四条、第四十五条: the statement answers the "
                     "notice"),
    DocumentTypeSeed("听通", "听证会通知书", "notice of the hearing", SERIES_CASE,
                     f"{B4}; 行政处罚法 第六十四条(二); code [K]"),
    DocumentTypeSeed("听录", "听证笔录", "hearing record", SERIES_CASE,
                     f"{B4}; 行政处罚法 第六十四条(八); code [K]",
                     requires=("听通",),
                     requires_source="行政处罚法 第六十四条(二): the hearing is notified before it "
                     "is held"),
    DocumentTypeSeed("延", "案件延期审批表", "approval of extending the case period",
                     SERIES_CASE, f"{B4}; 行政处罚法 第六十条; code [K]"),
    DocumentTypeSeed("当罚", "行政（当场）处罚决定书", "on-the-spot penalty decision",
                     SERIES_CASE, f"{B4}; 行政处罚法 第五十一条、第五十二条; code [K]",
                     rights_notice="remedies"),
    DocumentTypeSeed("终", "案件终止（撤销）审批表", "approval of ending or revoking a case",
                     SERIES_CASE, f"{B4}; code [K]"),
    DocumentTypeSeed("罚变", "行政处罚决定变更（撤销）决定书",
                     "decision changing (revoking) a penalty decision", SERIES_CASE,
                     f"{B4}; 行政处罚法 第四十八条第二款、第七十五条第二款; code [K]",
                     rights_notice="remedies"),
)


@dataclass(frozen=True)
class RightsNoticeSeed:
    key: str
    text: str
    source: str


RIGHTS_NOTICES: tuple[RightsNoticeSeed, ...] = (
    RightsNoticeSeed(
        "remedies",
        "如不服本{document}，可以在收到本{document}之日起六十日内依法向{review_body}申请行政复议，"
        "或者在六个月内依法向{court}提起行政诉讼。",
        "行政处罚法 第五十九条(五) and 行政强制法 第二十四条(四) require the routes and periods "
        "on the decision [S]; the periods (60 days / 6 months) follow DOMAIN.md B2 'Remedies' "
        "[K]: 行政复议法 and 行政诉讼法 are not in docs/laws, so the wording is editable data."),
)

#: Who hears a review and which court, by default (editable per authority): the people's
#: government at the authority's own level (杭州市西湖区人民政府 for 西湖区应急管理局).
#: [K] from the 2023 revision of 行政复议法, whose text is not in docs/laws.
REVIEW_BODY_SOURCE = "行政复议法 (2023 rev.): the government at the same level [K]"
DEFAULT_COURT = "有管辖权的人民法院"


def district_abbreviations(districts: list[tuple[str, str]]) -> dict[str, str]:
    """Default abbreviations for the district bureaus, derived from their names.

    Hangzhou's bureaus write （杭西） for 西湖区: 杭 plus the district's first character.
    Where two districts share it (临安区, 临平区) both take two characters. These are
    derived defaults [K], editable by the municipal administrator.
    """
    first: dict[str, list[str]] = {}
    for code, name in districts:
        first.setdefault(name[0], []).append(code)
    out = {}
    for code, name in districts:
        stem = name[:-1] if name[-1] in "区县市" else name
        out[code] = "杭" + (stem[:2] if len(first[name[0]]) > 1 else stem[0])
    return out


ABBREVIATION_SOURCE = ("derived default: 杭 + the district's first character, two characters "
                       "where they clash (DOMAIN.md B14 list; example （杭西） from issue 11) [K]")
CITY_ABBREVIATION = "杭"
