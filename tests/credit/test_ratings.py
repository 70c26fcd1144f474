"""Integrity ratings: the rule table and its explanations, the annual computation in a
fixed number of queries, review by someone else, publication pushed through the outbox,
the immediate downgrade on a blacklisting, commitments, and the key-supervision hook."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from credit.blacklist import services as blacklist
from credit.blacklist.models import BlacklistEntry
from credit.outbox.models import OutboxMessage
from credit.ratings import rules, services
from credit.ratings.models import IntegrityRating, RatingRule
from credit.ratings.seeding import DEFAULT_RULES
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.api.errors import Forbidden
from hangzhou_safety.workflow import IllegalTransition
from inspections.key_supervision.services import bad_credit
from tests.platform.drivers._blacklist import make_entry
from tests.platform.drivers._cases import PERSONAS
from tests.platform.drivers._inspections import enterprise

pytestmark = pytest.mark.django_db
R = IntegrityRating.Status
YEAR = timezone.localdate().year


@pytest.fixture
def world(request: pytest.FixtureRequest, rating_rules: None) -> None:
    for name in PERSONAS:
        request.getfixturevalue(name)


def _inputs(**kw: Any) -> dict[str, Any]:
    base = {"grade": "none", "violations": 0, "blacklisted": False, "broken_commitments": 0,
            "listed_major_hazards": 0}
    return {**base, **kw}


def test_the_rule_table_gives_a_level_and_says_why() -> None:
    table = [dict(r, id=i) for i, r in enumerate(DEFAULT_RULES)]
    clean = rules.evaluate(_inputs(grade="1"), table)
    assert clean.level == "A" and any("安全生产标准化等级：1" in line for line in clean.explanation)
    assert rules.evaluate(_inputs(grade="3"), table).level == "B"
    one = rules.evaluate(_inputs(grade="1", violations=1), table)
    assert one.level == "C" and "年度违法信息（条）：1（规则：≥1）" in one.explanation
    assert rules.evaluate(_inputs(violations=3), table).level == "D"
    listed = rules.evaluate(_inputs(grade="2", blacklisted=True), table)
    assert listed.level == "D" and "列入严重失信主体名单：是（规则：=是）" in listed.explanation
    with pytest.raises(ValueError):
        rules.evaluate(_inputs(), [{"rank": 1, "level": "A", "match": "any",
                                    "conditions": [{"input": "nope", "op": ">=", "value": 1}],
                                    "description": "x"}])
    with pytest.raises(ValueError):
        rules.evaluate(_inputs(violations=1), table[:1])


def _rated_sites(authority: Authority, n: int) -> list[Enterprise]:
    """``n`` operating enterprises above designated size supervised by ``authority``."""
    sites = list(Enterprise.objects.filter(supervising_authority=authority,
                                           status=Enterprise.Status.OPERATING)[:n])
    while len(sites) < n:
        sites.append(enterprise())
    Enterprise.objects.filter(pk__in=[s.pk for s in sites]).update(
        above_designated_size=True, supervising_authority=authority)
    return [Enterprise.objects.get(pk=s.pk) for s in sites]


def test_compute_review_publish(world: None, xihu_inspector: Any, xihu_chief: Any,
                                xihu_approver: Any) -> None:
    authority = xihu_inspector.authority
    _rated_sites(authority, 5)
    expected = services.rated_enterprises(authority).count()
    assert expected >= 5
    assert services.compute_year(authority, YEAR, actor=xihu_inspector) == expected
    again = services.compute_year(authority, YEAR, actor=xihu_inspector)
    assert again == expected  # unpublished ratings are replaced, never doubled
    rating = IntegrityRating.objects.filter(authority=authority, year=YEAR,
                                            status=R.COMPUTED).first()
    assert rating is not None and rating.explanation and rating.inputs
    with pytest.raises(Forbidden):
        services.review(rating, actor=xihu_inspector)  # the inspector computed it
    with pytest.raises(IllegalTransition):
        services.publish(rating, actor=xihu_approver)  # not reviewed yet
    services.review(rating, actor=xihu_chief)
    with pytest.raises(Forbidden):
        services.publish(rating, actor=xihu_chief)  # the head publishes
    published = services.publish(rating, actor=xihu_approver)
    assert published.status == R.PUBLISHED
    assert OutboxMessage.objects.filter(topic="rating.publish", key=f"rating:{rating.pk}").exists()


def test_the_computation_costs_the_same_queries_for_5_and_40(world: None,
                                                             xihu_inspector: Any) -> None:
    authority = xihu_inspector.authority
    _rated_sites(authority, 5)
    services.compute_year(authority, YEAR, actor=xihu_inspector)  # warm caches
    with CaptureQueriesContext(connection) as few:  # replaces 5 unpublished ratings
        services.compute_year(authority, YEAR, actor=xihu_inspector)
    _rated_sites(authority, 40)
    with CaptureQueriesContext(connection) as many:  # replaces 5, adds 35 more
        services.compute_year(authority, YEAR, actor=xihu_inspector)
    assert IntegrityRating.objects.filter(year=YEAR).exclude(status=R.SUPERSEDED).count() >= 40
    assert len(many) == len(few)


def test_a_blacklisting_downgrades_at_once(world: None, xihu_approver: Any,
                                           xihu_inspector: Any) -> None:
    entry = make_entry(BlacklistEntry.Status.OBJECTION)
    site = entry.enterprise
    Enterprise.objects.filter(pk=site.pk).update(above_designated_size=True,
                                                 standardisation_grade="1",
                                                 supervising_authority=entry.authority)
    services.compute_year(entry.authority, YEAR, actor=xihu_inspector)
    before = IntegrityRating.objects.get(enterprise=site, year=YEAR, status=R.COMPUTED)
    assert before.level == "A"
    blacklist.decide(entry, actor=xihu_approver, decision_number="西应急失〔2026〕9号")
    now = IntegrityRating.objects.exclude(status=R.SUPERSEDED).get(enterprise=site, year=YEAR)
    assert now.level == "D" and now.status == R.PUBLISHED and now.reason == "downgrade"
    assert "列入严重失信主体名单" in now.explanation[0] and "原等级：A级" in now.explanation
    before.refresh_from_db()
    assert before.status == R.SUPERSEDED
    assert OutboxMessage.objects.filter(topic="rating.publish", key=f"rating:{now.pk}").exists()
    # Already at D: a second event changes nothing.
    assert services.downgrade(site, level="C", why="再次") is None
    assert bad_credit(Enterprise.objects.filter(pk=site.pk), YEAR) == {site.pk}


def test_a_broken_commitment_is_an_input(world: None, xihu_inspector: Any,
                                         binjiang_inspector: Any) -> None:
    site = _rated_sites(xihu_inspector.authority, 1)[0]
    Enterprise.objects.filter(pk=site.pk).update(standardisation_grade="2")
    today = timezone.localdate()
    commitment = services.record_commitment(site, actor=xihu_inspector,
                                            signed_on=today - datetime.timedelta(days=30),
                                            content="严格落实安全生产主体责任")
    with pytest.raises(Forbidden):
        services.record_breach(commitment, actor=binjiang_inspector, on=today, reason="x")
    services.record_breach(commitment, actor=xihu_inspector, on=today, reason="未按承诺整改")
    services.compute_year(xihu_inspector.authority, YEAR, actor=xihu_inspector)
    rating = IntegrityRating.objects.get(enterprise=site, year=YEAR, status=R.COMPUTED)
    assert rating.level == "C" and rating.inputs["broken_commitments"] == 1


def test_the_pages(world: None, web_as: Any, api_as: Any, xihu_inspector: Any,
                   xihu_chief: Any, binjiang_inspector: Any) -> None:
    _rated_sites(xihu_inspector.authority, 2)
    client = web_as(xihu_inspector)
    client.post(reverse("credit:rating_compute"), {"year": YEAR})
    listing = client.get(reverse("credit:rating_list"), {"year": YEAR}).content.decode()
    assert 'data-testid="rating-row"' in listing
    rating = IntegrityRating.objects.filter(year=YEAR, status=R.COMPUTED).first()
    assert rating is not None
    detail = client.get(reverse("credit:rating_detail", args=[rating.pk])).content.decode()
    assert rating.explanation[0] in detail
    refused = client.post(reverse("credit:rating_step", args=[rating.pk, "review"]),
                          follow=True).content.decode()
    assert "alert-danger" in refused
    web_as(xihu_chief).post(reverse("credit:rating_step", args=[rating.pk, "review"]))
    rating.refresh_from_db()
    assert rating.status == R.REVIEWED
    api = api_as(xihu_inspector).get("/api/v1/credit/ratings/", {"year": YEAR}).json()
    assert rating.pk in [r["id"] for r in api["results"]]
    assert api_as(binjiang_inspector).get(f"/api/v1/credit/ratings/{rating.pk}/").status_code \
        == 404
    assert RatingRule.objects.count() == len(DEFAULT_RULES)


def test_a_breach_from_the_page(world: None, web_as: Any, xihu_inspector: Any,
                                binjiang_inspector: Any) -> None:
    site = _rated_sites(xihu_inspector.authority, 1)[0]
    services.compute_year(xihu_inspector.authority, YEAR, actor=xihu_inspector)
    rating = IntegrityRating.objects.get(enterprise=site, year=YEAR, status=R.COMPUTED)
    client = web_as(xihu_inspector)
    client.post(reverse("credit:rating_commitment_add", args=[rating.pk]),
                {"signed_on": "2026-01-05", "content": "落实全员安全生产责任制"})
    commitment = site.credit_commitments.get()
    url = reverse("credit:commitment_breach", args=[commitment.pk])
    assert web_as(binjiang_inspector).post(url, {"on": "2026-02-01", "reason": "x"}
                                           ).status_code == 404
    client = web_as(xihu_inspector)
    bad = client.post(url, {"on": "not a date", "reason": "未整改", "rating": rating.pk},
                      follow=True).content.decode()
    assert "日期" in bad
    done = client.post(url, {"on": "2026-02-01", "reason": "未按承诺整改", "rating": rating.pk})
    assert done.url == reverse("credit:rating_detail", args=[rating.pk])
    commitment.refresh_from_db()
    assert commitment.broken_on == datetime.date(2026, 2, 1)
