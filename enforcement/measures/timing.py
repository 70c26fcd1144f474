"""When a compulsory measure may be executed (行政强制法 第四十三条).

"行政机关不得在夜间或者法定节假日实施行政强制执行。但是，情况紧急的除外。" [S: docs/laws].
The statute does not define 夜间: the window below is the bureau's setting (本局设定),
not a legal criterion, and is kept as data. Statutory holidays come from the calendar
service (the published schedule; 全国年节及纪念日放假办法 for unpublished years).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.workdays.arithmetic import SHANGHAI, Calendar
from hangzhou_safety.workdays.statutory import statutory_holidays

ARTICLE_43 = "行政强制法 第四十三条 [S]"


@dataclass(frozen=True)
class NightWindow:
    start: datetime.time
    end: datetime.time
    source: str

    def contains(self, moment: datetime.time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


#: 夜间 for 第四十三条: the bureau's setting, editable here; the statute gives no hours.
NIGHT = NightWindow(datetime.time(22, 0), datetime.time(6, 0),
                    "本局设定（行政强制法未界定“夜间”）")


class ExecutionTimeRefused(DomainError):
    code = "execution_time"


def is_statutory_holiday(day: datetime.date, *, calendar: Calendar | None = None) -> bool:
    """A statutory holiday (法定节假日): a holiday of the published schedule, or of the
    statutory list for a year not yet published. An ordinary weekend is not one."""
    calendar = calendar or Calendar.load(day.year)
    if calendar.is_scheduled(day.year):
        return day in calendar.holidays
    return day in statutory_holidays(day.year)


def check_execution_time(at: datetime.datetime, *, emergency: bool,
                         calendar: Calendar | None = None,
                         night: NightWindow = NIGHT) -> None:
    """Refuse (409 ``execution_time``) execution at night or on a statutory holiday,
    unless the case is an emergency (情况紧急)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("check_execution_time needs an aware datetime")
    if emergency:
        return
    local = at.astimezone(SHANGHAI)
    if night.contains(local.time()):
        raise ExecutionTimeRefused(
            f"不得在夜间（{night.start:%H:%M}至{night.end:%H:%M}，{night.source}）实施，"
            "情况紧急的除外（行政强制法第四十三条）。",
            "No execution at night except in an emergency (行政强制法 Art. 43).")
    if is_statutory_holiday(local.date(), calendar=calendar):
        raise ExecutionTimeRefused(
            "不得在法定节假日实施，情况紧急的除外（行政强制法第四十三条）。",
            "No execution on a statutory holiday except in an emergency (行政强制法 Art. 43).")
