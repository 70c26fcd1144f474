"""调查取证: evidence, 先行登记保存, the investigation report."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.workdays.services import (
    start_clock,
)
from hangzhou_safety.workflow import IllegalTransition

from ..models import (
    Case,
    CaseEvidence,
    DocumentType,
    EvidenceKind,
    PreservationOutcome,
)
from .common import (
    EVIDENCE_STATUSES,
    S,
    _lock,
    _meet,
    _move,
    _now,
    _pk,
    _reason,
    _record,
    _require_chief,
    _require_head,
    _require_officer,
    _require_status,
    _text,
)

# --- Investigation ---------------------------------------------------------------------

@transaction.atomic
def start_investigation(case: Case, *, actor: Any) -> Case:
    locked = _lock(case)
    _move(locked, S.INVESTIGATING, actor=actor, guard=lambda row: _require_officer(row, actor))
    _record(locked, "start_investigation", actor)
    return locked


@transaction.atomic
def register_evidence(case: Case, *, actor: Any, kind: str, description: str,
                      source_ref: str = "", preserved: bool = False,
                      approved_by: User | None = None) -> CaseEvidence:
    """Register an item of evidence; 先行登记保存 needs the head's approval and starts
    the 7-working-day decision clock (Art. 56)."""
    locked = _lock(case)
    allowed = set(EVIDENCE_STATUSES) | ({S.PENDING} if locked.investigated_first else set())
    _require_status(locked, allowed, "当前环节不能登记证据", "Evidence cannot be registered now")
    _require_officer(locked, actor)
    if kind not in EvidenceKind.values:
        raise InvalidInput("证据种类无效。", "Unknown evidence kind.", fields={"kind": ["无效"]})
    description = _text(description, "description", "请填写证据内容。", "A description is needed.")
    if preserved:
        if approved_by is None:
            raise InvalidInput("先行登记保存须经行政机关负责人批准。",
                               "Preservation needs the head's approval.",
                               fields={"approved_by": ["请选择批准的负责人。"]})
        _require_head(locked, approved_by, "先行登记保存")
    now = _now()
    item = CaseEvidence.objects.create(
        case=locked, kind=kind, description=description, source_ref=source_ref[:100],
        collected_by=actor, collected_at=now, preserved=preserved,
        preservation_approved_by=approved_by if preserved else None)
    if preserved:
        item.preservation_clock = start_clock("evidence_preservation_decision", subject=locked,
                                              started_at=now, actor=actor)
        item.save(update_fields=["preservation_clock"])
    _record(locked, "register_evidence", actor, text=description,
            document=DocumentType.PRESERVATION if preserved else DocumentType.EVIDENCE_LIST,
            data={"evidence": item.pk, "kind": kind, "preserved": preserved})
    return item


@transaction.atomic
def decide_preserved_evidence(evidence: CaseEvidence, *, actor: Any, outcome: str,
                              note: str = "") -> CaseEvidence:
    """The decision on preserved evidence, within 7 working days (the head decides)."""
    case_id = CaseEvidence.objects.values_list("case_id", flat=True).get(pk=_pk(evidence))
    locked = _lock(case_id)
    item = CaseEvidence.objects.select_for_update().get(pk=_pk(evidence))
    _require_head(locked, actor, "登记保存证据的处理")
    if not item.preserved or item.preservation_outcome:
        raise IllegalTransition("该证据未先行登记保存或已作出处理决定。",
                                "The evidence is not preserved or was decided already.")
    if outcome not in PreservationOutcome.values:
        raise InvalidInput("处理决定无效。", "Unknown outcome.", fields={"outcome": ["无效"]})
    item.preservation_outcome, item.preservation_decided_at = outcome, _now()
    item.save(update_fields=["preservation_outcome", "preservation_decided_at"])
    _meet(item.preservation_clock_id, actor)
    _record(locked, "decide_preserved_evidence", actor, text=note,
            document=DocumentType.PRESERVATION_DECISION,
            data={"evidence": item.pk, "outcome": outcome})
    return item


@transaction.atomic
def submit_investigation_report(case: Case, *, actor: Any, report: str,
                                proposed_handling: str) -> Case:
    """调查终结: the investigation report and the proposed handling go to 案件审理."""
    locked = _lock(case)
    report = _text(report, "report", "请填写案件调查报告。", "The report is required.")
    handling = _text(proposed_handling, "proposed_handling", "请填写处理意见。",
                     "The proposed handling is required.")

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if not row.evidence.exists():
            raise InvalidInput("案件尚无登记的证据。", "The case has no registered evidence.")
        if not row.parties.exists():
            raise InvalidInput("案件尚无当事人。", "The case has no party.")
        if row.evidence.filter(preserved=True, preservation_outcome="").exists():
            raise InvalidInput("尚有先行登记保存的证据未作出处理决定。",
                               "Preserved evidence awaits its decision.")

    _move(locked, S.REVIEW, actor=actor, guard=guard,
          changes={"investigation_report": report, "proposed_handling": handling})
    _record(locked, "submit_investigation_report", actor, text=report,
            document=DocumentType.INVESTIGATION_REPORT, data={"proposed_handling": handling})
    return locked


@transaction.atomic
def return_for_investigation(case: Case, *, actor: Any, reason: str) -> Case:
    locked = _lock(case)
    reason = _reason(reason)
    _move(locked, S.INVESTIGATING, actor=actor, guard=lambda row: _require_chief(row, actor),
          reason=reason)
    _record(locked, "return_for_investigation", actor, text=reason)
    return locked
