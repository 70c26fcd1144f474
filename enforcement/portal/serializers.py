"""Serializers of the public decisions API: public columns only (never the original
text, the masks, the reviewer or any internal id but the disclosure's own)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from rest_framework import serializers

from enforcement.disclosure.models import Disclosure
from enforcement.disclosure.rules import DecisionType

from .selectors import district_name

_DATETIME = serializers.DateTimeField()


@lru_cache(maxsize=1)
def _paths() -> tuple[str, str]:
    """The page and PDF paths of a decision, as templates (resolved once per process:
    a list answers 20 rows per request, and two reverse() calls per row cost more
    than the query)."""
    page = reverse("enforcement:public_decision", args=[2**31])
    pdf = reverse("enforcement:public_decision_pdf", args=[2**31])
    return page.replace(str(2**31), "{}"), pdf.replace(str(2**31), "{}")


@lru_cache(maxsize=8)
def _type_labels(language: str | None) -> dict[str, str]:
    """Decision type labels in ``language`` (``get_FOO_display`` hashes every lazy
    choice label per row: 2 ms a page)."""
    return {value: str(label) for value, label in DecisionType.choices}


class PublicDecisionSerializer(serializers.Serializer):
    """A published decision's public columns. The fields below are the contract (and
    the schema); ``to_representation`` builds the same dict directly, because DRF's
    per-field machinery (attribute lookup, callable inspection) cost several times the
    query on a list page."""

    id = serializers.IntegerField(read_only=True)
    document_number = serializers.CharField(read_only=True, allow_blank=True)
    party_name = serializers.CharField(read_only=True)
    violation = serializers.CharField(read_only=True, allow_blank=True)
    decision_type = serializers.ChoiceField(choices=DecisionType.choices, read_only=True)
    decision_type_label = serializers.CharField(read_only=True)
    district = serializers.CharField(read_only=True, allow_blank=True)
    district_name = serializers.CharField(read_only=True, allow_blank=True)
    authority = serializers.CharField(read_only=True)
    decided_on = serializers.DateField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    publication_ends_on = serializers.DateField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True)
    pdf_url = serializers.CharField(read_only=True)

    def to_representation(self, row: Disclosure) -> dict[str, Any]:
        page, pdf = _paths()
        return {
            "id": row.pk, "document_number": row.document_number,
            "party_name": row.party_name, "violation": row.violation,
            "decision_type": row.decision_type,
            "decision_type_label": _type_labels(get_language())[row.decision_type],
            "district": row.district_code, "district_name": district_name(row.district_code),
            "authority": row.authority.name, "decided_on": row.decided_on.isoformat(),
            "published_at": (_DATETIME.to_representation(row.published_at)
                             if row.published_at else None),
            "publication_ends_on": (row.publication_ends_on.isoformat()
                                    if row.publication_ends_on else None),
            "version": row.version, "url": page.format(row.pk), "pdf_url": pdf.format(row.pk),
        }


class PublicDecisionDetailSerializer(PublicDecisionSerializer):
    """One decision with its masked public text (the reviewed version)."""

    public_text = serializers.CharField(read_only=True)

    def to_representation(self, row: Disclosure) -> dict[str, Any]:
        return {**super().to_representation(row), "public_text": row.public_text}


def export_row(row: Any) -> dict[str, Any]:
    """One row of the open-data export (docs/open-data.md), from ``export_values``."""
    return {
        "id": row["id"],
        "url": _paths()[0].format(row["id"]),
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
