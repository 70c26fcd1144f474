"""The fake platform's WSGI app.

Routes (``<p>`` is a platform code, e.g. ``hz_public`` or ``joint``):

- ``POST /<p>/records`` with ``Idempotency-Key``: stores the push once, 200
  ``{"accepted": true, "duplicate": false}`` (a repeat: ``duplicate: true``);
- ``GET /<p>/acks``: the acknowledgement list ``{"keys": [...]}`` for reconciliation;
- ``GET /_admin/received[?platform=p]``, ``GET /_admin/counters``;
- ``POST /_admin/faults`` ``{"fail_rate": 0.3, "delay": 0.5, "down": false}``: fail
  that share of pushes with a 503, answer slowly, or refuse everything but /_admin
  (the server object can also really stop listening: see ``server.FakePlatform``);
- ``POST /_admin/reset``.

A failed push is decided *before* it is stored, as a real outage would be; a slow
answer is slept *after* storing, so a client timing out has in fact delivered (the
idempotency key then makes its retry harmless).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .store import Store

StartResponse = Callable[..., Any]


@dataclass
class Faults:
    fail_rate: float = 0.0
    delay: float = 0.0
    down: bool = False


class FakePlatformApp:
    def __init__(self, store: Store, *, seed: int | None = None) -> None:
        self.store = store
        self.faults = Faults()
        self._rng = random.Random(seed)  # noqa: S311 (simulated faults, not secrets)
        self._rng_lock = threading.Lock()

    def _json(self, start: StartResponse, status: str, data: Any) -> list[bytes]:
        payload = json.dumps(data, ensure_ascii=False).encode()
        start(status, [("Content-Type", "application/json; charset=utf-8"),
                       ("Content-Length", str(len(payload)))])
        return [payload]

    def _body(self, environ: dict[str, Any]) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return json.loads(environ["wsgi.input"].read(length) or b"{}")

    def __call__(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        parts = [p for p in path.split("/") if p]
        try:
            if parts[:1] == ["_admin"]:
                return self._admin(environ, start, method, parts[1:])
            if self.faults.down:
                return self._json(start, "503 Service Unavailable", {"error": "down"})
            if len(parts) == 2 and parts[1] == "records" and method == "POST":
                return self._push(environ, start, parts[0])
            if len(parts) == 2 and parts[1] == "acks" and method == "GET":
                return self._json(start, "200 OK", {"keys": self.store.keys(parts[0])})
        except (ValueError, KeyError, TypeError) as exc:
            return self._json(start, "400 Bad Request", {"error": str(exc)})
        return self._json(start, "404 Not Found", {"error": "no such route"})

    def _push(self, environ: dict[str, Any], start: StartResponse, platform: str) -> list[bytes]:
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
        if not key:
            return self._json(start, "400 Bad Request", {"error": "Idempotency-Key missing"})
        body = self._body(environ)
        with self._rng_lock:
            fail = self._rng.random() < self.faults.fail_rate
        if fail:
            self.store.bump("failed")
            return self._json(start, "503 Service Unavailable", {"error": "injected failure"})
        fresh = self.store.put(platform, key, body)
        self.store.bump("accepted" if fresh else "duplicate")
        if self.faults.delay:
            time.sleep(self.faults.delay)
        return self._json(start, "200 OK", {"accepted": True, "duplicate": not fresh})

    def _admin(self, environ: dict[str, Any], start: StartResponse, method: str,
               parts: list[str]) -> list[bytes]:
        if parts == ["faults"] and method == "POST":
            data = self._body(environ)
            self.faults = Faults(fail_rate=float(data.get("fail_rate", 0)),
                                 delay=float(data.get("delay", 0)),
                                 down=bool(data.get("down", False)))
            return self._json(start, "200 OK", vars(self.faults))
        if parts == ["received"] and method == "GET":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            platform = query.get("platform", [None])[0]
            return self._json(start, "200 OK", {"received": self.store.received(platform)})
        if parts == ["counters"] and method == "GET":
            return self._json(start, "200 OK", self.store.counters())
        if parts == ["reset"] and method == "POST":
            self.store.reset()
            self.faults = Faults()
            return self._json(start, "200 OK", {"reset": True})
        return self._json(start, "404 Not Found", {"error": "no such admin route"})
