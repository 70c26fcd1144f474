"""Response shapes of the calendar API (also what the OpenAPI schema shows)."""

from __future__ import annotations

from rest_framework import serializers

from .models import SpecialDay


class DeadlineAnswerSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="起算日（不计入）")
    days = serializers.IntegerField(help_text="期限天数")
    kind = serializers.ChoiceField(choices=["working", "calendar"],
                                   help_text="working：工作日；calendar：自然日")
    due = serializers.DateField(help_text="届满日")
    provisional = serializers.BooleanField(
        help_text="为 true 时期限跨入尚未发布放假安排的年度，按周末临时计算")


class SpecialDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecialDay
        fields = ["date", "kind", "name"]


class CalendarYearDaysSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    published = serializers.BooleanField()
    days = SpecialDaySerializer(many=True)
