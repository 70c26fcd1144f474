"""整改延期: extending a rectification order's deadline on the enterprise's written
request (the issue on legal accuracy: "a deadline extension is a written request before
expiry, decided with a reason").

- ``request_extension``: an officer of the inspection registers the enterprise's
  written request; it must be dated on or before the order's deadline (and not in the
  future), name the extra calendar days and the enterprise's reason. One request
  waits at a time.
- ``decide_extension``: a chief or an approver of the jurisdiction decides it with a
  reason, never the officer who registered it (separation of duties). Approval moves
  the deadline by the extra calendar days from the old deadline (a period ending on a
  rest day moves to the next working day, as for the order itself), clears an overdue
  flag the sweep may have set meanwhile, and moves a re-check the sweep opened from
  the old deadline to the clock rule "recheck" after the new one.

Locks in the loop's order: the inspection, then the hidden danger, then the request.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.services import add_calendar_days
from hangzhou_safety.workflow import transition
from inspections.loop.models import (
    EXTENSION_WORKFLOW,
    DeadlineExtension,
    Hazard,
    ReCheck,
    RectificationOrder,
)
from inspections.loop.services import (
    LISTING_ROLES,
    MAX_RECTIFICATION_DAYS,
    RECHECK_RULE,
    _lock_hazard,
    _require_jurisdiction,
    _require_team,
    _today,
    recheck_due,
)

ES = DeadlineExtension.Status


def _order_under_deadline(locked: Hazard) -> RectificationOrder:
    order = RectificationOrder.objects.filter(hazard=locked).first()
    if (order is None or order.kind != RectificationOrder.Kind.DEADLINE
            or order.due_date is None or locked.status != Hazard.Status.RECTIFYING):
        raise DomainError("只有限期整改中的隐患可以申请延期。",
                          "Only a hidden danger under a rectification deadline can be "
                          "extended.", code="not_extendable")
    return order


def request_extension(hazard: Hazard, *, actor: Any, requested_on: datetime.date | None,
                      extra_days: int | None, reason: str) -> DeadlineExtension:
    with transaction.atomic():
        inspection, locked = _lock_hazard(hazard)
        _require_team(inspection, actor)
        order = _order_under_deadline(locked)
        assert order.due_date is not None
        today = _today()
        errors: dict[str, list[str]] = {}
        if requested_on is None:
            errors["requested_on"] = ["请填写单位书面申请的日期。"]
        elif requested_on > today:
            errors["requested_on"] = ["申请日期不能晚于今天。"]
        elif requested_on > order.due_date:
            errors["requested_on"] = [
                f"延期须在整改期限届满前书面申请（期限至 {order.due_date:%Y-%m-%d}），"
                "逾期申请不予登记。"]
        if not (isinstance(extra_days, int) and 1 <= extra_days <= MAX_RECTIFICATION_DAYS):
            errors["extra_days"] = [f"延长天数应为 1–{MAX_RECTIFICATION_DAYS} 日。"]
        if not reason.strip():
            errors["reason"] = ["请填写单位申请延期的理由。"]
        if errors:
            first = next(iter(errors.values()))[0]
            raise InvalidInput(first, "Invalid extension request; see the field errors.",
                               fields=errors)
        if order.extensions.filter(status=ES.PENDING).exists():
            raise DomainError("已有一份待审批的延期申请，审批后才能再次申请。",
                              "An extension request is already waiting for a decision.",
                              code="extension_pending")
        assert isinstance(extra_days, int) and requested_on is not None
        extension = DeadlineExtension.objects.create(
            order=order, requested_on=requested_on, extra_days=extra_days,
            reason=reason.strip(), registered_by=actor, old_due_date=order.due_date)
        record_event("extension.requested", actor=actor, obj=inspection.enterprise,
                     new={"extension": extension.pk, "hazard": locked.pk,
                          "requested_on": requested_on.isoformat(),
                          "extra_days": extra_days, "due_date": order.due_date.isoformat()},
                     reason=extension.reason)
    return extension


def decide_extension(extension: DeadlineExtension, *, actor: Any, approve: bool,
                     reason: str) -> DeadlineExtension:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *LISTING_ROLES):
        raise Forbidden("只有科室负责人或审批负责人可以审批延期申请。",
                        "Only a chief or an approver decides an extension request.")
    if not reason.strip():
        raise InvalidInput("请填写审批意见（批准或不予批准的理由）。",
                           "A decision needs its reason.",
                           fields={"decision_reason": ["请填写审批意见。"]})
    with transaction.atomic():
        inspection, locked = _lock_hazard(extension.order.hazard_id)
        _require_jurisdiction(actor, inspection.authority, "该延期申请")

        def guard(row: DeadlineExtension) -> None:
            if row.registered_by_id == actor.pk:
                raise Forbidden("登记该申请的执法人员不能审批本申请。",
                                "The officer who registered the request may not decide it.")

        if not approve:
            return transition(EXTENSION_WORKFLOW, extension, ES.REFUSED, actor=actor,
                              guard=guard, reason=reason.strip(),
                              changes={"decided_by": actor, "decided_at": timezone.now(),
                                       "decision_reason": reason.strip()})
        order = RectificationOrder.objects.select_for_update().get(pk=extension.order_id)
        _order_under_deadline(locked)
        assert order.due_date is not None
        result = add_calendar_days(order.due_date, extension.extra_days)
        moved: DeadlineExtension = transition(
            EXTENSION_WORKFLOW, extension, ES.APPROVED, actor=actor, guard=guard,
            reason=reason.strip(),
            changes={"decided_by": actor, "decided_at": timezone.now(),
                     "decision_reason": reason.strip(), "new_due_date": result.due},
            extra={"old_due_date": order.due_date, "new_due_date": result.due})
        order.due_date, order.due_provisional = result.due, result.provisional
        order.deadline_days = (order.deadline_days or 0) + extension.extra_days
        order.overdue_flagged_at = None
        order.save(update_fields=["due_date", "due_provisional", "deadline_days",
                                  "overdue_flagged_at"])
        # A re-check the overdue sweep opened from the old deadline follows the new one.
        ReCheck.objects.filter(hazard=locked, result="").update(
            **recheck_due(RECHECK_RULE, result.due), overdue_flagged_at=None)
    return moved
