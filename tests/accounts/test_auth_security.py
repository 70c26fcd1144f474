"""Tokens, password rules, lockout, idle timeout and login auditing (MLPS level 3)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.utils import timezone

from hangzhou_safety.accounts.client_ip import client_ip
from hangzhou_safety.accounts.middleware import LAST_SEEN_KEY, LAST_SEEN_RESOLUTION
from hangzhou_safety.accounts.models import ApiToken, User
from hangzhou_safety.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_issue_and_use(anonymous, xihu_inspector):
    response = anonymous.post("/api/v1/auth/token/",
                              {"username": "p_xihu_inspector", "password": PASSWORD},
                              format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires"}
    # Only the hash is stored.
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    me = anonymous.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "p_xihu_inspector"
    assert AuditEvent.objects.filter(action="auth.token_issued",
                                     actor_id=xihu_inspector.pk).exists()


def test_expired_token_is_rejected(anonymous, xihu_inspector):
    response = anonymous.post("/api/v1/auth/token/",
                              {"username": "p_xihu_inspector", "password": PASSWORD},
                              format="json")
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    response = anonymous.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_wrong_password_gives_chinese_error_and_is_audited(anonymous, xihu_inspector):
    response = anonymous.post("/api/v1/auth/token/",
                              {"username": "p_xihu_inspector", "password": "wrong"},
                              format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_credentials", "detail": "用户名或密码错误。",
                               "detail_en": "Wrong username or password."}
    failed = AuditEvent.objects.filter(action="auth.login_failed").last()
    assert failed is not None and failed.new_values == {"username": "p_xihu_inspector"}


def test_missing_fields_give_field_errors(anonymous):
    response = anonymous.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "username" in body["errors"]
    assert body["detail"] and body["detail_en"]


def test_lockout_after_five_failures(client, xihu_inspector):
    for _ in range(4):
        response = client.post("/login/", {"username": "p_xihu_inspector", "password": "bad"})
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    # The fifth failure locks the account.
    response = client.post("/login/", {"username": "p_xihu_inspector", "password": "bad"})
    assert response.status_code == 403
    # Locked now: even the right password is refused for 30 minutes.
    response = client.post("/login/", {"username": "p_xihu_inspector", "password": PASSWORD})
    assert response.status_code == 403
    assert "锁定 30 分钟" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_lockout_applies_to_the_api(anonymous, xihu_inspector):
    for _ in range(5):
        anonymous.post("/api/v1/auth/token/", {"username": "p_xihu_inspector",
                                               "password": "bad"}, format="json")
    response = anonymous.post("/api/v1/auth/token/", {"username": "p_xihu_inspector",
                                                      "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "locked_out"


def test_successful_login_is_audited_with_ip(client, xihu_inspector):
    response = client.post("/login/", {"username": "p_xihu_inspector", "password": PASSWORD},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == xihu_inspector.pk
    assert event.actor_name == "西湖执法员"
    assert event.client_ip == "10.1.2.3"


@pytest.mark.parametrize("password, ok", [
    ("Short-1a", False),              # too short
    ("alllowercaseletters", False),   # one class
    ("lowercase12345678", False),     # two classes
    ("Password1234", False),          # common (three classes, still refused)
    ("Qiantang-River-77", True),
    ("钱塘江Tide-2026x", True),
])
def test_password_rules(password, ok):
    user = User(username="wangjianguo")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_password_must_not_contain_username():
    with pytest.raises(ValidationError) as exc:
        validate_password("Wangjianguo-2026", User(username="wangjianguo"))
    assert any("用户名" in m or "username" in m.lower() for m in exc.value.messages)


def test_idle_session_is_ended(web_as, xihu_inspector):
    client = web_as(xihu_inspector)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(timezone.now().timestamp()) - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert AuditEvent.objects.filter(action="auth.session_expired").exists()


def test_a_busy_session_is_written_once_a_minute_not_on_every_page(
        web_as, xihu_inspector, django_assert_max_num_queries):
    client = web_as(xihu_inspector)
    assert client.get("/calendar/").status_code == 200
    stamp = client.session[LAST_SEEN_KEY]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/calendar/").status_code == 200
    assert not [q for q in queries.captured_queries
                if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert client.session[LAST_SEEN_KEY] == stamp
    # A stamp older than the resolution is renewed, so an active user is never logged out.
    session = client.session
    session[LAST_SEEN_KEY] = stamp - LAST_SEEN_RESOLUTION
    session.save()
    assert client.get("/calendar/").status_code == 200
    assert client.session[LAST_SEEN_KEY] >= stamp


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"  # the entry our proxy appended
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="junk")
    assert client_ip(request) == "10.0.0.1"


def test_client_ip_ignores_forwarded_header_without_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.1"
