"""Serializers of the case API: reads of cases and decisions, one input per step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from enforcement.grounds.models import DiscretionLevel
from hangzhou_safety.workdays.models import Deadline

from .changes import ChangeOutcome, ChangeSource, DecisionChange
from .models import (
    Case,
    CaseEvidence,
    CaseParty,
    CaseStepRecord,
    EvidenceKind,
    PenaltyDecision,
    PenaltyKind,
    PreservationOutcome,
)
from .selectors import case_clocks, days_left


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseParty
        fields = ["id", "kind", "role", "name", "identifier", "address", "phone"]


class CaseEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvidence
        fields = ["id", "kind", "description", "source_ref", "collected_by", "collected_at",
                  "preserved", "preservation_clock", "preservation_outcome",
                  "preservation_decided_at"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseStepRecord
        fields = ["id", "step", "actor", "actor_name", "at", "text", "participants",
                  "document_type", "data"]


class ClockSerializer(serializers.ModelSerializer):
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = ["id", "label", "legal_basis", "kind", "amount", "started_at", "due_date",
                  "due_at", "provisional", "status", "days_left"]

    def get_days_left(self, clock: Deadline) -> int | None:
        return days_left(clock)


class DecisionSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)

    class Meta:
        model = PenaltyDecision
        fields = ["id", "case", "party", "party_name", "kinds", "fine_amount",
                  "confiscation_amount", "basis", "status", "approved_by", "issued_at",
                  "served_at", "service_method", "payment_due", "deferred_until",
                  "instalments", "paid_amount", "surcharge", "paid_at", "demanded_at",
                  "court_applied_at", "enforced_at", "applied_row_snapshot"]


class CaseListSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True,
                                            default="")

    class Meta:
        model = Case
        fields = ["id", "title", "status", "procedure", "source", "authority", "enterprise",
                  "enterprise_name", "is_major", "filed_at", "decided_at", "closed_at",
                  "created_at"]


class CaseDetailSerializer(CaseListSerializer):
    parties = PartySerializer(many=True, read_only=True)
    evidence = CaseEvidenceSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    clocks = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "facts", "source_ref", "inspection",
                  "hazard", "officers", "review_reasons", "investigated_first",
                  "investigation_report", "proposed_handling", "legal_reviewer",
                  "legal_review_opinion", "notified_at", "proposed_penalties",
                  "hearing_right", "hearing_requested_at", "hearing_at", "hearing_presider",
                  "hearing_held_at", "statement_recorded_at", "defence_waived",
                  "no_penalty_ground", "outcome_reason", "parties", "evidence", "steps",
                  "decisions", "clocks"]

    def get_clocks(self, case: Case) -> list[dict[str, Any]]:
        return list(ClockSerializer(case_clocks(case), many=True).data)


# --- Step inputs ----------------------------------------------------------------------

class PartyInput(serializers.Serializer):
    kind = serializers.CharField(max_length=16)
    role = serializers.CharField(max_length=24)
    name = serializers.CharField(max_length=200)
    identifier = serializers.CharField(max_length=32, required=False, default="")
    address = serializers.CharField(max_length=200, required=False, default="")
    phone = serializers.CharField(max_length=32, required=False, default="")


class CaseCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Case.Source.choices)  # type: ignore[assignment]
    title = serializers.CharField(max_length=200)
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=20)
    enterprise = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                          default=None)
    facts = serializers.CharField(required=False, default="", allow_blank=True, max_length=20000)
    source_ref = serializers.CharField(required=False, default="", allow_blank=True,
                                       max_length=100)
    parties = PartyInput(many=True, required=False, default=list)
    is_major = serializers.BooleanField(required=False, default=False)
    review_reasons = serializers.ListField(child=serializers.CharField(max_length=20),
                                           required=False, default=list, max_length=4)
    investigated_first = serializers.BooleanField(required=False, default=False)
    found_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class FromHazardSerializer(serializers.Serializer):
    hazard = serializers.IntegerField(min_value=1)
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=20)
    title = serializers.CharField(max_length=200, required=False, default="")


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, default="", allow_blank=True, max_length=20000)


class FilingOpinionSerializer(serializers.Serializer):
    """An approval opinion (审批意见), bounded like the other opinions."""

    text = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class CaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class EvidenceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    description = serializers.CharField(max_length=5000)
    source_ref = serializers.CharField(max_length=100, required=False, default="",
                                       allow_blank=True)
    preserved = serializers.BooleanField(required=False, default=False)
    approved_by = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                           default=None)


class PreservationInput(serializers.Serializer):
    evidence = serializers.IntegerField(min_value=1)
    outcome = serializers.ChoiceField(choices=PreservationOutcome.choices)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class ReportInput(serializers.Serializer):
    report = serializers.CharField(max_length=20000)
    proposed_handling = serializers.CharField(max_length=5000)


class LegalReviewInput(serializers.Serializer):
    passed = serializers.BooleanField()
    opinion = serializers.CharField(max_length=5000)


class OpinionInput(serializers.Serializer):
    opinion = serializers.CharField(max_length=5000)


class ParticipantInput(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    position = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class DiscussionInput(serializers.Serializer):
    participants = ParticipantInput(many=True)
    conclusion = serializers.CharField(max_length=5000)


class PenaltyInput(serializers.Serializer):
    party = serializers.IntegerField(min_value=1)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyKind.choices),
                                  min_length=1, max_length=8)
    fine_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                           required=False, default=Decimal("0"))
    # The discretion row the fine applies (checked at the decision), and the reason of
    # a departure that the case's collective discussion covers.
    violation = serializers.CharField(required=False, allow_blank=True, max_length=32)
    level = serializers.ChoiceField(choices=DiscretionLevel.choices, required=False,
                                    allow_blank=True)
    departure_reason = serializers.CharField(required=False, allow_blank=True,
                                             max_length=2000)


class NoticeInput(serializers.Serializer):
    penalties = PenaltyInput(many=True)
    facts = serializers.CharField(required=False, default="", allow_blank=True, max_length=20000)


class StatementInput(serializers.Serializer):
    statement = serializers.CharField(required=False, default="", allow_blank=True,
                                      max_length=20000)
    waived = serializers.BooleanField(required=False, default=False)


class ScheduleHearingInput(serializers.Serializer):
    hearing_at = serializers.DateTimeField()
    presider = serializers.IntegerField(min_value=1)


class HearingRecordInput(serializers.Serializer):
    record = serializers.CharField(max_length=50000)
    participants = ParticipantInput(many=True, required=False, default=list)


class ExtensionInput(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField(max_length=2000)


class DecisionInput(serializers.Serializer):
    penalties = PenaltyInput(many=True)
    basis = serializers.CharField(max_length=5000)


class NoPenaltyInput(serializers.Serializer):
    ground = serializers.ChoiceField(choices=Case.NoPenaltyGround.choices)
    reason = serializers.CharField(max_length=2000)


class SummaryDecisionInput(serializers.Serializer):
    party = serializers.IntegerField(min_value=1)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyKind.choices),
                                  min_length=1, max_length=2)
    fine_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                           required=False, default=Decimal("0"))
    basis = serializers.CharField(max_length=5000)
    facts = serializers.CharField(required=False, default="", allow_blank=True, max_length=20000)


class ServiceInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=PenaltyDecision.ServiceMethod.choices)
    served_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)


class PaymentInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    paid_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class InstalmentInput(serializers.Serializer):
    due = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class DeferralInput(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(max_length=2000)
    instalments = InstalmentInput(many=True, required=False, default=list)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class DecisionChangeInput(serializers.Serializer):
    """Why a final decision changes (行政复议, 行政诉讼 or 自行纠正) and, for 变更, the new
    content; a new fine, a new basis or a correction."""

    source = serializers.ChoiceField(choices=ChangeSource.choices)  # type: ignore[assignment]
    outcome = serializers.ChoiceField(choices=ChangeOutcome.choices)
    reason = serializers.CharField(max_length=2000)
    ruled_on = serializers.DateField()
    body = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    ruling_number = serializers.CharField(max_length=100, required=False, default="",
                                          allow_blank=True)
    fine_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                           required=False, allow_null=True, default=None)
    basis = serializers.CharField(max_length=2000, required=False, default="",
                                  allow_blank=True)
    corrected_text = serializers.CharField(max_length=4000, required=False, default="",
                                           allow_blank=True)


class DecisionChangeOpinionInput(serializers.Serializer):
    opinion = serializers.CharField(max_length=2000, required=False, default="",
                                    allow_blank=True)


class DecisionChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionChange
        fields = ["id", "decision", "case", "source", "outcome", "status", "body",
                  "ruling_number", "ruled_on", "reason", "old_content", "new_content",
                  "refund_amount", "recorded_by", "recorded_at", "approved_by", "approved_at",
                  "approval_opinion"]
        read_only_fields = fields
