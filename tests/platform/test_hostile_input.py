"""Generated hostile input: every write operation of the schema (each documented body
field in turn), every query parameter of the schema and every field of the staff
pages' GET forms (search boxes, filters) gets NUL bytes, other control characters,
10,000-character strings, huge integers (2**63), nested JSON, malformed cursors and
wrong content types.

Expected: never a 5xx; a refusal is a 4xx with the documented error body on the API
(``code``, ``detail`` in Chinese, ``detail_en``) and writes nothing (rows and audit
events counted per request). Control characters are always refused (the boundary);
the other values may be accepted only where the schema documents them as valid (a
string without maxLength, a page filter that simply finds nothing).

Requests are sent as the municipal administrator, who passes every role and
jurisdiction check, so the hostile value reaches the deepest validation.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from hangzhou_safety.audit.models import AuditEvent
from tests.platform import surface
from tests.platform.world import World

# Marks the session as using the test database (a module fixture alone would not).
pytestmark = pytest.mark.django_db

CONTROL = {"nul": "检查\x00记录", "bell": "检查\x07记录", "escape": "\x1b[2J检查"}
LONG = "隐" * 10_000
HUGE = 2**63
CURSORS = ["cD1hYmM=", "cD0xJTI3", "!!!", "cD0tMQ==", "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5"]
NESTED = "[" * 2000 + "]" * 2000
ERROR_KEYS = {"code", "detail", "detail_en"}
FIGURES = {"requests": 0}

WRITES = [e for e in surface.api_endpoints() if e.method in ("post", "put", "patch", "delete")]
READS = [e for e in surface.api_endpoints() if e.method == "get"]


def _operation(endpoint: surface.Endpoint) -> dict[str, Any]:
    return surface.openapi_schema()["paths"][endpoint.template][endpoint.method]


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = surface.openapi_schema()["components"]["schemas"][name]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _deref(node["allOf"][0])
    return node


def body_fields(endpoint: surface.Endpoint) -> dict[str, dict[str, Any]]:
    """The documented JSON body properties of a write (empty when it takes none)."""
    content = (_operation(endpoint).get("requestBody") or {}).get("content", {})
    media = content.get("application/json") or content.get("multipart/form-data") or {}
    schema = _deref(media.get("schema") or {})
    if schema.get("type") == "array":
        schema = _deref(schema.get("items") or {})
    return {name: _deref(prop) for name, prop in (schema.get("properties") or {}).items()
            if not prop.get("readOnly")}


def query_parameters(endpoint: surface.Endpoint) -> list[dict[str, Any]]:
    return [p for p in _operation(endpoint).get("parameters", []) if p.get("in") == "query"]


def hostile_values(prop: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """(label, value, must be refused) for a documented property."""
    kind = prop.get("type")
    out: list[tuple[str, Any, bool]] = [(k, v, True) for k, v in CONTROL.items()]
    out.append(("long", LONG, kind != "string" or "maxLength" in prop or "enum" in prop
                or "format" in prop))
    # A number where text is expected is text (harmless); a number field needs a range.
    out.append(("huge", HUGE, kind in ("integer", "number")))
    out.append(("nested", [[[[{"a": [[[[1]]]]}]]]], kind not in ("array", "object")))
    return out


@pytest.fixture(scope="module")
def admin_clients(world: World, django_db_blocker: Any) -> tuple[APIClient, Client]:
    with django_db_blocker.unblock():
        api = APIClient()
        api.force_authenticate(world.users["admin"])
        web = Client()
        web.force_login(world.users["admin"])
    return api, web


def send(client: Any, method: str, path: str, **kwargs: Any) -> tuple[Any, bool]:
    cache.clear()
    FIGURES["requests"] += 1
    with surface.atomic():
        writes, events = surface.writes_so_far(), AuditEvent.objects.count()
        if method == "get":  # the values go into the query string
            response = client.get(path, kwargs.get("data"))
        else:
            response = client.generic(method.upper(), path, **kwargs)
        wrote = surface.writes_so_far() != writes or AuditEvent.objects.count() != events
        transaction.set_rollback(True)
    return response, wrote


def check(problems: list[str], label: str, response: Any, wrote: bool, refuse: bool,
          api: bool = True) -> None:
    status = response.status_code
    if status >= 500:
        problems.append(f"{label}: {status}")
        return
    if refuse and not 400 <= status < 500:
        problems.append(f"{label}: {status}, expected a 4xx refusal")
    if 400 <= status < 500:
        if wrote:
            problems.append(f"{label}: refused with {status} but wrote")
        if api:
            body = response.json() if response["Content-Type"].startswith(
                "application/json") else None
            if not isinstance(body, dict) or not set(body) >= ERROR_KEYS:
                problems.append(f"{label}: {status} without the error body: "
                                f"{response.content[:120]!r}")


def _path(endpoint: surface.Endpoint, world: World) -> str:
    resolved = surface.resolve(endpoint, world.users["admin"], None)
    assert resolved is not None, f"{endpoint.id}: no object to request"
    return resolved.path


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: e.id)
def test_write_bodies(endpoint: surface.Endpoint, in_world: World,
                      admin_clients: tuple[APIClient, Client]) -> None:
    api, _ = admin_clients
    path = _path(endpoint, in_world)
    problems: list[str] = []
    array_body = body_fields(endpoint) and _deref(
        (_operation(endpoint).get("requestBody") or {}).get("content", {})
         .get("application/json", {}).get("schema") or {}).get("type") == "array"
    for name, prop in body_fields(endpoint).items():
        for label, value, refuse in hostile_values(prop):
            row = {name: value}
            payload = [row] if array_body else row
            response, wrote = send(api, endpoint.method, path,
                                   data=_json(payload), content_type="application/json")
            check(problems, f"{name}={label}", response, wrote, refuse)
    if not _operation(endpoint).get("requestBody"):
        assert problems == [], f"{endpoint.id}\n  " + "\n  ".join(problems)
        return  # a step without a body never parses one: its content type is moot
    for label, data, content_type in (
            ("nested JSON", NESTED, "application/json"),
            ("NUL in a JSON key", '{"a\\u0000b": 1}', "application/json"),
            ("malformed JSON", '{"a": ', "application/json"),
            ("text/plain", "检查", "text/plain"),
            ("XML", "<a>1</a>", "application/xml")):
        response, wrote = send(api, endpoint.method, path, data=data,
                               content_type=content_type)
        check(problems, label, response, wrote, True)
    assert problems == [], f"{endpoint.id}\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("endpoint", [e for e in READS if query_parameters(e)],
                         ids=lambda e: e.id)
def test_query_parameters(endpoint: surface.Endpoint, in_world: World,
                          admin_clients: tuple[APIClient, Client]) -> None:
    api, _ = admin_clients
    path = _path(endpoint, in_world)
    problems: list[str] = []
    for parameter in query_parameters(endpoint):
        name = parameter["name"]
        prop = _deref(parameter.get("schema") or {})
        values = [(k, v, True) for k, v in CONTROL.items()]
        values += [("long", LONG, prop.get("type") != "string" or "maxLength" in prop
                    or "enum" in prop or "format" in prop),
                   # Refused where the schema bounds it (page_size); a filter on an
                   # unbounded number finds nothing (no 5xx, no write).
                   ("huge", str(HUGE), prop.get("type") == "integer" and "maximum" in prop),
                   ("not a boolean", "隐患", prop.get("type") == "boolean")]
        if name == "cursor":
            values += [(f"cursor {c}", c, True) for c in CURSORS]
        for label, value, refuse in values:
            response, wrote = send(api, "get", path, data={name: value})
            check(problems, f"?{name}={label}", response, wrote, refuse)
            if wrote:
                problems.append(f"?{name}={label}: a read wrote")
    assert problems == [], f"{endpoint.id}\n  " + "\n  ".join(problems)


_INPUT = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def get_form_fields(html: str) -> set[str]:
    fields: set[str] = set()
    for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S | re.I):
        attributes, inner = form.group(1), form.group(2)
        if re.search(r"method=\"post\"", attributes, re.I):
            continue
        fields |= set(_INPUT.findall(inner))
    return fields - {"csrfmiddlewaretoken"}


PAGES = [e for e in surface.page_endpoints() if e.method == "get"
         and e.template.lstrip("/") not in surface.PUBLIC_PAGES | {"logout/"}]


@pytest.mark.parametrize("endpoint", PAGES, ids=lambda e: e.id)
def test_page_search_boxes(endpoint: surface.Endpoint, in_world: World,
                           admin_clients: tuple[APIClient, Client]) -> None:
    _, web = admin_clients
    path = _path(endpoint, in_world)
    page, _ = send(web, "get", path)
    assert page.status_code < 500
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return  # a download or a redirect: no form to fill
    problems: list[str] = []
    for name in sorted(get_form_fields(page.content.decode())):
        values = [(k, v, True) for k, v in CONTROL.items()]
        values += [("long", LONG, False), ("huge", str(HUGE), False),
                   ("cursor", CURSORS[0], False)]
        for label, value, refuse in values:
            response, wrote = send(web, "get", path, data={name: value})
            check(problems, f"?{name}={label}", response, wrote, refuse, api=False)
            if wrote:
                problems.append(f"?{name}={label}: a search wrote")
    assert problems == [], f"{endpoint.id}\n  " + "\n  ".join(problems)


def _json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)
