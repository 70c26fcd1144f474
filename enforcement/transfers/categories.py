"""Categories of suspected crimes an enforcement case is transferred for (移送公安). Data.

Seven categories of 安全生产行政执法与刑事司法衔接工作办法 (应急〔2019〕54号) as DOMAIN.md B8
summarises them [S: DOMAIN.md B8; the text itself is not in docs/laws], plus 危险作业罪
(刑法 第一百三十四条之一, added by 刑法修正案(十一), 2021), tagged [K] in DOMAIN.md B8:
the criminal law's text is not in docs/laws, so its wording here is a label only and
the criteria stay with the police and the procuratorate.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_54 = "应急〔2019〕54号 安全生产行政执法与刑事司法衔接工作办法（DOMAIN.md B8）[S]"
SOURCE_134_1 = "刑法 第一百三十四条之一（刑法修正案（十一））（DOMAIN.md B8）[K]"


@dataclass(frozen=True)
class TransferCategory:
    code: str
    label: str
    source: str


CATEGORIES: tuple[TransferCategory, ...] = (
    TransferCategory("major_liability_accident", "重大责任事故", SOURCE_54),
    TransferCategory("forced_risky_operation", "强令违章冒险作业", SOURCE_54),
    TransferCategory("major_labour_safety_accident", "重大劳动安全事故", SOURCE_54),
    TransferCategory("dangerous_goods_accident", "危险物品肇事", SOURCE_54),
    TransferCategory("fire_liability_accident", "消防责任事故、失火", SOURCE_54),
    TransferCategory("unreported_accident", "不报、谎报安全事故", SOURCE_54),
    TransferCategory("other", "其他（非法采矿、非法制造买卖爆炸物、伪造证件等）", SOURCE_54),
    TransferCategory("dangerous_operation", "危险作业罪", SOURCE_134_1),
)

CODES = frozenset(c.code for c in CATEGORIES)


def category(code: str) -> TransferCategory:
    for row in CATEGORIES:
        if row.code == code:
            return row
    raise KeyError(code)

#: (code, label) pairs for model and serializer fields (and the API schema's enum).
CHOICES: tuple[tuple[str, str], ...] = tuple((c.code, c.label) for c in CATEGORIES)
