"""Blacklist: grounds checked against the decision, clocks from the rule table, the
term, early removal, deceit revocation, 409s, refusals and the partner query."""

from __future__ import annotations

import datetime

import pytest

from credit.blacklist import rules, services
from credit.blacklist.models import BlacklistEntry, PublicationEvent, RestrictionQuery
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.workflow import IllegalTransition
from tests.platform.drivers._blacklist import art114_decision, make_entry
from tests.platform.drivers._cases import PERSONAS

pytestmark = pytest.mark.django_db
B = BlacklistEntry.Status


@pytest.fixture
def world(request: pytest.FixtureRequest) -> None:
    for name in PERSONAS:
        request.getfixturevalue(name)


def test_add_months_clamps() -> None:
    assert rules.add_months(datetime.date(2024, 2, 29), 36) == datetime.date(2027, 2, 28)
    assert rules.add_months(datetime.date(2026, 3, 1), 12) == datetime.date(2027, 3, 1)


def test_scope() -> None:
    assert rules.in_scope("machinery", None)
    assert rules.in_scope("other", "2710")
    assert not rules.in_scope("construction", "4700")


def test_art114_ground_needs_the_article(world: None, xihu_approver) -> None:
    decision = art114_decision()
    entry = services.propose(decision, actor=xihu_approver, ground="fine_art114",
                             reasons="情节特别严重")
    assert entry.authority == decision.case.authority
    decision.basis = "安全生产法第九十七条"
    decision.save(update_fields=["basis"])
    with pytest.raises(InvalidInput):
        services.propose(decision, actor=xihu_approver, ground="fine_art114", reasons="x")
    with pytest.raises(InvalidInput):  # no accident of the enterprise on record
        services.propose(decision, actor=xihu_approver, ground="accidents_2_in_12m",
                         reasons="x")


def test_only_the_punishing_authoritys_head_proposes(world: None, xihu_inspector,
                                                     binjiang_approver) -> None:
    decision = art114_decision()
    for actor in (xihu_inspector, binjiang_approver):
        with pytest.raises(Forbidden):
            services.propose(decision, actor=actor, ground="fine_art114", reasons="x")


def test_full_procedure_with_clocks(world: None, xihu_inspector, xihu_approver) -> None:
    entry = make_entry(B.PROPOSED)
    entry = services.notify(entry, actor=xihu_inspector)
    assert entry.objection_clock.amount == 5
    assert entry.objection_clock.kind == "working_days"
    with pytest.raises(InvalidInput):  # the window is still open
        services.decide(entry, actor=xihu_approver, decision_number="N1",
                        today=entry.objection_clock.due_date)
    after = entry.objection_clock.due_date + datetime.timedelta(days=1)
    entry = services.decide(entry, actor=xihu_approver, decision_number="N1", today=after)
    assert entry.term_ends_on == rules.add_months(after, 36)
    assert entry.restrictions.count() == len(rules.RESTRICTIONS)
    entry = services.publish_entry(entry, actor=xihu_inspector)
    assert PublicationEvent.objects.filter(entry=entry, topic="blacklist.listed").exists()
    with pytest.raises(InvalidInput):  # not 12 months yet
        services.request_early_removal(entry, actor=xihu_inspector, application="已整改",
                                       today=after + datetime.timedelta(days=300))
    with pytest.raises(IllegalTransition):
        services.notify(entry, actor=xihu_inspector)


def test_objection_answered_in_time(world: None, xihu_inspector, xihu_approver) -> None:
    entry = services.notify(make_entry(B.PROPOSED), actor=xihu_inspector)
    entry = services.record_objection(entry, actor=xihu_inspector, text="事实有误")
    assert entry.answer_clock.amount == 5
    with pytest.raises(InvalidInput):
        services.decide(entry, actor=xihu_approver, decision_number="N2")
    services.answer_objection(entry, actor=xihu_inspector, answer="经复核，不予采纳")
    entry = services.decide(entry, actor=xihu_approver, decision_number="N2")
    assert entry.status == B.DECIDED


def test_early_removal_and_deceit(world: None, xihu_inspector, xihu_approver) -> None:
    entry = make_entry(B.PUBLISHED, decided_on=datetime.date(2025, 1, 10))
    entry = services.request_early_removal(entry, actor=xihu_inspector, application="已整改",
                                           today=datetime.date(2026, 1, 10))
    entry = services.approve_removal(entry, actor=xihu_approver, reason="条件具备")
    assert entry.status == B.REMOVED
    entry = services.revoke_removal(entry, actor=xihu_approver, reason="申请材料弄虚作假")
    assert entry.status == B.PUBLISHED and entry.removed_on is None
    topics = list(entry.publications.values_list("topic", flat=True))
    assert topics == ["blacklist.removed", "blacklist.restored"]


def test_expiry_only_after_term(world: None) -> None:
    entry = make_entry(B.PUBLISHED, decided_on=datetime.date(2023, 12, 1))
    with pytest.raises(InvalidInput):
        services.expire(entry, today=datetime.date(2026, 11, 30))
    assert services.expire(entry, today=datetime.date(2026, 12, 1)).status == B.EXPIRED


def test_restriction_query_logged_and_refused(world: None, xihu_inspector) -> None:
    from tests.conftest import make_user

    entry = make_entry(B.PUBLISHED)
    partner = make_user("p_partner", "partner", "EM-330106")
    answer = services.restrictions_for(entry.enterprise.uscc, actor=partner)
    assert answer["restricted"] and answer["entries"][0]["restrictions"] == []
    log = RestrictionQuery.objects.get(user=partner)
    assert log.keep_until.year - log.at.year == 10
    with pytest.raises(Forbidden):
        services.restrictions_for(entry.enterprise.uscc, actor=xihu_inspector)
