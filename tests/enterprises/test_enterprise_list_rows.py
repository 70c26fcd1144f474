"""The registry list read from .values() gives exactly what EnterpriseListSerializer gives."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from enterprises.api import LIST_ROWS
from enterprises.models import Enterprise, RiskLevel, Sector
from enterprises.serializers import EnterpriseListSerializer
from hangzhou_safety.api.rows import ValuesRows
from tests.enterprises.test_enterprise_api import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.deactivate()


def test_same_json_as_the_serializer_in_each_language(api_as, xihu_inspector):
    plain = make_enterprise("值列表一致测试企业甲", 911, sector=Sector.HAZARDOUS_CHEMICALS)
    assessed = make_enterprise("值列表一致测试企业乙", 912)
    Enterprise.objects.filter(pk=assessed.pk).update(
        risk_level=RiskLevel.RED, risk_score=87, status=Enterprise.Status.SUSPENDED)
    no_code = make_enterprise("值列表一致测试个体户", 913, uscc=None,
                              operator_id_number="33010619900101123X")
    # Without a supervisor (the nullable relation reads null, as DRF gives).
    Enterprise.objects.filter(pk=no_code.pk).update(supervising_authority=None)
    ids = [plain.pk, assessed.pk, no_code.pk]
    client = api_as(xihu_inspector)
    for language in ("zh-hans", "en"):
        response = client.get("/api/v1/enterprises/", {"search": "值列表一致测试"},
                              HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        rows = response.json()["results"]
        assert sorted(r["id"] for r in rows) == sorted(ids)
        instances = (Enterprise.objects.filter(pk__in=ids)
                     .select_related("location__parent", "supervising_authority")
                     .order_by("-id"))
        with translation.override(language):
            expected = json.loads(JSONRenderer().render(
                EnterpriseListSerializer(instances, many=True).data))
        assert rows == expected, language
    shown = {r["id"]: r for r in rows}
    assert shown[no_code.pk]["supervising_authority"] is None
    assert shown[no_code.pk]["identifier"] == no_code.identifier
    assert shown[assessed.pk]["risk_level_display"] == str(RiskLevel.RED.label)


def test_the_columns_are_what_the_serializer_reads():
    assert set(LIST_ROWS.columns) >= {"id", "name", "uscc", "location__parent__code",
                                      "supervising_authority__name", "updated_at"}
    assert "operator_id_number" not in LIST_ROWS.columns  # never in a list row


def test_a_field_it_cannot_read_is_refused_not_dropped():
    class WithMethod(serializers.ModelSerializer):
        extra = serializers.SerializerMethodField()

        class Meta:
            model = Enterprise
            fields = ["id", "extra"]

    with pytest.raises(ImproperlyConfigured, match="extra"):
        _ = ValuesRows(WithMethod).columns
