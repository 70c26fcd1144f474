"""schemathesis from pytest against the live test server: every operation of the
schema, anonymously and with each persona's Bearer token, bounded for CI (a few cases
per operation and persona, a time budget). No 5xx, every answer as documented (status
code, content type, body). The unbounded run is ``make bench`` (benchmarks/fuzz_api.py).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.platform import fuzzing
from tests.platform.world import reload_reference_data, seeded_world


@pytest.fixture(scope="module", autouse=True)
def reference_data_restored(django_db_blocker: Any) -> Any:
    """After the module (so after the transactional test's flush): the reference data
    the migrations loaded, committed again, so later tests find the database as the
    migrations left it."""
    yield
    with django_db_blocker.unblock():
        reload_reference_data()


@pytest.mark.django_db(transaction=True)
def test_every_operation_as_every_persona(live_server: Any, settings: Any,
                                          tmp_path: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    world = seeded_world()
    budget = float(os.environ.get("HS_FUZZ_BUDGET_S", "150")) or float("inf")
    report = fuzzing.run(live_server.url, world, deadline_ms=5000, budget_s=budget,
                         max_examples=int(os.environ.get("HS_FUZZ_MAX_EXAMPLES", "3")))
    print("\n" + fuzzing.summary(report))
    assert len(report.operations) == len(fuzzing.surface.api_endpoints())
    assert report.cases >= len(report.operations) * 10
    assert not report.failures, fuzzing.summary(report)
