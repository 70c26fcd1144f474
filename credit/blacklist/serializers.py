"""Serializers of the blacklist API: staff entries, step inputs, the partner query and
the public list (current entries only, with what the rule lets the public see)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from hangzhou_safety.api.fields import StrictBooleanField

from . import rules
from .models import BlacklistEntry, Restriction


class RestrictionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Restriction
        fields = ["kind", "kind_display", "note"]
        read_only_fields = fields


class BlacklistEntrySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    ground_text = serializers.SerializerMethodField()
    ground_article = serializers.SerializerMethodField()
    objection_due = serializers.DateField(source="objection_clock.due_date", read_only=True,
                                          allow_null=True, default=None)
    restrictions = RestrictionSerializer(many=True, read_only=True)
    detected = serializers.SerializerMethodField()

    class Meta:
        model = BlacklistEntry
        fields = ["id", "status", "status_display", "enterprise", "enterprise_name", "uscc",
                  "authority", "authority_name", "decision", "ground", "ground_text",
                  "ground_article", "service_body", "principal_name", "reasons",
                  "proposed_at", "notified_at", "objection_due", "objection_text",
                  "objection_answer", "decided_on", "decision_number", "term_ends_on",
                  "removal_eligible_on", "removal_application", "removed_on",
                  "removal_reason", "restrictions", "proposed_by", "detected", "updated_at"]
        read_only_fields = fields

    def get_detected(self, obj: BlacklistEntry) -> bool:
        """Proposed by the system's detection (令11号 发生事故（二）), not by a person."""
        return obj.proposed_by_id is None

    def get_ground_text(self, obj: BlacklistEntry) -> str:
        return rules.GROUNDS_BY_CODE[obj.ground].text

    def get_ground_article(self, obj: BlacklistEntry) -> str:
        return rules.GROUNDS_BY_CODE[obj.ground].article


class BlacklistProposeInput(serializers.Serializer):
    decision = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    ground = serializers.ChoiceField(choices=[g.code for g in rules.GROUNDS])
    reasons = serializers.CharField(max_length=4000)
    service_body = StrictBooleanField(required=False, default=False)
    principal_name = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                           default="")


class BlacklistTextInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class BlacklistDecideInput(serializers.Serializer):
    decision_number = serializers.CharField(max_length=64)


class PartnerEntrySerializer(serializers.Serializer):
    ground = serializers.CharField()
    article = serializers.CharField()
    decision_number = serializers.CharField()
    authority = serializers.CharField()
    decided_on = serializers.CharField()
    term_ends_on = serializers.CharField()
    restrictions = serializers.ListField(child=serializers.CharField())


class RestrictionAnswerSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    restricted = serializers.BooleanField()
    on = serializers.CharField()
    entries = PartnerEntrySerializer(many=True)


class PublicBlacklistSerializer(serializers.Serializer):
    """What the public sees of a current entry: the unit, the ground and its article,
    the deciding authority, the dates. No principal's name: 令11号 lists the principal
    with the unit, but the text in docs/laws is an excerpt, so publishing a person's
    name waits until its wording is checked."""

    id = serializers.IntegerField()
    enterprise_name = serializers.CharField(source="enterprise.name")
    uscc = serializers.CharField(source="enterprise.uscc")
    ground = serializers.SerializerMethodField()
    article = serializers.SerializerMethodField()
    authority = serializers.CharField(source="authority.name")
    decision_number = serializers.CharField()
    decided_on = serializers.DateField()
    term_ends_on = serializers.DateField()

    def get_ground(self, obj: Any) -> str:
        return rules.GROUNDS_BY_CODE[obj.ground].text

    def get_article(self, obj: Any) -> str:
        return rules.GROUNDS_BY_CODE[obj.ground].article
