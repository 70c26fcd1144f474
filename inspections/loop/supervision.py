"""The path of a major hidden danger (the issue on legal accuracy): the enterprise's
治理方案 and reports, 挂牌督办 with its notice and publication, the review of the
enterprise's written application to resume after a stop measure, and 核销 with the
publication of the de-listing.

- ``record_major_report``: an officer of the inspection registers the 治理方案 or a
  report on the work, from the paper received (安全生产法 第四十一条第二款). Accepting a
  major hidden danger needs its 治理方案 on file (services._recheck_locked).
- ``list_for_supervision``: a chief or an approver lists it, with the notice's number,
  level and supervising unit; ``publish_listing`` records where and when the listing,
  and later the de-listing, was made public.
- ``register_resume_application`` / ``review_resume``: under a stop measure the
  enterprise applies in writing; the application is its report of completion and
  opens the review (the clock rule "resume_review"); the review is the re-check (two
  certified officers), and consent is what allows work to resume (第六十五条).
- ``delist_hazard``: 核销 of an accepted listed danger by a chief or an approver, with
  the de-listing's reasons.

Locks in the loop's order: the inspection, then the hidden danger, then its rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workflow import transition
from inspections.loop.models import (
    HAZARD_SETTLED,
    HAZARD_WORKFLOW,
    LISTING_WORKFLOW,
    RESUME_WORKFLOW,
    Hazard,
    Inspection,
    MajorHazardReport,
    ReCheck,
    RectificationOrder,
    ResumeApplication,
    SupervisionListing,
)
from inspections.loop.services import (
    LISTING_ROLES,
    _lock_hazard,
    _recheck_locked,
    _require_jurisdiction,
    _require_team,
    _today,
    needs_resume_review,
    recheck_due,
)

RESUME_RULE = "resume_review"
RS = ResumeApplication.Status
LS = SupervisionListing.Status


def _require_lister(actor: Any, inspection: Inspection) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *LISTING_ROLES):
        raise Forbidden("只有科室负责人或审批负责人可以挂牌督办、公开或核销。",
                        "Only a chief or an approver may list, publish or de-list.")
    _require_jurisdiction(actor, inspection.authority, "该隐患")


def _require_major(locked: Hazard) -> None:
    if not locked.is_major:
        raise DomainError("只有重大事故隐患适用挂牌督办、治理方案和复产审查。",
                          "Only a major hidden danger follows this path.", code="not_major")


def _fail(field: str, message: str, english: str) -> InvalidInput:
    return InvalidInput(message, english, fields={field: [message]})


def _day_between(day: datetime.date | None, field: str, first: datetime.date,
                 what: str) -> datetime.date:
    today = _today()
    if day is None:
        raise _fail(field, f"请填写{what}。", f"The {field} date is required.")
    if not first <= day <= today:
        raise _fail(field, f"{what}应在 {first:%Y-%m-%d} 至今天（{today:%Y-%m-%d}）之间。",
                    f"The {field} date must lie between {first} and today.")
    return day


def _text(value: str, field: str, message: str, limit: int = 4000) -> str:
    value = (value or "").strip()
    if not value:
        raise _fail(field, message, f"{field} is required.")
    if len(value) > limit:
        raise _fail(field, f"内容过长（不超过 {limit} 字）。", f"{field} is too long.")
    return value


# --- The enterprise's 治理方案 and reports ---

@transaction.atomic
def record_major_report(hazard: Hazard, *, actor: Any, kind: str,
                        received_on: datetime.date | None, content: str,
                        workers_informed: bool = False) -> MajorHazardReport:
    inspection, locked = _lock_hazard(hazard)
    _require_team(inspection, actor)
    _require_major(locked)
    if locked.status in HAZARD_SETTLED:
        raise DomainError("该隐患已销号或移交立案，不再登记治理报告。",
                          "The hidden danger is settled.", code="hazard_settled")
    if kind not in MajorHazardReport.Kind.values:
        raise _fail("kind", "请选择治理方案或治理情况报告。", "Unknown report kind.")
    day = _day_between(received_on, "received_on", timezone.localdate(locked.created_at),
                       "收到日期")
    report = MajorHazardReport.objects.create(
        hazard=locked, kind=kind, received_on=day,
        content=_text(content, "content", "请填写报告的主要内容。"),
        workers_informed=bool(workers_informed), registered_by=actor)
    record_event("hazard.major_report_registered", actor=actor, obj=inspection.enterprise,
                 new={"hazard": locked.pk, "report": report.pk, "kind": kind,
                      "received_on": day.isoformat(),
                      "workers_informed": report.workers_informed})
    return report


# --- 挂牌督办, its publication and 核销 ---

@transaction.atomic
def list_for_supervision(hazard: Hazard, *, actor: Any, notice_number: str, level: str,
                         supervising_unit: str) -> SupervisionListing:
    """挂牌督办 an open major hidden danger, once, with its supervising notice."""
    inspection, locked = _lock_hazard(hazard)
    _require_lister(actor, inspection)
    _require_major(locked)
    if locked.status in HAZARD_SETTLED or SupervisionListing.objects.filter(
            hazard=locked).exists():
        raise DomainError("只有未销号的重大事故隐患可以挂牌督办，且不能重复挂牌。",
                          "Only an open major hidden danger can be listed, once.",
                          code="not_listable")
    number = _text(notice_number, "notice_number", "请填写督办通知书文号。", 64)
    if level not in SupervisionListing.Level.values:
        raise _fail("level", "请选择督办级别。", "Unknown listing level.")
    unit = _text(supervising_unit, "supervising_unit", "请填写督办单位。", 100)
    now = timezone.now()
    try:
        with transaction.atomic():
            listing = SupervisionListing.objects.create(
                hazard=locked, notice_number=number, level=level, supervising_unit=unit,
                listed_by=actor, listed_at=now)
    except IntegrityError as exc:
        raise DomainError("该隐患已挂牌督办。", "Already listed.", code="not_listable") from exc
    Hazard.objects.filter(pk=locked.pk).update(listed_at=now)
    record_event("hazard.listed", actor=actor, obj=inspection.enterprise,
                 new={"hazard": locked.pk, "listing": listing.pk, "notice_number": number,
                      "level": level, "supervising_unit": unit})
    return listing


def _lock_listing(locked: Hazard) -> SupervisionListing:
    listing = SupervisionListing.objects.select_for_update().filter(hazard=locked).first()
    if listing is None:
        raise DomainError("该隐患未挂牌督办。", "The hidden danger is not listed.",
                          code="not_listed")
    return listing


@transaction.atomic
def publish_listing(hazard: Hazard, *, actor: Any, stage: str,
                    published_on: datetime.date | None, channel: str) -> SupervisionListing:
    """Record the publication of the listing (``stage="listing"``) or, after 核销, of
    the de-listing (``stage="delisting"``): the date and where it was published."""
    inspection, locked = _lock_hazard(hazard)
    _require_lister(actor, inspection)
    listing = _lock_listing(locked)
    if stage not in ("listing", "delisting"):
        raise _fail("stage", "请选择公开挂牌或公开摘牌。", "Unknown publication stage.")
    if stage == "delisting" and listing.status != LS.DELISTED:
        raise DomainError("尚未核销，不能公开摘牌。", "Not de-listed yet.", code="not_delisted")
    done = (listing.listing_published_on if stage == "listing"
            else listing.delisting_published_on)
    if done is not None:
        raise DomainError("已记录公开情况，不能重复记录。", "The publication is already recorded.",
                          code="already_published")
    since = listing.listed_at if stage == "listing" else listing.delisted_at
    assert since is not None
    day = _day_between(published_on, "published_on", timezone.localdate(since), "公开日期")
    where = _text(channel, "channel", "请填写公开渠道（如门户网站栏目或媒体名称）。", 200)
    fields = ({"listing_published_on": day, "listing_channel": where} if stage == "listing"
              else {"delisting_published_on": day, "delisting_channel": where})
    for name, value in fields.items():
        setattr(listing, name, value)
    listing.save(update_fields=list(fields))
    record_event(f"hazard.{stage}_published", actor=actor, obj=inspection.enterprise,
                 new={"hazard": locked.pk, "listing": listing.pk,
                      "published_on": day.isoformat(), "channel": where})
    return listing


@transaction.atomic
def delist_hazard(hazard: Hazard, *, actor: Any, note: str) -> SupervisionListing:
    """核销: an accepted listed major hidden danger is de-listed, with the reasons."""
    inspection, locked = _lock_hazard(hazard)
    _require_lister(actor, inspection)
    listing = _lock_listing(locked)
    if not LISTING_WORKFLOW.allowed(listing.status, LS.DELISTED):
        raise LISTING_WORKFLOW.illegal(listing.status, LS.DELISTED)
    if locked.status != Hazard.Status.ACCEPTED:
        raise DomainError("隐患复查通过后方可核销摘牌。", "Only an accepted hidden danger is "
                          "de-listed.", code="not_accepted")
    reason = _text(note, "note", "请填写核销意见。")
    now = timezone.now()
    moved: SupervisionListing = transition(
        LISTING_WORKFLOW, listing, LS.DELISTED, actor=actor, locked=listing, reason=reason,
        changes={"delisted_by": actor, "delisted_at": now, "delisting_note": reason})
    Hazard.objects.filter(pk=locked.pk).update(delisted_at=now)
    return moved


# --- The written application to resume, and its review ---

@transaction.atomic
def register_resume_application(hazard: Hazard, *, actor: Any,
                                applied_on: datetime.date | None,
                                self_assessment: str) -> ResumeApplication:
    inspection, locked = _lock_hazard(hazard)
    _require_team(inspection, actor)
    order = RectificationOrder.objects.filter(hazard=locked).first()
    if order is None or not needs_resume_review(locked, order):
        raise DomainError("只有处于停产停业或停止使用措施下的重大事故隐患需要复产申请。",
                          "Only a major hidden danger under a stop measure needs an "
                          "application to resume.", code="no_stop_measure")
    if not HAZARD_WORKFLOW.allowed(locked.status, Hazard.Status.REPORTED):
        raise HAZARD_WORKFLOW.illegal(locked.status, Hazard.Status.REPORTED)
    if ResumeApplication.objects.filter(hazard=locked, status=RS.PENDING).exists():
        raise DomainError("已有待审查的复产申请。", "An application is already pending.",
                          code="resume_pending")
    day = _day_between(applied_on, "applied_on", timezone.localdate(order.issued_at),
                       "书面申请日期")
    assessment = _text(self_assessment, "self_assessment", "请填写单位的自查评估情况。")
    due = recheck_due(RESUME_RULE, day)
    transition(HAZARD_WORKFLOW, locked, Hazard.Status.REPORTED, actor=actor, locked=locked,
               reason="单位书面申请恢复生产经营和使用", extra={"reported_on": day})
    RectificationOrder.objects.filter(pk=order.pk).update(reported_done_at=timezone.now())
    application = ResumeApplication.objects.create(
        hazard=locked, applied_on=day, self_assessment=assessment, registered_by=actor,
        review_due=due["due_date"], review_due_provisional=due["due_provisional"])
    # The review is the re-check: due within the rule from the application (a re-check
    # the overdue sweep opened from the deadline takes the application's date instead).
    open_recheck = locked.rechecks.filter(result="").first()
    if open_recheck is None:
        ReCheck.objects.create(hazard=locked, **due)
    else:
        ReCheck.objects.filter(pk=open_recheck.pk).update(**due, overdue_flagged_at=None)
    record_event("hazard.resume_applied", actor=actor, obj=inspection.enterprise,
                 new={"hazard": locked.pk, "application": application.pk,
                      "applied_on": day.isoformat(),
                      "review_due": due["due_date"].isoformat()})
    return application


def pending_application(hazard: Hazard) -> ResumeApplication:
    """The application to resume waiting for its review (what the page's and the API's
    review post act on)."""
    pending = ResumeApplication.objects.filter(hazard=hazard, status=RS.PENDING).first()
    if pending is None:
        raise DomainError("没有待审查的复产申请。", "No application to resume is pending.",
                          code="no_pending_resume")
    return pending


@transaction.atomic
def review_resume(application: ResumeApplication, *, actor: Any, consent: bool,
                  note: str = "", inspectors: Any = ()) -> ResumeApplication:
    """The on-site review of the application: the re-check of the hidden danger by two
    certified officers. Consent accepts it and allows work to resume; refusal fails the
    re-check (escalated, with the 危险作业罪 prompt of a failure under a stop measure)."""
    hazard_id = (ResumeApplication.objects.filter(pk=application.pk)
                 .values_list("hazard_id", flat=True).first())
    if hazard_id is None:
        raise DomainError("复产申请不存在。", "No such application.", code="not_found")
    inspection, locked = _lock_hazard(hazard_id)
    row = ResumeApplication.objects.select_for_update().get(pk=application.pk)
    target = RS.CONSENTED if consent else RS.REFUSED
    if not RESUME_WORKFLOW.allowed(row.status, target):
        raise RESUME_WORKFLOW.illegal(row.status, target)
    opinion = note.strip() or ("经现场审查，同意恢复生产经营和使用" if consent else "")
    _recheck_locked(inspection, locked, actor=actor, passed=consent, note=opinion,
                   inspectors=inspectors)
    moved: ResumeApplication = transition(
        RESUME_WORKFLOW, row, target, actor=actor, locked=row, reason=note.strip(),
        changes={"decided_at": timezone.now()})
    return moved
