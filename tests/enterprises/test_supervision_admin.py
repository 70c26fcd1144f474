"""The municipal administrator keeps enclave agreements and functional-zone mandates
in the admin (issue on legal accuracy: "an admin screen for ZoneMandate"); saving one
re-derives the supervisor of the enterprises it covers, nothing is ever deleted, and
nobody else reaches these screens."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import EnclaveAgreement, Enterprise, SupervisionChange, ZoneMandate
from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role
from tests.conftest import make_user
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db


def test_an_agreement_saved_in_the_admin_moves_the_supervisor(client, municipal_admin):
    ent = enterprise("飞地后台登记机械有限公司", 71)
    binjiang = Jurisdiction.objects.get(code="330108")
    Enterprise.objects.filter(pk=ent.pk).update(registration_jurisdiction=binjiang)
    client.force_login(municipal_admin)
    today = timezone.localdate()
    response = client.post(reverse("admin:enterprises_enclaveagreement_add"), {
        "title": "西湖区—滨江区飞地管理协议", "document_number": "西滨飞地〔2026〕7号",
        "location_district": Jurisdiction.objects.get(code="330106").pk,
        "supervising_district": binjiang.pk,
        "supervising_authority": Authority.objects.get(code="EM-330108").pk,
        "valid_from": (today - datetime.timedelta(days=1)).isoformat(), "valid_until": "",
        "enterprises": str(ent.pk), "area_codes": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    ent.refresh_from_db()
    assert ent.supervising_authority.code == "EM-330108"
    assert ent.supervision_basis == "enclave"
    change = SupervisionChange.objects.get(enterprise=ent)
    assert "西滨飞地〔2026〕7号" in change.reason


def test_an_agreement_that_breaks_the_rules_is_refused_in_chinese(client, municipal_admin):
    client.force_login(municipal_admin)
    same = Jurisdiction.objects.get(code="330106").pk
    response = client.post(reverse("admin:enterprises_enclaveagreement_add"), {
        "title": "错误协议", "document_number": "X〔2026〕1号", "location_district": same,
        "supervising_district": same,
        "supervising_authority": Authority.objects.get(code="EM-330106").pk,
        "valid_from": timezone.localdate().isoformat(), "area_codes": ""})
    assert response.status_code == 200
    assert "管理方区县须不同于所在地区县" in response.content.decode()
    assert not EnclaveAgreement.objects.exists()


def test_zone_mandates_are_kept_by_the_municipal_administrator_only(client, municipal_admin):
    zone = Authority.objects.filter(jurisdiction__code__startswith="3301").first()
    client.force_login(municipal_admin)
    add = reverse("admin:enterprises_zonemandate_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {
        "zone_authority": zone.pk, "kind": ZoneMandate.Kind.ENTRUSTMENT,
        "granted_by": "杭州市西湖区人民政府", "document_number": "西政发〔2026〕3号",
        "valid_from": timezone.localdate().isoformat(), "valid_until": ""})
    assert response.status_code == 302
    mandate = ZoneMandate.objects.get()
    delete = reverse("admin:enterprises_zonemandate_delete", args=[mandate.pk])
    assert client.get(delete).status_code == 403
    staff = make_user("p_staff_chief", Role.SECTION_CHIEF, "EM-330106", is_staff=True)
    client.force_login(staff)
    for url in (add, reverse("admin:enterprises_enclaveagreement_changelist")):
        assert client.get(url).status_code in (302, 403)
    assert ZoneMandate.objects.count() == 1
