"""Receivers of the case and measure signals (connected in EnforcementConfig.ready):
cases and measures never import disclosure (it sits above them in the layers contract).
They run inside the step's transaction, so the disclosure commits or rolls back with
the decision."""

from __future__ import annotations

from typing import Any

from enforcement.cases.signals import decision_changed, decision_issued, decision_revoked
from enforcement.measures.signals import measure_annulled, measure_changed, measure_decided

from . import services


def on_issued(sender: Any, *, decision: Any, actor: Any, **kwargs: Any) -> None:
    services.create_for_decision(decision, actor=actor)


def on_changed(sender: Any, *, decision: Any, actor: Any, **kwargs: Any) -> None:
    services.request_withdrawal([decision.pk], actor=actor, reason="决定内容已变更",
                                republish=True)


def on_revoked(sender: Any, *, decision_ids: list[int], actor: Any, reason: str = "",
               **kwargs: Any) -> None:
    services.request_withdrawal(decision_ids, actor=actor, reason=reason or "决定已撤销")


def on_measure_decided(sender: Any, *, measure: Any, actor: Any, **kwargs: Any) -> None:
    services.create_for_measure(measure, actor=actor)


def on_measure_annulled(sender: Any, *, measure_ids: list[int], actor: Any,
                        reason: str = "", **kwargs: Any) -> None:
    services.request_withdrawal([], measure_ids=measure_ids, actor=actor,
                                reason=reason or "强制措施决定不再成立")


def on_measure_changed(sender: Any, *, measure: Any, actor: Any, **kwargs: Any) -> None:
    services.request_withdrawal([], measure_ids=[measure.pk], actor=actor,
                                reason="强制措施决定内容已变更", republish=True)


def connect() -> None:
    decision_issued.connect(on_issued, dispatch_uid="enforcement.disclosure.issued")
    decision_changed.connect(on_changed, dispatch_uid="enforcement.disclosure.changed")
    decision_revoked.connect(on_revoked, dispatch_uid="enforcement.disclosure.revoked")
    measure_decided.connect(on_measure_decided,
                            dispatch_uid="enforcement.disclosure.measure_decided")
    measure_annulled.connect(on_measure_annulled,
                             dispatch_uid="enforcement.disclosure.measure_annulled")
    measure_changed.connect(on_measure_changed,
                            dispatch_uid="enforcement.disclosure.measure_changed")
