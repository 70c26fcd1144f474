"""What each role has to do next (the home page's 待办), read for one user.

Every section is one query with LIMIT COUNT_CAP + 1 over the user's own rows (their
inspections, their authority's plans), so a page costs the same number of queries
whatever the workload. Planned inspections of a draw count as tasks once the draw's
results are published (公开): before that a redraw may still replace them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.web.inbox import COUNT_CAP, InboxAction, InboxRow, InboxSection, capped
from inspections.checklists.models import InspectionScheme
from inspections.loop.models import Hazard, Inspection, ReCheck, RectificationOrder
from inspections.plans.models import EnforcementPlan, PlannedInspection
from inspections.plans.selectors import approver_queue

LIMIT = COUNT_CAP + 1


def _detail(inspection_id: int) -> str:
    return reverse("inspections:inspection_detail", args=[inspection_id])


def open_planned_for(user: Any, today: datetime.date) -> list[PlannedInspection]:
    """Planned inspections assigned to the user up to this month, not yet turned into
    an inspection (a draw's only once its results are published)."""
    return list(
        PlannedInspection.objects.visible_to(user)
        .filter(inspectors=user, status=PlannedInspection.Status.PLANNED,
                inspection__isnull=True)
        .filter(Q(year__lt=today.year) | Q(year=today.year, month__lte=today.month))
        .filter(Q(draw__isnull=True) | Q(draw__results_published_at__isnull=False))
        .select_related("enterprise").order_by("year", "month", "id")[:LIMIT])


def _inspector_sections(user: Any, today: datetime.date) -> list[InboxSection]:
    todays = list(Inspection.objects.visible_to(user)
                  .filter(inspectors=user, planned_date__lte=today,
                          status__in=[Inspection.Status.PLANNED,
                                      Inspection.Status.IN_PROGRESS])
                  .select_related("enterprise").order_by("planned_date", "id")[:LIMIT])
    planned = open_planned_for(user, today)
    mine = Q(hazard__inspection__inspectors=user)
    rechecks = list(ReCheck.objects.filter(mine, result="",
                                           hazard__status__in=[Hazard.Status.REPORTED,
                                                               Hazard.Status.RECTIFYING])
                    .select_related("hazard__inspection__enterprise")
                    .order_by("due_date", "id").distinct()[:LIMIT])
    overdue_orders = list(
        RectificationOrder.objects.filter(mine, due_date__lt=today,
                                          hazard__status=Hazard.Status.RECTIFYING)
        .select_related("hazard__inspection__enterprise")
        .order_by("due_date", "id").distinct()[:LIMIT])

    sections = []
    rows, more = capped(todays)
    sections.append(InboxSection(
        "today", _lazy("今日检查"), more=more,
        url=reverse("inspections:inspection_list") + "?mine=1",
        rows=[InboxRow(i.enterprise.name, _detail(i.pk),
                       f"{i.get_status_display()} · {i.planned_date:%Y-%m-%d}")
              for i in rows]))
    rows, more = capped(planned)
    sections.append(InboxSection(
        "planned", _lazy("本月计划检查"), more=more,
        rows=[InboxRow(p.enterprise.name,
                       reverse("inspections:inspection_create") + f"?planned={p.pk}",
                       f"{p.year}-{p.month:02d} · {p.get_source_display()}",
                       InboxAction(_lazy("开始检查"),
                                   reverse("inspections:planned_start", args=[p.pk]),
                                   "start-planned"))
              for p in rows]))
    due = [r for r in rechecks if r.due_date >= today]
    late = [r for r in rechecks if r.due_date < today]
    rows, more = capped(due)
    sections.append(InboxSection(
        "recheck", _lazy("待复查"), more=more, tone="warning",
        rows=[InboxRow(r.hazard.inspection.enterprise.name,
                       _detail(r.hazard.inspection_id) + f"#hazard-{r.hazard_id}",
                       _("复查期限至 %(d)s · %(h)s") % {
                           "d": f"{r.due_date:%Y-%m-%d}", "h": r.hazard.description[:40]})
              for r in rows]))
    overdue = [InboxRow(r.hazard.inspection.enterprise.name,
                        _detail(r.hazard.inspection_id) + f"#hazard-{r.hazard_id}",
                        _("复查已逾期（期限 %(d)s）") % {"d": f"{r.due_date:%Y-%m-%d}"})
               for r in late]
    overdue += [InboxRow(o.hazard.inspection.enterprise.name,
                         _detail(o.hazard.inspection_id) + f"#hazard-{o.hazard_id}",
                         _("整改已逾期（期限 %(d)s）") % {"d": f"{o.due_date:%Y-%m-%d}"})
                for o in overdue_orders]
    sections.append(InboxSection("overdue", _lazy("已逾期"), rows=overdue[:COUNT_CAP],
                                 more=len(overdue) > COUNT_CAP, tone="danger"))
    return sections


def _chief_sections(user: Any) -> list[InboxSection]:
    plans = list(EnforcementPlan.objects.visible_to(user)
                 .filter(authority_id=user.authority_id,
                         status__in=[EnforcementPlan.Status.RETURNED,
                                     EnforcementPlan.Status.DRAFT])
                 .order_by("-status", "year", "id")[:LIMIT])
    escalated = list(Hazard.objects.filter(
        inspection__in=Inspection.objects.visible_to(user),
        inspection__authority_id=user.authority_id, status=Hazard.Status.ESCALATED)
        .select_related("inspection__enterprise").order_by("-id")[:LIMIT])
    rows, more = capped(plans)
    plan_rows = [InboxRow(_("%(y)s 年度执法计划（第 %(v)s 版）") % {"y": p.year, "v": p.version},
                          reverse("inspections:plan_detail", args=[p.pk]),
                          str(p.get_status_display())) for p in rows]
    rows_h, more_h = capped(escalated)
    return [
        InboxSection("plans-to-submit", _lazy("退回或待提交的计划"), plan_rows, more=more,
                     url=reverse("inspections:plan_list"), tone="warning"),
        InboxSection("escalated", _lazy("已移交立案的隐患"), more=more_h, tone="danger",
                     rows=[InboxRow(h.inspection.enterprise.name,
                                    _detail(h.inspection_id) + f"#hazard-{h.pk}",
                                    h.description[:60]) for h in rows_h]),
    ]


def _approver_sections(user: Any) -> list[InboxSection]:
    plans = list(approver_queue(user)[:LIMIT])
    schemes = list(InspectionScheme.objects.visible_to(user)
                   .filter(status=InspectionScheme.Status.SUBMITTED)
                   .exclude(created_by=user).order_by("id")[:LIMIT])
    rows, more = capped(plans)
    rows_s, more_s = capped(schemes)
    return [
        InboxSection("plans-waiting", _lazy("待审批的执法计划"), more=more,
                     url=reverse("inspections:plan_queue"),
                     rows=[InboxRow(_("%(a)s %(y)s 年度执法计划") % {
                         "a": p.authority.name, "y": p.year},
                         reverse("inspections:plan_detail", args=[p.pk]),
                         str(p.get_status_display())) for p in rows]),
        InboxSection("schemes-waiting", _lazy("待审批的检查方案"), more=more_s,
                     url=reverse("inspections:scheme_list"),
                     rows=[InboxRow(s.title, reverse("inspections:scheme_detail",
                                                     args=[s.pk]))
                           for s in rows_s]),
    ]


def inspection_inbox(user: Any) -> list[InboxSection]:
    """The sections of the user's inbox, by role (the auditor acts on nothing)."""
    if not getattr(user, "is_authenticated", False) or user.has_role(Role.AUDITOR):
        return []
    today = timezone.localdate()
    if user.has_role(Role.INSPECTOR):
        return _inspector_sections(user, today)
    if user.has_role(Role.SECTION_CHIEF):
        return _chief_sections(user) + _inspector_sections(user, today)
    if user.has_role(Role.DISTRICT_APPROVER):
        return _approver_sections(user)
    return []
