"""Two drafts for the same day published at once (separate connections, committed
data): the publications take turns, so the day ends with exactly one published
version and the other superseded, never two published nor a 500 (IntegrityError)."""

from __future__ import annotations

import datetime

import pytest

from enforcement.grounds import services
from enforcement.grounds.models import DiscretionVersion
from tests.inspections.test_loop_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime.date(2027, 1, 1)
S = DiscretionVersion.Status


def test_same_day_publications_take_turns(discretion_data, municipal_admin) -> None:
    one = services.new_draft_from(actor=municipal_admin, name="甲稿", valid_from=DAY)
    two = services.new_draft_from(actor=municipal_admin, name="乙稿", valid_from=DAY)
    first, second, waited = race(
        lambda: services.publish_version(one, actor=municipal_admin),
        lambda: services.publish_version(two, actor=municipal_admin))
    assert waited, "the second publication did not wait for the first"
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (
        first, second)
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, two.status) == (S.SUPERSEDED, S.PUBLISHED)
    assert DiscretionVersion.objects.filter(valid_from=DAY, status=S.PUBLISHED).count() == 1
