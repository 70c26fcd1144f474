"""Demo registry (enterprises.demo), the beat jobs (enterprises.jobs) and the risk task
on a real worker."""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone
from stdnum.cn import uscc as uscc_lib

from enterprises import demo
from enterprises.filters import EnterpriseFilter
from enterprises.jobs import (
    EXPIRY_REASON,
    enterprises_at_boundary,
    recompute_stale_risk,
    refresh_expiring_supervision,
)
from enterprises.models import (
    EnclaveAgreement,
    Enterprise,
    InsurancePolicy,
    LevelAssignment,
    MajorHazardSource,
    Sector,
    SupervisionChange,
)
from enterprises.risk import compute_risk
from enterprises.services import file_hazard_source, refresh_supervisor, supervision_problems
from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.audit.models import AuditEvent

XIHU_STREET = "330106002"  # 西湖区 北山街道


def make_enterprise(name: str, seq: int, *, street: str = XIHU_STREET,
                    sector: str = Sector.MACHINERY, **extra: Any) -> Enterprise:
    location = Jurisdiction.objects.get(code=street)
    enterprise = Enterprise.objects.create(
        name=name, uscc=demo.uscc_for(street[:6], 900_000 + seq), location=location,
        sector=sector, **extra)
    refresh_supervisor(enterprise, on=timezone.localdate())
    enterprise.refresh_from_db()
    return enterprise


def snapshot() -> list[tuple[str | None, str, str]]:
    return list(Enterprise.objects.order_by("uscc").values_list("uscc", "name",
                                                                "location__code"))


# --- the demo registry -------------------------------------------------------------

@pytest.mark.django_db
def test_uscc_generator_is_valid_and_unique() -> None:
    codes = [demo.uscc_for(d, s) for d in demo.CENTRES for s in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 18 and uscc_lib.is_valid(c) for c in codes)
    assert all(c.startswith("91" + c[2:8]) and c[8:10] == "MA" for c in codes)
    # The organisation-code part carries its own GB 11714 check character.
    assert all(demo.org_code_check(c[8:16]) == c[16] for c in codes[:500])
    assert demo.org_code_check("D2143569") == "X"  # worked example from GB 11714
    assert uscc_lib.is_valid("9144030071526726XG")


@pytest.mark.django_db
def test_seed_at_scale_one(reference_data: None, binjiang_inspector: Any,
                           xihu_inspector: Any) -> None:
    counts = demo.seed(rng=random.Random(7), scale=1)
    assert counts["created"] == 780 == Enterprise.objects.count()

    # 60 per district, all 13 districts, streets spread.
    per_district = Counter(p.split("/")[1] for p in
                           Enterprise.objects.values_list("location_path", flat=True))
    assert len(per_district) == 13 and set(per_district.values()) == {60}
    assert Enterprise.objects.values("location").distinct().count() > 100

    # Every sector, industry codes agree with the sector, derived columns filled.
    assert set(Enterprise.objects.values_list("sector", flat=True)) == set(Sector.values)
    for sector, industry in Enterprise.objects.values_list("sector", "industry_id"):
        assert industry in {code for _, code in demo.SECTOR_PROFILES[sector]}
    assert not Enterprise.objects.filter(search_text="").exists()
    assert Enterprise.objects.filter(is_high_risk=True).exclude(
        sector__in=["hazardous_chemicals", "non_coal_mining", "fireworks", "construction",
                    "civil_explosives", "metal_smelting", "water_transport"]).count() == 0
    assert not Enterprise.objects.filter(risk_computed_at__isnull=True).exists()
    assert Enterprise.objects.filter(name__contains="化工").exists()
    assert Enterprise.objects.filter(name__contains="机械").exists()

    codes = list(Enterprise.objects.values_list("uscc", "location_path"))
    assert all(uscc_lib.is_valid(c) and c[:2] == "91" and c[2:8] == path.split("/")[1]
               for c, path in codes)

    # Hazard sources: levels 1–4, filed/submitted/cancelled, only on chemical firms.
    sources = MajorHazardSource.objects.all()
    assert set(sources.values_list("enterprise__sector", flat=True)) == {"hazardous_chemicals"}
    assert set(sources.values_list("level", flat=True)) == {1, 2, 3, 4}
    assert set(sources.values_list("status", flat=True)) == {"filed", "submitted", "cancelled"}
    assert all(s["quantity_t"] > s["threshold_t"]
               for subs in sources.values_list("substances", flat=True) for s in subs)
    assert InsurancePolicy.objects.filter(kind="safety_liability").exists()

    # Supervision: no gaps or conflicts; the active enclave applies, the expired one not.
    assert supervision_problems() == []
    binjiang = Authority.objects.get(code="EM-330108")
    xihu = Authority.objects.get(code="EM-330106")
    active = EnclaveAgreement.objects.get(document_number=demo.ACTIVE_ENCLAVE[1])
    expired = EnclaveAgreement.objects.get(document_number=demo.EXPIRED_ENCLAVE[1])
    assert active.enterprises.count() == 3 and expired.enterprises.count() == 3
    for e in active.enterprises.all():
        assert (e.supervising_authority, e.supervision_basis) == (binjiang, "enclave")
        assert e.location_path.startswith("330100/330106/")
    for e in expired.enterprises.all():
        assert (e.supervising_authority, e.supervision_basis) == (xihu, "locality")
    visible = Enterprise.objects.visible_to(binjiang_inspector)
    assert set(active.enterprises.all()) <= set(visible)
    assert not visible.filter(pk__in=expired.enterprises.all()).exists()
    assert Enterprise.objects.visible_to(xihu_inspector).filter(
        pk__in=active.enterprises.all()).count() == 3
    levels = LevelAssignment.objects.select_related("enterprise")
    assert levels.count() == 2
    assert {a.enterprise.supervising_authority.code for a in levels} == {"EM-330100"}

    # High-risk enterprises without a valid 安责险 make a non-empty warning list.
    warnings = EnterpriseFilter({"insurance_missing": "true"}, Enterprise.objects.all()).qs
    assert 0 < warnings.count() < Enterprise.objects.filter(is_high_risk=True).count()

    # Re-running changes nothing.
    first = snapshot()
    policies = InsurancePolicy.objects.count()
    again = demo.seed(rng=random.Random(7), scale=1)
    assert again["created"] == 0 and snapshot() == first
    assert InsurancePolicy.objects.count() == policies
    assert supervision_problems() == []

    # Same rng on a flushed table → the same rows.
    Enterprise.objects.all().delete()
    demo.seed(rng=random.Random(7), scale=1)
    assert snapshot() == first
    assert supervision_problems() == []


# --- the beat jobs ---------------------------------------------------------------------

@pytest.mark.django_db
def test_expired_enclave_agreement_returns_enterprise_to_locality(reference_data: None) -> None:
    today = timezone.localdate()
    # Registered in 滨江区: the agreement is one between its two places (issue 10).
    registered = Jurisdiction.objects.get(code="330108")
    enterprise = make_enterprise("杭州北山飞地机械有限公司", 1,
                                 registration_jurisdiction=registered)
    bystander = make_enterprise("杭州北山旧约机械有限公司", 2,
                                registration_jurisdiction=registered)
    binjiang = Authority.objects.get(code="EM-330108")
    agreement = EnclaveAgreement.objects.create(
        title="飞地协议", document_number="西滨协〔2024〕9号",
        location_district=Jurisdiction.objects.get(code="330106"),
        supervising_district=Jurisdiction.objects.get(code="330108"),
        supervising_authority=binjiang, valid_from=today - datetime.timedelta(days=300),
        valid_until=today + datetime.timedelta(days=10))
    agreement.enterprises.add(enterprise)
    # An agreement that lapsed long ago is not this run's business.
    old = EnclaveAgreement.objects.create(
        title="旧飞地协议", document_number="西滨协〔2020〕1号",
        location_district=Jurisdiction.objects.get(code="330106"),
        supervising_district=Jurisdiction.objects.get(code="330108"),
        supervising_authority=binjiang, valid_from=today - datetime.timedelta(days=900),
        valid_until=today - datetime.timedelta(days=400))
    old.enterprises.add(bystander)
    refresh_supervisor(enterprise, on=today)
    enterprise.refresh_from_db()
    assert enterprise.supervising_authority == binjiang
    assert enterprise.supervisor_path == binjiang.jurisdiction.path

    # Nothing crossed a boundary yet.
    assert refresh_expiring_supervision(today) == 0

    # The agreement ended yesterday: today's run hands the enterprise back to 西湖区.
    agreement.valid_until = today - datetime.timedelta(days=1)
    agreement.save()
    assert enterprises_at_boundary(today) == [enterprise.pk]
    assert refresh_expiring_supervision(today) == 1
    enterprise.refresh_from_db()
    assert enterprise.supervising_authority.code == "EM-330106"
    assert enterprise.supervision_basis == "locality"
    assert enterprise.supervisor_path == "330100/330106/"
    change = SupervisionChange.objects.filter(enterprise=enterprise).first()
    assert change is not None and change.reason == EXPIRY_REASON
    assert change.old_authority == binjiang and change.new_authority.code == "EM-330106"
    event = AuditEvent.objects.filter(action="enterprise.supervisor_changed",
                                      object_id=str(enterprise.pk)).order_by("-id").first()
    assert event is not None and event.reason == EXPIRY_REASON
    assert event.new_values["authority"] == "EM-330106"
    # Idempotent: a second run the same day changes nothing and records nothing.
    assert refresh_expiring_supervision(today) == 0
    # Locality at creation, enclave, back to locality: three changes, none new.
    assert SupervisionChange.objects.filter(enterprise=enterprise).count() == 3


@pytest.mark.django_db
def test_level_assignment_taking_effect_today(reference_data: None) -> None:
    today = timezone.localdate()
    enterprise = make_enterprise("杭州北山大型化工股份有限公司", 3,
                                 sector=Sector.HAZARDOUS_CHEMICALS, employees=1500)
    assert enterprise.supervising_authority.code == "EM-330106"
    LevelAssignment.objects.create(enterprise=enterprise,
                                   authority=Authority.objects.get(code="EM-330100"),
                                   document_number="杭应急〔2026〕1号", valid_from=today)
    assert refresh_expiring_supervision(today) == 1
    enterprise.refresh_from_db()
    assert (enterprise.supervising_authority.code, enterprise.supervision_basis) == (
        "EM-330100", "level")
    assert SupervisionChange.objects.filter(enterprise=enterprise,
                                            reason=EXPIRY_REASON).count() == 1


@pytest.mark.django_db
def test_recompute_stale_risk(reference_data: None) -> None:
    stale = make_enterprise("杭州北山储运化工有限公司", 4, sector=Sector.HAZARDOUS_CHEMICALS)
    scored = make_enterprise("杭州北山已评机械有限公司", 5)
    Enterprise.objects.filter(pk=scored.pk).update(
        risk_score=1, risk_level="blue", risk_computed_at=timezone.now())
    MajorHazardSource.objects.create(enterprise=stale, name="液氯罐区", level=1,
                                     status="filed", filing_date=timezone.localdate())
    MajorHazardSource.objects.create(enterprise=stale, name="甲醇罐区", level=3,
                                     status="cancelled")
    assert recompute_stale_risk() == 1
    stale.refresh_from_db()
    expected = compute_risk(stale, [1])
    assert (stale.risk_score, stale.risk_level) == (expected.score, expected.level)
    assert stale.risk_level == "red" and stale.risk_computed_at is not None
    assert {"points": 30, "reason": "1级重大危险源"} in stale.risk_explanation
    scored.refresh_from_db()
    assert scored.risk_score == 1  # already scored: untouched
    assert recompute_stale_risk() == 0


def test_beat_schedule_has_the_registry_jobs() -> None:
    from hangzhou_safety.celery import app

    schedule = app.conf.beat_schedule
    daily = schedule["enterprises-refresh-expiring-supervision"]
    assert daily["task"] == "enterprises.tasks.refresh_expiring_supervision"
    assert daily["schedule"].hour == {2} and daily["schedule"].minute == {30}
    assert schedule["enterprises-recompute-stale-risk"]["task"] == \
        "enterprises.tasks.recompute_stale_risk"
    assert len(schedule["enterprises-recompute-stale-risk"]["schedule"].hour) == 24
    assert "enterprises.tasks.recompute_stale_risk" in app.tasks


# --- the risk task on a real worker ------------------------------------------------------

@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_filing_a_hazard_source_recomputes_risk_on_a_worker(
        celery_live_worker: Any, reference_data: None, xihu_inspector: Any) -> None:
    enterprise = make_enterprise("杭州北山液氨化工有限公司", 6,
                                 sector=Sector.HAZARDOUS_CHEMICALS)
    assert enterprise.risk_computed_at is None
    source = MajorHazardSource.objects.create(
        enterprise=enterprise, name="液氨罐区1号", level=1,
        substances=[{"name": "液氨", "cas": "7664-41-7", "quantity_t": 40, "threshold_t": 10}])
    file_hazard_source(source, actor=xihu_inspector)  # schedules the task on commit
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        enterprise.refresh_from_db()
        if enterprise.risk_computed_at is not None:
            break
        time.sleep(0.2)
    assert enterprise.risk_computed_at is not None, "the worker never ran the risk task"
    expected = compute_risk(enterprise, [1])
    assert enterprise.risk_score == expected.score >= 72
    assert enterprise.risk_level == "red"
    assert {"points": 30, "reason": "1级重大危险源"} in enterprise.risk_explanation
