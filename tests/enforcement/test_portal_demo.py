"""seed_demo leaves the portal decisions to show: the demo cases' disclosures are
submitted, reviewed by the section chief (no case officer) and published, one per
bureau left pending for the staff; a second run publishes nothing more."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from enforcement.disclosure.models import Disclosure

pytestmark = pytest.mark.django_db
DS = Disclosure.Status


def test_the_demo_publishes_decisions_on_the_portal(reference_data, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo", verbosity=0)
    for code, prefix in (("EM-330106", "（杭西）"), ("EM-330108", "（杭滨）")):
        published = Disclosure.objects.filter(authority__code=code, status=DS.PUBLISHED)
        assert published.count() >= 3, code
        assert Disclosure.objects.filter(authority__code=code, status=DS.PENDING).exists()
        for row in published:
            assert row.document_number.startswith(prefix), row.document_number
            assert row.reviewer_id not in set(row.case.officers.values_list("pk", flat=True))
    before = Disclosure.objects.filter(status=DS.PUBLISHED).count()
    call_command("seed_demo", verbosity=0)
    assert Disclosure.objects.filter(status=DS.PUBLISHED).count() == before
    body = Client().get("/public/decisions/").content.decode()
    row = Disclosure.objects.filter(status=DS.PUBLISHED).order_by("-pk").first()
    assert row is not None and f"/public/decisions/{row.pk}/" in body
