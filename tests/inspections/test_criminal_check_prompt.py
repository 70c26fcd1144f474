"""A major hidden danger still failing its re-check under a stop order prompts the
check for 危险作业罪 (刑法 第一百三十四条之一), in the audit trail and on the hidden
danger's card (issue on legal accuracy); a general one, or one without a stop order,
does not. The criminal law's text is not in docs/laws: the prompt asks for the check."""
# ruff: noqa: F811

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from hangzhou_safety.audit.models import AuditEvent
from inspections.loop import services as loop
from inspections.models import Hazard
from tests.inspections.test_inspection_loop import (  # noqa: F401
    answer_all,
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db


def _major_hazard(inspection, actor):
    loop.start_inspection(inspection, actor=actor)
    major = inspection.items.filter(checklist_item__template__code="GM-DUST-2026").exclude(
        checklist_item__major_hazard_criterion="").first()
    answer_all(inspection, actor, {major.order: "除尘系统未设泄爆装置"})
    loop.complete_findings(inspection, actor=actor)
    hazard = Hazard.objects.get(item=major)
    assert hazard.is_major
    return hazard


@pytest.mark.parametrize("measure,prompted", [("suspend", True), ("stop_equipment", True),
                                              ("", False)])
def test_a_failed_recheck_under_a_stop_order_prompts_the_check(
        web_as, inspection, xihu_inspector, measure, prompted):
    hazard = _major_hazard(inspection, xihu_inspector)
    loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=7,
                     responsible_person="张厂长", measures="加装泄爆片", funds=Decimal("5"),
                     emergency_plan="粉尘爆炸专项应急预案", onsite_measure=measure)
    loop.record_recheck(hazard, actor=xihu_inspector, passed=False, note="仍未加装泄爆片")
    events = AuditEvent.objects.filter(action="hazard.criminal_check_prompted")
    assert events.exists() is prompted
    if prompted:
        event = events.get()
        assert event.new_values["category"] == "dangerous_operation"
        assert "第一百三十四条之一" in event.reason
    page = web_as(xihu_inspector).get(
        reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert ('data-testid="criminal-check"' in page) is prompted
