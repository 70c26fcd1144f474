"""The disclosure period of a violation record, from the RetentionRule table.

浙江省公共信用信息管理条例 第十六条 (copied into the seed migration): five years from
the day the act is established (认定之日: here the decision date). The extension until
removal from the 严重失信名单 (same article, second sentence) belongs to the blacklist
and is not applied here.
"""

from __future__ import annotations

import datetime

from .models import RetentionRule

DEFAULT_YEARS = 5
DEFAULT_SOURCE = ("浙江省公共信用信息管理条例 第十六条：不良信息的保存和披露期限为五年，"
                  "自不良行为或者事件认定之日起计算。")


def years() -> int:
    rule, _ = RetentionRule.objects.get_or_create(
        code="violation", defaults={"years": DEFAULT_YEARS, "source": DEFAULT_SOURCE})
    return int(rule.years)


def disclose_until(decided_on: datetime.date, n_years: int) -> datetime.date:
    try:
        return decided_on.replace(year=decided_on.year + n_years)
    except ValueError:  # 29 February into a common year
        return decided_on.replace(year=decided_on.year + n_years, day=28)
