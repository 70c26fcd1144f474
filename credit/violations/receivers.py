"""Receivers of the enforcement signals (connected in CreditConfig.ready)."""

from __future__ import annotations

from typing import Any

from enforcement.cases.signals import decision_changed, decision_final, decision_revoked

from . import services


def on_final(sender: Any, *, decision: Any, actor: Any, **kwargs: Any) -> None:
    services.record_final(decision, actor=actor)


def on_changed(sender: Any, *, decision: Any, actor: Any, **kwargs: Any) -> None:
    if services.ViolationRecord.objects.filter(decision=decision).exists():
        services.correct(decision, actor=actor)


def on_revoked(sender: Any, *, decision_ids: list[int], actor: Any, reason: str = "",
               **kwargs: Any) -> None:
    services.remove_for_decisions(decision_ids, actor=actor, reason=reason)


def connect() -> None:
    decision_final.connect(on_final, dispatch_uid="credit.violations.final")
    decision_changed.connect(on_changed, dispatch_uid="credit.violations.changed")
    decision_revoked.connect(on_revoked, dispatch_uid="credit.violations.revoked")
