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
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.lookup import LookupFirstMixin
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
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
    ErrorSerializer,
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
_ERROR = OpenApiResponse(ErrorSerializer)
ERRORS = {400: _ERROR, 403: _ERROR, 404: _ERROR, 409: _ERROR}


def _visible_users(user: Any, ids: list[int], field: str) -> list[User]:
    ids = list(dict.fromkeys(ids))
    found = list(User.objects.visible_to(user).filter(pk__in=ids, is_active=True))
    if len(found) != len(ids):
        message = "人员不存在或不在您的管辖范围内。"
        raise InvalidInput(message, f"Unknown or out-of-jurisdiction user in {field}.",
                           fields={field: [message]})
    return found


def _visible_user(user: Any, pk: int | None, field: str) -> User | None:
    return _visible_users(user, [pk], field)[0] if pk is not None else None


def _body(serializer: type[Any], request: Request) -> dict[str, Any]:
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _step(request_serializer: Any, response: Any = CaseDetailSerializer) -> Any:
    return extend_schema(request=request_serializer, responses={200: response, **ERRORS})


class CaseFilter(django_filters.FilterSet):
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
        data = _body(CaseCreateSerializer, request)
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
            officers=_visible_users(user, data["officers"], "officers"), enterprise=enterprise,
            facts=data["facts"], source_ref=data["source_ref"],
            parties=[dict(p) for p in data["parties"]], is_major=data["is_major"],
            review_reasons=data["review_reasons"], investigated_first=data["investigated_first"],
            found_at=data["found_at"])
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=FromHazardSerializer,
                   responses={201: CaseDetailSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="from-hazard")
    def from_hazard(self, request: Request) -> Response:
        data = _body(FromHazardSerializer, request)
        user: Any = request.user
        hazard = Hazard.objects.filter(
            pk=data["hazard"], inspection__in=Inspection.objects.visible_to(user)).first()
        if hazard is None:
            raise InvalidInput("隐患不存在或不在您的管辖范围内。",
                               "Unknown or out-of-jurisdiction hidden danger.",
                               fields={"hazard": ["隐患不在您的管辖范围内。"]})
        case = services.open_case_from_hazard(
            hazard, actor=user, officers=_visible_users(user, data["officers"], "officers"),
            title=data["title"])
        return self._detail(case, status.HTTP_201_CREATED)

    # --- Filing and investigation ---

    @_step(TextSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request: Request, pk: str) -> Response:
        data = _body(TextSerializer, request)
        return self._detail(services.file_case(self.get_object(), actor=request.user,
                                               text=data["text"]))

    @_step(FilingOpinionSerializer)
    @action(detail=True, methods=["post"], url_path="approve-filing")
    def approve_filing(self, request: Request, pk: str) -> Response:
        data = _body(FilingOpinionSerializer, request)
        return self._detail(services.approve_filing(
            self.get_object(), actor=request.user, opinion=data["text"] or "同意立案"))

    @_step(CaseReasonSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        data = _body(CaseReasonSerializer, request)
        return self._detail(services.decline_case(self.get_object(), actor=request.user,
                                                  reason=data["reason"]))

    @_step(None)
    @action(detail=True, methods=["post"], url_path="start-investigation")
    def start_investigation(self, request: Request, pk: str) -> Response:
        return self._detail(services.start_investigation(self.get_object(), actor=request.user))

    @extend_schema(request=EvidenceInput, responses={201: CaseEvidenceSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, pk: str) -> Response:
        data = _body(EvidenceInput, request)
        case = self.get_object()
        approver = _visible_user(request.user, data.pop("approved_by"), "approved_by")
        item = services.register_evidence(case, actor=request.user, approved_by=approver, **data)
        return Response(CaseEvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PreservationInput, responses={200: CaseEvidenceSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="decide-preserved")
    def decide_preserved(self, request: Request, pk: str) -> Response:
        data = _body(PreservationInput, request)
        case = self.get_object()
        item = get_object_or_404(CaseEvidence, case=case, pk=data["evidence"])
        item = services.decide_preserved_evidence(item, actor=request.user,
                                                  outcome=data["outcome"], note=data["note"])
        return Response(CaseEvidenceSerializer(item).data)

    @_step(ReportInput)
    @action(detail=True, methods=["post"], url_path="investigation-report")
    def investigation_report(self, request: Request, pk: str) -> Response:
        data = _body(ReportInput, request)
        return self._detail(services.submit_investigation_report(
            self.get_object(), actor=request.user, **data))

    @_step(CaseReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_investigation(self, request: Request, pk: str) -> Response:
        data = _body(CaseReasonSerializer, request)
        return self._detail(services.return_for_investigation(
            self.get_object(), actor=request.user, reason=data["reason"]))

    # --- Review, discussion, notice, hearing ---

    @_step(LegalReviewInput)
    @action(detail=True, methods=["post"], url_path="legal-review")
    def legal_review(self, request: Request, pk: str) -> Response:
        data = _body(LegalReviewInput, request)
        return self._detail(services.legal_review(self.get_object(), actor=request.user,
                                                  **data))

    @_step(OpinionInput)
    @action(detail=True, methods=["post"], url_path="legal-review-after-hearing")
    def legal_review_after_hearing(self, request: Request, pk: str) -> Response:
        data = _body(OpinionInput, request)
        return self._detail(services.legal_review_after_hearing(
            self.get_object(), actor=request.user, opinion=data["opinion"]))

    @_step(DiscussionInput)
    @action(detail=True, methods=["post"], url_path="collective-discussion")
    def collective_discussion(self, request: Request, pk: str) -> Response:
        data = _body(DiscussionInput, request)
        case = self.get_object()
        step = (services.discussion_after_hearing if case.status == Case.Status.HEARING
                else services.record_collective_discussion)
        return self._detail(step(case, actor=request.user,
                                 participants=[dict(p) for p in data["participants"]],
                                 conclusion=data["conclusion"]))

    @_step(NoticeInput)
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: str) -> Response:
        data = _body(NoticeInput, request)
        return self._detail(services.notify_party(
            self.get_object(), actor=request.user, facts=data["facts"],
            penalties=[dict(p) for p in data["penalties"]]))

    @_step(StatementInput)
    @action(detail=True, methods=["post"])
    def statement(self, request: Request, pk: str) -> Response:
        data = _body(StatementInput, request)
        return self._detail(services.record_statement(self.get_object(), actor=request.user,
                                                      **data))

    @_step(None)
    @action(detail=True, methods=["post"], url_path="request-hearing")
    def request_hearing(self, request: Request, pk: str) -> Response:
        return self._detail(services.request_hearing(self.get_object(), actor=request.user))

    @_step(ScheduleHearingInput)
    @action(detail=True, methods=["post"], url_path="schedule-hearing")
    def schedule_hearing(self, request: Request, pk: str) -> Response:
        data = _body(ScheduleHearingInput, request)
        presider = _visible_user(request.user, data["presider"], "presider")
        assert presider is not None
        return self._detail(services.schedule_hearing(
            self.get_object(), actor=request.user, hearing_at=data["hearing_at"],
            presider=presider))

    @_step(HearingRecordInput)
    @action(detail=True, methods=["post"], url_path="hearing-record")
    def hearing_record(self, request: Request, pk: str) -> Response:
        data = _body(HearingRecordInput, request)
        return self._detail(services.record_hearing(
            self.get_object(), actor=request.user, record=data["record"],
            participants=[dict(p) for p in data["participants"]]))

    @_step(ExtensionInput)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        data = _body(ExtensionInput, request)
        return self._detail(services.extend_decision_period(self.get_object(),
                                                            actor=request.user, **data))

    # --- Decision and endings ---

    @_step(DecisionInput)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = _body(DecisionInput, request)
        return self._detail(services.issue_decision(
            self.get_object(), actor=request.user, basis=data["basis"],
            penalties=[dict(p) for p in data["penalties"]]))

    @_step(SummaryDecisionInput)
    @action(detail=True, methods=["post"], url_path="summary-decision")
    def summary_decision(self, request: Request, pk: str) -> Response:
        data = _body(SummaryDecisionInput, request)
        case = self.get_object()
        party = case.parties.filter(pk=data.pop("party")).first()
        if party is None:
            raise InvalidInput("当事人不属于本案。", "The party is not one of the case's.",
                               fields={"party": ["当事人不属于本案。"]})
        return self._detail(services.summary_procedure_decision(case, actor=request.user,
                                                               party=party, **data))

    @_step(NoteInput)
    @action(detail=True, methods=["post"], url_path="start-execution")
    def start_execution(self, request: Request, pk: str) -> Response:
        data = _body(NoteInput, request)
        return self._detail(services.start_execution(self.get_object(), actor=request.user,
                                                     note=data["note"]))

    @_step(NoteInput)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = _body(NoteInput, request)
        return self._detail(services.close_case(self.get_object(), actor=request.user,
                                                note=data["note"] or "执行完毕"))

    @_step(NoPenaltyInput)
    @action(detail=True, methods=["post"], url_path="no-penalty")
    def no_penalty(self, request: Request, pk: str) -> Response:
        data = _body(NoPenaltyInput, request)
        return self._detail(services.no_penalty(self.get_object(), actor=request.user, **data))

    @_step(CaseReasonSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str) -> Response:
        data = _body(CaseReasonSerializer, request)
        return self._detail(services.terminate(self.get_object(), actor=request.user,
                                               reason=data["reason"]))

    @_step(CaseReasonSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        data = _body(CaseReasonSerializer, request)
        return self._detail(services.revoke(self.get_object(), actor=request.user,
                                            reason=data["reason"]))


class DecisionFilter(django_filters.FilterSet):
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

    @_step(ServiceInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def serve(self, request: Request, pk: str) -> Response:
        data = _body(ServiceInput, request)
        return self._detail(services.record_service(self.get_object(), actor=request.user,
                                                    **data))

    @_step(PaymentInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        data = _body(PaymentInput, request)
        return self._detail(services.record_payment(self.get_object(), actor=request.user,
                                                    **data))

    @_step(DeferralInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def defer(self, request: Request, pk: str) -> Response:
        data = _body(DeferralInput, request)
        return self._detail(services.approve_deferral(
            self.get_object(), actor=request.user, until=data["until"], reason=data["reason"],
            instalments=[dict(i) for i in data["instalments"]]))

    @_step(None, DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="flag-overdue")
    def flag_overdue(self, request: Request, pk: str) -> Response:
        return self._detail(services.flag_overdue(self.get_object(), actor=request.user))

    @_step(NoteInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def demand(self, request: Request, pk: str) -> Response:
        data = _body(NoteInput, request)
        return self._detail(services.send_payment_demand(self.get_object(), actor=request.user,
                                                         note=data["note"]))

    @_step(NoteInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def court(self, request: Request, pk: str) -> Response:
        data = _body(NoteInput, request)
        return self._detail(services.apply_to_court(self.get_object(), actor=request.user,
                                                    note=data["note"]))

    @_step(NoteInput, DecisionSerializer)
    @action(detail=True, methods=["post"])
    def enforced(self, request: Request, pk: str) -> Response:
        data = _body(NoteInput, request)
        return self._detail(services.record_court_enforcement(
            self.get_object(), actor=request.user, note=data["note"]))

    @_step(DecisionChangeInput, DecisionChangeSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: str) -> Response:
        """The legal reviewer records the outcome of 行政复议 / 行政诉讼 or the
        authority's own correction (维持 takes effect at once)."""
        data = _body(DecisionChangeInput, request)
        return Response(DecisionChangeSerializer(services.record_decision_change(
            self.get_object(), actor=request.user, **data)).data)

    @_step(DecisionChangeOpinionInput, DecisionChangeSerializer)
    @action(detail=True, methods=["post"], url_path="approve-change")
    def approve_change(self, request: Request, pk: str) -> Response:
        """The head approves the recorded change: it takes effect."""
        data = _body(DecisionChangeOpinionInput, request)
        return Response(DecisionChangeSerializer(services.approve_decision_change(
            self.get_object(), actor=request.user, opinion=data["opinion"])).data)

    @_step(CaseReasonSerializer, DecisionChangeSerializer)
    @action(detail=True, methods=["post"], url_path="reject-change")
    def reject_change(self, request: Request, pk: str) -> Response:
        """The head refuses the recorded change: nothing changes."""
        data = _body(CaseReasonSerializer, request)
        return Response(DecisionChangeSerializer(services.reject_decision_change(
            self.get_object(), actor=request.user, reason=data["reason"])).data)
