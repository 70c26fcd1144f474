"""The random-draw algorithm, v1: a pure function of seed, canonical snapshot and
size, with no Django import, so anyone can re-run a published draw."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- The algorithm (pure) ---------------------------------------------------------

def canonical_snapshot(snapshot: dict[str, Any]) -> bytes:
    """The bytes hashed into snapshot_sha256: sorted keys, no whitespace, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_snapshot(snapshot)).hexdigest()


def seed_to_int(seed: str) -> int:
    # Python's hash() of a str is salted per process: never use it for a seed.
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")


@dataclass
class DrawOutcome:
    """Everything v1 decided: the assignments and what it could not do, and why."""

    assignments: list[dict[str, Any]] = field(default_factory=list)
    requested: int = 0
    eligible: int = 0
    capped: list[int] = field(default_factory=list)        # at the yearly cap
    skipped: list[int] = field(default_factory=list)       # fewer than 2 inspectors left

    @property
    def shortfall(self) -> bool:
        return len(self.assignments) < self.requested

    def report(self) -> dict[str, Any]:
        return {"requested": self.requested, "eligible": self.eligible,
                "drawn": len(self.assignments), "capped": self.capped,
                "skipped": self.skipped, "shortfall": self.shortfall}


def _recusals(snapshot: dict[str, Any]) -> dict[int, set[int]]:
    recused: dict[int, set[int]] = {}
    for key in ("conflicts", "last_inspectors"):
        for inspector, enterprise in snapshot.get(key, []):
            recused.setdefault(int(enterprise), set()).add(int(inspector))
    return recused


def _pick_least_loaded(rng: random.Random, candidates: list[int],
                       load: dict[int, int]) -> int:
    fewest = min(load[c] for c in candidates)
    return rng.choice([c for c in candidates if load[c] == fewest])


def run_v1(seed: str, snapshot: dict[str, Any], n: int) -> DrawOutcome:
    # Reproducibility, not secrecy, is the point: the seed itself is secrets-generated.
    rng = random.Random(seed_to_int(seed))  # noqa: S311
    cap = int(snapshot["cap"])
    counts = {int(k): int(v) for k, v in snapshot.get("counts", {}).items()}
    enterprises = sorted(int(e) for e in snapshot["enterprises"])
    inspectors = sorted(int(i) for i in snapshot["inspectors"])
    recused = _recusals(snapshot)

    outcome = DrawOutcome(requested=n)
    eligible = [e for e in enterprises if counts.get(e, 0) < cap]
    outcome.capped = [e for e in enterprises if counts.get(e, 0) >= cap]
    outcome.eligible = len(eligible)
    sampled = rng.sample(eligible, min(max(n, 0), len(eligible)))
    load = dict.fromkeys(inspectors, 0)
    for enterprise in sampled:
        candidates = [i for i in inspectors if i not in recused.get(enterprise, set())]
        if len(candidates) < 2:
            outcome.skipped.append(enterprise)
            continue
        first = _pick_least_loaded(rng, candidates, load)
        second = _pick_least_loaded(rng, [c for c in candidates if c != first], load)
        load[first] += 1
        load[second] += 1
        outcome.assignments.append({"enterprise": enterprise, "inspectors": [first, second]})
    return outcome


def draw_v1(seed: str, snapshot: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """[{"enterprise": id, "inspectors": [a, b]}] in drawn order (see module docstring)."""
    return run_v1(seed, snapshot, n).assignments


ALGORITHMS: dict[str, Callable[[str, dict[str, Any], int], list[dict[str, Any]]]] = {
    "v1": draw_v1,
}
#: The same algorithms with their report (capped / skipped / shortfall).
DETAILED: dict[str, Callable[[str, dict[str, Any], int], DrawOutcome]] = {"v1": run_v1}


