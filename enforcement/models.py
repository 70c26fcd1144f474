"""The app's models, defined in one sub-package per sub-domain (Django looks here).

Each sub-package adds its models' import here when it gets models.
"""

# ruff: noqa: F401

from enforcement.accidents.models import Accident, AccidentFinding
from enforcement.cases.changes import DecisionChange
from enforcement.cases.models import (
    Case,
    CaseEvidence,
    CaseParty,
    CaseReminder,
    CaseStepRecord,
    PenaltyDecision,
)
from enforcement.disclosure.models import (
    Disclosure,
    DisclosureObjection,
    DisclosureReminder,
    PublicationPeriod,
)
from enforcement.grounds.models import (
    DiscretionBenchmark,
    DiscretionVersion,
    ProcedureThreshold,
    ViolationType,
)
from enforcement.measures.changes import MeasureChange
from enforcement.measures.models import CompulsoryMeasure, MeasureItem
from enforcement.public_reports.models import (
    PublicReport,
    ReporterIdentity,
    ReportPhoto,
    ReportReply,
    ReportReward,
)
from enforcement.transfers.models import CriminalTransfer
