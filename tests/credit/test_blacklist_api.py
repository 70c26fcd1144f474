"""The blacklist's API and pages: staff entries in their jurisdiction with every step, the
partner query (partner tokens only, logged), the public list (current entries only,
nothing personal), and the outbox page (municipal administrator only)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from credit.blacklist.models import BlacklistEntry, RestrictionQuery
from credit.outbox.models import Delivery, OutboxMessage
from tests.conftest import make_user
from tests.platform.drivers._blacklist import art114_decision, make_entry
from tests.platform.drivers._cases import PERSONAS

pytestmark = pytest.mark.django_db
B = BlacklistEntry.Status
API = "/api/v1/credit/blacklist/"


@pytest.fixture
def world(request: pytest.FixtureRequest) -> None:
    for name in PERSONAS:
        request.getfixturevalue(name)


@pytest.fixture
def partner(reference_data: None) -> Any:
    return make_user("p_partner", "partner", "EM-330106")


def test_staff_read_their_jurisdiction_only(world: None, api_as: Any, xihu_inspector: Any,
                                            binjiang_inspector: Any) -> None:
    entry = make_entry(B.PUBLISHED)
    listing = api_as(xihu_inspector).get(API)
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [entry.pk]
    detail = api_as(xihu_inspector).get(f"{API}{entry.pk}/").json()
    assert detail["status"] == "published" and detail["ground_article"].startswith("令11号")
    assert api_as(binjiang_inspector).get(f"{API}{entry.pk}/").status_code == 404
    assert api_as(binjiang_inspector).get(API).json()["results"] == []


def test_propose_and_steps_through_the_api(world: None, api_as: Any, xihu_approver: Any,
                                           binjiang_approver: Any) -> None:
    decision = art114_decision()
    client = api_as(xihu_approver)
    body = {"decision": decision.pk, "ground": "fine_art114", "reasons": "情节特别严重"}
    assert api_as(binjiang_approver).post(API, body, format="json").status_code == 400
    bad = client.post(API, {**body, "ground": "nonsense"}, format="json")
    assert bad.status_code == 400 and bad.json()["detail"]
    created = client.post(API, body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    early = client.post(f"{API}{pk}/publish/", {}, format="json")
    assert early.status_code == 409 and early.json()["detail_en"]
    notified = client.post(f"{API}{pk}/notify/", {}, format="json").json()
    assert notified["status"] == "notified" and notified["objection_due"]
    # The objection window is still open: no decision yet (400, nothing changed).
    refused = client.post(f"{API}{pk}/decide/", {"decision_number": "西应急失〔2026〕2号"},
                          format="json")
    assert refused.status_code == 400 and "异议期" in refused.json()["detail"]
    objection = client.post(f"{API}{pk}/objection/", {"text": "当事人提出异议"}, format="json")
    assert objection.json()["status"] == "objection"
    client.post(f"{API}{pk}/answer-objection/", {"text": "经复核不予采纳"}, format="json")
    decided = client.post(f"{API}{pk}/decide/", {"decision_number": "西应急失〔2026〕2号"},
                          format="json").json()
    assert decided["status"] == "decided" and len(decided["restrictions"]) > 0
    published = client.post(f"{API}{pk}/publish/", {}, format="json").json()
    assert published["status"] == "published"
    assert OutboxMessage.objects.filter(topic="blacklist.include",
                                        enterprise_id=decided["enterprise"]).count() == 1


def test_the_partner_query_needs_a_partner(world: None, api_as: Any, anonymous: Any,
                                           partner: Any, xihu_approver: Any) -> None:
    entry = make_entry(B.PUBLISHED)
    url = f"/api/v1/credit/restrictions/?uscc={entry.enterprise.uscc}"
    answer = api_as(partner).get(url)
    assert answer.status_code == 200 and answer.json()["restricted"] is True
    assert answer.json()["entries"][0]["decision_number"] == entry.decision_number
    clean = api_as(partner).get("/api/v1/credit/restrictions/?uscc=91330106MA2001150H").json()
    assert clean["restricted"] is False
    assert RestrictionQuery.objects.filter(user=partner).count() == 2
    short = api_as(partner).get("/api/v1/credit/restrictions/?uscc=123")
    assert short.status_code == 400 and short.json()["detail"]
    assert api_as(xihu_approver).get(url).status_code == 403
    assert anonymous.get(url).status_code in (401, 403)
    # Partners read no staff route.
    assert api_as(partner).get(API).status_code == 403
    assert RestrictionQuery.objects.filter(user=partner).count() == 2


def test_the_public_list_shows_current_entries_only(world: None, anonymous: Any) -> None:
    shown = make_entry(B.PUBLISHED)
    BlacklistEntry.objects.filter(pk=shown.pk).update(principal_name="张三")
    waiting = make_entry(B.DECIDED)
    gone = make_entry(B.EXPIRED, decided_on=datetime.date(2022, 1, 5))
    rows = anonymous.get("/api/v1/public/blacklist/").json()["results"]
    assert [r["id"] for r in rows] == [shown.pk]
    assert "张三" not in str(rows) and "principal_name" not in rows[0]
    by_name = anonymous.get("/api/v1/public/blacklist/", {"q": shown.enterprise.name[:4]})
    assert [r["id"] for r in by_name.json()["results"]] == [shown.pk]
    by_code = anonymous.get("/api/v1/public/blacklist/", {"q": shown.enterprise.uscc.lower()})
    assert [r["id"] for r in by_code.json()["results"]] == [shown.pk]
    page = anonymous.get(reverse("credit:public_blacklist")).content.decode()
    assert shown.enterprise.name in page
    assert waiting.enterprise.name not in page and gone.enterprise.name not in page


def test_the_staff_pages_take_a_step(world: None, web_as: Any, xihu_approver: Any,
                                     binjiang_inspector: Any) -> None:
    entry = make_entry(B.PROPOSED)
    client = web_as(xihu_approver)
    listing = client.get(reverse("credit:blacklist_list")).content.decode()
    assert entry.enterprise.name in listing
    page = client.get(reverse("credit:blacklist_detail", args=[entry.pk])).content.decode()
    assert 'data-testid="step-notify"' in page
    after = client.post(reverse("credit:blacklist_step", args=[entry.pk, "notify"]),
                        follow=True).content.decode()
    assert 'data-testid="step-objection"' in after
    entry.refresh_from_db()
    assert entry.status == B.NOTIFIED
    refused = client.post(reverse("credit:blacklist_step", args=[entry.pk, "publish"]),
                          follow=True).content.decode()
    assert 'alert-danger' in refused
    entry.refresh_from_db()
    assert entry.status == B.NOTIFIED
    other = web_as(binjiang_inspector).get(reverse("credit:blacklist_detail", args=[entry.pk]))
    assert other.status_code == 404


def test_the_outbox_page_is_for_the_municipal_administrator(
        world: None, web_as: Any, xihu_approver: Any, municipal_admin: Any) -> None:
    from django.db import transaction

    from credit.outbox import services as outbox

    admin = municipal_admin
    entry = make_entry(B.PUBLISHED)
    with transaction.atomic():
        message = outbox.enqueue(topic="blacklist.include", enterprise_id=entry.enterprise_id,
                                 key="test:1", payload={"x": 1})
    dead = Delivery.objects.filter(message=message).first()
    assert dead is not None
    Delivery.objects.filter(pk=dead.pk).update(status=Delivery.Status.DEAD, attempts=8,
                                               last_error="HTTP 503")
    assert web_as(xihu_approver).get(reverse("credit:outbox")).status_code == 403
    client = web_as(admin)
    page = client.get(reverse("credit:outbox")).content.decode()
    assert f"retry-{dead.pk}" in page and "HTTP 503" in page
    client.post(reverse("credit:outbox_retry", args=[dead.pk]), {"reason": "平台已恢复"})
    dead.refresh_from_db()
    assert dead.status == Delivery.Status.PENDING and dead.attempts == 0
