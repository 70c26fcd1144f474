"""The summary procedure (当场处罚)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from enforcement.grounds.models import ProcedureThreshold
from enforcement.grounds.selectors import procedure_threshold
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workdays.arithmetic import local_date

from ..models import (
    Case,
    CaseParty,
    DocumentType,
    PenaltyDecision,
    PenaltyKind,
)
from ..signals import decision_issued
from .common import (
    SUMMARY_KINDS,
    S,
    _lock,
    _money,
    _move,
    _now,
    _record,
    _require_officer,
    _text,
)
from .decision import _serve

# --- The summary procedure ------------------------------------------------------------

@transaction.atomic
def summary_procedure_decision(case: Case, *, actor: Any, party: CaseParty, kinds: Sequence[str],
                              fine_amount: Any = 0, basis: str, facts: str = "") -> Case:
    """当场处罚 (Art. 51–52): facts certain, a warning or a fine up to the threshold for
    that kind of party; the numbered decision form is handed over on the spot."""
    locked = _lock(case)
    basis = _text(basis, "basis", "请填写处罚依据。", "The legal basis is required.")
    now = _now()
    fine = _money(fine_amount, "fine_amount")

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if party.case_id != row.pk:
            raise InvalidInput("当事人不属于本案。", "The party is not one of the case's.",
                               fields={"party": ["当事人不属于本案。"]})
        chosen = set(kinds)
        if not chosen or not chosen <= SUMMARY_KINDS:
            raise InvalidInput("简易程序只能当场给予警告或罚款。",
                               "On the spot only a warning or a fine may be imposed.",
                               fields={"kinds": ["简易程序只能警告或罚款。"]})
        if (PenaltyKind.FINE in chosen) != (fine > 0):
            raise InvalidInput("罚款须填写金额。", "A fine needs an amount.",
                               fields={"fine_amount": ["罚款金额与处罚种类不符。"]})
        limit = procedure_threshold(ProcedureThreshold.Code.SUMMARY_PROCEDURE_FINE_MAX,
                                    party_kind=party.kind, on=local_date(now)).amount
        if fine > limit:
            message = (f"简易程序罚款上限为{limit}元（{party.get_kind_display()}），"
                       "超出的须适用普通程序。")
            raise InvalidInput(message, f"The summary procedure is limited to {limit} yuan.",
                               fields={"fine_amount": [message]})

    _move(locked, S.SERVED, actor=actor, guard=guard,
          changes={"procedure": Case.Procedure.SUMMARY, "decided_at": now,
                   "facts": facts or locked.facts})
    decision = PenaltyDecision.objects.create(
        case=locked, party=party, kinds=list(dict.fromkeys(kinds)), fine_amount=fine,
        basis=basis, approved_by=actor, issued_at=now)
    decision_issued.send(sender=PenaltyDecision, decision=decision, actor=actor)
    _serve(locked, decision, actor=actor, method=PenaltyDecision.ServiceMethod.ON_SPOT,
           served_at=now, note="当场交付")
    _record(locked, "summary_procedure_decision", actor, text=basis,
            document=DocumentType.SUMMARY_DECISION,
            data={"decision": decision.pk, "kinds": list(kinds), "fine_amount": str(fine)})
    return locked
