"""Fixtures of the credit tests: the fake credit platform on a free port of 127.0.0.1,
with the platform settings pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from credit.fakeplatform.server import FakePlatform
from tests.credit.helpers import platform_settings


@pytest.fixture
def fake_platform(settings: Any) -> Iterator[FakePlatform]:
    platform = FakePlatform(seed=13).start()
    settings.CREDIT_PLATFORMS = platform_settings(platform.url)
    settings.CREDIT_OUTBOX_TIMEOUT = 2
    yield platform
    platform.stop()


@pytest.fixture
def case_world(reference_data: None, calendar_data: None, clock_rules: None,
               threshold_data: None, xihu_inspector: Any, xihu_chief: Any,
               xihu_approver: Any) -> dict[str, Any]:
    from tests.platform.drivers._cases import second_inspector

    return {"inspector": xihu_inspector, "inspector2": second_inspector(),
            "approver": xihu_approver}


@pytest.fixture
def rating_rules(db: Any) -> None:
    """The seeded rating rule table (migration credit 0004), re-seeded after a flush."""
    from credit.ratings.models import RatingRule
    from credit.ratings.seeding import seed_rules

    seed_rules(RatingRule)
