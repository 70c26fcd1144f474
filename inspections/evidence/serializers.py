"""Serializers of evidence, recorder footage and signatures (API v1)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from hangzhou_safety.documents.models import IssuedDocument
from inspections.evidence.models import Evidence, RecorderFootage, Signature, SignatureRefusal


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    preview_url = serializers.SerializerMethodField()
    thumb_url = serializers.SerializerMethodField()
    original_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "inspection", "hazard", "item", "kind", "original_name",
                  "content_type", "size", "sha256", "width", "height", "client_id",
                  "uploaded_by", "uploaded_at", "preview_url", "thumb_url", "original_url"]
        read_only_fields = fields

    def get_preview_url(self, obj: Evidence) -> str | None:
        return reverse("inspections:evidence_preview", args=[obj.pk]) if obj.preview_path \
            else None

    def get_thumb_url(self, obj: Evidence) -> str | None:
        return reverse("inspections:evidence_thumb", args=[obj.pk]) if obj.thumb_path \
            else None

    def get_original_url(self, obj: Evidence) -> str:
        return reverse("inspections:evidence_original", args=[obj.pk])


class EvidenceUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(error_messages={"required": "请选择要上传的文件。"})
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices,
                                   error_messages={"invalid_choice": "证据类型无效。"})
    hazard = serializers.IntegerField(required=False, allow_null=True)
    item = serializers.IntegerField(required=False, allow_null=True)
    client_id = serializers.UUIDField(required=False, allow_null=True,
                                      error_messages={"invalid": "提交编号无效。"})


class FootageSerializer(serializers.ModelSerializer[RecorderFootage]):
    class Meta:
        model = RecorderFootage
        fields = ["id", "inspection", "device_id", "file_reference", "started_at",
                  "ended_at", "recorded_by"]
        read_only_fields = ["id", "inspection", "recorded_by"]


class SignatureSerializer(serializers.ModelSerializer[Signature]):
    class Meta:
        model = Signature
        fields = ["id", "inspection", "document", "signer_role", "signer_name", "user",
                  "recorded_by", "sha256", "signed_at"]
        read_only_fields = fields


class SignatureInputSerializer(serializers.Serializer[Any]):
    document = serializers.ChoiceField(choices=Signature.Document.choices)
    signer_role = serializers.ChoiceField(choices=Signature.Role.choices)
    # An inspector signs as themself (the name may be left out); the enterprise's
    # representative is named here.
    signer_name = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                        default="")
    # base64 PNG, with or without the data-URL prefix.
    image = serializers.CharField()


class SignatureRefusalSerializer(serializers.ModelSerializer[SignatureRefusal]):
    class Meta:
        model = SignatureRefusal
        fields = ["id", "inspection", "document", "refused_by", "circumstances",
                  "recorded_by", "recorded_at"]
        read_only_fields = fields


class SignatureRefusalInputSerializer(serializers.Serializer[Any]):
    document = serializers.ChoiceField(choices=Signature.Document.choices)
    refused_by = serializers.CharField(max_length=64)
    circumstances = serializers.CharField(max_length=2000)


class PublicInspectorSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    certificate_number = serializers.CharField()
    certificate_valid_until = serializers.DateField(allow_null=True)
    certificate_valid = serializers.BooleanField()


class PublicPartnerSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    department = serializers.CharField()
    certificate_number = serializers.CharField()


class PublicProgressSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    status_label = serializers.CharField()
    count = serializers.IntegerField()


class PublicHazardSerializer(serializers.Serializer[Any]):
    description = serializers.CharField()
    legal_basis = serializers.CharField()
    is_major = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class PublicVerificationSerializer(serializers.Serializer[Any]):
    verification_code = serializers.CharField()
    enterprise = serializers.CharField()
    authority = serializers.CharField()
    date = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    inspectors = PublicInspectorSerializer(many=True)
    partner_officers = PublicPartnerSerializer(many=True)
    legal_basis = serializers.ListField(child=serializers.CharField())
    progress = PublicProgressSerializer(many=True)
    hazard_count = serializers.IntegerField()
    hazards = PublicHazardSerializer(many=True)


class IssuedDocumentSerializer(serializers.ModelSerializer[IssuedDocument]):
    """An issued document of the loop; ``pdf_url`` downloads it."""

    type = serializers.CharField(source="doc_type_id", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = ["id", "type", "number", "title", "status", "year", "serial", "sequence",
                  "sha256", "issued_at", "corrects", "pdf_url"]
        read_only_fields = fields

    def get_pdf_url(self, obj: IssuedDocument) -> str:
        return reverse("v1:inspection-document-pdf", args=[obj.object_id, obj.pk])


class IssueDocumentSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["检记", "责改", "复查"])
