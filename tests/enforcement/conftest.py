"""Fixtures of the enforcement tests: the personas, the clock rules and thresholds."""

from __future__ import annotations

from typing import Any

import pytest

from hangzhou_safety.accounts.models import User
from tests.platform.drivers._cases import second_inspector


@pytest.fixture
def case_world(reference_data: None, calendar_data: None, clock_rules: None,
               threshold_data: None, xihu_inspector: User, xihu_chief: User,
               xihu_approver: User) -> dict[str, Any]:
    return {"inspector": xihu_inspector, "inspector2": second_inspector(),
            "chief": xihu_chief, "approver": xihu_approver}
