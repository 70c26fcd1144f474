"""REST API of enforcement cases (/api/v1/cases/) and penalty decisions
(/api/v1/decisions/).

Every object is read through ``visible_to``: a case outside the caller's jurisdiction
is a 404, and so is every route under it. Every role reads; the field and head roles
write (an auditor's POST is a 403 here, and each service checks the actor's role, the
jurisdiction and the separation of duties again: 403). Steps are POSTs, one service
each: an illegal move is a 409 ``illegal_transition``, bad input a 400, all with the
bilingual error body.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.filters import FastFilterSet
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.api.steps import ERRORS, step_schema, validated, visible_users
from inspections.loop.models import Hazard, Inspection

from . import services
from .models import Case, CaseEvidence, PenaltyDecision
from .selectors import case_detail, visible_cases, visible_decisions
from .serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseEvidenceSerializer,
    CaseListSerializer,
    CaseReasonSerializer,
    DecisionChangeInput,
    DecisionChangeOpinionInput,
    DecisionChangeSerializer,
    DecisionInput,
    DecisionSerializer,
    DeferralInput,
    DiscussionInput,
    EvidenceInput,
    ExtensionInput,
    FilingOpinionSerializer,
    FromHazardSerializer,
    HearingRecordInput,
    LegalReviewInput,
    NoPenaltyInput,
    NoteInput,
    NoticeInput,
    OpinionInput,
    PaymentInput,
    PreservationInput,
    ReportInput,
    ScheduleHearingInput,
    ServiceInput,
    StatementInput,
    SummaryDecisionInput,
    TextSerializer,
)

CasePermission = roles_allowed(*services.OFFICER_ROLES, read_roles=ALL_ROLES)


def _visible_user(user: Any, pk: int | None, field: str) -> User | None:
    return visible_users(user, [pk], field)[0] if pk is not None else None


class CaseFilter(FastFilterSet):
    status = django_filters.ChoiceFilter(choices=Case.Status.choices)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    procedure = django_filters.ChoiceFilter(choices=Case.Procedure.choices)

    class Meta:
        model = Case
        fields = ["status", "enterprise", "procedure"]


class CaseViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """行政处罚案件: list, detail with parties, evidence, timeline, clocks and decisions;
    opening (also from an escalated hidden danger) and every step of the procedure."""

    permission_classes = [CasePermission]
    filterset_class = CaseFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Case]:
        user = self.request.user
        return case_detail(user) if self.action == "retrieve" else visible_cases(user)

    def get_serializer_class(self) -> type[Any]:
        return CaseListSerializer if self.action == "list" else CaseDetailSerializer

    def _detail(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        fresh = case_detail(self.request.user).get(pk=case.pk)
        return Response(CaseDetailSerializer(fresh).data, status=code)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = validated(CaseCreateSerializer, request)
        user: Any = request.user
        enterprise = None
        if data["enterprise"] is not None:
            enterprise = Enterprise.objects.visible_to(user).filter(pk=data["enterprise"]).first()
            if enterprise is None:
                raise InvalidInput("涉案单位不存在或不在您的管辖范围内。",
                                   "Unknown or out-of-jurisdiction enterprise.",
                                   fields={"enterprise": ["涉案单位不在您的管辖范围内。"]})
        case = services.open_case(
            actor=user, source=data["source"], title=data["title"],
            officers=visible_users(user, data["officers"], "officers"), enterprise=enterprise,
            facts=data["facts"], source_ref=data["source_ref"],
            parties=[dict(p) for p in data["parties"]], is_major=data["is_major"],
            review_reasons=data["review_reasons"], investigated_first=data["investigated_first"],
            found_at=data["found_at"])
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=FromHazardSerializer,
                   responses={201: CaseDetailSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="from-hazard")
    def from_hazard(self, request: Request) -> Response:
        data = validated(FromHazardSerializer, request)
        user: Any = request.user
        hazard = Hazard.objects.filter(
            pk=data["hazard"], inspection__in=Inspection.objects.visible_to(user)).first()
        if hazard is None:
            raise InvalidInput("隐患不存在或不在您的管辖范围内。",
                               "Unknown or out-of-jurisdiction hidden danger.",
                               fields={"hazard": ["隐患不在您的管辖范围内。"]})
        case = services.open_case_from_hazard(
            hazard, actor=user, officers=visible_users(user, data["officers"], "officers"),
            title=data["title"])
        return self._detail(case, status.HTTP_201_CREATED)

    # --- Filing and investigation ---

    @step_schema(TextSerializer, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request: Request, pk: str) -> Response:
        data = validated(TextSerializer, request)
        return self._detail(services.file_case(self.get_object(), actor=request.user,
                                               text=data["text"]))

    @step_schema(FilingOpinionSerializer, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="approve-filing")
    def approve_filing(self, request: Request, pk: str) -> Response:
        data = validated(FilingOpinionSerializer, request)
        return self._detail(services.approve_filing(
            self.get_object(), actor=request.user, opinion=data["text"] or "同意立案"))

    @step_schema(CaseReasonSerializer, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        data = validated(CaseReasonSerializer, request)
        return self._detail(services.decline_case(self.get_object(), actor=request.user,
                                                  reason=data["reason"]))

    @step_schema(None, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-investigation")
    def start_investigation(self, request: Request, pk: str) -> Response:
        return self._detail(services.start_investigation(self.get_object(), actor=request.user))

    @extend_schema(request=EvidenceInput, responses={201: CaseEvidenceSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, pk: str) -> Response:
        data = validated(EvidenceInput, request)
        case = self.get_object()
        approver = _visible_user(request.user, data.pop("approved_by"), "approved_by")
        item = services.register_evidence(case, actor=request.user, approved_by=approver, **data)
        return Response(CaseEvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PreservationInput, responses={200: CaseEvidenceSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="decide-preserved")
    def decide_preserved(self, request: Request, pk: str) -> Response:
        data = validated(PreservationInput, request)
        case = self.get_object()
        item = get_object_or_404(CaseEvidence, case=case, pk=data["evidence"])
        item = services.decide_preserved_evidence(item, actor=request.user,
                                                  outcome=data["outcome"], note=data["note"])
        return Response(CaseEvidenceSerializer(item).data)

    @step_schema(ReportInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="investigation-report")
    def investigation_report(self, request: Request, pk: str) -> Response:
        data = validated(ReportInput, request)
        return self._detail(services.submit_investigation_report(
            self.get_object(), actor=request.user, **data))

    @step_schema(CaseReasonSerializer, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_investigation(self, request: Request, pk: str) -> Response:
        data = validated(CaseReasonSerializer, request)
        return self._detail(services.return_for_investigation(
            self.get_object(), actor=request.user, reason=data["reason"]))

    # --- Review, discussion, notice, hearing ---

    @step_schema(LegalReviewInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="legal-review")
    def legal_review(self, request: Request, pk: str) -> Response:
        data = validated(LegalReviewInput, request)
        return self._detail(services.legal_review(self.get_object(), actor=request.user,
                                                  **data))

    @step_schema(OpinionInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="legal-review-after-hearing")
    def legal_review_after_hearing(self, request: Request, pk: str) -> Response:
        data = validated(OpinionInput, request)
        return self._detail(services.legal_review_after_hearing(
            self.get_object(), actor=request.user, opinion=data["opinion"]))

    @step_schema(DiscussionInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="collective-discussion")
    def collective_discussion(self, request: Request, pk: str) -> Response:
        data = validated(DiscussionInput, request)
        case = self.get_object()
        step = (services.discussion_after_hearing if case.status == Case.Status.HEARING
                else services.record_collective_discussion)
        return self._detail(step(case, actor=request.user,
                                 participants=[dict(p) for p in data["participants"]],
                                 conclusion=data["conclusion"]))

    @step_schema(NoticeInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: str) -> Response:
        data = validated(NoticeInput, request)
        return self._detail(services.notify_party(
            self.get_object(), actor=request.user, facts=data["facts"],
            penalties=[dict(p) for p in data["penalties"]]))

    @step_schema(StatementInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def statement(self, request: Request, pk: str) -> Response:
        data = validated(StatementInput, request)
        return self._detail(services.record_statement(self.get_object(), actor=request.user,
                                                      **data))

    @step_schema(None, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-hearing")
    def request_hearing(self, request: Request, pk: str) -> Response:
        return self._detail(services.request_hearing(self.get_object(), actor=request.user))

    @step_schema(ScheduleHearingInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="schedule-hearing")
    def schedule_hearing(self, request: Request, pk: str) -> Response:
        data = validated(ScheduleHearingInput, request)
        presider = _visible_user(request.user, data["presider"], "presider")
        assert presider is not None
        return self._detail(services.schedule_hearing(
            self.get_object(), actor=request.user, hearing_at=data["hearing_at"],
            presider=presider))

    @step_schema(HearingRecordInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-record")
    def hearing_record(self, request: Request, pk: str) -> Response:
        data = validated(HearingRecordInput, request)
        return self._detail(services.record_hearing(
            self.get_object(), actor=request.user, record=data["record"],
            participants=[dict(p) for p in data["participants"]]))

    @step_schema(ExtensionInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        data = validated(ExtensionInput, request)
        return self._detail(services.extend_decision_period(self.get_object(),
                                                            actor=request.user, **data))

    # --- Decision and endings ---

    @step_schema(DecisionInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = validated(DecisionInput, request)
        return self._detail(services.issue_decision(
            self.get_object(), actor=request.user, basis=data["basis"],
            penalties=[dict(p) for p in data["penalties"]]))

    @step_schema(SummaryDecisionInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="summary-decision")
    def summary_decision(self, request: Request, pk: str) -> Response:
        data = validated(SummaryDecisionInput, request)
        case = self.get_object()
        party = case.parties.filter(pk=data.pop("party")).first()
        if party is None:
            raise InvalidInput("当事人不属于本案。", "The party is not one of the case's.",
                               fields={"party": ["当事人不属于本案。"]})
        return self._detail(services.summary_procedure_decision(case, actor=request.user,
                                                               party=party, **data))

    @step_schema(NoteInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-execution")
    def start_execution(self, request: Request, pk: str) -> Response:
        data = validated(NoteInput, request)
        return self._detail(services.start_execution(self.get_object(), actor=request.user,
                                                     note=data["note"]))

    @step_schema(NoteInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = validated(NoteInput, request)
        return self._detail(services.close_case(self.get_object(), actor=request.user,
                                                note=data["note"] or "执行完毕"))

    @step_schema(NoPenaltyInput, CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="no-penalty")
    def no_penalty(self, request: Request, pk: str) -> Response:
        data = validated(NoPenaltyInput, request)
        return self._detail(services.no_penalty(self.get_object(), actor=request.user, **data))

    @step_schema(CaseReasonSerializer, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str) -> Response:
        data = validated(CaseReasonSerializer, request)
        return self._detail(services.terminate(self.get_object(), actor=request.user,
                                               reason=data["reason"]))

    @step_schema(CaseReasonSerializer, CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        data = validated(CaseReasonSerializer, request)
        return self._detail(services.revoke(self.get_object(), actor=request.user,
                                            reason=data["reason"]))


class DecisionFilter(FastFilterSet):
    status = django_filters.ChoiceFilter(choices=PenaltyDecision.Status.choices)
    case = django_filters.NumberFilter(field_name="case_id")

    class Meta:
        model = PenaltyDecision
        fields = ["status", "case"]


class DecisionViewSet(LookupFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """行政处罚决定 per party: service, payment, deferral, demand, court enforcement, and
    a change of the final decision (复议、诉讼 outcome or 自行纠正) and its approval."""

    permission_classes = [CasePermission]
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[PenaltyDecision]:
        return visible_decisions(self.request.user)

    def _detail(self, decision: PenaltyDecision) -> Response:
        return Response(DecisionSerializer(visible_decisions(self.request.user).get(
            pk=decision.pk)).data)

    @step_schema(ServiceInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def serve(self, request: Request, pk: str) -> Response:
        data = validated(ServiceInput, request)
        return self._detail(services.record_service(self.get_object(), actor=request.user,
                                                    **data))

    @step_schema(PaymentInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        data = validated(PaymentInput, request)
        return self._detail(services.record_payment(self.get_object(), actor=request.user,
                                                    **data))

    @step_schema(DeferralInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def defer(self, request: Request, pk: str) -> Response:
        data = validated(DeferralInput, request)
        return self._detail(services.approve_deferral(
            self.get_object(), actor=request.user, until=data["until"], reason=data["reason"],
            instalments=[dict(i) for i in data["instalments"]]))

    @step_schema(None, DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="flag-overdue")
    def flag_overdue(self, request: Request, pk: str) -> Response:
        return self._detail(services.flag_overdue(self.get_object(), actor=request.user))

    @step_schema(NoteInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def demand(self, request: Request, pk: str) -> Response:
        data = validated(NoteInput, request)
        return self._detail(services.send_payment_demand(self.get_object(), actor=request.user,
                                                         note=data["note"]))

    @step_schema(NoteInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def court(self, request: Request, pk: str) -> Response:
        data = validated(NoteInput, request)
        return self._detail(services.apply_to_court(self.get_object(), actor=request.user,
                                                    note=data["note"]))

    @step_schema(NoteInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def enforced(self, request: Request, pk: str) -> Response:
        data = validated(NoteInput, request)
        return self._detail(services.record_court_enforcement(
            self.get_object(), actor=request.user, note=data["note"]))

    @step_schema(DecisionChangeInput, DecisionChangeSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: str) -> Response:
        """The legal reviewer records the outcome of 行政复议 / 行政诉讼 or the
        authority's own correction (维持 takes effect at once)."""
        data = validated(DecisionChangeInput, request)
        return Response(DecisionChangeSerializer(services.record_decision_change(
            self.get_object(), actor=request.user, **data)).data)

    @step_schema(DecisionChangeOpinionInput, DecisionChangeSerializer)
    @action(detail=True, methods=["post"], url_path="approve-change")
    def approve_change(self, request: Request, pk: str) -> Response:
        """The head approves the recorded change: it takes effect."""
        data = validated(DecisionChangeOpinionInput, request)
        return Response(DecisionChangeSerializer(services.approve_decision_change(
            self.get_object(), actor=request.user, opinion=data["opinion"])).data)

    @step_schema(CaseReasonSerializer, DecisionChangeSerializer)
    @action(detail=True, methods=["post"], url_path="reject-change")
    def reject_change(self, request: Request, pk: str) -> Response:
        """The head refuses the recorded change: nothing changes."""
        data = validated(CaseReasonSerializer, request)
        return Response(DecisionChangeSerializer(services.reject_decision_change(
            self.get_object(), actor=request.user, reason=data["reason"])).data)
