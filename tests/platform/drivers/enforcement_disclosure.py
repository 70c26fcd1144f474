"""Walk driver of disclosures (enforcement.disclosure): review, publication, hold back,
send back, withdrawal, republication, expiry by credit repair, release of a hold."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from enforcement.cases.models import Case
from enforcement.disclosure import services as disclosure
from enforcement.disclosure.models import Disclosure
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, make_case
from tests.platform.drivers._inspections import user

DS = Disclosure.Status


def make(status: str) -> Disclosure:
    """A disclosure in ``status`` with what it implies: reviewed when in review (so only
    the status decides), decided long enough ago for credit repair."""
    case = make_case(Case.Status.DECIDED)
    decision = case.decisions.get()
    row = Disclosure.objects.create(
        decision=decision, case=case, authority=case.authority, decision_type="penalty",
        decided_on=timezone.localdate() - datetime.timedelta(days=120),
        party_name=decision.party.name,
        due_date=timezone.localdate() + datetime.timedelta(days=10),
        original_text=f"当事人：{decision.party.name}",
        public_text=f"当事人：{decision.party.name}",
        status=status)
    values: dict[str, Any] = {}
    if status == DS.IN_REVIEW:
        values.update(reviewer=user("xihu_chief"), reviewed_at=timezone.now(),
                      severity="ordinary", publication_months=3)
    if status in (DS.PUBLISHED, DS.WITHDRAWN, DS.EXPIRED):
        values.update(reviewer=user("xihu_chief"), reviewed_at=timezone.now(),
                      severity="ordinary", publication_months=3,
                      published_at=timezone.now() - datetime.timedelta(days=120),
                      publication_ends_on=timezone.localdate() + datetime.timedelta(days=30))
    if status == DS.WITHDRAWN:
        values.update(withdrawn_at=timezone.now(), withdrawal_reason="决定变更",
                      republish_after_withdrawal=True)
    if status == DS.HELD_BACK:
        values.update(hold_back_reason="privacy")
    Disclosure.objects.filter(pk=row.pk).update(**values)
    row.refresh_from_db()
    return row


def _release(row: Disclosure) -> Any:
    """held back → pending and in review → pending: the reviewer sends it back."""
    if row.status == DS.HELD_BACK:
        return disclosure.release_hold(row, actor=user("xihu_chief"), reason="经复核可以公开")
    return disclosure.send_back(row, actor=user("xihu_chief"), reason="请补充遮蔽")


def _in_review(row: Disclosure) -> Any:
    if row.status == DS.WITHDRAWN:
        return disclosure.republish(row, actor=user("xihu_inspector"))
    return disclosure.submit_for_review(row, actor=user("xihu_inspector"))


def _withdrawn(row: Disclosure) -> Any:
    if row.status == DS.PUBLISHED:
        return disclosure.withdraw(row, actor=user("xihu_inspector"), reason="决定已撤销")
    return disclosure.withdraw_unpublished(row, actor=user("xihu_inspector"),
                                           reason="决定已撤销")


DRIVER = Driver(
    key="enforcement.disclosure",
    make=make,
    steps={
        DS.IN_REVIEW: _in_review,
        DS.PENDING: _release,
        DS.PUBLISHED: lambda row: disclosure.publish(row, actor=user("xihu_inspector")),
        DS.HELD_BACK: lambda row: disclosure.hold_back(row, actor=user("xihu_chief"),
                                                       reason="privacy"),
        DS.WITHDRAWN: _withdrawn,
        DS.EXPIRED: lambda row: disclosure.end_by_credit_repair(
            row, actor=user("xihu_chief"), reason="企业已整改并作出信用承诺"),
    },
    fixtures=PERSONAS,
)
