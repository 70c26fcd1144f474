"""Walk driver of violation records (credit.violationrecord): removal when the decision
is revoked and expiry after the disclosure period, both set-based (a record that may not
move is left alone)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from credit.violations import services
from credit.violations.models import ViolationRecord
from enforcement.cases.models import Case, PenaltyDecision
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, make_case

V = ViolationRecord.Status


def make(status: str) -> ViolationRecord:
    decision = make_case(Case.Status.SERVED,
                         decision_status=PenaltyDecision.Status.SERVED).decisions.get()
    today = timezone.localdate()
    return ViolationRecord.objects.create(
        decision=decision, case=decision.case, authority=decision.case.authority,
        enterprise=decision.case.enterprise, subject_kind="enterprise",
        subject_name=decision.party.name, violation_type=decision.case.title,
        legal_basis=decision.basis, decided_on=today - datetime.timedelta(days=2000),
        final_on=today - datetime.timedelta(days=2000),
        disclose_until=today - datetime.timedelta(days=1), status=status)


DRIVER = Driver(
    key="credit.violationrecord",
    make=make,
    steps={
        V.REMOVED: lambda row: services.remove_for_decisions([row.decision_id], actor=None,
                                                             reason="走查撤销"),
        V.EXPIRED: lambda row: services.expire_due(),
    },
    fixtures=PERSONAS,
    no_op_targets=(V.REMOVED, V.EXPIRED),
)
