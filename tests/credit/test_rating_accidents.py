"""Accidents in the rating: an input of the annual computation with its explanation, and
a major accident (as the rule table's ``immediate`` row defines it) downgrades the
current rating at once, through the blacklisting's path, pushed through the outbox."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from credit.outbox.models import OutboxMessage
from credit.ratings import rules, services
from credit.ratings.inputs import read_inputs
from credit.ratings.models import IntegrityRating, RatingRule
from credit.ratings.seeding import DEFAULT_RULES
from enforcement.accidents import services as accidents
from enterprises.models import Enterprise
from hangzhou_safety.audit.models import AuditEvent
from tests.platform.drivers._cases import PERSONAS
from tests.platform.drivers._inspections import enterprise

pytestmark = pytest.mark.django_db
R = IntegrityRating.Status
YEAR = timezone.localdate().year


@pytest.fixture
def world(request: pytest.FixtureRequest, rating_rules: None, case_world: Any) -> None:
    for name in PERSONAS:
        request.getfixturevalue(name)


def _rated(authority: Any, grade: str = "1") -> Enterprise:
    site = enterprise()
    Enterprise.objects.filter(pk=site.pk).update(above_designated_size=True,
                                                 standardisation_grade=grade,
                                                 supervising_authority=authority)
    return Enterprise.objects.get(pk=site.pk)


def _register(actor: Any, site: Enterprise, deaths: int) -> Any:
    occurred = timezone.now() - datetime.timedelta(hours=2)
    reported = occurred + datetime.timedelta(minutes=30)
    return accidents.register_accident(
        actor=actor, enterprise=site, occurred_at=occurred, place="三号仓库", deaths=deaths,
        serious_injuries=0, direct_loss="100000", reported_by_unit_at=reported,
        received_at=reported, summary="坍塌")


def test_the_rule_table_reads_the_accident_inputs() -> None:
    table = [dict(r, id=i) for i, r in enumerate(DEFAULT_RULES)]
    base = {"grade": "1", "violations": 0, "blacklisted": False, "broken_commitments": 0,
            "listed_major_hazards": 0, "accidents": 0, "worst_accident": "无"}
    assert rules.evaluate(base, table).level == "A"
    one = rules.evaluate({**base, "accidents": 1, "worst_accident": "一般事故"}, table)
    assert one.level == "C" and "年度生产安全事故（起）：1（规则：≥1）" in one.explanation
    major = rules.evaluate({**base, "accidents": 1, "worst_accident": "重大事故"}, table)
    assert major.level == "D" and major.rule["immediate"] is True
    assert ("年度生产安全事故最高等级：重大事故（规则：属于重大事故、特别重大事故）"
            in major.explanation)


def test_accidents_of_the_year_are_an_input_with_explanation(world: None,
                                                             xihu_inspector: Any) -> None:
    site = _rated(xihu_inspector.authority)
    _register(xihu_inspector, site, deaths=1)  # 一般事故: no downgrade at once
    assert not IntegrityRating.objects.filter(enterprise=site).exists()
    inputs = read_inputs([site.pk], YEAR)[site.pk]
    assert inputs["accidents"] == 1 and inputs["worst_accident"] == "一般事故"
    assert read_inputs([site.pk], YEAR - 1)[site.pk]["accidents"] == 0
    services.compute_year(xihu_inspector.authority, YEAR, actor=xihu_inspector)
    rating = IntegrityRating.objects.get(enterprise=site, year=YEAR)
    assert rating.level == "C" and rating.inputs["accidents"] == 1
    assert "年度生产安全事故（起）：1（规则：≥1）" in rating.explanation
    assert any(line.startswith("年度事故：") and "三号仓库（一般事故）" in line
               for line in rating.explanation)


def test_a_major_accident_downgrades_at_once(world: None, xihu_inspector: Any,
                                             xihu_chief: Any, xihu_approver: Any) -> None:
    site = _rated(xihu_inspector.authority)
    services.compute_year(xihu_inspector.authority, YEAR, actor=xihu_inspector)
    before = IntegrityRating.objects.get(enterprise=site, year=YEAR)
    services.review(before, actor=xihu_chief)
    before = services.publish(before, actor=xihu_approver)
    assert before.level == "A"
    _register(xihu_inspector, site, deaths=10)  # 重大事故
    now = IntegrityRating.objects.exclude(status=R.SUPERSEDED).get(enterprise=site, year=YEAR)
    assert now.level == "D" and now.status == R.PUBLISHED and now.reason == "downgrade"
    assert "重大事故" in now.explanation[0] and "原等级：A级" in now.explanation
    assert any("年度生产安全事故最高等级：重大事故" in line for line in now.explanation)
    before.refresh_from_db()
    assert before.status == R.SUPERSEDED
    assert OutboxMessage.objects.filter(topic="rating.publish", key=f"rating:{now.pk}").exists()
    assert AuditEvent.objects.filter(action="rating.downgraded").count() == 1


def test_what_major_means_is_the_rule_tables(world: None, xihu_inspector: Any) -> None:
    row = RatingRule.objects.get(immediate=True)
    row.conditions = [{"input": "worst_accident", "op": "in", "value": ["特别重大事故"]}]
    row.save(update_fields=["conditions"])
    site = _rated(xihu_inspector.authority)
    _register(xihu_inspector, site, deaths=10)  # 重大, no longer an immediate event
    assert not IntegrityRating.objects.filter(enterprise=site).exists()
    RatingRule.objects.filter(pk=row.pk).update(active=False)
    assert services.downgrade_on_event(site, why="x", on=timezone.localdate()) is None


def test_the_migration_adds_the_accident_rows_once() -> None:
    from credit.ratings.seeding import ACCIDENT_RULES, SOURCE, seed_accident_rules

    RatingRule.objects.all().delete()
    RatingRule.objects.bulk_create([RatingRule(source=SOURCE, **r) for r in DEFAULT_RULES
                                    if r not in ACCIDENT_RULES])
    assert seed_accident_rules(RatingRule) == 2
    assert seed_accident_rules(RatingRule) == 0
    assert RatingRule.objects.get(rank=5).immediate
