"""The daily overdue sweep is set-based: its query count does not grow with the number
of overdue orders, it appends its audit events in one batch, mails each recipient
once (on commit) and flags nothing twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Sector
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.models import Inspection, ReCheck, RectificationOrder
from tests.conftest import make_user
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 9, 1)


@pytest.fixture
def team(reference_data, calendar_data, xihu_inspector, xihu_chief):
    load_checklist_templates()
    xihu_chief.email = "chief@safety.hangzhou.example"
    xihu_chief.save(update_fields=["email"])
    xihu_inspector.email = "insp1@safety.hangzhou.example"
    xihu_inspector.save(update_fields=["email"])
    second = make_user("p_sweep_inspector2", "inspector", "EM-330106", cert="P330106033",
                       full_name="西湖执法员二", email="insp2@safety.hangzhou.example")
    third = make_user("p_sweep_inspector3", "inspector", "EM-330106", cert="P330106034",
                      full_name="西湖执法员三", email="insp3@safety.hangzhou.example")
    return xihu_inspector, second, third


def overdue_orders(team, count: int, serial: int) -> list[RectificationOrder]:
    """`count` overdue orders spread over three inspections (different teams), with
    different due dates, so nothing is shared by accident."""
    first, second, third = team
    teams = [[first, second], [first, third], [second, third]]
    inspections = []
    for n, members in enumerate(teams):
        factory = enterprise(f"杭州逾期{serial}{n}号机械有限公司", serial * 10 + n,
                             sector=Sector.MACHINERY)
        inspection = loop.create_inspection(actor=members[0], enterprise=factory,
                                            inspectors=members,
                                            source=Inspection.Source.AD_HOC)
        loop.start_inspection(inspection, actor=members[0])
        inspections.append((inspection, members[0]))
    orders = []
    for n in range(count):
        inspection, actor = inspections[n % 3]
        hazard = loop.add_hazard(inspection, actor=actor, description=f"逾期隐患{n}")
        orders.append(loop.issue_order(hazard, actor=actor, kind="deadline", deadline_days=5,
                                       responsible_person="钱主管", measures="整改"))
    for n, order in enumerate(orders):
        RectificationOrder.objects.filter(pk=order.pk).update(
            due_date=DUE - datetime.timedelta(days=n % 5))
    return orders


def sweep(day: datetime.date, capture) -> tuple[dict[str, int], int]:
    mail.outbox.clear()
    with capture(execute=True), CaptureQueriesContext(connection) as queries:
        result = loop.flag_overdue(day)
    return result, len(queries.captured_queries)


@pytest.mark.parametrize("count", [3, 30])
def test_sweep_flags_every_overdue_order_once(team, count,
                                             django_capture_on_commit_callbacks):
    orders = overdue_orders(team, count, 80 + count)
    events_before = AuditEvent.objects.count()
    result, _ = sweep(DUE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert result == {"orders": count, "rechecks": 0, "measures": 0}
    flagged = RectificationOrder.objects.filter(pk__in=[o.pk for o in orders])
    assert not flagged.filter(overdue_flagged_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="hazard.rectification_overdue").count() == count
    assert AuditEvent.objects.count() == events_before + count
    rechecks = ReCheck.objects.filter(hazard__order__in=orders, result="")
    assert rechecks.count() == count
    for order in RectificationOrder.objects.filter(pk__in=[o.pk for o in orders]):
        recheck = ReCheck.objects.get(hazard_id=order.hazard_id)
        assert recheck.due_date > order.due_date
    # One mail per recipient, however many orders: three inspectors and the chief.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chief@safety.hangzhou.example", "insp1@safety.hangzhou.example",
        "insp2@safety.hangzhou.example", "insp3@safety.hangzhou.example"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    chief_mail = next(m for m in mail.outbox if m.to == ["chief@safety.hangzhou.example"])
    assert chief_mail.body.count("整改逾期") == count
    # Idempotent: a second run flags nothing, writes nothing and mails nobody.
    again, _ = sweep(DUE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert again == {"orders": 0, "rechecks": 0, "measures": 0}
    assert AuditEvent.objects.count() == events_before + count
    assert mail.outbox == []


def test_sweep_query_count_does_not_grow_with_the_orders(team,
                                                         django_capture_on_commit_callbacks):
    small = overdue_orders(team, 3, 91)
    day = DUE + datetime.timedelta(days=1)

    def unflag() -> None:
        RectificationOrder.objects.filter(pk__in=[o.pk for o in small]).update(
            overdue_flagged_at=None)
        ReCheck.objects.filter(hazard__order__in=small).delete()

    # A first run warms the process's caches (content types, calendar years, clock
    # rules): in a fresh test process it costs a few queries more, whatever the count.
    sweep(day, django_capture_on_commit_callbacks)
    unflag()
    result, few = sweep(day, django_capture_on_commit_callbacks)
    assert result["orders"] == 3
    unflag()
    overdue_orders(team, 27, 92)
    result, many = sweep(day, django_capture_on_commit_callbacks)
    assert result["orders"] == 30
    print(f"flag_overdue queries: 3 orders = {few}, 30 orders = {many}")
    assert many == few, (few, many)


def test_overdue_rechecks_are_flagged_set_based(team, django_capture_on_commit_callbacks):
    orders = overdue_orders(team, 3, 93)
    day = DUE + datetime.timedelta(days=1)
    sweep(day, django_capture_on_commit_callbacks)
    late = ReCheck.objects.filter(hazard__order__in=orders).order_by("-due_date").first()
    result, few = sweep(late.due_date + datetime.timedelta(days=1),
                        django_capture_on_commit_callbacks)
    assert result == {"orders": 0, "rechecks": 3, "measures": 0}
    assert AuditEvent.objects.filter(action="hazard.recheck_overdue").count() == 3
    assert len(mail.outbox) == 4
    assert not ReCheck.objects.filter(hazard__order__in=orders,
                                      overdue_flagged_at__isnull=True).exists()
    assert sweep(late.due_date + datetime.timedelta(days=2),
                 django_capture_on_commit_callbacks)[0] == {"orders": 0, "rechecks": 0,
                                                            "measures": 0}
