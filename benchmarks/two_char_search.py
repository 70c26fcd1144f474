"""SQL time of two-character registry searches over a sample of real terms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hs_bench \
        .venv/bin/python benchmarks/two_char_search.py --sample 200

Two characters are the common Chinese word (化工, 涂料) and pg_trgm makes no trigram
from them, so they are answered from the `search_bigrams` GIN index. Whether the
planner uses it or walks the primary key backwards depends on its estimate of how
common the term is. This script takes `--sample` distinct bigrams of the seeded names
(a fixed seed: the same terms every run, rare and common alike), runs the list's
first-page query for each as the 西湖区 inspector with EXPLAIN (ANALYZE) and prints
p50 / p95 / max of the execution time and the slowest terms with their plans.

Target (issue 15): p95 under 15 ms, no term over 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_safety.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--show", type=int, default=3, help="plans of the slowest terms")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from enterprises.filters import search_enterprises
    from enterprises.models import Enterprise
    from hangzhou_safety.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT unnest(search_bigrams) FROM enterprises_enterprise")
        terms = sorted(row[0] for row in cursor.fetchall())
    rng = random.Random(20261202)  # noqa: S311 (a fixed sample, not a secret)
    sample = rng.sample(terms, min(args.sample, len(terms)))
    inspector = User.objects.get(username="xihu_inspector")
    visible = Enterprise.objects.visible_to(inspector)

    results = []
    for term in sample:
        qs = search_enterprises(visible, term).order_by("-id")[:51]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
        results.append((plan[0]["Execution Time"], term, plan))
    times = sorted(t for t, _term, _plan in results)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"{len(terms)} distinct bigrams, {len(sample)} sampled; execution time ms: "
          f"p50 {statistics.median(times):.1f}, p95 {p95:.1f}, max {times[-1]:.1f}; "
          f"over 50 ms: {sum(t > 50 for t in times)}")
    for elapsed, term, plan in sorted(results, key=lambda r: r[0], reverse=True)[:args.show]:
        print(f"\n{term}: {elapsed:.1f} ms")
        node = plan[0]["Plan"]
        depth = 0
        while node:
            print("  " * depth + f"{node['Node Type']} {node.get('Index Name', '')} "
                  f"rows={node.get('Actual Rows')}")
            children = node.get("Plans") or []
            node = children[0] if children else None
            depth += 1


if __name__ == "__main__":
    main()
