"""整改延期 (issue on legal accuracy: "a deadline extension is a written request before
expiry, decided with a reason"): registered by an officer of the inspection from the
enterprise's written request dated on or before the deadline, decided with a reason by
a chief who did not register it; approval moves the deadline (calendar days from the
old deadline) and whatever the overdue sweep set from the old one."""
# ruff: noqa: F811

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.services import add_calendar_days, add_rule_period
from inspections.loop import extensions
from inspections.loop import services as loop
from inspections.models import DeadlineExtension, Hazard, ReCheck
from tests.inspections.test_inspection_loop import (  # noqa: F401
    answer_all,
    factory,
    inspection,
    xihu_inspector2,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rectifying(inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    plain = inspection.items.filter(checklist_item__major_hazard_criterion="").first()
    answer_all(inspection, xihu_inspector, {plain.order: "安全警示标志缺失"})
    loop.complete_findings(inspection, actor=xihu_inspector)
    hazard = Hazard.objects.get(item=plain)
    loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=15,
                     responsible_person="王厂长", measures="设置安全警示标志")
    return Hazard.objects.get(pk=hazard.pk)


def _request(hazard, actor, **kw):
    today = loop._today()
    args = {"requested_on": today, "extra_days": 10, "reason": "警示标志定制周期较长"}
    args.update(kw)
    return extensions.request_extension(hazard, actor=actor, **args)


def test_an_approved_extension_moves_the_deadline(rectifying, xihu_inspector, xihu_chief):
    order = rectifying.order
    old = order.due_date
    request = _request(rectifying, xihu_inspector)
    assert request.status == DeadlineExtension.Status.PENDING and request.old_due_date == old
    decided = extensions.decide_extension(request, actor=xihu_chief, approve=True,
                                          reason="理由充分，同意延期")
    order.refresh_from_db()
    expected = add_calendar_days(old, 10).due
    assert decided.status == "approved" and decided.new_due_date == expected
    assert order.due_date == expected and order.deadline_days == 25
    events = AuditEvent.objects.filter(action__startswith="extension.")
    assert {e.action for e in events} == {"extension.requested", "extension.approved"}
    assert events.get(action="extension.approved").reason == "理由充分，同意延期"


def test_a_refusal_keeps_the_deadline_and_a_new_request_may_follow(
        rectifying, xihu_inspector, xihu_chief):
    old = rectifying.order.due_date
    first = _request(rectifying, xihu_inspector)
    with pytest.raises(DomainError) as exc:
        _request(rectifying, xihu_inspector)
    assert "待审批" in exc.value.detail
    extensions.decide_extension(first, actor=xihu_chief, approve=False, reason="理由不充分")
    rectifying.order.refresh_from_db()
    assert rectifying.order.due_date == old
    assert _request(rectifying, xihu_inspector).status == "pending"


@pytest.mark.parametrize("change,field,message", [
    ({"requested_on": None}, "requested_on", "书面申请的日期"),
    ({"extra_days": 0}, "extra_days", "延长天数"),
    ({"reason": "  "}, "reason", "理由"),
])
def test_a_request_missing_its_parts_is_refused_in_chinese(
        rectifying, xihu_inspector, change, field, message):
    with pytest.raises(InvalidInput) as exc:
        _request(rectifying, xihu_inspector, **change)
    assert field in exc.value.fields and message in exc.value.detail
    assert not DeadlineExtension.objects.exists()


def test_a_request_made_after_the_deadline_is_refused(rectifying, xihu_inspector):
    order = rectifying.order
    order.due_date = loop._today() - datetime.timedelta(days=2)
    order.save(update_fields=["due_date"])
    with pytest.raises(InvalidInput) as exc:
        _request(rectifying, xihu_inspector)
    assert "期限届满前" in exc.value.detail


def test_the_officer_who_registered_it_does_not_decide_it(rectifying, xihu_chief):
    # A chief of the jurisdiction may act for the team, and register the request...
    request = _request(rectifying, xihu_chief)
    with pytest.raises(Forbidden):
        extensions.decide_extension(request, actor=xihu_chief, approve=True, reason="同意")
    assert DeadlineExtension.objects.get(pk=request.pk).status == "pending"


def test_an_inspector_or_another_district_does_not_decide(rectifying, xihu_inspector,
                                                         xihu_inspector2, binjiang_approver):
    request = _request(rectifying, xihu_inspector)
    for actor in (xihu_inspector2, binjiang_approver):
        with pytest.raises(Forbidden):
            extensions.decide_extension(request, actor=actor, approve=True, reason="同意")
    with pytest.raises(InvalidInput):
        extensions.decide_extension(request, actor=binjiang_approver, approve=True,
                                    reason=" ")


def test_approval_after_the_sweep_moves_the_overdue_recheck(rectifying, xihu_inspector,
                                                           xihu_chief):
    order = rectifying.order
    request = _request(rectifying, xihu_inspector)
    # The decision comes after the old deadline passed and the sweep flagged it.
    loop.flag_overdue(order.due_date + datetime.timedelta(days=1))
    order.refresh_from_db()
    assert order.overdue_flagged_at is not None
    assert ReCheck.objects.filter(hazard=rectifying, result="").exists()
    extensions.decide_extension(request, actor=xihu_chief, approve=True, reason="同意")
    order.refresh_from_db()
    recheck = ReCheck.objects.get(hazard=rectifying, result="")
    assert order.overdue_flagged_at is None and recheck.overdue_flagged_at is None
    assert recheck.due_date == add_rule_period("recheck", order.due_date).due


def test_the_hazard_card_registers_and_decides_it(web_as, rectifying, xihu_inspector,
                                                  xihu_chief):
    inspection = rectifying.inspection
    detail = reverse("inspections:inspection_detail", args=[inspection.pk])
    page = web_as(xihu_inspector).get(detail).content.decode()
    assert 'data-testid="extension-request"' in page
    url = reverse("inspections:inspection_hazard_extend", args=[inspection.pk, rectifying.pk])
    late = web_as(xihu_inspector).post(url, {"requested_on": "2020-01-01", "extra_days": "x",
                                             "reason": ""})
    assert late.status_code == 400 and "延长天数" in late.content.decode()
    ok = web_as(xihu_inspector).post(url, {"requested_on": loop._today().isoformat(),
                                           "extra_days": "7", "reason": "材料未到货"})
    assert ok.status_code == 302
    # The registering officer sees it waiting; the chief gets the decision form.
    assert 'data-testid="extension-pending"' in web_as(xihu_inspector).get(detail).content.decode()
    chief_page = web_as(xihu_chief).get(detail).content.decode()
    assert 'data-testid="extension-decide-form"' in chief_page
    decide = reverse("inspections:inspection_hazard_extension",
                     args=[inspection.pk, rectifying.pk])
    refused = web_as(xihu_chief).post(decide, {"decision": "approve", "decision_reason": ""})
    assert refused.status_code == 400 and "审批意见" in refused.content.decode()
    done = web_as(xihu_chief).post(decide, {"decision": "approve", "decision_reason": "同意"})
    assert done.status_code == 302
    assert DeadlineExtension.objects.get().status == "approved"
