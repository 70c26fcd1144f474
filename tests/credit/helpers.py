"""Helpers of the credit tests: platform settings and the fake platform's admin routes."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def platform_settings(url: str) -> dict[str, dict[str, Any]]:
    return {code: {"name": code, "endpoint": f"{url}/{code}/records",
                   "acks": f"{url}/{code}/acks", "token": "t", "fields": {"uscc": "CF_XDR_SHXYM"}}
            for code in ("hz_public", "joint")}


def admin_post(url: str, path: str, data: dict[str, Any]) -> Any:
    request = urllib.request.Request(  # noqa: S310 (127.0.0.1 only)
        f"{url}/_admin/{path}", data=json.dumps(data).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (127.0.0.1)
        return json.load(response)


def admin_get(url: str, path: str) -> Any:
    with urllib.request.urlopen(f"{url}/_admin/{path}", timeout=30) as response:  # noqa: S310
        return json.load(response)
