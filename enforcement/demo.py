"""Demo data of the enforcement app (called by `manage.py seed_demo`): the cases."""

from __future__ import annotations

import random
from typing import Any

from enforcement.cases import demo as cases_demo
from enforcement.grounds.seeding import seed_thresholds
from enforcement.portal import demo as portal_demo


def seed(*, rng: random.Random, scale: int, stdout: Any) -> None:
    # The cases read the procedure thresholds (hearing right, summary limits); seeded by
    # migration, they are gone from a database flushed since (tests).
    seed_thresholds()
    cases_demo.seed(stdout=stdout)
    portal_demo.seed(stdout=stdout)
