"""API of the key-supervision list."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.permissions import roles_allowed
from inspections.key_supervision.serializers import KeyEnterpriseSerializer
from inspections.key_supervision.services import key_supervision_list

ReadPermission = roles_allowed(*Role.values)


class KeySupervisionView(APIView):
    """重点监管名单: enterprises to inspect at least 4 times in the year, with reasons."""

    permission_classes = [ReadPermission]

    @extend_schema(parameters=[OpenApiParameter("year", int, description="年度（默认今年）")],
                   responses=KeyEnterpriseSerializer(many=True))
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year", "")
        if raw == "":
            year = timezone.localdate().year
        elif raw.isdigit() and 2000 <= int(raw) <= 2100:
            year = int(raw)
        else:
            raise InvalidInput("年度无效。", "Invalid year.", fields={"year": ["年度无效。"]})
        user: Any = request.user
        rows = key_supervision_list(user, year)
        return Response({"year": year, "count": len(rows),
                         "results": KeyEnterpriseSerializer(rows, many=True).data})

