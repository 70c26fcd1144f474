"""The fault test: 1,000 changes through a real worker that is SIGKILLed mid-batch, a
platform failing 30 % of requests and down for a stretch (benchmarks/credit_push.py
runs 10,000)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from credit.fakeplatform.server import FakePlatform
from tests.credit import faults
from tests.platform.drivers._inspections import enterprise

#: 1,000 in CI; `make bench` sets 10,000 (benchmarks/credit_push.sh).
CHANGES = int(os.environ.get("CREDIT_FAULT_CHANGES", "1000"))
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_thousand_changes_exactly_once_in_order(reference_data: None, settings: Any) -> None:
    platform = FakePlatform(seed=7).start()
    from tests.credit.helpers import platform_settings

    settings.CREDIT_PLATFORMS = platform_settings(platform.url)
    try:
        enterprises = [enterprise() for _ in range(max(25, CHANGES // 40))]
        result = faults.run(platform, enterprises, CHANGES, timeout=400 + CHANGES / 10)
        faults.check(platform, CHANGES)
        assert result.injected_failures > 0
    finally:
        platform.stop()
    print(result)  # noqa: T201 (the figures for the note)
