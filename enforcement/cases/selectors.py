"""Reads of cases shared by the API and the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hangzhou_safety.workdays.models import Deadline
from inspections.loop.models import Hazard, Inspection

from .changes import DecisionChange
from .models import Case, CaseEvidence, CaseStepRecord, PenaltyDecision

OPEN_CLOCK = (Deadline.Status.RUNNING, Deadline.Status.PAUSED)


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("authority", "enterprise")


def case_detail(user: Any) -> QuerySet[Case]:
    return visible_cases(user).prefetch_related(
        "officers", "parties",
        Prefetch("evidence", queryset=CaseEvidence.objects.select_related("collected_by")
                 .order_by("id")),
        Prefetch("steps", queryset=CaseStepRecord.objects.order_by("at", "id")),
        # "disclosure": the decision's disclosure record (a reverse one-to-one of the
        # disclosure sub-package, named only here for the case page's link).
        Prefetch("decisions", queryset=PenaltyDecision.objects.select_related(
            "party", "disclosure").order_by("id")))


def visible_decisions(user: Any) -> QuerySet[PenaltyDecision]:
    return PenaltyDecision.objects.filter(case__in=Case.objects.visible_to(user)).select_related(
        "case", "party")


def case_clocks(case: Case) -> list[Deadline]:
    """Every clock of the case, open ones first, by due time."""
    ct = ContentType.objects.get_for_model(Case)
    clocks = list(Deadline.objects.filter(content_type=ct, object_id=str(case.pk))
                  .order_by("due_at", "id"))
    return sorted(clocks, key=lambda c: (c.status not in OPEN_CLOCK, c.due_at))


def days_left(clock: Deadline, today: datetime.date | None = None) -> int | None:
    """Calendar days from today to the due day (negative: overdue); None when closed."""
    if clock.status not in OPEN_CLOCK:
        return None
    today = today or timezone.localdate()
    due = clock.due_date or timezone.localtime(clock.due_at).date()
    return (due - today).days


def my_deadlines(user: Any) -> QuerySet[Deadline]:
    """Open clocks of the cases the user handles (as officer) or, for a head or chief,
    of every case they can see; soonest first."""
    ct = ContentType.objects.get_for_model(Case)
    mine = Case.objects.visible_to(user)
    if not user.has_role("district_approver", "section_chief", "municipal_admin"):
        mine = mine.filter(officers=user)
    ids = [str(pk) for pk in mine.values_list("pk", flat=True)[:2000]]
    return (Deadline.objects.filter(content_type=ct, object_id__in=ids, status__in=OPEN_CLOCK)
            .order_by("due_at", "id"))


def case_titles(ids: list[str]) -> dict[str, Case]:
    return {str(c.pk): c for c in Case.objects.filter(pk__in=ids).select_related("enterprise")}


def escalated_hazards_without_case(user: Any, limit: int = 20) -> list[Hazard]:
    """Hidden dangers the loop escalated (failed re-check) for which no case is open
    yet, in the user's jurisdiction: the cases waiting to be opened."""
    return list(Hazard.objects.filter(
        status=Hazard.Status.ESCALATED, inspection__in=Inspection.objects.visible_to(user),
        cases__isnull=True).select_related("inspection__enterprise").order_by("-id")[:limit])


def open_decision_changes(case: Any) -> QuerySet[Any]:
    """The changes of the case's decisions waiting for the head's approval."""
    return DecisionChange.objects.filter(case=case, status=DecisionChange.Status.PROPOSED)
