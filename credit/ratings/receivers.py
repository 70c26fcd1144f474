"""Receivers of enforcement's accident signals (connected in CreditConfig.ready;
enforcement never imports credit): a registered accident that meets an ``immediate``
row of the rule table (the seeded one: a 重大 or 特别重大 accident) downgrades the
enterprise's rating of the accident's year at once."""

from __future__ import annotations

from typing import Any

from enforcement.accidents.signals import accident_registered
from hangzhou_safety.workdays.arithmetic import local_date

from . import services


def on_registered(sender: Any, *, accident: Any, actor: Any, **kwargs: Any) -> None:
    day = local_date(accident.occurred_at)
    services.downgrade_on_event(
        accident.enterprise, on=day, actor=actor, authority=accident.authority,
        why=f"{day:%Y年%m月%d日}在{accident.place}发生{accident.get_grade_display()}")


def connect() -> None:
    accident_registered.connect(on_registered, dispatch_uid="credit.ratings.accident")
