"""Receivers of enforcement's signals for the accident grounds (connected in
CreditConfig.ready; enforcement never imports credit): ground （二） is checked at once
when an investigation's findings are recorded, and when a decision of a case opened
from an accident takes effect (the proposal needs that decision: 令11号 第三条)."""

from __future__ import annotations

from typing import Any

from enforcement.accidents.signals import findings_recorded
from enforcement.cases.models import Case
from enforcement.cases.signals import decision_final

from . import accidents


def on_findings(sender: Any, *, accident: Any, findings: list[Any], **kwargs: Any) -> None:
    accidents.on_findings([f.enterprise_id for f in findings if f.enterprise_id],
                          [f.identifier for f in findings if not f.enterprise_id])


def on_final(sender: Any, *, decision: Any, **kwargs: Any) -> None:
    case = decision.case
    if case.source == Case.Source.ACCIDENT and case.enterprise_id is not None:
        accidents.propose_repeat_accidents(enterprise_ids=[case.enterprise_id])


def connect() -> None:
    findings_recorded.connect(on_findings, dispatch_uid="credit.blacklist.findings")
    decision_final.connect(on_final, dispatch_uid="credit.blacklist.final")
