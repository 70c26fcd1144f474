"""The generated permission matrix: every API operation (from the OpenAPI schema) and
every staff page (from the URL resolver, GET and POST) × every persona (the municipal
admin; approver, chief, inspector and auditor of 西湖区 and of 滨江区) × an object of
the persona's own jurisdiction, an object of the other district, and anonymous.

Expected:
- anonymous: 401/403 on the API, a redirect to the login page on pages, except the
  public allow-list in ``surface.PUBLIC_API`` / ``PUBLIC_PAGES``;
- another jurisdiction's object: 404 (403 or 405 only when the persona's own object
  gets the same answer: the role or method is refused before any lookup), never a write;
- a role outside the roles an API view declares (``roles_allowed``): 403; the auditor
  never writes anywhere (403 or 405 on every unsafe method);
- never a 5xx; a refused request (4xx) writes nothing, not even an audit event (counted
  with PostgreSQL's per-transaction statistics);
- a list answers only rows the persona may see.

Endpoints come from the URL conf and the schema; path parameters are filled by
``surface.COLLECTIONS``, and an unmapped one fails with what to add. Each request runs
in its own savepoint, so an allowed write does not change what the next persona sees.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import resolve as resolve_path
from rest_framework.permissions import SAFE_METHODS
from rest_framework.test import APIClient

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.audit.models import AuditEvent
from tests.platform import surface
from tests.platform.world import PERSONAS, World

# Marks the session as using the test database (a module fixture alone would not).
pytestmark = pytest.mark.django_db

API = surface.api_endpoints()
PAGES = surface.page_endpoints()
ENDPOINTS = API + PAGES
UNSAFE = {"post", "put", "patch", "delete"}
#: Pages a logged-in user is sent away from (to the home page) rather than shown.
LOGIN_PAGES = {"/login/"}

FIGURES = {"requests": 0, "endpoints": len(ENDPOINTS)}


@dataclass
class Outcome:
    status: int
    wrote: bool
    location: str = ""
    body: Any = None
    error: str = ""


def send(client: Any, endpoint: surface.Endpoint, path: str) -> Outcome:
    """One request in its own savepoint (rolled back), with the writes it made."""
    cache.clear()  # throttles: the matrix is not a flood
    FIGURES["requests"] += 1
    # POST /logout/ flushes the session; the rollback restores its row, this the cookie.
    cookies = copy.deepcopy(client.cookies)
    try:
        return _send(client, endpoint, path)
    finally:
        client.cookies = cookies


def _send(client: Any, endpoint: surface.Endpoint, path: str) -> Outcome:
    with surface.atomic():
        writes, events = surface.writes_so_far(), AuditEvent.objects.count()
        try:
            if endpoint.kind == "api":
                response = client.generic(endpoint.method.upper(), path,
                                          data="{}" if endpoint.method in UNSAFE else "",
                                          content_type="application/json")
            elif endpoint.method == "get":
                response = client.get(path)
            else:
                response = client.post(path, {})
        except Exception as exc:  # noqa: BLE001  (a 500, reported with its cause)
            transaction.set_rollback(True)
            return Outcome(500, False, error=f"{type(exc).__name__}: {exc}")
        wrote = (surface.writes_so_far() != writes or AuditEvent.objects.count() != events)
        transaction.set_rollback(True)
    body = None
    if endpoint.kind == "api" and response.get("Content-Type", "").startswith(
            "application/json"):
        body = response.json()
    return Outcome(response.status_code, wrote, response.get("Location", ""), body)


def declared_roles(endpoint: surface.Endpoint, path: str) -> tuple[str, ...] | None:
    """The roles the API view's ``roles_allowed`` permission admits for this method."""
    match = resolve_path(path.split("?")[0])
    view = match.func
    cls = getattr(view, "cls", None)
    if cls is None:
        return None
    initkwargs = getattr(view, "initkwargs", {}) or {}
    classes = initkwargs.get("permission_classes", cls.permission_classes)
    allowed: set[str] | None = None
    for permission in classes:
        roles = (getattr(permission, "read_roles", None)
                 if endpoint.method.upper() in SAFE_METHODS
                 else getattr(permission, "write_roles", None))
        if roles is not None:
            allowed = set(roles) if allowed is None else allowed & set(roles)
    return tuple(allowed) if allowed is not None else None


def reads_alike(client: Any, endpoint: surface.Endpoint, path: str, posted: Outcome) -> bool:
    """A read-only page that answers POST as GET (200, nothing written) is no write."""
    if endpoint.kind != "page" or posted.status != 200 or posted.wrote:
        return False
    read = send(client, surface.Endpoint("page", "get", endpoint.template), path)
    return read.status == 200


def is_public(endpoint: surface.Endpoint) -> bool:
    if endpoint.kind == "api":
        return (endpoint.method, endpoint.template) in surface.PUBLIC_API
    return endpoint.template.lstrip("/") in surface.PUBLIC_PAGES


def listed_ids_outside(endpoint: surface.Endpoint, outcome: Outcome, user: Any) -> list[Any]:
    """Ids in a list answer that the user may not see (an API list of a collection)."""
    if endpoint.kind != "api" or endpoint.method != "get" or endpoint.template.endswith("}/"):
        return []
    body = outcome.body
    rows = body.get("results") if isinstance(body, dict) else body
    segment = endpoint.template.rstrip("/").rsplit("/", 1)[-1]
    col = surface.COLLECTIONS.get((segment, "id"))
    if col is None or not isinstance(rows, list) or col.scope == "global":
        return []
    ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
    seen = set(surface.visible(col, user).filter(pk__in=ids).values_list("pk", flat=True))
    return [i for i in ids if i not in seen]


def clients(world: World, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for persona in PERSONAS:
        user = world.users[persona]
        if kind == "api":
            client = APIClient()
            client.force_authenticate(user)
        else:
            client = Client()
            client.force_login(user)
        out[persona] = client
    return out


@pytest.fixture(scope="module")
def persona_clients(world: World, django_db_blocker: Any) -> dict[str, dict[str, Any]]:
    with django_db_blocker.unblock():
        return {"api": clients(world, "api"), "page": clients(world, "page")}


def test_every_api_route_is_in_the_schema() -> None:
    # A route the schema omits would escape the schema-driven checks.
    assert surface.undocumented_api_routes() == []


def test_every_path_parameter_is_mapped() -> None:
    problems = []
    for endpoint in ENDPOINTS:
        for segment, name in endpoint.params:
            if name in dict(endpoint.fixed):
                continue
            try:
                surface.collection_for(endpoint, segment, name)
            except surface.UnmappedParameter as exc:
                problems.append(str(exc))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_matrix(endpoint: surface.Endpoint, in_world: World,
                persona_clients: dict[str, dict[str, Any]]) -> None:
    problems: list[str] = []
    login_url = resolve_url("web:login")
    public = is_public(endpoint)

    # Anonymous, on an object of 西湖区 (the object does not matter: nobody is known).
    target = surface.resolve(endpoint, in_world.users["xihu_approver"], None)
    assert target is not None, f"{endpoint.id}: no 西湖区 object to request"
    anonymous = APIClient() if endpoint.kind == "api" else Client()
    seen = send(anonymous, endpoint, target.path)
    if seen.status >= 500:
        problems.append(f"anonymous: {seen.status} {seen.error}")
    elif not public:
        if endpoint.kind == "api" and seen.status not in (401, 403):
            problems.append(f"anonymous: {seen.status}, expected 401/403")
        if endpoint.kind == "page" and not (
                (seen.status == 302 and seen.location.startswith(login_url))
                or seen.status == 405):
            problems.append(f"anonymous: {seen.status} {seen.location}, expected the login")
        if seen.wrote:
            problems.append("anonymous: wrote")

    for persona, (_, role, _district) in PERSONAS.items():
        user = in_world.users[persona]
        client = persona_clients[endpoint.kind][persona]
        own = surface.resolve(endpoint, user, None)
        if own is None:
            problems.append(f"{persona}: no own object to request (add one to "
                            f"tests/platform/world.py)")
            continue
        mine = send(client, endpoint, own.path)
        where = f"{persona} own {own.path}"
        if mine.status >= 500:
            problems.append(f"{where}: {mine.status} {mine.error}")
        if mine.status >= 400 and mine.wrote:
            problems.append(f"{where}: refused with {mine.status} but wrote")
        allowed = declared_roles(endpoint, own.path) if endpoint.kind == "api" else None
        if allowed is not None and role not in allowed and not user.is_superuser \
                and mine.status != 403:
            problems.append(f"{where}: role {role} not in {sorted(allowed)} but "
                            f"{mine.status}, expected 403")
        if role == Role.AUDITOR and endpoint.method in UNSAFE and not public \
                and endpoint.template not in LOGIN_PAGES and mine.status not in (403, 405) \
                and not reads_alike(client, endpoint, own.path, mine):
            problems.append(f"{where}: the auditor's {endpoint.method.upper()} got "
                            f"{mine.status}, expected 403/405")
        # A public list shows everyone everything it publishes: no jurisdiction to leak
        # (and /public/decisions/ lists disclosures, not the staff "decisions").
        if mine.status == 200 and mine.body is not None and not public:
            leaked = listed_ids_outside(endpoint, mine, user)
            if leaked:
                problems.append(f"{where}: lists ids outside the jurisdiction {leaked[:5]}")

        outsider = in_world.outsider(persona)
        if outsider is None or not endpoint.params or public:
            continue
        other = surface.resolve(endpoint, user, outsider)
        if other is None:
            continue  # a global collection (reference rows): there is no other side
        theirs = send(client, endpoint, other.path)
        where = f"{persona} other {other.path}"
        expected = {404} | ({mine.status} if mine.status in (403, 405) else set())
        if theirs.status not in expected:
            problems.append(f"{where}: {theirs.status} {theirs.error}, expected "
                            f"{sorted(expected)}")
        if theirs.wrote:
            problems.append(f"{where}: wrote into another jurisdiction")
    assert problems == [], f"{endpoint.id}\n  " + "\n  ".join(problems)
