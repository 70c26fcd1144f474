"""Demo data of the enforcement app (called by `manage.py seed_demo`): the cases."""

from __future__ import annotations

import random
from typing import Any

from enforcement.cases import demo as cases_demo


def seed(*, rng: random.Random, scale: int, stdout: Any) -> None:
    cases_demo.seed(stdout=stdout)
