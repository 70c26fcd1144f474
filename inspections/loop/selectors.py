"""Shared reads of the loop: for its pages and those above it, and (handed over from
the app's ready()) for the checklists below it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from inspections.loop.models import (
    HAZARD_SETTLED,
    Hazard,
    Inspection,
    InspectionItem,
    MajorHazardReport,
    RectificationOrder,
    ResumeApplication,
    SupervisionListing,
)
from inspections.loop.services import FIELD_ROLES, needs_resume_review


def asked_checklist_items(template: Any) -> set[int]:
    """The items of a checklist template some inspection has asked (their rows are
    kept as they were asked: inspections.checklists.templates)."""
    return set(InspectionItem.objects.filter(checklist_item__template=template)
               .values_list("checklist_item_id", flat=True).distinct())


def kept_offline(inspection: Inspection, user: Any) -> bool:
    """An inspection being filed keeps its pages (the inspection, its photos, its
    signatures) on the officer's phone for use offline."""
    return inspection.status == Inspection.Status.IN_PROGRESS and bool(
        user.has_role(*FIELD_ROLES))


NOT_MAJOR: dict[str, Any] = {
    "listing": None, "major_reports": [], "has_plan": False, "resume_applications": [],
    "pending_resume": None, "needs_resume": False, "can_major_report": False,
    "can_list": False, "can_publish_listing": False, "can_delist": False,
    "can_publish_delisting": False, "can_apply_resume": False, "can_review_resume": False}


def _listing_of(hazard: Hazard) -> SupervisionListing | None:
    try:
        return hazard.listing
    except ObjectDoesNotExist:
        return None


def major_context(hazard: Hazard, order: RectificationOrder | None,
                  is_chief: bool) -> dict[str, Any]:
    """What a major hidden danger's card shows and offers (its own path,
    supervision.py); nothing for any other. The services check every move again."""
    if not hazard.is_major:
        return dict(NOT_MAJOR)
    listing = _listing_of(hazard)
    reports = list(hazard.major_reports.all())
    applications = list(hazard.resume_applications.all())
    pending = next((a for a in applications if a.status == ResumeApplication.Status.PENDING),
                   None)
    open_ = hazard.status not in HAZARD_SETTLED
    needs_resume = needs_resume_review(hazard, order)
    listed = listing is not None and listing.status == SupervisionListing.Status.LISTED
    return {
        "listing": listing,
        "major_reports": reports,
        "has_plan": any(r.kind == MajorHazardReport.Kind.PLAN for r in reports),
        "resume_applications": applications,
        "pending_resume": pending,
        "needs_resume": needs_resume,
        "can_major_report": open_,
        "can_list": is_chief and open_ and listing is None,
        "can_publish_listing": (is_chief and listing is not None
                                and listing.listing_published_on is None),
        "can_delist": is_chief and listed and hazard.status == Hazard.Status.ACCEPTED,
        "can_publish_delisting": (is_chief and listing is not None
                                  and listing.status == SupervisionListing.Status.DELISTED
                                  and listing.delisting_published_on is None),
        "can_apply_resume": (needs_resume and pending is None
                             and hazard.status == Hazard.Status.RECTIFYING),
        "can_review_resume": needs_resume and pending is not None,
    }
