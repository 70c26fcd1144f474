"""The app's models, defined in one sub-package per sub-domain (Django looks here).

Each sub-package adds its models' import here when it gets models.
"""

# ruff: noqa: F401

from enforcement.cases.models import (
    Case,
    CaseEvidence,
    CaseParty,
    CaseStepRecord,
    PenaltyDecision,
)
from enforcement.grounds.models import (
    DiscretionBenchmark,
    DiscretionVersion,
    ProcedureThreshold,
    ViolationType,
)
from enforcement.public_reports.models import (
    PublicReport,
    ReporterIdentity,
    ReportPhoto,
    ReportReply,
    ReportReward,
)
