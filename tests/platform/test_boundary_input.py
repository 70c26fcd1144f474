"""Hostile input at the platform's edge: answered 4xx with the error body, nothing stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import User
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.boundary.parsers import MAX_DEPTH, json_depth_exceeds
from hangzhou_safety.boundary.reporting import CredentialMaskingFilter, mask_credentials

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]
LISTS = ["/api/v1/enterprises/", "/api/v1/audit/events/", "/api/v1/plans/",
         "/api/v1/inspections/", "/api/v1/draws/"]


def _body(response: Any) -> dict[str, Any]:
    return json.loads(response.content)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("cursor", ["cD1hYmM%3D", "cD0xJTI3", "not-base64!!",
                                    "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5"])
def test_crafted_cursor_is_a_400_on_every_list(api_as: Any, municipal_admin: User, path: str,
                                               cursor: str) -> None:
    response = api_as(municipal_admin).get(f"{path}?cursor={cursor}")
    assert response.status_code == 400, response.content
    body = _body(response)
    assert body["code"] == "invalid_cursor" and body["detail"] and body["detail_en"]


def test_deeply_nested_json_is_refused_anonymously_at_the_token_endpoint() -> None:
    response = APIClient().post("/api/v1/auth/token/", data="[" * 2000 + "]" * 2000,
                                content_type="application/json")
    assert response.status_code == 400
    assert _body(response)["code"] == "too_deep"


def test_depth_scan_ignores_brackets_in_strings() -> None:
    assert not json_depth_exceeds(json.dumps({"note": "[" * 500}))
    assert json_depth_exceeds("[" * (MAX_DEPTH + 1))
    assert not json_depth_exceeds("[" * MAX_DEPTH + "]" * MAX_DEPTH)


@pytest.mark.parametrize("value", ["化工\x00厂", "a\x07b", "\u0000", "x\x1by"])
def test_control_characters_in_json_are_refused_and_nothing_is_stored(
        api_as: Any, municipal_admin: User, value: str) -> None:
    before = (Enterprise.objects.count(), AuditEvent.objects.count())
    response = api_as(municipal_admin).post(
        "/api/v1/enterprises/", data=json.dumps({"name": value, "uscc": "91330106MA27XXXX0X"}),
        content_type="application/json")
    assert response.status_code == 400
    assert _body(response)["code"] == "control_characters"
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == before


def test_control_characters_in_a_nested_json_key_are_refused(api_as: Any,
                                                              municipal_admin: User) -> None:
    response = api_as(municipal_admin).post(
        "/api/v1/enterprises/", data='{"contacts": [{"na\\u0000me": "x"}]}',
        content_type="application/json")
    assert response.status_code == 400 and "contacts[0]" in _body(response)["detail_en"]


@pytest.mark.parametrize("path", ["/api/v1/audit/events/?action=a%00b",
                                  "/api/v1/enterprises/?search=%E5%8C%96%00",
                                  "/enterprises/?search=%00", "/audit/?action=%00"])
def test_nul_in_query_parameters_is_a_400(web_as: Any, municipal_admin: User, path: str) -> None:
    response = web_as(municipal_admin).get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert _body(response)["code"] == "control_characters"
    else:
        assert "控制字符" in response.content.decode()


def test_nul_in_a_page_form_is_a_400_page_and_nothing_is_stored(web_as: Any,
                                                                 municipal_admin: User) -> None:
    before = Enterprise.objects.count()
    response = web_as(municipal_admin).post("/enterprises/new/", {"name": "化工\x00厂"})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert Enterprise.objects.count() == before


def test_tab_and_newline_stay_allowed_in_text(web_as: Any, municipal_admin: User) -> None:
    response = web_as(municipal_admin).get("/enterprises/?search=%E5%8C%96%09%E5%B7%A5")
    assert response.status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_body_over_the_limit_is_a_413_with_the_error_body(api_as: Any,
                                                          municipal_admin: User) -> None:
    response = api_as(municipal_admin).post(
        "/api/v1/enterprises/", data=json.dumps({"name": "x" * 5000}),
        content_type="application/json")
    assert response.status_code == 413
    assert _body(response)["code"] == "request_too_large"


@override_settings(DEBUG=False)
def test_unknown_api_path_is_a_json_404(api_as: Any, municipal_admin: User) -> None:
    response = api_as(municipal_admin).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert _body(response)["code"] == "not_found"


def test_unknown_page_is_the_products_404_page(web_as: Any, municipal_admin: User) -> None:
    response = web_as(municipal_admin).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_csrf_failure_on_the_api_is_named_as_such(municipal_admin: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(municipal_admin)
    response = client.post("/api/v1/enterprises/", data={"name": "x"}, format="json")
    assert response.status_code == 403
    assert _body(response)["code"] == "csrf_failed"


def test_csrf_failure_on_a_page_is_named_as_such(municipal_admin: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(municipal_admin)
    response = client.post("/enterprises/new/", {"name": "x"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_api_responses_are_not_stored(api_as: Any, municipal_admin: User) -> None:
    response = api_as(municipal_admin).get("/api/v1/enterprises/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@override_settings(TRUSTED_PROXY_COUNT=0, REST_FRAMEWORK={
    **__import__("django.conf").conf.settings.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "public_page": "3/minute"}})
def test_anonymous_limit_cannot_be_escaped_by_rotating_x_forwarded_for() -> None:
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    api_settings.reload()
    cache.clear()
    try:
        client = APIClient()
        statuses = [client.get("/api/v1/public/inspections/NOPE0000/",
                               HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
                    for n in range(5)]
        assert statuses[:3] != [429] * 3 and statuses[3:] == [429, 429]
        pages = [Client().get("/public/verify/NOPE0000/",
                              HTTP_X_FORWARDED_FOR=f"10.0.1.{n}").status_code
                 for n in range(5)]
        assert pages[3:] == [429, 429]
    finally:
        cache.clear()
        api_settings.reload()


def test_one_client_on_the_public_api_and_the_token_endpoint_shares_one_limit() -> None:
    # Stop 24's fixed-window counter sat under DRF's own throttle key, which the token
    # endpoint read as a list of timestamps: a 500 for any client that had searched
    # the portal first.
    client = APIClient()
    assert client.get("/api/v1/public/decisions/").status_code == 200
    response = client.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"},
                           format="json")
    assert response.status_code == 400, response.content


def test_debug_is_off_by_default_and_needs_no_secret_in_the_environment(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY")}
    env["HS_VAR_DIR"] = str(tmp_path)
    code = "import hangzhou_safety.settings as s; print(s.DEBUG, len(s.SECRET_KEY))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,  # noqa: S603
                         text=True, check=True, cwd=str(REPO_ROOT))
    debug, length = out.stdout.split()
    assert debug == "False" and int(length) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_exception_reports_mask_credentials_in_urls() -> None:
    assert mask_credentials("redis://:s3cret@cache:6379/0") == "redis://********@cache:6379/0"
    assert mask_credentials("postgres://app:pw@db/hs") == "postgres://********@db/hs"
    assert mask_credentials("https://example.org/a:b") == "https://example.org/a:b"
    reporter = CredentialMaskingFilter()
    assert "s3cret" not in str(reporter.cleanse_setting("CELERY_RESULT_BACKEND",
                                                        "redis://:s3cret@h/1"))
    assert "pw" not in str(reporter.cleanse_setting("SOMETHING", "postgres://u:pw@h/d"))
