"""The public verification page and API show the inspection's date in Asia/Shanghai."""
# ruff: noqa: F811  (fixtures imported from the loop tests are redefined as arguments)

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from inspections.evidence import services as evidence
from inspections.models import Inspection
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_public_verification_shows_the_beijing_date(inspection, client, anonymous,
                                                    xihu_inspector2):
    # 07:30 in Hangzhou on 09-24 is 23:30 UTC on 09-23.
    started = datetime.datetime(2026, 9, 24, 7, 30, tzinfo=SHANGHAI)
    assert started.astimezone(datetime.UTC).date() == datetime.date(2026, 9, 23)
    Inspection.objects.filter(pk=inspection.pk).update(
        started_at=started, status=Inspection.Status.IN_PROGRESS)
    # The certificate ran out on 09-23: valid on the day of the inspection only if the
    # day is read in Beijing time.
    xihu_inspector2.certificate_valid_until = datetime.date(2026, 9, 23)
    xihu_inspector2.save(update_fields=["certificate_valid_until"])
    record = evidence.public_verification(inspection.verification_code)
    assert record["date"] == datetime.date(2026, 9, 24)
    assert [i["certificate_valid"] for i in record["inspectors"]] == [True, False]
    html = client.get(f"/public/verify/{inspection.verification_code}/").content.decode()
    assert "2026-09-24" in html and "2026-09-23" in html  # the date; the validity
    assert html.count("2026-09-24") == 1
    body = anonymous.get(f"/api/v1/public/inspections/{inspection.verification_code}/").json()
    assert body["date"] == "2026-09-24"


def test_without_a_start_the_creation_day_is_the_beijing_date(inspection):
    created = datetime.datetime(2026, 9, 24, 7, 30, tzinfo=SHANGHAI)
    Inspection.objects.filter(pk=inspection.pk).update(created_at=created, planned_date=None)
    record = evidence.public_verification(inspection.verification_code)
    assert record["date"] == datetime.date(2026, 9, 24)
