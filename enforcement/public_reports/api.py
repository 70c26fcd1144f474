"""Public 12350 API (no login, throttled per client; API.md "Public, no login"):

- ``GET /api/v1/public/reports/challenge/`` the question an anonymous submission answers;
- ``GET /api/v1/public/reports/enterprises/?q=`` registry names for the form;
- ``POST /api/v1/public/reports/`` a report → tracking number, query code, deadline;
- ``GET /api/v1/public/reports/<tracking_no>/?code=`` its progress.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hangzhou_safety.api.steps import ERROR
from hangzhou_safety.boundary.parsers import SafeJSONParser
from hangzhou_safety.boundary.throttling import AnonClientRateThrottle, PublicReportRateThrottle

from . import challenge, services
from .serializers import (
    ChallengeSerializer,
    RegistryMatchSerializer,
    ReportProgressSerializer,
    ReportSubmitSerializer,
    ReportSubmittedSerializer,
)


class PublicReportCreateView(APIView):
    """A 12350 report from anyone (anonymous: answer the challenge; named: name and phone)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PublicReportRateThrottle]
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]

    @extend_schema(request={"application/json": ReportSubmitSerializer,
                            "multipart/form-data": ReportSubmitSerializer},
                   responses={201: ReportSubmittedSerializer, 400: ERROR, 429: ERROR})
    def post(self, request: Request) -> Response:
        body = ReportSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        photos = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        done = services.submit_report(
            category=data["category"], topic=data.get("topic") or "",
            place_code=data["place"], address=data.get("address", ""),
            enterprise_id=data.get("enterprise"),
            enterprise_name=data.get("enterprise_name", ""),
            description=data["description"], anonymous=data["anonymous"],
            name=data.get("name", ""), phone=data.get("phone", ""),
            id_number=data.get("id_number", ""), photos=photos,
            challenge_token=data.get("challenge_token", ""),
            challenge_answer=data.get("challenge_answer", ""))
        return Response({"tracking_no": done.report.tracking_no,
                         "query_code": done.query_code,
                         "deadline": done.deadline.due,
                         "provisional": done.deadline.provisional},
                        status=status.HTTP_201_CREATED)


class PublicReportChallengeView(APIView):
    """A fresh arithmetic question and its signed token (stateless, no outside service)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AnonClientRateThrottle]

    @extend_schema(responses={200: ChallengeSerializer})
    def get(self, request: Request) -> Response:
        issued = challenge.issue()
        return Response({"question": issued.question, "token": issued.token})


class PublicReportEnterprisesView(APIView):
    """Registry names matching ``q`` (2+ characters) for the form's enterprise field."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AnonClientRateThrottle]

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True,
                                                description="名称或代码 / name or code")],
                   responses={200: RegistryMatchSerializer(many=True), 429: ERROR})
    def get(self, request: Request) -> Response:
        rows = services.search_registry(request.query_params.get("q", ""))
        return Response(RegistryMatchSerializer(rows, many=True).data)


class PublicReportProgressView(APIView):
    """The progress of one report for whoever holds its tracking number and query code."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AnonClientRateThrottle]

    @extend_schema(parameters=[OpenApiParameter("code", str, required=True,
                                                description="查询码 / query code")],
                   responses={200: ReportProgressSerializer, 404: ERROR, 429: ERROR})
    def get(self, request: Request, tracking_no: str) -> Response:
        report = services.find_for_reporter(tracking_no, request.query_params.get("code", ""))
        if report is None:
            return Response({"code": "not_found", "detail": "举报编号或查询码不正确。",
                             "detail_en": "Unknown tracking number or wrong query code."},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(ReportProgressSerializer(services.progress(report)).data)
