"""API shapes of a major hidden danger's own path (supervision.py): read nested in
the hidden danger, written through /api/v1/hazards/{id}/list/, publish/, delist/,
major-reports/, resume-applications/ and resume-review/ (loop/api.py). Write shapes
only parse; the services check the role, jurisdiction, team and every rule."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspections.loop.models import (
    MajorHazardReport,
    ResumeApplication,
    SupervisionListing,
)

_REQUIRED: dict[str, Any] = {"required": "该字段为必填项。", "null": "该字段不能为空。",
                             "blank": "该字段不能为空。"}
_DATE: dict[str, Any] = {**_REQUIRED, "invalid": "日期格式应为 YYYY-MM-DD。"}
_BOOL: dict[str, Any] = {**_REQUIRED, "invalid": "应为 true 或 false。"}


# --- Read shapes (nested in the hidden danger) ---

class ListingSerializer(serializers.ModelSerializer):
    level = serializers.CharField(read_only=True, help_text="province | city | district")
    status = serializers.CharField(read_only=True, help_text="listed | delisted")

    class Meta:
        model = SupervisionListing
        fields = ["id", "notice_number", "level", "supervising_unit", "listed_by",
                  "listed_at", "status", "listing_published_on", "listing_channel",
                  "delisted_by", "delisted_at", "delisting_note", "delisting_published_on",
                  "delisting_channel"]
        read_only_fields = fields


class MajorReportSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="plan | progress")

    class Meta:
        model = MajorHazardReport
        fields = ["id", "kind", "received_on", "content", "workers_informed",
                  "registered_by", "registered_at"]
        read_only_fields = fields


class ResumeApplicationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="pending | consented | refused | withdrawn")

    class Meta:
        model = ResumeApplication
        fields = ["id", "applied_on", "self_assessment", "registered_by", "registered_at",
                  "review_due", "review_due_provisional", "status", "decided_at"]
        read_only_fields = fields


# --- Write shapes ---

class ListingWriteSerializer(serializers.Serializer):
    notice_number = serializers.CharField(max_length=64, error_messages=_REQUIRED)
    level = serializers.CharField(max_length=16, error_messages=_REQUIRED,
                                  help_text="province | city | district")
    supervising_unit = serializers.CharField(max_length=100, error_messages=_REQUIRED)


class PublicationWriteSerializer(serializers.Serializer):
    stage = serializers.CharField(max_length=16, error_messages=_REQUIRED,
                                  help_text="listing | delisting")
    published_on = serializers.DateField(error_messages=_DATE)
    channel = serializers.CharField(max_length=200, error_messages=_REQUIRED)


class DelistWriteSerializer(serializers.Serializer):
    note = serializers.CharField(error_messages=_REQUIRED)


class MajorReportWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=16, error_messages=_REQUIRED,
                                 help_text="plan | progress")
    received_on = serializers.DateField(error_messages=_DATE)
    content = serializers.CharField(max_length=4000, error_messages=_REQUIRED)
    workers_informed = serializers.BooleanField(required=False, default=False,
                                                error_messages=_BOOL)


class ResumeWriteSerializer(serializers.Serializer):
    applied_on = serializers.DateField(error_messages=_DATE)
    self_assessment = serializers.CharField(max_length=4000, error_messages=_REQUIRED)


class ResumeReviewWriteSerializer(serializers.Serializer):
    consent = serializers.BooleanField(error_messages=_BOOL)
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=4000)
