"""The work inbox (待办) on the home page, per role, and tasks from published draws:
a published draw's planned inspection appears in both drawn inspectors' inboxes, and
开始检查 creates the inspection from it (its checklist from the draw's scheme or the
enterprise's templates) and opens it."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Sector
from hangzhou_safety.accounts.models import Role
from inspections.checklists.models import ChecklistTemplate
from inspections.checklists.templates import load_checklist_templates
from inspections.draws import services as draws
from inspections.loop import services as loop
from inspections.models import EnforcementPlan, Inspection, PlannedInspection
from tests.conftest import make_user
from tests.inspections.test_draws import make_enterprise

pytestmark = pytest.mark.django_db
HOME = "/"


@pytest.fixture
def pair(reference_data, xihu_inspector):
    second = make_user("p_xihu_inspector2", Role.INSPECTOR, "EM-330106", cert="P330106003",
                       full_name="西湖执法员二")
    return xihu_inspector, second


def _draw(chief: Any, n: int = 3, names: tuple[str, ...] = ()) -> Any:
    load_checklist_templates()
    for i, name in enumerate(names or [f"西湖抽查机械{i}" for i in range(n)]):
        make_enterprise(name, 500 + i, sector=Sector.MACHINERY)
    directory = draws.create_object_directory(chief, "西湖区全部在营单位", {})
    item_list = draws.create_item_list(chief, "通用事项",
                                       list(ChecklistTemplate.objects.all()[:1]))
    today = timezone.localdate()
    return draws.perform_draw(chief, directory, item_list, today.year, today.month, n,
                              seed="inbox-1")


def _section(html: str, key: str) -> str:
    match = re.search(rf'data-testid="inbox-{key}">(.*?)</section>', html, re.S)
    assert match, f"no inbox section {key}"
    return match.group(1)


def _count(html: str, key: str) -> str:
    return re.search(r'data-testid="inbox-count">([^<]*)<', _section(html, key)).group(1)


def test_a_published_draw_task_is_in_both_inspectors_inboxes_and_starts(
        web_as, pair, xihu_chief):
    first, second = pair
    draw = _draw(xihu_chief)
    ours = PlannedInspection.objects.filter(draw=draw, inspectors=first).filter(
        inspectors=second)
    mine = PlannedInspection.objects.filter(draw=draw, inspectors=first)
    assert mine.exists()
    # Before publication a redraw may still replace it: not a task yet.
    html = web_as(first).get(HOME).content.decode()
    assert _count(html, "planned") == "0"
    draws.publish_results(draw, xihu_chief)
    html = web_as(first).get(HOME).content.decode()
    assert _count(html, "planned") == str(mine.count())
    for planned in mine:
        assert planned.enterprise.name in _section(html, "planned")
    assert "开始检查" in _section(html, "planned")
    # The other drawn inspector sees the same task.
    planned = (ours.first() or mine.first())
    partner = next(u for u in planned.inspectors.all() if u != first)
    if partner.has_role(Role.INSPECTOR, Role.SECTION_CHIEF):
        other = web_as(partner).get(HOME).content.decode()
        assert planned.enterprise.name in _section(other, "planned")

    response = web_as(first).post(reverse("inspections:planned_start", args=[planned.pk]))
    inspection = Inspection.objects.get(planned=planned)
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:inspection_detail",
                                           args=[inspection.pk])
    assert inspection.source == Inspection.Source.DRAW
    assert set(inspection.inspectors.all()) == set(planned.inspectors.all())
    assert inspection.items.exists()
    # Pressing again opens the same inspection; the task leaves the planned list and
    # becomes today's inspection.
    again = web_as(first).post(reverse("inspections:planned_start", args=[planned.pk]))
    assert again["Location"] == response["Location"]
    assert Inspection.objects.filter(planned=planned).count() == 1
    html = web_as(first).get(HOME).content.decode()
    assert planned.enterprise.name not in _section(html, "planned")
    assert planned.enterprise.name in _section(html, "today")
    page = web_as(first).get(response["Location"]).content.decode()
    assert 'data-testid="start-inspection"' in page


def test_an_inspector_not_assigned_cannot_start_it(web_as, pair, xihu_chief,
                                                  reference_data):
    draw = _draw(xihu_chief, 1)
    draws.publish_results(draw, xihu_chief)
    planned = PlannedInspection.objects.get(draw=draw)
    outsider = make_user("p_xihu_inspector9", Role.INSPECTOR, "EM-330106",
                         cert="P330106009", full_name="西湖执法员九")
    assert outsider not in planned.inspectors.all()
    response = web_as(outsider).post(reverse("inspections:planned_start",
                                             args=[planned.pk]))
    assert response.status_code == 403
    assert not Inspection.objects.filter(planned=planned).exists()


def test_rechecks_due_and_overdue_work_of_an_inspector(web_as, pair, reference_data,
                                                      calendar_data):
    first, second = pair
    load_checklist_templates()
    factory = make_enterprise("西湖复查机械", 601, sector=Sector.MACHINERY)
    inspection = loop.create_inspection(actor=first, enterprise=factory,
                                        inspectors=[first, second],
                                        source=Inspection.Source.AD_HOC)
    loop.start_inspection(inspection, actor=first)
    items = list(inspection.items.order_by("order"))
    for n, item in enumerate(items):
        loop.record_answer(inspection, item.pk, actor=first,
                           result="non_compliant" if n < 2 else "compliant",
                           note=f"隐患{n}" if n < 2 else "")
    loop.complete_findings(inspection, actor=first)
    late, due = list(inspection.hazards.order_by("id"))
    for hazard in (late, due):
        loop.issue_order(hazard, actor=first, kind="deadline", responsible_person="王厂长",
                         measures="整改", deadline_days=7, funds=None, emergency_plan="",
                         onsite_measure="")
    late.order.due_date = timezone.localdate() - datetime.timedelta(days=1)
    late.order.save(update_fields=["due_date"])
    loop.report_rectified(due, actor=first)
    html = web_as(first).get(HOME).content.decode()
    assert "隐患1" in _section(html, "recheck") and _count(html, "recheck") == "1"
    assert "整改已逾期" in _section(html, "overdue") and _count(html, "overdue") == "1"
    assert f'href="/inspections/{inspection.pk}/#hazard-{late.pk}"' in html


def test_chief_approver_and_auditor_inboxes(web_as, reference_data, xihu_chief,
                                            xihu_approver):
    from inspections.plans import services as plans

    plan = plans.create_plan(authority=xihu_chief.authority, actor=xihu_chief,
                             year=timezone.localdate().year + 1)
    html = web_as(xihu_chief).get(HOME).content.decode()
    assert _count(html, "plans-to-submit") == "1"
    assert reverse("inspections:plan_detail", args=[plan.pk]) in html
    assert "inbox-escalated" in html
    html = web_as(xihu_approver).get(HOME).content.decode()
    assert _count(html, "plans-waiting") == "0" and "inbox-schemes-waiting" in html
    auditor = make_user("p_auditor", Role.AUDITOR, "EM-330106", full_name="审计员")
    html = web_as(auditor).get(HOME).content.decode()
    assert 'data-testid="inbox-' not in html.replace('data-testid="inbox"', "")
    assert "只读" in html
    assert EnforcementPlan.objects.count() == 1


@pytest.mark.parametrize("tasks", [1, 8])
def test_the_home_page_costs_a_fixed_number_of_queries(web_as, pair, xihu_chief, tasks,
                                                        django_assert_max_num_queries):
    first, _second = pair
    draw = _draw(xihu_chief, tasks)
    draws.publish_results(draw, xihu_chief)
    client = web_as(first)
    client.get(HOME)
    with django_assert_max_num_queries(11):
        response = client.get(HOME)
    assert response.status_code == 200
