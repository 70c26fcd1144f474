"""Receivers of the case signals (connected in EnforcementConfig.ready): cases never
import disclosure (it sits above cases in the layers contract). They run inside the
case step's transaction, so the disclosure commits or rolls back with the decision."""

from __future__ import annotations

from typing import Any

from enforcement.cases.signals import decision_changed, decision_issued, decision_revoked

from . import services


def on_issued(sender: Any, *, decision: Any, actor: Any, **kwargs: Any) -> None:
    services.create_for_decision(decision, actor=actor)


def on_changed(sender: Any, *, decision: Any, actor: Any, **kwargs: Any) -> None:
    services.request_withdrawal([decision.pk], actor=actor, reason="决定内容已变更",
                                republish=True)


def on_revoked(sender: Any, *, decision_ids: list[int], actor: Any, reason: str = "",
               **kwargs: Any) -> None:
    services.request_withdrawal(decision_ids, actor=actor, reason=reason or "决定已撤销")


def connect() -> None:
    decision_issued.connect(on_issued, dispatch_uid="enforcement.disclosure.issued")
    decision_changed.connect(on_changed, dispatch_uid="enforcement.disclosure.changed")
    decision_revoked.connect(on_revoked, dispatch_uid="enforcement.disclosure.revoked")
