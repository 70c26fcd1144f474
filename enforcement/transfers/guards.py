"""No 以罚代刑 (移送规定第十一条第一款): a case whose criminal transfer is pending cannot
be closed on its administrative penalty alone.

Pending means reported, approved, transferred, accepted (and exhibits handed over),
declined with the reconsideration still open, or under reconsideration: everything
but not approved by the head and finally declined by the police (after which the
authority handles the case administratively, 第十条). Endings that impose no fine
(不予处罚, 终止) do not run the close guards and stay available. Measures and penalties
already taken are left as they are (第十一条第二款: warnings, suspensions, revocations
imposed before the transfer keep running; 第三款: a fine paid is offset by the court).
"""

from __future__ import annotations

from typing import Any

from enforcement.cases.guards import register_close_guard
from hangzhou_safety.api.errors import DomainError

from .models import ENDED, CriminalTransfer


def refuse_pending_transfer(case: Any, actor: Any) -> None:
    pending = (CriminalTransfer.objects.filter(case_id=case.pk).exclude(status__in=ENDED)
               .first())
    if pending is not None:
        raise DomainError(
            f"本案涉嫌犯罪移送尚未办结（{pending.get_status_display()}），公安机关不予立案前"
            "不得以行政处罚代替移送结案（行政执法机关移送涉嫌犯罪案件的规定第十一条）。",
            "The case has a pending criminal transfer: it cannot be closed on an "
            "administrative penalty unless the police declined the case (Art. 11).",
            code="transfer_pending")


def register() -> None:
    register_close_guard(refuse_pending_transfer)
