"""Reads of plans shared by the API, the pages and the services."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from hangzhou_safety.audit.models import AuditEvent
from inspections.plans.models import PLAN_AUTHORING_ACTIONS, EnforcementPlan

#: Plan events are recorded on the plan's authority (the audit subject of PLAN_WORKFLOW).
_AUTHORITY_TYPE = "accounts.authority"


def visible_plans(user: Any) -> QuerySet[EnforcementPlan]:
    return (EnforcementPlan.objects.visible_to(user)
            .select_related("authority", "created_by"))


#: What a row of the plan list shows (templates/inspections/plan_list.html).
PLAN_LIST_COLUMNS = ("id", "title", "status", "year", "version", "authority__name")


def plan_list_rows(user: Any) -> QuerySet[EnforcementPlan]:
    """The plan list's rows: only the shown columns, not two whole related rows (the
    author's user record among them) per plan (issue 15)."""
    return (EnforcementPlan.objects.visible_to(user).select_related("authority")
            .only(*PLAN_LIST_COLUMNS))


def plan_author_ids(plan: EnforcementPlan) -> set[int]:
    """Everyone who wrote or changed this version: its creator and every actor of an
    authoring event (PLAN_AUTHORING_ACTIONS) naming it. One indexed query
    (auditevent_object: the events of the plan's authority)."""
    actors = (AuditEvent.objects
              .filter(object_type=_AUTHORITY_TYPE, object_id=str(plan.authority_id),
                      action__in=PLAN_AUTHORING_ACTIONS, new_values__plan=plan.pk)
              .exclude(actor_id=None).values_list("actor_id", flat=True).distinct())
    return {plan.created_by_id, *(actor for actor in actors if actor is not None)}


def _authored_by(user: Any) -> Exists:
    """Plans (OuterRef) the user wrote or changed, per the audit trail."""
    return Exists(AuditEvent.objects.annotate(
        plan_ref=KeyTextTransform("plan", "new_values")).filter(
        actor_id=user.pk, action__in=PLAN_AUTHORING_ACTIONS, object_type=_AUTHORITY_TYPE,
        object_id=Cast(OuterRef("authority_id"), output_field=CharField()),
        plan_ref=Cast(OuterRef("pk"), output_field=CharField())))


def approver_queue(user: Any) -> QuerySet[EnforcementPlan]:
    """Submitted plans the caller may decide on: never one they wrote or changed."""
    return (visible_plans(user).filter(status=EnforcementPlan.Status.SUBMITTED)
            .exclude(created_by=user).exclude(_authored_by(user))
            .order_by("submitted_at", "id"))
