"""Benchmark of the enterprise registry's list and search at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hs_bench \
        .venv/bin/python benchmarks/enterprise_list.py --scale 385

Seeds with `seed_demo --scale N` unless the table already holds N × 780 enterprises,
runs ANALYZE, then times each case `--runs` times (time.perf_counter, in process: the
query plus the ORM, or the whole DRF request for the API case) as a 西湖区 inspector
would see it, and prints median / p95 in ms and the EXPLAIN ANALYZE plan of every
case whose p95 misses the target. The figures are written up in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_safety.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

TARGET_MS = 50.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm the plan cache and the buffers once, as a running server would be
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def seed_registry(scale: int) -> None:
    """What seed_demo does for the registry, without the other apps' demo hooks (each
    of which would need its own tables and time) or the generated inspectors: the
    reference data, the demo accounts (xihu_inspector) and enterprises.demo.seed."""
    import random

    from django.db import transaction

    from enterprises import demo
    from hangzhou_safety.accounts.management.commands import seed_demo
    from hangzhou_safety.accounts.models import Authority, Jurisdiction
    from hangzhou_safety.accounts.reference import load_authorities, load_jurisdictions

    command = seed_demo.Command()
    with transaction.atomic():
        load_jurisdictions(Jurisdiction)
        load_authorities(Jurisdiction, Authority)
        for username, name, role, authority, cert, flags in seed_demo.DEMO_ACCOUNTS:
            command._account(username, name, role, authority, cert, flags,
                             seed_demo.DEFAULT_PASSWORD)
        demo.seed(rng=random.Random("20261130:enterprises"),  # noqa: S311
                  scale=scale, stdout=sys.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=385)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--explain-all", action="store_true",
                        help="print the plan of every case, not only the slow ones")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from rest_framework.test import APIClient

    from enterprises.filters import search_enterprises
    from enterprises.models import Enterprise
    from hangzhou_safety.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    wanted = args.scale * 780
    have = Enterprise.objects.count()
    if have < wanted:
        print(f"seeding: {have} enterprises, want {wanted} …", flush=True)
        start = time.perf_counter()
        seed_registry(args.scale)
        print(f"seeded in {time.perf_counter() - start:.0f} s", flush=True)
    else:
        print(f"{have} enterprises already there: not seeding")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")
        cursor.execute("ANALYZE enterprises_majorhazardsource")
        cursor.execute("ANALYZE enterprises_insurancepolicy")
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(",")[0]

    inspector = User.objects.get(username="xihu_inspector")
    visible = Enterprise.objects.visible_to(inspector)
    sample = visible.filter(location_path__startswith="330100/330106/").order_by("id").first()
    assert sample is not None and sample.uscc
    # 杭州{区}{字号}{行业词}有限公司: characters 4–8 are the trade name and the trade word.
    four = sample.name[4:8]
    two = "化工"
    code = sample.uscc

    def page(qs: Any) -> Callable[[], list[Any]]:
        return lambda: list(qs.order_by("-id")[:50])

    client = APIClient()
    client.force_authenticate(inspector)

    def api() -> None:
        response = client.get("/api/v1/enterprises/", {"sector": "hazardous_chemicals"})
        assert response.status_code == 200, response.content[:300]

    cases: list[tuple[str, Callable[[], Any], Any]] = [
        ("visible_to(西湖区) sector=machinery, first page",
         page(visible.filter(sector="machinery")), visible.filter(sector="machinery")),
        ("visible_to(西湖区) risk_level=orange, first page",
         page(visible.filter(risk_level="orange")), visible.filter(risk_level="orange")),
        (f"name search, 4 characters “{four}”",
         page(search_enterprises(visible, four)), search_enterprises(visible, four)),
        (f"name search, 2 characters “{two}”",
         page(search_enterprises(visible, two)), search_enterprises(visible, two)),
        (f"credit-code search “{code}”",
         page(search_enterprises(visible, code)), search_enterprises(visible, code)),
        ("API GET /api/v1/enterprises/?sector=hazardous_chemicals (DRF, whole request)",
         api, visible.filter(sector="hazardous_chemicals")),
    ]
    total = Enterprise.objects.count()
    print(f"\n{total} enterprises; {visible.count()} visible to 西湖区; "
          f"{args.runs} runs each; {platform.node()} {os.cpu_count()} CPUs; {pg_version}\n")
    print("| case | rows | median ms | p95 ms | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    slow = []
    for label, fn, qs in cases:
        rows = fn()
        samples = timed(fn, args.runs)
        median, p95 = statistics.median(samples), percentile(samples, 95)
        ok = p95 < TARGET_MS
        count = len(rows) if isinstance(rows, list) else 50
        print(f"| {label} | {count} | {median:.1f} | {p95:.1f} | {'met' if ok else 'MISSED'} |",
              flush=True)
        if not ok or args.explain_all:
            slow.append((label, qs))
    for label, qs in slow:
        print(f"\n### EXPLAIN ANALYZE: {label}\n")
        print(qs.order_by("-id")[:50].explain(analyze=True, buffers=True))


if __name__ == "__main__":
    main()
