"""schemathesis over every operation of the OpenAPI schema, against a live server,
anonymously and with each persona's Bearer token (shared by the bounded test in the
suite and the unbounded run in ``make bench``).

Cases are generated from the schema (schemathesis' positive generation), half of them
with the path parameters set to real objects of the persona's jurisdiction (from
``surface.resolve``) so they reach the views rather than stopping at a 404. Checks:
no 5xx, status code documented, content type and body conform to the schema.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from tests.platform import surface
from tests.platform.world import PERSONAS, World

PASSWORD = "Fuzz-2026-hz"
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]


@dataclass
class Report:
    cases: int = 0
    operations: set[str] = field(default_factory=set)
    server_errors: list[str] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)


def tokens(base_url: str, world: World) -> dict[str, str | None]:
    """A Bearer token per persona from POST /api/v1/auth/token/ (None: anonymous)."""
    out: dict[str, str | None] = {"anonymous": None}
    for persona, user in world.users.items():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        cache.clear()
        response = requests.post(f"{base_url}/api/v1/auth/token/", timeout=30,
                                 json={"username": user.username, "password": PASSWORD})
        assert response.status_code == 200, (persona, response.status_code, response.text)
        out[persona] = response.json()["token"]
    assert set(out) == {"anonymous", *PERSONAS}
    return out


def _real_path_parameters(operation: Any, user: Any) -> dict[str, Any] | None:
    endpoint = surface.Endpoint("api", operation.method.lower(), operation.path)
    if not endpoint.params or user is None:
        return None
    resolved = surface.resolve(endpoint, user, None)
    if resolved is None:
        return None
    values = resolved.path.strip("/").split("/")
    names = endpoint.template.strip("/").split("/")
    return {name[1:-1]: value for name, value in zip(names, values, strict=True)
            if name.startswith("{")}


def run(base_url: str, world: World, *, max_examples: int, deadline_ms: int,
        budget_s: float) -> Report:
    """Fuzz every operation for every persona; stop generating when the budget is
    spent (every operation still gets at least one case per persona)."""
    schema = schemathesis.openapi.from_dict(surface.openapi_schema())
    report = Report()
    started = time.monotonic()
    session = requests.Session()
    for persona, token in tokens(base_url, world).items():
        user = world.users.get(persona)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for result in schema.get_all_operations():
            operation = result.ok()
            report.operations.add(operation.label)
            strategy = operation.as_strategy()
            real = _real_path_parameters(operation, user)
            if real:
                strategy = st.one_of(strategy, operation.as_strategy(path_parameters=real))
            over_budget = time.monotonic() - started > budget_s
            _fuzz_operation(report, session, base_url, strategy, persona, headers,
                            operation.label, 1 if over_budget else max_examples,
                            deadline_ms)
    return report


def _fuzz_operation(report: Report, session: requests.Session, base_url: str, strategy: Any,
                    persona: str, headers: dict[str, str], label: str, max_examples: int,
                    deadline_ms: int) -> None:
    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def fuzz(case: Any) -> None:
        cache.clear()  # the anonymous throttle would answer 429 to a fuzzer
        report.cases += 1
        t0 = time.monotonic()
        try:
            response = case.call_and_validate(base_url=base_url, session=session,
                                              headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (reported at the end)
            text = str(exc).strip().splitlines()
            kind = next((line for line in text if line.strip()), type(exc).__name__)
            key = f"{label} as {persona}: {kind.strip()[:160]}"
            report.failures[key] += 1
            report.examples.setdefault(key, "\n".join(text[:40]))
            if "Server error" in str(exc):
                report.server_errors.append(key)
            return
        elapsed_ms = (time.monotonic() - t0) * 1000
        if elapsed_ms > deadline_ms:
            report.failures[f"{label} as {persona}: slower than {deadline_ms} ms "
                            f"({elapsed_ms:.0f} ms, {response.status_code})"] += 1

    fuzz()


def summary(report: Report) -> str:
    lines = [f"{report.cases} cases over {len(report.operations)} operations, "
             f"{len(report.server_errors)} 5xx"]
    for key, count in report.failures.most_common():
        lines.append(f"- {count}× {key}")
        lines.append("    " + report.examples.get(key, "").replace("\n", "\n    "))
    return "\n".join(lines)
