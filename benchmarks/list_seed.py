"""Plans and inspections for the throughput benchmark's plan and inspection pages.

The registry seed (benchmarks/enterprise_list.py) makes enterprises only, so the plan
page and the inspection page would measure an empty list. This adds, for every district
bureau (EM-3301xx), plan versions for the years 2015–2026 (superseded versions, the
current one published) and one inspection per ten of the district's enterprises, its
two inspectors the bureau's officers (西湖区: xihu_inspector and xihu_inspector2), in a
spread of statuses and sources. Rows are written with bulk_create: the benchmark
measures reads, and no workflow event is needed to read a list. Idempotent: a bureau
that already has benchmark plans is left alone.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

#: Versions per bureau and year: the last one published, the others superseded.
VERSIONS = 3
YEARS = range(2015, 2027)
#: One inspection per this many enterprises of the district.
ENTERPRISES_PER_INSPECTION = 10


def seed_lists(*, stdout: Any) -> tuple[int, int]:
    from django.db import transaction

    from enterprises.models import Enterprise
    from hangzhou_safety.accounts.models import Authority, User
    from inspections.models import EnforcementPlan, Inspection

    rng = random.Random("20261207:lists")  # noqa: S311 (demo data, not a secret)
    admin = User.objects.get(username="admin")
    xihu = [User.objects.get(username=u) for u in ("xihu_inspector", "xihu_inspector2")]
    bureaus = list(Authority.objects.filter(code__regex=r"^EM-3301[0-9]{2}$")
                   .exclude(code="EM-330100").select_related("jurisdiction"))
    statuses = [s for s, _label in Inspection.Status.choices]
    sources = [s for s, _label in Inspection.Source.choices]
    Through = Inspection.inspectors.through
    with transaction.atomic():
        for bureau in bureaus:
            if EnforcementPlan.objects.filter(authority=bureau,
                                              title__startswith="基准").exists():
                continue
            plans = []
            for year in YEARS:
                for version in range(1, VERSIONS + 1):
                    published = version == VERSIONS
                    plans.append(EnforcementPlan(
                        authority=bureau, year=year, version=version,
                        title=f"基准{bureau.short_name or bureau.name}{year}年度监督检查计划",
                        status=(EnforcementPlan.Status.PUBLISHED if published
                                else EnforcementPlan.Status.SUPERSEDED),
                        staff_count=12, certified_staff_count=10, vehicles=3,
                        created_by=admin))
            EnforcementPlan.objects.bulk_create(plans)
            officers = (xihu if bureau.code == "EM-330106"
                        else list(User.objects.filter(authority=bureau)[:2]) or [admin])
            enterprise_ids = list(
                Enterprise.objects.filter(
                    location_path__startswith=f"330100/{bureau.jurisdiction.code}/")
                .order_by("id").values_list("id", flat=True)[::ENTERPRISES_PER_INSPECTION])
            rows = []
            for n, enterprise_id in enumerate(enterprise_ids):
                rows.append(Inspection(
                    authority=bureau, enterprise_id=enterprise_id,
                    source=rng.choice(sources), status=rng.choice(statuses),
                    planned_date=datetime.date(2026, 1, 1)
                    + datetime.timedelta(days=rng.randrange(340)),
                    verification_code=f"B{bureau.jurisdiction.code[-2:]}{n:07d}",
                    created_by=officers[0]))
            Inspection.objects.bulk_create(rows, batch_size=5000)
            Through.objects.bulk_create(
                [Through(inspection_id=row.pk, user_id=officer.pk)
                 for row in rows for officer in officers], batch_size=10000)
            stdout.write(f"  {bureau.code}: {len(plans)} plans, {len(rows)} inspections\n")
    return EnforcementPlan.objects.count(), Inspection.objects.count()
