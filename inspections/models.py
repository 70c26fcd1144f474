"""The app's models, defined in one sub-package per sub-domain (Django looks here)."""

# ruff: noqa: F401

from inspections.checklists.models import (
    SCHEME_TRANSITIONS,
    ChecklistItem,
    ChecklistTemplate,
    InspectionScheme,
    MajorHazardCriterion,
)
from inspections.draws.models import (
    ConflictDeclaration,
    DrawItemList,
    ObjectDirectory,
    RandomDraw,
)
from inspections.evidence.models import (
    Evidence,
    RecorderFootage,
    Signature,
    SignatureRefusal,
)
from inspections.loop.models import (
    EXTENSION_TRANSITIONS,
    EXTENSION_WORKFLOW,
    HAZARD_SETTLED,
    HAZARD_TRANSITIONS,
    INSPECTION_TRANSITIONS,
    LISTING_TRANSITIONS,
    LISTING_WORKFLOW,
    RESUME_TRANSITIONS,
    RESUME_WORKFLOW,
    AnswerReceipt,
    DeadlineExtension,
    Hazard,
    Inspection,
    InspectionItem,
    InspectionQuerySet,
    MajorHazardReport,
    OnSiteMeasure,
    ReCheck,
    RectificationOrder,
    ResumeApplication,
    SupervisionListing,
)
from inspections.plans.models import (
    KEY_CATEGORIES,
    KEY_MIN_INSPECTIONS_PER_YEAR,
    PLAN_EDITABLE_STATUSES,
    PLAN_TRANSITIONS,
    EnforcementPlan,
    PlanCategory,
    PlannedInspection,
    PlannedInspectionQuerySet,
    PlanQuerySet,
    PlanQuota,
    PlanReview,
    SpecialCampaign,
)
