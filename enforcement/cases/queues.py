"""The work queues of cases: 待审批 for chiefs and heads, 法制审核 for legal reviewers,
集体讨论议程 for the heads. Each is one queryset (the pages page it by keyset, the
inbox reads its first rows), and each checks the role and the jurisdiction itself:
a user without the role is refused (Forbidden), and rows come only from the cases
the user may see (``visible_to``). The legal queue applies the separation of duties
of steps/review.py: a reviewer never sees a case they handle or collected evidence
for.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.workdays.models import Deadline

from .models import Case, CaseEvidence, ReviewReason
from .steps.common import CHIEF_ROLES, HEAD_ROLES, LEGAL_ROLES

S = Case.Status


def _cases(user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("authority", "enterprise")


def _pending_preservation() -> Exists:
    return Exists(CaseEvidence.objects.filter(case=OuterRef("pk"), preserved=True,
                                              preservation_outcome=""))


def may_approve(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*CHIEF_ROLES)


def is_head(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*HEAD_ROLES)


def may_review(user: Any) -> bool:
    return (bool(getattr(user, "is_authenticated", False)) and user.has_role(*LEGAL_ROLES)
            and bool(user.legal_qualification or user.is_superuser))


def _not_officer(user: Any) -> Q:
    return ~Q(pk__in=Case.officers.through.objects.filter(user_id=user.pk)
              .values("case_id"))


# --- 待审批 ----------------------------------------------------------------------------

def filing_awaiting_approval(user: Any) -> QuerySet[Case]:
    """立案审批表 submitted, waiting for the head (who is not an officer of the case)."""
    if not is_head(user):
        return Case.objects.none()
    return _cases(user).filter(_not_officer(user), status=S.PENDING,
                               filing_submitted_at__isnull=False)


def reports_awaiting_review(user: Any) -> QuerySet[Case]:
    """案件调查报告 submitted (案件审理): the chief reviews it, or sends it back; not a
    report of a case the chief handles."""
    if not may_approve(user):
        return Case.objects.none()
    return _cases(user).filter(_not_officer(user), status=S.REVIEW)


def preservation_awaiting_decision(user: Any) -> QuerySet[Case]:
    """Evidence preserved in advance (先行登记保存) waiting for the head's decision."""
    if not is_head(user):
        return Case.objects.none()
    return _cases(user).filter(_not_officer(user)).filter(_pending_preservation())


def decision_clock_due(user: Any, until: datetime.date) -> QuerySet[Case]:
    """Open cases whose 90-day decision period ends by ``until``: the head decides
    whether to approve an extension (案件延期审批表) before it runs out."""
    if not is_head(user):
        return Case.objects.none()
    return (_cases(user).filter(_not_officer(user), decision_clock__status=Deadline.Status.RUNNING,
                                decision_clock__due_date__lte=until)
            .exclude(status__in=[S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED, S.DECLINED,
                                 S.NO_PENALTY, S.TERMINATED, S.REVOKED])
            .select_related("decision_clock"))


def approval_queue(user: Any) -> QuerySet[Case]:
    """待审批: every case waiting on a chief or the head — a filing to approve, an
    investigation report to review, preserved evidence to decide on — except the
    cases the user handles (职能分离: an officer does not approve their own case)."""
    if not may_approve(user):
        raise Forbidden("只有科室负责人或负责人可以查看待审批事项。",
                        "Only a chief or the head sees the approval queue.")
    awaiting = Q(status=S.REVIEW)
    if is_head(user):
        awaiting |= (Q(status=S.PENDING, filing_submitted_at__isnull=False)
                     | Q(preservation_pending=True))
    return (_cases(user).annotate(preservation_pending=_pending_preservation())
            .filter(awaiting, _not_officer(user)))


def approval_reason(case: Case) -> str:
    """Why the case is in 待审批 (a key the template words)."""
    if case.status == S.PENDING:
        return "filing"
    if getattr(case, "preservation_pending", False):
        return "preservation"
    return "report"


# --- 法制审核 --------------------------------------------------------------------------

def _legal_review_needed() -> Q:
    required = Q(is_major=True) | ~Q(review_reasons=[])
    after_hearing = (Q(status=S.HEARING, hearing_held_at__isnull=False)
                     & (Q(legal_reviewed_at__isnull=True)
                        | Q(legal_reviewed_at__lt=F("hearing_held_at"))))
    return (Q(status=S.REVIEW) & required) | after_hearing


def legal_review_queue(user: Any) -> QuerySet[Case]:
    """Cases waiting for 法制审核 that this reviewer may review: in 案件审理 with a
    mandatory review (行政处罚法 Art. 58), or heard and not reviewed since; never a
    case the reviewer handles or collected evidence for."""
    if not may_review(user):
        raise Forbidden("只有具备法律职业资格的法制审核人员可以查看法制审核队列。",
                        "Only a qualified legal reviewer sees the legal review queue.")
    investigated = Exists(CaseEvidence.objects.filter(case=OuterRef("pk"),
                                                      collected_by=user))
    return (_cases(user).filter(_legal_review_needed(), _not_officer(user))
            .annotate(investigated=investigated).filter(investigated=False))


# --- 集体讨论议程 ------------------------------------------------------------------------

def agenda(user: Any) -> QuerySet[Case]:
    """集体讨论议程: cases the heads are to discuss (行政处罚法 Art. 57 ¶2) — a major or
    complex case whose legal review passed, or a major case heard and reviewed again
    after its hearing but not discussed since; with the proposed handling."""
    if not is_head(user):
        raise Forbidden("只有行政机关负责人可以查看集体讨论议程。",
                        "Only the head of the authority sees the discussion agenda.")
    discussed_case = Q(is_major=True) | Q(review_reasons__contains=[ReviewReason.COMPLEX])
    after_review = Q(status=S.LEGAL_REVIEW) & discussed_case
    after_hearing = (Q(status=S.HEARING, is_major=True, hearing_held_at__isnull=False,
                       legal_reviewed_at__gte=F("hearing_held_at"))
                     & (Q(discussed_at__isnull=True)
                        | Q(discussed_at__lt=F("legal_reviewed_at"))))
    return _cases(user).filter(after_review | after_hearing).select_related("decision_clock")


def queue_links(user: Any) -> list[dict[str, Any]]:
    """The queues this user may open, for the case list's header."""
    links = []
    if may_approve(user):
        links.append({"label": _("待审批"), "url": reverse("enforcement:approval_queue")})
    if may_review(user):
        links.append({"label": _("法制审核"), "url": reverse("enforcement:legal_review_queue")})
    if is_head(user):
        links.append({"label": _("集体讨论议程"), "url": reverse("enforcement:agenda")})
    return links
