"""Calendar API: a public deadline calculator and the special days of a year (staff)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hangzhou_safety.api.errors import InvalidInput

from .arithmetic import Calendar
from .models import CalendarYear, SpecialDay
from .serializers import CalendarYearDaysSerializer, DeadlineAnswerSerializer

MAX_DAYS = 3650
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
KINDS = ("working", "calendar")


def _parse_start(raw: str | None) -> datetime.date:
    message = "开始日期格式应为 YYYY-MM-DD。"
    if raw is None or not _DATE.fullmatch(raw):
        raise InvalidInput(message, "start must be a date YYYY-MM-DD.",
                           fields={"start": [message]})
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(message, "start must be a date YYYY-MM-DD.",
                           fields={"start": [message]}) from None
    if not 1950 <= day.year <= 2200:
        message = "开始日期须在1950年至2200年之间。"
        raise InvalidInput(message, "start must lie between 1950 and 2200.",
                           fields={"start": [message]})
    return day


def _parse_int(raw: str | None, name: str, low: int, high: int, zh: str) -> int:
    message = f"{zh}应为 {low} 到 {high} 之间的整数。"
    if raw is None or not re.fullmatch(r"\d{1,5}", raw) or not low <= int(raw) <= high:
        raise InvalidInput(message, f"{name} must be an integer from {low} to {high}.",
                           fields={name: [message]})
    return int(raw)


class DeadlineView(APIView):
    """Anyone may compute a deadline (the anonymous throttle applies)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="计算期限届满日 / Compute a due date",
        description="起算日不计入；工作日期限按国务院放假安排（含调休）计算；自然日期限届满日"
                    "为节假日的，顺延至节假日后的第一个工作日。days=0 时返回起算日当天"
                    "（如非工作日则为其后第一个工作日）。",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True,
                             description="起算日 YYYY-MM-DD（不计入期限）"),
            OpenApiParameter("days", OpenApiTypes.INT, required=True,
                             description=f"期限天数，0–{MAX_DAYS}"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS), default="working",
                             description="working：工作日（默认）；calendar：自然日"),
        ],
        responses=DeadlineAnswerSerializer,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        start = _parse_start(params.get("start"))
        days = _parse_int(params.get("days"), "days", 0, MAX_DAYS, "期限天数")
        kind = params.get("kind") or "working"
        if kind not in KINDS:
            message = "期限类型应为 working（工作日）或 calendar（自然日）。"
            raise InvalidInput(message, "kind must be working or calendar.",
                               fields={"kind": [message]})
        calendar = Calendar.load(start.year)
        result = (calendar.add_working_days(start, days) if kind == "working"
                  else calendar.add_calendar_days(start, days))
        return Response(DeadlineAnswerSerializer({
            "start": start, "days": days, "kind": kind,
            "due": result.due, "provisional": result.provisional,
        }).data)


class SpecialDaysView(APIView):
    """Holidays and make-up workdays of one year (staff; default permission).

    Not paginated: a year holds a few dozen rows at most.
    """

    @extend_schema(
        summary="某年度的法定节假日和调休上班日 / Special days of a year",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT,
                                     description="年份，默认为当年")],
        responses=CalendarYearDaysSerializer,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year")
        year = (timezone.localdate().year if raw in (None, "")
                else _parse_int(raw, "year", 1950, 2200, "年份"))
        published = CalendarYear.objects.filter(year=year, published=True).exists()
        days: Any = SpecialDay.objects.filter(calendar_year_id=year).order_by("date")
        return Response(CalendarYearDaysSerializer(
            {"year": year, "published": published, "days": days}).data)
