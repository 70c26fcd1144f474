"""Retry delays of the relay: capped exponential back-off with full jitter.

Pure arithmetic, no Django: the delay before attempt ``n + 1`` after ``n`` failures is
drawn uniformly from [0, min(cap, base * 2**(n-1))] ("full jitter"), so the retries of
many rows that failed together (the platform was down) spread out instead of arriving
at the recovered platform in one wave.
"""

from __future__ import annotations

import random


def ceiling(failures: int, *, base: float, cap: float) -> float:
    """The upper bound of the delay after ``failures`` consecutive failures."""
    if failures <= 0:
        return 0.0
    exponent = min(failures - 1, 62)  # 2**62 already exceeds any sensible cap
    return min(cap, base * (2 ** exponent))


def delay(failures: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    upper = ceiling(failures, base=base, cap=cap)
    # At least a tenth of the bound, so a retry never comes back at once in a tight loop.
    return (rng or random).uniform(upper / 10, upper)
