"""API of the key-supervision list.

GET /api/v1/key-supervision/?year=YYYY answers one page: {"year", "next", "results"},
newest enterprise first; ``next`` carries ``before=<enterprise id>`` (keyset, no
COUNT). The list is computed from the registry and hidden dangers, not stored.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.api.permissions import roles_allowed
from inspections.key_supervision.serializers import (
    KeyEnterpriseSerializer,
    KeySupervisionPageSerializer,
)
from inspections.key_supervision.services import PAGE_SIZE, key_supervision_page

ReadPermission = roles_allowed(*Role.values)
MAX_PAGE_SIZE = 200


def _int_param(request: Request, name: str, low: int, high: int, label: str) -> int | None:
    raw = request.query_params.get(name, "")
    if raw == "":
        return None
    if not (raw.isdigit() and low <= int(raw) <= high):
        raise InvalidInput(f"{label}无效。", f"Invalid {name}.", fields={name: [f"{label}无效。"]})
    return int(raw)


class KeySupervisionView(APIView):
    """重点监管名单: enterprises to inspect at least 4 times in the year, with reasons."""

    permission_classes = [ReadPermission]

    @extend_schema(parameters=[
        OpenApiParameter("year", int, description="年度（默认今年）"),
        OpenApiParameter("before", int, description="上一页最后一家单位的 id（翻页）"),
        OpenApiParameter("page_size", int, description=f"每页条数（默认 {PAGE_SIZE}，"
                                                       f"最多 {MAX_PAGE_SIZE}）"),
    ], responses=KeySupervisionPageSerializer)
    def get(self, request: Request) -> Response:
        year = _int_param(request, "year", 2000, 2100, "年度") or timezone.localdate().year
        before = _int_param(request, "before", 1, 2**63 - 1, "翻页参数")
        size = _int_param(request, "page_size", 1, MAX_PAGE_SIZE, "每页条数") or PAGE_SIZE
        user: Any = request.user
        page = key_supervision_page(user, year, before=before, size=size)
        next_url = (replace_query_param(request.build_absolute_uri(), "before",
                                        page.next_before)
                    if page.next_before is not None else None)
        return Response({"year": year, "next": next_url,
                         "results": KeyEnterpriseSerializer(page.rows, many=True).data})
