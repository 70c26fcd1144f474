"""The public decisions API's cached answers (hangzhou_safety.api.cached): a repeated
request is answered without the database; a publication, a withdrawal and an expiry
by the sweep each make the next request read the database again, inside the
transaction and after its commit; the cache key keeps hosts and languages apart;
cached answers still count against the per-client throttle; only anonymous views
with one client throttle can be wrapped."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import PUBLIC_DECISIONS, Disclosure
from enforcement.disclosure.sweep import sweep
from enforcement.portal.api import PublicDecisionListView
from hangzhou_safety.api.cached import cached_answer
from hangzhou_safety.boundary.throttling import AnonClientRateThrottle
from hangzhou_safety.cache import generation
from tests.enforcement.portal_helpers import walk_to_published

pytestmark = pytest.mark.django_db
API = "/api/v1/public/decisions/"


def _ids(client: Client, path: str = API) -> list[int]:
    return [row["id"] for row in client.get(path).json()["results"]]


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_a_repeated_request_is_answered_without_the_database(
        case_world: dict[str, Any]) -> None:
    row = walk_to_published(case_world, title="未按规定开展安全生产教育和培训")
    client = Client()
    for path in (API, f"{API}?q=培训&district=330106", f"{API}{row.pk}/"):
        first = client.get(path)
        with CaptureQueriesContext(connection) as captured:
            again = client.get(path)
        assert captured.captured_queries == []
        assert again.status_code == 200 and again.json() == first.json()
        assert again["Content-Type"] == first["Content-Type"] == "application/json"
        assert again["Cache-Control"] == "no-store"  # the middleware still marks it
    # A 400 is never stored: it is computed again (and stays a 400).
    for _ in range(2):
        assert client.get(API, {"q": "培"}).status_code == 400
    # A parameter the view does not read bypasses the cache (junk cannot fill it).
    assert _queries(client, f"{API}?q=培训&junk=1") > 0
    assert _queries(client, f"{API}?q=培训&junk=1") > 0


def test_publication_withdrawal_and_expiry_reach_the_next_request(
        case_world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    first = walk_to_published(case_world, title="未按规定开展安全生产教育和培训")
    assert _ids(client) == [first.pk]
    before = generation(PUBLIC_DECISIONS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = walk_to_published(case_world, title="危险化学品储存不符合国家标准")
    assert callbacks  # the bump after commit ran, beside the one at the move
    assert generation(PUBLIC_DECISIONS) > before
    assert _ids(client) == [second.pk, first.pk]
    assert client.get(f"{API}{first.pk}/").status_code == 200

    disclosure.withdraw(first, actor=case_world["inspector"], reason="决定已撤销")
    assert _ids(client) == [second.pk]
    assert client.get(f"{API}{first.pk}/").status_code == 404

    # The hourly sweep expires with one set-based move (transition_many).
    Disclosure.objects.filter(pk=second.pk).update(
        publication_ends_on=datetime.date(2020, 1, 1))
    assert _ids(client) == [second.pk]  # an update outside the workflow: still cached
    result = sweep()
    assert Disclosure.objects.get(pk=second.pk).status == Disclosure.Status.EXPIRED, result
    assert _ids(client) == []


def test_hosts_and_languages_get_answers_of_their_own(case_world: dict[str, Any],
                                                      settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "portal.example.cn"]
    walk_to_published(case_world)
    walk_to_published(case_world, documents=False)
    client = Client()
    local = client.get(f"{API}?page_size=1").json()
    other = client.get(f"{API}?page_size=1", HTTP_HOST="portal.example.cn").json()
    assert local["next"].startswith("http://testserver/")
    assert other["next"].startswith("http://portal.example.cn/")
    chinese = client.get(API).json()["results"][0]["decision_type_label"]
    english = client.get(API, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert chinese == "行政处罚决定" and english["decision_type_label"] != chinese
    assert client.get(API).json()["results"][0]["decision_type_label"] == chinese


def test_cached_answers_count_against_the_throttle(case_world: dict[str, Any],
                                                   settings: Any) -> None:
    walk_to_published(case_world)
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], anon="3/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for address in ("198.51.100.7", "198.51.100.8"):  # windows left by an earlier run
        cache.delete(AnonClientRateThrottle.cache_format % {"scope": "anon", "ident": address})
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert [client.get(API).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(API)
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) == 60
    assert Client(REMOTE_ADDR="198.51.100.8").get(API).status_code == 200


def test_only_anonymous_throttled_views_can_be_cached() -> None:
    class Personal(PublicDecisionListView):
        authentication_classes = [object]

    with pytest.raises(ImproperlyConfigured, match="no authentication"):
        cached_answer(Personal.as_view(), PUBLIC_DECISIONS, params=())
    with pytest.raises(ImproperlyConfigured, match="no authentication"):
        cached_answer(PublicDecisionListView.as_view(), "", params=())

    class Unthrottled(PublicDecisionListView):
        throttle_classes: list[Any] = []

    with pytest.raises(ImproperlyConfigured, match="one AnonClientRateThrottle"):
        cached_answer(Unthrottled.as_view(), PUBLIC_DECISIONS, params=())


def test_an_unreachable_cache_does_not_refuse_a_publication(
        case_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    # Every Redis command fails, as when the server is down.
    monkeypatch.setattr(cache._cache, "get_client", down)  # type: ignore[attr-defined]
    row = walk_to_published(case_world)
    assert row.status == Disclosure.Status.PUBLISHED
    assert "not bumped" in caplog.text
