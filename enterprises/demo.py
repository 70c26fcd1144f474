"""Demo registry for `seed_demo`: enterprises in every district, all sectors, hazard
sources, insurance, two enclave agreements and two level assignments.

Same rng, same rows: every random draw is taken whether or not the row already
exists, so re-running skips existing credit codes without shifting what follows.
`scale` N gives N × 780 enterprises (60 per district per step); rows go in with
bulk_create in batches because seeding 300,000 rows one save() at a time takes
hours. bulk_create bypasses save(), so the derived columns (paths, search text,
high-risk flag), the supervisor and the risk score are computed here, in memory.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import uscc as uscc_lib

from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.db.bulk import immediate_constraints

from .models import (
    HIGH_RISK_SECTORS,
    EnclaveAgreement,
    Enterprise,
    IndustryClass,
    InsurancePolicy,
    LevelAssignment,
    MajorHazardSource,
    OccupationalHazard,
    Sector,
    SpecialOperation,
    StandardisationGrade,
    bigrams_for,
    search_text_for,
)
from .reference import load_industry_classes
from .risk import compute_risk
from .supervision import LocalityIndex, derive_supervisor

PER_DISTRICT = 60
BATCH = 5000
# Inserting into the two search GIN indexes row by row slows a 300,000-row load
# several-fold as they grow; past this many new rows they are dropped and rebuilt
# once at the end (same definitions, same transaction: a failure restores them).
DEFERRED_INDEXES = ("ent_search_trgm", "ent_search_bigrams")
DEFER_INDEXES_FROM = 50_000
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Sector → (name word, GB/T 4754-2017 小类) pairs, so the name and the industry agree.
SECTOR_PROFILES: dict[str, list[tuple[str, str]]] = {
    Sector.METALLURGY: [("钢铁", "3120"), ("冶金", "3110"), ("特钢", "3130")],
    Sector.NONFERROUS: [("铝业", "3216"), ("铜业", "3211"), ("有色金属", "3252")],
    Sector.BUILDING_MATERIALS: [("建材", "3024"), ("水泥", "3011"), ("玻璃", "3041"),
                                ("水泥制品", "3021")],
    Sector.MACHINERY: [("机械", "3429"), ("机械制造", "3421"), ("精密机械", "3425"),
                       ("泵阀机械", "3441")],
    Sector.LIGHT_INDUSTRY: [("家具", "2110"), ("纸业", "2221"), ("包装", "2231")],
    Sector.TEXTILES: [("纺织", "1711"), ("印染", "1713"), ("化纤织造", "1751")],
    Sector.TOBACCO: [("卷烟", "1620"), ("烟叶复烤", "1610")],
    Sector.COMMERCE: [("商贸", "5219"), ("百货", "5211"), ("超市", "5212")],
    Sector.HAZARDOUS_CHEMICALS: [("化工", "2614"), ("精细化工", "2619"), ("化工原料", "5169"),
                                 ("涂料", "2641"), ("化工", "2611")],
    Sector.NON_COAL_MINING: [("矿业", "1019"), ("石料", "1011"), ("建筑石料", "1012")],
    Sector.FIREWORKS: [("烟花爆竹", "2672"), ("花炮", "2672")],
    Sector.CONSTRUCTION: [("建设", "4790"), ("建筑工程", "4710"), ("市政工程", "4813")],
    Sector.CIVIL_EXPLOSIVES: [("民爆器材", "2671"), ("爆破器材", "2671")],
    Sector.SPECIAL_EQUIPMENT: [("电梯", "3435"), ("起重机械", "3432"), ("锅炉", "3411")],
    Sector.METAL_SMELTING: [("铸造", "3391"), ("金属制品", "3392"), ("金属材料", "3130")],
    Sector.WATER_TRANSPORT: [("航运", "5523"), ("船务", "5512")],
    Sector.OTHER: [("科技", "6513"), ("信息技术", "6513"), ("气象科技", "7410")],
}
# Rough shares of a district's registry (商贸/机械/建筑 dominate; 民爆 is rare).
SECTOR_WEIGHTS: dict[str, int] = {
    Sector.METALLURGY: 3, Sector.NONFERROUS: 3, Sector.BUILDING_MATERIALS: 5,
    Sector.MACHINERY: 12, Sector.LIGHT_INDUSTRY: 8, Sector.TEXTILES: 7, Sector.TOBACCO: 1,
    Sector.COMMERCE: 12, Sector.HAZARDOUS_CHEMICALS: 9, Sector.NON_COAL_MINING: 2,
    Sector.FIREWORKS: 2, Sector.CONSTRUCTION: 10, Sector.CIVIL_EXPLOSIVES: 1,
    Sector.SPECIAL_EQUIPMENT: 5, Sector.METAL_SMELTING: 4, Sector.WATER_TRANSPORT: 2,
    Sector.OTHER: 10,
}
SECTORS = list(SECTOR_WEIGHTS)
WEIGHTS = [SECTOR_WEIGHTS[s] for s in SECTORS]
SECTOR_HAZARDS: dict[str, list[str]] = {
    Sector.METALLURGY: [OccupationalHazard.HEAT, OccupationalHazard.NOISE,
                        OccupationalHazard.DUST],
    Sector.NONFERROUS: [OccupationalHazard.HEAT, OccupationalHazard.DUST],
    Sector.BUILDING_MATERIALS: [OccupationalHazard.DUST, OccupationalHazard.NOISE],
    Sector.MACHINERY: [OccupationalHazard.NOISE, OccupationalHazard.DUST],
    Sector.TEXTILES: [OccupationalHazard.NOISE, OccupationalHazard.DUST],
    Sector.HAZARDOUS_CHEMICALS: [OccupationalHazard.CHEMICAL],
    Sector.NON_COAL_MINING: [OccupationalHazard.DUST, OccupationalHazard.NOISE],
    Sector.METAL_SMELTING: [OccupationalHazard.HEAT, OccupationalHazard.CHEMICAL],
}
# GB 18218-2018 substances with their critical quantities (t).
SUBSTANCES = [("液氨", "7664-41-7", 10), ("液氯", "7782-50-5", 5), ("甲醇", "67-56-1", 500),
              ("苯", "71-43-2", 50), ("甲苯", "108-88-3", 500), ("丙烯", "115-07-1", 10),
              ("环氧乙烷", "75-21-8", 10), ("氢气", "1333-74-0", 5),
              ("液化石油气", "68476-85-7", 50), ("汽油", "86290-81-5", 200)]
UNITS = ["罐区", "仓库", "生产装置", "储罐区", "甲类仓库"]
INSURERS = [("PICC", "中国人民财产保险股份有限公司杭州市分公司"),
            ("PAIC", "中国平安财产保险股份有限公司浙江分公司"),
            ("CPIC", "中国太平洋财产保险股份有限公司浙江分公司"),
            ("CIC", "中华联合财产保险股份有限公司浙江分公司")]
BRAND_CHARS = "恒达瑞丰鑫华盛泰宏远兴隆金源永安新力博创凯锦天明正康嘉信诚德富佳汇通海宇森茂昌荣辉" \
    "龙腾飞越中联友邦润祥和美晶鼎峰立杰"
ROADS = ["文一西路", "天目山路", "江南大道", "滨安路", "建设一路", "市心北路", "文化路", "迎宾路",
         "工业园路", "兴业街", "东环路", "新街大道", "科技园路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国立新晓燕志斌海波"
# Approximate centres, for plausible coordinates on the map.
CENTRES = {"330102": (30.25, 120.17), "330105": (30.32, 120.14), "330106": (30.26, 120.09),
           "330108": (30.20, 120.21), "330109": (30.16, 120.27), "330110": (30.40, 119.98),
           "330111": (30.05, 119.96), "330112": (30.23, 119.72), "330113": (30.42, 120.30),
           "330114": (30.30, 120.45), "330122": (29.80, 119.69), "330127": (29.61, 119.04),
           "330182": (29.47, 119.28)}
OPERATIONS_BY_SECTOR: dict[str, list[str]] = {
    Sector.MACHINERY: [SpecialOperation.DUST_EXPLOSION, SpecialOperation.CONFINED_SPACE],
    Sector.LIGHT_INDUSTRY: [SpecialOperation.DUST_EXPLOSION, SpecialOperation.LIQUID_AMMONIA,
                            SpecialOperation.CONFINED_SPACE],
    Sector.TEXTILES: [SpecialOperation.DUST_EXPLOSION, SpecialOperation.CONFINED_SPACE],
    Sector.NONFERROUS: [SpecialOperation.DUST_EXPLOSION, SpecialOperation.CONFINED_SPACE],
    Sector.COMMERCE: [SpecialOperation.LIQUID_AMMONIA, SpecialOperation.CONFINED_SPACE],
}

# Enclave agreements: 西湖区 enterprises (by their sequence number in the district)
# supervised by the 滨江区 bureau; one agreement in force, one expired.
ENCLAVE_HOST, ENCLAVE_SUPERVISOR = "330106", "330108"
ACTIVE_ENCLAVE = ("西湖区—滨江区飞地企业安全生产监管协议", "西滨协〔2025〕1号", (0, 1, 2))
EXPIRED_ENCLAVE = ("西湖区—滨江区飞地企业安全生产监管协议（2022）", "西滨协〔2022〕3号",
                   (3, 4, 5))
# Level assignments: the municipal bureau takes these large enterprises.
LEVEL_PICKS = [("330109", 0, "杭应急〔2025〕12号"), ("330114", 0, "杭应急〔2025〕12号")]
MUNICIPAL_BUREAU = "EM-330100"


def org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]  # A=10 … Z=35
    total = sum(v * w for v, w in zip(values, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_for(district_code: str, seq: int) -> str:
    """A valid, unique credit code: 91 + district + "MA2" organisation code + check.
    The sequence is scrambled by a bijection mod 31^5 so codes do not look consecutive."""
    n = (seq * 7919 + int(district_code) % 9973) % 31 ** 5
    tail = ""
    for _ in range(5):
        n, r = divmod(n, 31)
        tail = USCC_ALPHABET[r] + tail
    body = "MA2" + tail
    first17 = f"91{district_code}{body}{org_code_check(body)}"
    return first17 + uscc_lib.calc_check_digit(first17)


@dataclass
class Generated:
    enterprise: Enterprise
    hazards: list[dict[str, Any]] = field(default_factory=list)
    policies: list[dict[str, Any]] = field(default_factory=list)
    duty_prefix: str = ""


@dataclass
class District:
    node: Jurisdiction
    stem: str
    streets: list[Jurisdiction]


class Seeder:
    def __init__(self, rng: random.Random, scale: int, today: datetime.date) -> None:
        self.rng = rng
        self.scale = scale
        self.today = today
        self.names: set[str] = set()
        self.locality = LocalityIndex()
        self.districts = []
        for node in Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).order_by("code"):
            streets = list(Jurisdiction.objects.filter(
                parent=node, kind__in=[Jurisdiction.Kind.STREET, Jurisdiction.Kind.TOWN,
                                       Jurisdiction.Kind.TOWNSHIP]).order_by("code"))
            self.districts.append(District(node, node.name[:-1], streets))

    # --- people and places ---
    def person(self) -> str:
        given = self.rng.choices(GIVEN, k=self.rng.choice((1, 2)))
        return self.rng.choice(SURNAMES) + "".join(given)

    def mobile(self) -> str:
        return f"1{self.rng.choice('35789')}{self.rng.randrange(10 ** 9):09d}"

    def name(self, district: District, word: str, large: bool) -> str:
        suffix = "股份有限公司" if large else "有限公司"
        for _ in range(6):
            brand = "".join(self.rng.sample(BRAND_CHARS, 2))
            name = f"杭州{district.stem}{brand}{word}{suffix}"
            if name not in self.names:
                break
        else:
            # Crowded at large scale: the registry disambiguates like real firms do.
            branch = 2
            while f"{name}第{branch}分公司" in self.names:
                branch += 1
            name = f"{name}第{branch}分公司"
        self.names.add(name)
        return name

    # --- one enterprise ---
    def enterprise(self, district: District, seq: int) -> Generated:
        rng = self.rng
        # The first 17 of every district cover all sectors; the rest follow the weights.
        sector = SECTORS[seq] if seq < len(SECTORS) else rng.choices(SECTORS, WEIGHTS)[0]
        level_pick = next((doc for code, s, doc in LEVEL_PICKS
                           if code == district.node.code and s == seq), None)
        if level_pick:
            sector = Sector.HAZARDOUS_CHEMICALS
        word, industry = rng.choice(SECTOR_PROFILES[sector])
        employees = min(5000, int(rng.lognormvariate(3.4, 1.1)) + 3)
        if level_pick:
            employees = 1200 + seq
        revenue = Decimal(employees * rng.randint(25, 90)).quantize(Decimal("0.01"))
        street = district.streets[(seq * 7 + rng.randrange(3)) % len(district.streets)]
        lat, lon = CENTRES.get(district.node.code, (30.25, 120.15))
        grade = rng.choices([StandardisationGrade.NONE, StandardisationGrade.GRADE_3,
                             StandardisationGrade.GRADE_2, StandardisationGrade.GRADE_1],
                            [40, 40, 15, 5])[0]
        operations: list[str] = []
        if sector in OPERATIONS_BY_SECTOR and rng.random() < 0.4:
            choices = OPERATIONS_BY_SECTOR[sector]
            operations = sorted(rng.sample(choices, rng.randint(1, min(2, len(choices)))))
        hazards_pool = SECTOR_HAZARDS.get(sector, [OccupationalHazard.NOISE])
        occupational = sorted(rng.sample(hazards_pool, rng.randint(0, len(hazards_pool))))
        status = rng.choices([Enterprise.Status.OPERATING, Enterprise.Status.SUSPENDED,
                              Enterprise.Status.DEREGISTERED], [92, 6, 2])[0]
        chemical = sector == Sector.HAZARDOUS_CHEMICALS
        in_park = chemical and rng.random() < 0.45
        pipeline = rng.random() < (0.15 if chemical else 0.03)
        code = uscc_for(district.node.code, seq)
        name = self.name(district, word, employees >= 1000)
        enterprise = Enterprise(
            name=name, uscc=code, legal_representative=self.person(),
            principal_name=self.person(), principal_phone=self.mobile(),
            safety_manager_name=self.person(), safety_manager_phone=self.mobile(),
            contact_phone=f"0571-8{rng.randrange(10 ** 7):07d}",
            address=f"杭州市{district.node.name}{street.name}{rng.choice(ROADS)}"
                    f"{rng.randint(1, 999)}号",
            status=status, location=street, registration_jurisdiction=district.node,
            latitude=Decimal(f"{lat + rng.uniform(-0.08, 0.08):.6f}"),
            longitude=Decimal(f"{lon + rng.uniform(-0.08, 0.08):.6f}"),
            in_chemical_park=in_park, within_pipeline_distance=pipeline,
            industry_id=industry, sector=sector, employees=employees,
            annual_revenue=revenue, above_designated_size=revenue >= 2000,
            standardisation_grade=grade, special_operations=operations,
            occupational_hazards=occupational,
        )
        generated = Generated(enterprise)
        if sector == Sector.CONSTRUCTION:
            generated.duty_prefix = "HS"
        elif sector == Sector.SPECIAL_EQUIPMENT:
            generated.duty_prefix = "MK"
        if chemical and (rng.random() < 0.65 or level_pick):
            for n in range(rng.choices([1, 2, 3], [60, 30, 10])[0]):
                generated.hazards.append(self.hazard(name, n))
        self.insurance(generated)
        return generated

    def hazard(self, enterprise_name: str, n: int) -> dict[str, Any]:
        rng = self.rng
        substances = []
        for sub, cas, threshold in rng.sample(SUBSTANCES, rng.randint(1, 3)):
            substances.append({"name": sub, "cas": cas, "threshold_t": threshold,
                               "quantity_t": round(threshold * rng.uniform(1.1, 8.0), 1)})
        status = rng.choices([MajorHazardSource.Status.FILED, MajorHazardSource.Status.SUBMITTED,
                              MajorHazardSource.Status.CANCELLED], [75, 15, 10])[0]
        filed_on = self.today - datetime.timedelta(days=rng.randint(30, 2000))
        return {
            "name": f"{substances[0]['name']}{rng.choice(UNITS)}{n + 1}号",
            "level": rng.choices([1, 2, 3, 4], [1, 2, 3, 4])[0],
            "substances": substances,
            "safety_measures": "设置可燃有毒气体检测报警、紧急切断和视频监控；落实双人巡检。",
            "emergency_measures": "编制专项应急预案，配备应急物资，每半年演练一次。",
            "monitoring": rng.choices([MajorHazardSource.Monitoring.ONLINE,
                                       MajorHazardSource.Monitoring.FAULT,
                                       MajorHazardSource.Monitoring.NONE], [70, 10, 20])[0],
            "status": status,
            "filing_date": None if status == MajorHazardSource.Status.SUBMITTED else filed_on,
            "cancelled_at": (filed_on + datetime.timedelta(days=rng.randint(10, 25))
                             if status == MajorHazardSource.Status.CANCELLED else None),
            "cancellation_reason": ("装置拆除，危险物质存量已低于临界量"
                                    if status == MajorHazardSource.Status.CANCELLED else ""),
        }

    def insurance(self, generated: Generated) -> None:
        rng = self.rng
        enterprise = generated.enterprise
        high_risk = enterprise.sector in HIGH_RISK_SECTORS
        # Most high-risk enterprises hold a valid 安责险; a few have none or let it lapse,
        # so the warning list has something on it.
        roll = rng.random()
        liability = "valid" if roll < (0.9 if high_risk else 0.3) else (
            "expired" if roll < (0.95 if high_risk else 0.35) else "none")
        start = self.today - datetime.timedelta(days=rng.randint(0, 330))
        if liability == "expired":
            start -= datetime.timedelta(days=400)
        insurer_code, insurer = rng.choice(INSURERS)
        if liability != "none":
            generated.policies.append({
                "kind": InsurancePolicy.Kind.SAFETY_LIABILITY, "insurer": insurer,
                "policy_number": f"{insurer_code}AZ{start.year}{enterprise.uscc}",
                "start_date": start, "end_date": start + datetime.timedelta(days=364),
                "cover_amount": Decimal(rng.choice([100, 200, 300, 500, 1000])),
            })
        if rng.random() < 0.6:
            generated.policies.append({
                "kind": InsurancePolicy.Kind.WORK_INJURY, "insurer": "杭州市社会保险服务中心",
                "policy_number": f"GS{start.year}{enterprise.uscc}",
                "start_date": start, "end_date": start + datetime.timedelta(days=364),
                "cover_amount": None,
            })

    def generate(self) -> Iterator[Generated]:
        """District by district, in a fixed order: the rows depend on the rng only."""
        for step in range(self.scale):
            for district in self.districts:
                for i in range(PER_DISTRICT):
                    yield self.enterprise(district, step * PER_DISTRICT + i)


def _finish(generated: Generated, locality: LocalityIndex, now: datetime.datetime) -> None:
    """Fill what save() and the services would: derived columns, supervisor, risk."""
    enterprise = generated.enterprise
    enterprise.is_high_risk = enterprise.sector in HIGH_RISK_SECTORS
    enterprise.location_path = enterprise.location.path
    enterprise.search_text = search_text_for(enterprise.name, enterprise.uscc)
    enterprise.search_bigrams = bigrams_for(enterprise.name)
    authority = locality.authority_for(enterprise.location)
    enterprise.supervising_authority = authority
    enterprise.supervision_basis = "locality" if authority else ""
    enterprise.supervisor_path = authority.jurisdiction.path if authority else ""
    levels = [h["level"] for h in generated.hazards
              if h["status"] == MajorHazardSource.Status.FILED]
    result = compute_risk(enterprise, levels)
    enterprise.risk_score = result.score
    enterprise.risk_level = result.level
    enterprise.risk_explanation = result.explanation
    enterprise.risk_computed_at = now


def _insert(batch: list[Generated], locality: LocalityIndex, duty: dict[str, int]) -> int:
    codes = [g.enterprise.uscc for g in batch]
    existing = set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
    fresh = [g for g in batch if g.enterprise.uscc not in existing]
    if not fresh:
        return 0
    now = timezone.now()
    for g in fresh:
        _finish(g, locality, now)
    Enterprise.objects.bulk_create([g.enterprise for g in fresh], batch_size=BATCH)
    hazards, policies, duties = [], [], []
    through = Enterprise.duty_departments.through
    for g in fresh:
        e = g.enterprise
        for h in g.hazards:
            filing_authority = e.supervising_authority if h["filing_date"] else None
            hazards.append(MajorHazardSource(enterprise=e, filing_authority=filing_authority, **h))
        for p in g.policies:
            policies.append(InsurancePolicy(enterprise=e, **p))
        district = e.location.path.split("/")[1]
        authority_id = duty.get(f"{g.duty_prefix}-{district}") if g.duty_prefix else None
        if authority_id:
            duties.append(through(enterprise_id=e.pk, authority_id=authority_id))
    MajorHazardSource.objects.bulk_create(hazards, batch_size=BATCH)
    InsurancePolicy.objects.bulk_create(policies, batch_size=BATCH)
    through.objects.bulk_create(duties, batch_size=BATCH)
    return len(fresh)


def _agreements(today: datetime.date) -> list[int]:
    """The two enclave agreements and two level assignments (idempotent by document
    number); returns the ids of the enterprises they name."""
    host = Jurisdiction.objects.get(code=ENCLAVE_HOST)
    supervisor_district = Jurisdiction.objects.get(code=ENCLAVE_SUPERVISOR)
    supervisor = Authority.objects.get(code=f"EM-{ENCLAVE_SUPERVISOR}")
    touched: list[int] = []
    periods = {
        ACTIVE_ENCLAVE[1]: (today - datetime.timedelta(days=400),
                            today + datetime.timedelta(days=3 * 365)),
        EXPIRED_ENCLAVE[1]: (today - datetime.timedelta(days=3 * 365),
                             today - datetime.timedelta(days=30)),
    }
    for title, document, seqs in (ACTIVE_ENCLAVE, EXPIRED_ENCLAVE):
        valid_from, valid_until = periods[document]
        agreement, _ = EnclaveAgreement.objects.update_or_create(
            document_number=document,
            defaults={"title": title, "location_district": host,
                      "supervising_district": supervisor_district,
                      "supervising_authority": supervisor,
                      "valid_from": valid_from, "valid_until": valid_until})
        ids = list(Enterprise.objects.filter(
            uscc__in=[uscc_for(ENCLAVE_HOST, s) for s in seqs]).values_list("pk", flat=True))
        agreement.enterprises.add(*ids)
        # An agreement counts only between the location and registration districts.
        Enterprise.objects.filter(pk__in=ids).update(
            registration_jurisdiction=supervisor_district)
        touched += ids
    bureau = Authority.objects.get(code=MUNICIPAL_BUREAU)
    for district_code, seq, document in LEVEL_PICKS:
        enterprise = Enterprise.objects.filter(uscc=uscc_for(district_code, seq)).first()
        if enterprise is None:
            continue
        LevelAssignment.objects.get_or_create(
            enterprise=enterprise, authority=bureau, document_number=document,
            defaults={"valid_from": today - datetime.timedelta(days=200),
                      "reason": "规模以上危险化学品生产企业，由市局直接监管"})
        touched.append(enterprise.pk)
    return touched


def derive_all(ids: list[int] | None, locality: LocalityIndex,
               chunk: int = 2000) -> int:
    """Set the derived supervisor on the given enterprises (or on those without one),
    in bulk: seeding records no per-row change events (nothing changed hands yet)."""
    qs = Enterprise.objects.select_related("location").prefetch_related(
        "enclave_agreements", "level_assignments").order_by("pk")
    qs = qs.filter(pk__in=ids) if ids is not None else qs.filter(
        supervising_authority__isnull=True)
    updated = 0
    pks = list(qs.values_list("pk", flat=True))
    for start in range(0, len(pks), chunk):
        rows = list(qs.filter(pk__in=pks[start:start + chunk]))
        changed = []
        for enterprise in rows:
            derivation = derive_supervisor(enterprise, locality=locality)
            authority = derivation.authority
            new_id = authority.pk if authority else None
            if (new_id, derivation.basis) != (enterprise.supervising_authority_id,
                                              enterprise.supervision_basis):
                enterprise.supervising_authority = authority
                enterprise.supervision_basis = derivation.basis
                enterprise.supervisor_path = authority.jurisdiction.path if authority else ""
                changed.append(enterprise)
        Enterprise.objects.bulk_update(
            changed, ["supervising_authority", "supervision_basis", "supervisor_path"])
        updated += len(changed)
    return updated


@contextlib.contextmanager
def _search_indexes_deferred(enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes "
                       "WHERE tablename = %s AND indexname = ANY(%s)",
                       [table, list(DEFERRED_INDEXES)])
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in definitions:
            cursor.execute(definition)


def seed(*, rng: random.Random, scale: int = 1, stdout: Any = None) -> dict[str, int]:
    """The `seed_demo` hook. Returns the counts it also prints."""
    load_industry_classes(IndustryClass)  # a flushed test database has lost them
    today = timezone.localdate()
    seeder = Seeder(rng, max(1, scale), today)
    duty = dict(Authority.objects.filter(code__regex=r"^(HS|MK)-").values_list("code", "pk"))
    created = 0
    batch: list[Generated] = []
    expected_new = max(1, scale) * len(seeder.districts) * PER_DISTRICT \
        - Enterprise.objects.count()
    with transaction.atomic(), \
            _search_indexes_deferred(expected_new >= DEFER_INDEXES_FROM):
        immediate_constraints()
        for generated in seeder.generate():
            batch.append(generated)
            if len(batch) >= BATCH:
                created += _insert(batch, seeder.locality, duty)
                batch = []
                if created % (BATCH * 10) == 0:
                    # Inside one transaction autovacuum never analyses the growing table.
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE enterprises_enterprise")
                if stdout is not None and scale > 1:
                    stdout.write(f"  enterprises: {created} created …\n")
        created += _insert(batch, seeder.locality, duty)
    with transaction.atomic():
        touched = _agreements(today)
        rederived = derive_all(touched, seeder.locality)
        rederived += derive_all(None, seeder.locality)
    counts = {
        "enterprises": Enterprise.objects.count(), "created": created,
        "hazard_sources": MajorHazardSource.objects.count(),
        "insurance_policies": InsurancePolicy.objects.count(),
        "enclave_agreements": EnclaveAgreement.objects.count(),
        "level_assignments": LevelAssignment.objects.count(),
        "supervisors_rederived": rederived,
    }
    if stdout is not None:
        stdout.write("seed_demo enterprises: "
                     + ", ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    return counts
