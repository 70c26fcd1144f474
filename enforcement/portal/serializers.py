"""Serializers of the public decisions API: public columns only (never the original
text, the masks, the reviewer or any internal id but the disclosure's own)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from enforcement.disclosure.models import Disclosure
from enforcement.disclosure.rules import DecisionType

from .selectors import district_name


class PublicDecisionSerializer(serializers.ModelSerializer):
    decision_type = serializers.ChoiceField(choices=DecisionType.choices, read_only=True)
    decision_type_label = serializers.CharField(source="get_decision_type_display",
                                                read_only=True)
    district = serializers.CharField(source="district_code", read_only=True,
                                     allow_blank=True)
    district_name = serializers.SerializerMethodField()
    authority = serializers.CharField(source="authority.name", read_only=True)
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Disclosure
        fields = ["id", "document_number", "party_name", "violation", "decision_type",
                  "decision_type_label", "district", "district_name", "authority",
                  "decided_on", "published_at", "publication_ends_on", "version", "url",
                  "pdf_url"]
        read_only_fields = fields

    def get_district_name(self, row: Disclosure) -> str:
        return district_name(row.district_code)

    def get_url(self, row: Disclosure) -> str:
        return reverse("enforcement:public_decision", args=[row.pk])

    def get_pdf_url(self, row: Disclosure) -> str:
        return reverse("enforcement:public_decision_pdf", args=[row.pk])


class PublicDecisionDetailSerializer(PublicDecisionSerializer):
    """One decision with its masked public text (the reviewed version)."""

    class Meta(PublicDecisionSerializer.Meta):
        fields = [*PublicDecisionSerializer.Meta.fields, "public_text"]
        read_only_fields = fields


def export_row(row: Any) -> dict[str, Any]:
    """One row of the open-data export (docs/open-data.md), from ``export_values``."""
    return {
        "id": row["id"],
        "url": reverse("enforcement:public_decision", args=[row["id"]]),
        "document_number": row["document_number"],
        "party_name": row["party_name"],
        "violation": row["violation"],
        "decision_type": row["decision_type"],
        "decision_type_label": str(DecisionType(row["decision_type"]).label),
        "district": row["district_code"],
        "district_name": district_name(row["district_code"]),
        "authority": row["authority__name"],
        "decided_on": row["decided_on"].isoformat(),
        "published_at": row["published_at"].isoformat() if row["published_at"] else "",
        "publication_ends_on": (row["publication_ends_on"].isoformat()
                                if row["publication_ends_on"] else ""),
        "version": row["version"],
        "public_text": row["public_text"],
    }


EXPORT_FIELDS = ("id", "url", "document_number", "party_name", "violation", "decision_type",
                 "decision_type_label", "district", "district_name", "authority",
                 "decided_on", "published_at", "publication_ends_on", "version",
                 "public_text")
