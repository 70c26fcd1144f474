"""The cases' sections of the home page's inbox (待办), registered from
EnforcementConfig.ready().

For whoever handles cases: the clocks of their own cases due within N working days
and those expired (danger), and the reminder notices not yet read. For a chief: the
investigation reports awaiting review; for the head, also the filings awaiting
approval, preserved evidence awaiting a decision, the decision periods running out
(an extension to approve) and the collective discussion's agenda; for a qualified
legal reviewer, the cases awaiting 法制审核 that they may review. Each section is one
query with LIMIT COUNT_CAP + 1 (plus one read of the calendar for "working days"),
so the inbox costs the same whatever the user's workload.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hangzhou_safety.web.inbox import COUNT_CAP, InboxAction, InboxRow, InboxSection, capped
from hangzhou_safety.workdays.arithmetic import end_of_day, local_date
from hangzhou_safety.workdays.models import Deadline

from . import queues
from .models import Case
from .reminders import due_soon_until, reminder_text, unread_reminders
from .steps.common import OFFICER_ROLES

LIMIT = COUNT_CAP + 1


def _case_url(case_id: Any) -> str:
    return reverse("enforcement:case_detail", args=[int(case_id)])


def _due(clock: Deadline) -> str:
    if clock.due_date:
        return f"{clock.due_date:%Y-%m-%d}"
    return f"{timezone.localtime(clock.due_at):%Y-%m-%d %H:%M}"


def my_case_clocks(user: Any) -> QuerySet[Deadline]:
    """Running clocks of the cases the user handles (as officer), with the case's
    title and enterprise read in the same query."""
    ct = ContentType.objects.get_for_model(Case)
    mine = (Case.objects.visible_to(user).filter(officers=user)
            .annotate(key=Cast("pk", CharField())).values("key"))
    case = Case.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField()))
    return (Deadline.objects.filter(content_type=ct, status=Deadline.Status.RUNNING,
                                    object_id__in=mine)
            .annotate(case_title=Subquery(case.values("title")[:1]),
                      enterprise_name=Subquery(case.values("enterprise__name")[:1])))


def _clock_row(clock: Any) -> InboxRow:
    return InboxRow(clock.enterprise_name or clock.case_title, _case_url(clock.object_id),
                    _("%(label)s · 届满 %(due)s") % {"label": clock.label, "due": _due(clock)})


def _case_row(case: Case, detail: str) -> InboxRow:
    return InboxRow(case.enterprise.name if case.enterprise else case.title,
                    _case_url(case.pk), detail)


def _section(key: str, title: Any, rows: list[InboxRow], more: bool, *, url: str = "",
             tone: str = "primary") -> InboxSection:
    return InboxSection(key, title, rows, url=url, tone=tone, more=more)


def _officer_sections(user: Any, now: datetime.datetime,
                      until: datetime.date) -> list[InboxSection]:
    clocks = my_case_clocks(user)
    by_day = Q(due_date__lte=until) | Q(due_date=None, due_at__lte=end_of_day(until))
    # Due soon and expired in one statement: two limited halves of a UNION ALL.
    both = list(clocks.filter(by_day, due_at__gte=now).order_by("due_at", "id")[:LIMIT]
                .union(clocks.filter(due_at__lt=now).order_by("due_at", "id")[:LIMIT],
                       all=True))
    both.sort(key=lambda c: (c.due_at, c.pk))
    soon, soon_more = capped([c for c in both if c.due_at >= now])
    late, late_more = capped([c for c in both if c.due_at < now])
    notices, notices_more = capped(list(unread_reminders(user)[:LIMIT]))
    deadlines = reverse("enforcement:deadlines")
    read = reverse("enforcement:reminders_read")
    sections = [
        _section("case-deadlines", _lazy("案件期限将至"), [_clock_row(c) for c in soon],
                 soon_more, url=deadlines, tone="warning"),
        _section("case-overdue", _lazy("案件期限已届满"), [_clock_row(c) for c in late],
                 late_more, url=deadlines, tone="danger"),
    ]
    if notices:
        sections.append(_section(
            "case-reminders", _lazy("未读的期限提醒"), more=notices_more, url=deadlines,
            tone="info",
            rows=[InboxRow(reminder_text(n), _case_url(n.case_id),
                           f"{timezone.localtime(n.created_at):%Y-%m-%d %H:%M}",
                           InboxAction(_lazy("标为已读"), f"{read}?reminder={n.pk}",
                                       "reminder-read"))
                  for n in notices]))
    return sections


def _chief_sections(user: Any, until: datetime.date) -> list[InboxSection]:
    queue = reverse("enforcement:approval_queue")
    reports, more = capped(list(queues.reports_awaiting_review(user).order_by("id")[:LIMIT]))
    sections = [_section("case-reports", _lazy("待审理的调查报告"),
                         [_case_row(c, c.title) for c in reports], more, url=queue)]
    if not queues.is_head(user):
        return sections
    filings, more_f = capped(list(queues.filing_awaiting_approval(user)
                                  .order_by("filing_submitted_at", "id")[:LIMIT]))
    kept, more_k = capped(list(queues.preservation_awaiting_decision(user)
                               .order_by("id")[:LIMIT]))
    running_out, more_r = capped(list(queues.decision_clock_due(user, until)
                                      .order_by("decision_clock__due_at", "id")[:LIMIT]))
    agenda, more_a = capped(list(queues.agenda(user).order_by("legal_reviewed_at", "id")
                                 [:LIMIT]))
    # The rarer sections only when they have rows (a phone's home page stays short).
    rare = [section for section in (
        _section("case-preservation", _lazy("待处理的先行登记保存证据"),
                 [_case_row(c, c.title) for c in kept], more_k, url=queue, tone="warning"),
        _section("case-extension", _lazy("办案期限将届满（延期审批）"),
                 [_case_row(c, _("办案期限届满 %(d)s") % {"d": _due(c.decision_clock)})
                  for c in running_out if c.decision_clock], more_r, tone="warning"),
    ) if section.rows]
    return [
        _section("case-filing", _lazy("待审批的立案"),
                 [_case_row(c, c.title) for c in filings], more_f, url=queue),
        *sections,
        *rare,
        _section("case-agenda", _lazy("集体讨论议程"),
                 [_case_row(c, c.proposed_handling[:60] or c.title) for c in agenda], more_a,
                 url=reverse("enforcement:agenda")),
    ]


def _legal_sections(user: Any) -> list[InboxSection]:
    rows, more = capped(list(queues.legal_review_queue(user).order_by("id")[:LIMIT]))
    return [_section("case-legal-review", _lazy("待法制审核的案件"),
                     [_case_row(c, c.title) for c in rows], more,
                     url=reverse("enforcement:legal_review_queue"))]


def case_inbox(user: Any) -> list[InboxSection]:
    """The cases' sections of the user's inbox, by role (the auditor acts on nothing)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*OFFICER_ROLES):
        return []
    now = timezone.now()
    until = due_soon_until(local_date(now))
    sections = _officer_sections(user, now, until)
    if queues.may_approve(user):
        sections += _chief_sections(user, until)
    if queues.may_review(user):
        sections += _legal_sections(user)
    return sections
