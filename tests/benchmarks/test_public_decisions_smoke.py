"""The public decisions benchmark at a tiny scale (benchmarks/public_decisions.py):
its set-based seeding makes published rows the portal finds, every case it would
measure answers 200 (the admin changelist as the superuser), the deep cursor really
is half-way down, and the search is answered from the partial indexes (the plan with
sequential scans disabled names them; at 1,000 rows the planner may rightly prefer a
scan otherwise). Speed is measured by the benchmark, never asserted here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from enforcement.disclosure.models import Disclosure
from enforcement.portal import selectors

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "public_decisions.py"
pytestmark = pytest.mark.django_db


def _module() -> Any:
    sys.path.insert(0, str(BENCH.parent))
    spec = importlib.util.spec_from_file_location("public_decisions", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_seeds_and_every_case_answers(reference_data: None) -> None:
    bench = _module()
    bench.seed(1000, verbose=False)
    assert bench.bench_rows() == 1000
    bench.seed(1000, verbose=False)  # idempotent: nothing more
    assert Disclosure.objects.filter(status="published").count() == 1000
    cases = bench.build_cases()
    assert [c.name for c in cases][0].startswith("floor")
    assert set(bench.smoke(cases).values()) == {200}
    hits = selectors.search(selectors.parse_filters({"q": "化工", "district": "330106"}))
    assert hits.exists()
    deep = next(c for c in cases if c.name.startswith("API deep cursor page q=化工"))
    assert "cursor=" in deep.path
    from django.test import Client

    page = Client().get(deep.path).json()["results"]
    first = Client().get(deep.path.split("&cursor=")[0]).json()["results"]
    assert page and first and page[0]["id"] < first[0]["id"]


@pytest.mark.parametrize("term", ["化工", "富辉化工", "应急罚"])
def test_the_search_is_index_backed(reference_data: None, term: str) -> None:
    _module().seed(1000, verbose=False)
    rows = selectors.search(selectors.parse_filters({"q": term, "district": "330106"}))
    sql, params = rows[:21].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "disclosure_pub_" in plan, plan
