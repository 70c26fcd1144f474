from __future__ import annotations

from rest_framework import serializers

from .models import Authority, Jurisdiction, User


class JurisdictionSerializer(serializers.ModelSerializer):
    parent: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment]
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Jurisdiction
        fields = ["id", "code", "name", "kind", "kind_display", "parent", "path"]


class AuthorityBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Authority
        fields = ["id", "code", "name", "kind"]


class AuthoritySerializer(serializers.ModelSerializer):
    jurisdiction = JurisdictionSerializer(read_only=True)
    parent: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment]

    class Meta:
        model = Authority
        fields = ["id", "code", "name", "short_name", "kind", "department", "jurisdiction",
                  "parent", "enforces_safety"]


class UserSerializer(serializers.ModelSerializer):
    authority = AuthorityBriefSerializer(read_only=True)
    certificate_valid = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "authority", "certificate_number",
                  "certificate_valid_until", "certificate_valid", "professionally_qualified",
                  "legal_qualification", "is_active"]

    def get_certificate_valid(self, obj: User) -> bool:
        return obj.certificate_valid_on()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField()
