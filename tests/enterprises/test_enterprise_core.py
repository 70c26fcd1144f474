"""Registry core: credit codes, supervisor derivation, services, Chinese search."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from stdnum.cn import uscc as uscc_lib

from enterprises.codes import mask_id_number, validate_id_number, validate_uscc
from enterprises.filters import search_enterprises
from enterprises.models import (
    EnclaveAgreement,
    Enterprise,
    LevelAssignment,
    Sector,
    SupervisionChange,
)
from enterprises.services import create_enterprise, refresh_supervisor, update_enterprise
from enterprises.supervision import derive_supervisor
from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(serial: int, district: str = "330106") -> str:
    body = f"91{district}" + "MA2" + f"{serial:05d}"[-5:] + "X"
    return body + uscc_lib.calc_check_digit(body)


def street(code: str) -> Jurisdiction:
    return Jurisdiction.objects.get(code=code)


def enterprise(name: str, serial: int, location: str = "330106002", **extra) -> Enterprise:
    ent = Enterprise(name=name, uscc=make_uscc(serial, location[:6]), location=street(location),
                     **extra)
    ent.save()
    return ent


# --- credit codes ---

@pytest.mark.parametrize("code", ["9144030071526726XG", make_uscc(1),
                                  make_uscc(99999, "330108"), "9144030071526726xg"])
def test_valid_credit_codes(code):
    validate_uscc(code)


@pytest.mark.parametrize("code, message", [
    ("9144030071526726XA", "校验位"),      # wrong check character
    ("9144030071526726X", "18 位"),        # too short
    ("914403007152672IXG", "校验位"),      # I is not in the alphabet
    ("", "18 位"),
])
def test_invalid_credit_codes(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert message in exc.value.messages[0]


def test_every_alphabet_character_as_check_digit_is_accepted_only_once():
    body = "91330106MA2B00001"
    valid = [c for c in ALPHABET if uscc_lib.is_valid(body + c)]
    assert len(valid) == 1


def test_id_number_validation_and_masking():
    validate_id_number("11010519491231002X")
    with pytest.raises(ValidationError):
        validate_id_number("110105194912310021")
    assert mask_id_number("11010519491231002X") == "110105********002X"


# --- supervisor derivation ---

def test_locality_district_bureau(reference_data):
    ent = enterprise("杭州北山机械有限公司", 1)
    derivation = refresh_supervisor(ent, reason="test")
    ent.refresh_from_db()
    assert ent.supervising_authority.code == "EM-330106"
    assert ent.supervision_basis == "locality"
    assert derivation.conflict == ""
    assert ent.supervisor_path == "330100/330106/"


def test_locality_zone_committee_wins_inside_a_zone(reference_data):
    zone = Jurisdiction.objects.get(code="330109Z01")  # 萧山经济技术开发区
    ent = Enterprise(name="开发区化工有限公司", uscc=make_uscc(2, "330109"), location=zone)
    ent.save()
    assert derive_supervisor(ent).authority.code == "ZN-330109Z01"


def test_level_assignment_overrides_locality_while_valid(reference_data):
    ent = enterprise("杭州大型制造集团有限公司", 3)
    today = timezone.localdate()
    LevelAssignment.objects.create(enterprise=ent, authority=Authority.objects.get(
        code="EM-330100"), document_number="杭应急〔2026〕1号", valid_from=today)
    refresh_supervisor(ent, reason="分级监管认定")
    ent.refresh_from_db()
    assert (ent.supervising_authority.code, ent.supervision_basis) == ("EM-330100", "level")
    expired = today - datetime.timedelta(days=1)
    LevelAssignment.objects.filter(enterprise=ent).update(valid_until=expired,
                                                          valid_from=expired)
    refresh_supervisor(ent, reason="分级监管认定到期")
    ent.refresh_from_db()
    assert ent.supervising_authority.code == "EM-330106"


def make_agreement(ent: Enterprise | None, *, valid_from, valid_until=None,
                   number="西滨飞地〔2026〕1号", to="EM-330108", here="330106", there="330108",
                   area: list[str] | None = None) -> EnclaveAgreement:
    """An agreement between 西湖区 (location) and 滨江区 (supervising side); the
    enterprise is registered in 滨江区, so the agreement is one between its two places."""
    agreement = EnclaveAgreement.objects.create(
        title="西湖区—滨江区飞地管理协议", document_number=number,
        location_district=street(here), supervising_district=street(there),
        supervising_authority=Authority.objects.get(code=to), valid_from=valid_from,
        valid_until=valid_until, area_codes=area or [])
    if ent is not None:
        Enterprise.objects.filter(pk=ent.pk).update(registration_jurisdiction=street(there))
        ent.refresh_from_db()
        agreement.enterprises.add(ent)
    return agreement


def test_active_enclave_agreement_wins_over_locality(reference_data):
    ent = enterprise("飞地精密机械有限公司", 4)
    today = timezone.localdate()
    make_agreement(ent, valid_from=today - datetime.timedelta(days=30),
                   valid_until=today + datetime.timedelta(days=30))
    refresh_supervisor(ent, reason="飞地协议生效")
    ent.refresh_from_db()
    assert (ent.supervising_authority.code, ent.supervision_basis) == ("EM-330108", "enclave")
    # The registration place (滨江区) enforces; the location's bureau (西湖区) keeps its
    # 行业安全生产管理职责 and is recorded beside it.
    assert ent.registration_authority.code == "EM-330106"
    # The 滨江区 supervisor sees the enterprise although it lies in 西湖区.
    from hangzhou_safety.accounts.models import User
    binjiang = User(username="b", role="inspector",
                    authority=Authority.objects.get(code="EM-330108"), is_active=True)
    assert Enterprise.objects.visible_to(binjiang).filter(pk=ent.pk).exists()


def test_expired_enclave_agreement_is_ignored(reference_data):
    ent = enterprise("过期飞地纺织有限公司", 5)
    today = timezone.localdate()
    make_agreement(ent, valid_from=today - datetime.timedelta(days=400),
                   valid_until=today - datetime.timedelta(days=1))
    assert derive_supervisor(ent).authority.code == "EM-330106"
    # ... but on a day within its validity it applied.
    past = derive_supervisor(ent, on=today - datetime.timedelta(days=10))
    assert past.authority.code == "EM-330108" and past.basis == "enclave"


def test_two_conflicting_agreements_are_reported_not_guessed(reference_data):
    from enterprises.services import supervision_problems

    ent = enterprise("冲突建材有限公司", 6)
    today = timezone.localdate()
    make_agreement(ent, valid_from=today, number="A〔2026〕1号", to="EM-330108")
    # The same two governments, the other side named to supervise.
    make_agreement(ent, valid_from=today, number="B〔2026〕2号", to="EM-330106",
                   here="330108", there="330106")
    Enterprise.objects.filter(pk=ent.pk).update(registration_jurisdiction=street("330108"))
    ent.refresh_from_db()
    derivation = derive_supervisor(ent)
    assert derivation.authority is None and "多个有效飞地协议" in derivation.conflict
    problems = supervision_problems()
    assert [p["enterprise"].pk for p in problems] == [ent.pk]


def test_supervisor_change_is_recorded_with_reason(reference_data, municipal_admin):
    ent = enterprise("变更记录化工有限公司", 7)
    refresh_supervisor(ent, actor=municipal_admin, reason="初始化")
    today = timezone.localdate()
    make_agreement(ent, valid_from=today)
    refresh_supervisor(ent, actor=municipal_admin, reason="飞地协议生效")
    change = SupervisionChange.objects.filter(enterprise=ent).first()
    assert change.new_authority.code == "EM-330108" and change.reason == "飞地协议生效"
    event = AuditEvent.objects.filter(action="enterprise.supervisor_changed",
                                      object_id=str(ent.pk)).last()
    assert event.old_values == {"authority": "EM-330106"}
    assert event.new_values["authority"] == "EM-330108"
    assert event.reason == "飞地协议生效"
    # Re-deriving without a change writes nothing.
    before = AuditEvent.objects.count()
    refresh_supervisor(ent, actor=municipal_admin, reason="重复")
    assert AuditEvent.objects.count() == before


# --- services ---

def test_create_enterprise_derives_supervisor_and_audits(reference_data, xihu_inspector):
    ent = create_enterprise({"name": "杭州西溪化工有限公司", "uscc": make_uscc(8).lower(),
                             "location": street("330106004"),
                             "sector": Sector.HAZARDOUS_CHEMICALS}, actor=xihu_inspector)
    assert ent.uscc == make_uscc(8)  # normalised to upper case
    assert ent.is_high_risk and ent.supervising_authority.code == "EM-330106"
    assert AuditEvent.objects.filter(action="enterprise.created", object_id=str(ent.pk),
                                     actor_id=xihu_inspector.pk).exists()


def test_create_enterprise_rejects_bad_input_without_writing(reference_data, xihu_inspector):
    with pytest.raises(InvalidInput) as exc:
        create_enterprise({"name": "坏代码有限公司", "uscc": "9144030071526726XA",
                           "location": street("330106002")}, actor=xihu_inspector)
    assert "uscc" in exc.value.fields and "校验位" in exc.value.fields["uscc"][0]
    with pytest.raises(InvalidInput) as exc:
        create_enterprise({"name": "越界有限公司", "uscc": make_uscc(9, "330108"),
                           "location": street("330108001")}, actor=xihu_inspector)
    assert "管辖范围" in exc.value.detail
    with pytest.raises(InvalidInput):
        create_enterprise({"name": "无代码个体户", "location": street("330106002")},
                          actor=xihu_inspector)
    assert not Enterprise.objects.exists()


def test_update_enterprise_records_old_and_new(reference_data, xihu_inspector):
    ent = create_enterprise({"name": "杭州转塘建材有限公司", "uscc": make_uscc(10),
                             "location": street("330106002")}, actor=xihu_inspector)
    update_enterprise(ent, {"employees": 350, "sector": Sector.BUILDING_MATERIALS},
                      actor=xihu_inspector, reason="年报更新")
    event = AuditEvent.objects.filter(action="enterprise.updated").last()
    assert event.old_values == {"employees": 0, "sector": "other"}
    assert event.new_values == {"employees": 350, "sector": "building_materials"}
    assert event.reason == "年报更新"
    with pytest.raises(InvalidInput):
        update_enterprise(ent, {"supervising_authority": None}, actor=xihu_inspector)


# --- Chinese search ---

def test_database_ctype_is_utf8():
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        assert "utf" in cursor.fetchone()[0].lower().replace("-", "")


def test_chinese_search_two_and_four_characters(reference_data):
    target = enterprise("杭州翠苑化工原料有限公司", 11)
    enterprise("杭州翠苑纺织有限公司", 12)
    enterprise("杭州北山机械制造有限公司", 13)
    qs = Enterprise.objects.all()
    assert list(search_enterprises(qs, "化工")) == [target]
    assert list(search_enterprises(qs, "化工原料")) == [target]
    assert set(search_enterprises(qs, "翠苑").values_list("name", flat=True)) == {
        "杭州翠苑化工原料有限公司", "杭州翠苑纺织有限公司"}
    assert list(search_enterprises(qs, target.uscc.lower())) == [target]
    assert list(search_enterprises(qs, "化 工")) == [target]  # stray space ignored


def test_trigram_index_serves_long_queries(reference_data):
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('化工原料')")
        assert cursor.fetchone()[0], "pg_trgm makes no trigrams: the database is not UTF-8"


# --- the registry's warning page ---

def test_reports_page_lists_problems_and_uninsured(reference_data, web_as, xihu_chief,
                                                   binjiang_inspector):
    ok = enterprise("杭州有保险化工有限公司", 601, sector=Sector.HAZARDOUS_CHEMICALS)
    bare = enterprise("杭州无保险化工有限公司", 602, sector=Sector.HAZARDOUS_CHEMICALS)
    other = enterprise("滨江无保险化工有限公司", 603, location="330108001",
                       sector=Sector.HAZARDOUS_CHEMICALS)
    for ent in (ok, bare, other):
        refresh_supervisor(ent, reason="test")
    from enterprises.models import InsurancePolicy

    today = timezone.localdate()
    InsurancePolicy.objects.create(enterprise=ok, kind="safety_liability", insurer="人保",
                                   policy_number="P-1", start_date=today,
                                   end_date=today + datetime.timedelta(days=365))
    conflicted = enterprise("冲突报表建材有限公司", 604)
    make_agreement(conflicted, valid_from=today, number="A〔2026〕9号", to="EM-330108")
    make_agreement(conflicted, valid_from=today, number="B〔2026〕9号", to="EM-330106",
                   here="330108", there="330106")
    Enterprise.objects.filter(pk=conflicted.pk).update(
        registration_jurisdiction=street("330108"))
    page = web_as(xihu_chief).get("/enterprises/reports/").content.decode()
    assert "杭州无保险化工有限公司" in page and "杭州有保险化工有限公司" not in page
    assert "滨江无保险化工有限公司" not in page  # another district's enterprise
    assert "冲突报表建材有限公司" in page and "多个有效飞地协议" in page
    assert web_as(binjiang_inspector).get("/enterprises/reports/").status_code == 403


# --- enclave rules (issue 10) ---

def test_an_agreement_counts_only_between_the_two_places_concerned(reference_data):
    from enterprises.services import supervision_problems

    ent = enterprise("注册地不符飞地有限公司", 21)
    today = timezone.localdate()
    make_agreement(ent, valid_from=today)
    # Registered in 上城区 (330102), not in the agreement's other district.
    Enterprise.objects.filter(pk=ent.pk).update(registration_jurisdiction=street("330102"))
    ent.refresh_from_db()
    derivation = derive_supervisor(ent)
    assert derivation.authority.code == "EM-330106" and derivation.basis == "locality"
    assert "两地政府" in derivation.warning
    assert any(p["enterprise"].pk == ent.pk and "两地政府" in p["problem"]
               for p in supervision_problems())


def test_the_supervisor_must_belong_to_the_supervising_side(reference_data):
    agreement = EnclaveAgreement(
        title="西湖区—滨江区飞地管理协议", document_number="X〔2026〕9号",
        location_district=street("330106"), supervising_district=street("330108"),
        supervising_authority=Authority.objects.get(code="EM-330102"),
        valid_from=timezone.localdate(), area_codes=["330108001"])
    with pytest.raises(ValidationError) as exc:
        agreement.clean()
    assert "supervising_authority" in exc.value.message_dict
    assert "area_codes" in exc.value.message_dict  # 滨江 street not in 西湖区


def test_a_district_agreement_does_not_displace_a_municipal_assignment(reference_data):
    from enterprises.services import supervision_problems

    ent = enterprise("市管飞地机械有限公司", 22)
    today = timezone.localdate()
    LevelAssignment.objects.create(enterprise=ent, authority=Authority.objects.get(
        code="EM-330100"), document_number="杭应急〔2026〕2号", valid_from=today)
    make_agreement(ent, valid_from=today)
    refresh_supervisor(ent, reason="飞地协议生效")
    ent.refresh_from_db()
    assert (ent.supervising_authority.code, ent.supervision_basis) == ("EM-330100", "level")
    problem = next(p["problem"] for p in supervision_problems() if p["enterprise"].pk == ent.pk)
    assert "不能替代市级分级监管认定" in problem


def test_an_agreement_may_cover_an_area_by_jurisdiction_codes(reference_data):
    ent = enterprise("区域飞地纺织有限公司", 23, location="330106002")
    other = enterprise("区域外纺织有限公司", 24, location="330106004")
    for e in (ent, other):
        Enterprise.objects.filter(pk=e.pk).update(registration_jurisdiction=street("330108"))
        e.refresh_from_db()
    make_agreement(None, valid_from=timezone.localdate(), area=["330106002"])
    assert derive_supervisor(ent).authority.code == "EM-330108"
    assert derive_supervisor(ent).basis == "enclave"
    assert derive_supervisor(other).authority.code == "EM-330106"


def test_a_zone_committee_supervises_on_a_recorded_legal_basis(reference_data):
    from enterprises.models import ZoneMandate
    from enterprises.services import supervision_problems

    zone = Jurisdiction.objects.get(code="330109Z01")
    ent = Enterprise(name="开发区依据测试有限公司", uscc=make_uscc(25, "330109"), location=zone)
    ent.save()
    refresh_supervisor(ent)
    assert "授权或委托）未登记" in derive_supervisor(ent).warning
    assert any(p["enterprise"].pk == ent.pk for p in supervision_problems())
    ZoneMandate.objects.create(
        zone_authority=Authority.objects.get(code="ZN-330109Z01"),
        kind=ZoneMandate.Kind.ENTRUSTMENT, granted_by="萧山区应急管理局",
        document_number="测试委托〔2026〕1号", valid_from=timezone.localdate())
    derivation = derive_supervisor(ent)
    assert derivation.authority.code == "ZN-330109Z01" and not derivation.warning
    assert "行政委托 测试委托〔2026〕1号" in derivation.reason
