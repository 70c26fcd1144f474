"""seed_demo leaves plans in several states, an approved scheme and a reproducible draw."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspections.draws.services import verify_draw
from inspections.models import (
    ChecklistTemplate,
    EnforcementPlan,
    InspectionScheme,
    PlannedInspection,
    RandomDraw,
)

pytestmark = pytest.mark.django_db


def test_demo_plans_schemes_and_draw(reference_data, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # risk recomputes run inline, not on Redis
    call_command("seed_demo", verbosity=0)
    year = timezone.localdate().year
    plans = EnforcementPlan.objects.filter(year=year, authority__kind="district_bureau")
    assert plans.count() == 13
    assert set(plans.values_list("status", flat=True)) >= {
        "draft", "submitted", "returned", "approved", "published"}
    assert plans.get(authority__code="EM-330106").status == "submitted"  # approver's queue
    assert ChecklistTemplate.objects.count() == 7
    assert InspectionScheme.objects.get(authority__code="EM-330106").status == "approved"
    draw = RandomDraw.objects.get(authority__code="EM-330106")
    assert draw.results_published_at is not None
    assert verify_draw(draw)
    assert PlannedInspection.objects.filter(draw=draw).count() == len(draw.result) > 0
    from inspections.models import Hazard, Inspection

    for district in ("EM-330106", "EM-330108"):
        states = set(Inspection.objects.filter(authority__code=district)
                     .values_list("status", flat=True))
        assert states == {"planned", "in_progress", "rectifying", "closed"}
    # The enforcement demo escalates one hidden danger per district (its re-check
    # failed) to open its pending case from it.
    assert set(Hazard.objects.values_list("status", flat=True)) == {
        "rectifying", "accepted", "escalated"}
    assert Hazard.objects.filter(status="escalated").count() == 2
    from django.contrib.contenttypes.models import ContentType

    from hangzhou_safety.documents.models import IssuedDocument

    loop_documents = IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Inspection))
    for district in ("EM-330106", "EM-330108"):
        codes = sorted(loop_documents.filter(authority__code=district, status="issued")
                       .values_list("doc_type_id", flat=True))
        assert codes == sorted(["检记", "责改", "检记", "责改", "复查"])
    assert IssuedDocument.objects.filter(number__startswith="（杭西）应急责改").count() == 2
    # Idempotent: a second run adds nothing.
    call_command("seed_demo", verbosity=0)
    assert EnforcementPlan.objects.filter(year=year).count() == 13
    assert RandomDraw.objects.count() == 1
    assert Inspection.objects.count() == 10
    assert loop_documents.count() == 10
