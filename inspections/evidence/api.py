"""API of evidence uploads, recorder footage, signatures and public verification.

A mobile terminal uses the same endpoints as the pages: the services in
inspections.evidence and inspections.signatures do every check.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.pagination import IdCursorPagination
from hangzhou_safety.api.permissions import ALL_ROLES, roles_allowed
from hangzhou_safety.boundary.parsers import SafeJSONParser
from inspections.evidence import documents as loop_documents
from inspections.evidence import refusals
from inspections.evidence import services as evidence_services
from inspections.evidence import signatures as signature_services
from inspections.evidence.models import Evidence
from inspections.evidence.serializers import (
    EvidenceSerializer,
    EvidenceUploadSerializer,
    FootageSerializer,
    IssuedDocumentSerializer,
    IssueDocumentSerializer,
    PublicVerificationSerializer,
    SignatureInputSerializer,
    SignatureRefusalInputSerializer,
    SignatureRefusalSerializer,
    SignatureSerializer,
)
from inspections.loop.models import Hazard, Inspection, InspectionItem
from inspections.loop.services import FIELD_ROLES

FieldPermission = roles_allowed(*FIELD_ROLES, read_roles=ALL_ROLES)


def _inspection(request: Request, pk: int) -> Inspection:
    return get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)


def _valid(serializer: Any) -> dict[str, Any]:
    if not serializer.is_valid():
        errors = {k: [str(m) for m in v] if isinstance(v, list) else [str(v)]
                  for k, v in serializer.errors.items()}
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, "Invalid input.", fields=errors)
    data: dict[str, Any] = serializer.validated_data
    return data


class EvidenceListCreateView(APIView):
    permission_classes = [FieldPermission]
    parser_classes = [MultiPartParser, FormParser]
    # Read by the schema generator, which then documents GET as the cursor page it is.
    pagination_class = IdCursorPagination

    @extend_schema(responses=EvidenceSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        """Cursor-paginated, newest first (``?cursor=``, ``?page_size=``)."""
        inspection = _inspection(request, pk)
        paginator = IdCursorPagination()
        rows = paginator.paginate_queryset(Evidence.objects.filter(inspection=inspection),
                                           request, view=self)
        return paginator.get_paginated_response(EvidenceSerializer(rows, many=True).data)

    @extend_schema(request=EvidenceUploadSerializer,
                   responses={200: EvidenceSerializer, 201: EvidenceSerializer})
    def post(self, request: Request, pk: int) -> Response:
        inspection = _inspection(request, pk)
        data = _valid(EvidenceUploadSerializer(data=request.data))
        hazard = item = None
        if data.get("hazard"):
            hazard = Hazard.objects.filter(inspection=inspection, pk=data["hazard"]).first()
            if hazard is None:
                raise InvalidInput("隐患不属于本次检查。", "Unknown hazard.",
                                   fields={"hazard": ["隐患不属于本次检查。"]})
        if data.get("item"):
            item = InspectionItem.objects.filter(inspection=inspection,
                                                 pk=data["item"]).first()
            if item is None:
                raise InvalidInput("检查项不属于本次检查。", "Unknown item.",
                                   fields={"item": ["检查项不属于本次检查。"]})
        client_id = data.get("client_id")
        existed = client_id is not None and Evidence.objects.filter(
            client_id=client_id).exists()
        row = evidence_services.store_evidence(
            inspection, actor=request.user, uploaded_file=data["file"], kind=data["kind"],
            hazard=hazard, item=item, client_id=client_id)
        return Response(EvidenceSerializer(row).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class FootageCreateView(APIView):
    permission_classes = [FieldPermission]

    @extend_schema(request=FootageSerializer, responses={201: FootageSerializer})
    def post(self, request: Request, pk: int) -> Response:
        inspection = _inspection(request, pk)
        data = _valid(FootageSerializer(data=request.data))
        row = evidence_services.add_recorder_footage(
            inspection, actor=request.user, device_id=data["device_id"],
            file_reference=data["file_reference"], started_at=data["started_at"],
            ended_at=data["ended_at"])
        return Response(FootageSerializer(row).data, status=status.HTTP_201_CREATED)


class SignatureCreateView(APIView):
    permission_classes = [FieldPermission]
    # The boundary's JSON parser (depth limit, control characters), as everywhere.
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]

    @extend_schema(request=SignatureInputSerializer, responses={201: SignatureSerializer})
    def post(self, request: Request, pk: int) -> Response:
        inspection = _inspection(request, pk)
        data = _valid(SignatureInputSerializer(data=request.data))
        image = data["image"].strip()
        if not image.startswith("data:"):
            image = "data:image/png;base64," + image
        row = signature_services.sign(
            inspection, actor=request.user, document=data["document"],
            signer_role=data["signer_role"], signer_name=data["signer_name"],
            png_bytes=signature_services.decode_data_url(image))
        return Response(SignatureSerializer(row).data, status=status.HTTP_201_CREATED)


class SignatureRefusalCreateView(APIView):
    """拒绝签字 recorded from the terminal (安全生产法 第六十八条; evidence/refusals.py)."""

    permission_classes = [FieldPermission]
    parser_classes = [SafeJSONParser, FormParser]

    @extend_schema(request=SignatureRefusalInputSerializer,
                   responses={201: SignatureRefusalSerializer})
    def post(self, request: Request, pk: int) -> Response:
        inspection = _inspection(request, pk)
        data = _valid(SignatureRefusalInputSerializer(data=request.data))
        row = refusals.record_refusal(inspection, actor=request.user, **data)
        return Response(SignatureRefusalSerializer(row).data, status=status.HTTP_201_CREATED)


class PublicVerificationView(APIView):
    """Anyone holding the code: no login, nothing personal of anyone else."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses=PublicVerificationSerializer)
    def get(self, request: Request, code: str) -> Response:
        data = evidence_services.public_verification(code)
        if data is None:
            return Response({"code": "not_found", "detail": "核验码不存在。",
                             "detail_en": "Unknown verification code."},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(PublicVerificationSerializer(data).data)


class InspectionDocumentsView(APIView):
    """The loop's issued documents (GET) and issuing one (POST ``{"type": "责改"}``)."""

    permission_classes = [FieldPermission]
    parser_classes = [SafeJSONParser, FormParser]

    @extend_schema(responses=IssuedDocumentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        inspection = _inspection(request, pk)
        rows = loop_documents.inspection_documents(inspection)
        return Response(IssuedDocumentSerializer(rows, many=True).data)

    @extend_schema(request=IssueDocumentSerializer, responses=IssuedDocumentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        inspection = _inspection(request, pk)
        data = _valid(IssueDocumentSerializer(data=request.data))
        row = loop_documents.issue_inspection_document(inspection, actor=request.user,
                                                       type_code=data["type"])
        return Response(IssuedDocumentSerializer(row).data, status=status.HTTP_201_CREATED)


class InspectionDocumentPdfView(APIView):
    """The PDF exactly as issued (its SHA-256 is in the audit trail)."""

    permission_classes = [FieldPermission]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request, pk: int, doc_pk: int) -> HttpResponse:
        inspection = _inspection(request, pk)
        row = get_object_or_404(loop_documents.inspection_documents(inspection), pk=doc_pk)
        return loop_documents.pdf_response(row)


class InspectionCaseFileView(APIView):
    """The inspection's file (卷宗) as one PDF: cover, index, documents, evidence list."""

    permission_classes = [FieldPermission]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request, pk: int) -> HttpResponse:
        return loop_documents.case_file_response(_inspection(request, pk))
