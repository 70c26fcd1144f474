"""The limit of 责令暂时停产停业 / 停止使用相关设施、设备 (issue 10, legal accuracy): the
clock rule "stop_measure_limit" (6 calendar months, data with its source) sets the last
day of the measure when the order is issued; the daily sweep flags a measure past its
limit once, audited and mailed; the card, the 责令限期整改指令书 and the API show it."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.documents.chinese import chinese_date
from hangzhou_safety.web.audit_labels import action_label
from hangzhou_safety.workdays.models import ClockRule
from inspections.evidence.documents import issue_inspection_document
from inspections.loop import services as loop
from inspections.loop.serializers import OrderSerializer
from inspections.models import RectificationOrder
from tests.platform.drivers import _inspections as build

D = datetime.date
pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures(*build.PERSONAS, "clock_rules")]

ISSUED = D(2026, 4, 7)
#: 2026-04-07 + 6 months = 2026-10-07, in the National Day holiday: the limit moves to
#: the next working day, as every calendar period of the rule table does.
UNTIL = D(2026, 10, 8)
EVENT = "hazard.stop_measure_lapsed"


def issue(monkeypatch: Any, measure: str, *, on: D = ISSUED) -> tuple[Any, Any, Any]:
    monkeypatch.setattr(loop, "_today", lambda: on)
    inspection, hazard = build.rectifying_inspection()
    # A long rectification period, so that only the measure lapses in the sweeps below.
    order = loop.issue_order(hazard, actor=build.user("xihu_inspector"), kind="deadline",
                             deadline_days=400, responsible_person="张三",
                             measures="更换防爆电器", onsite_measure=measure)
    monkeypatch.undo()
    return inspection, hazard, order


@pytest.mark.parametrize("measure", ["suspend", "stop_equipment"])
def test_a_stop_measure_gets_the_rules_six_months(monkeypatch, measure) -> None:
    _inspection, _hazard, order = issue(monkeypatch, measure)
    order.refresh_from_db()
    assert (order.onsite_measure_until, order.onsite_measure_until_provisional) == (
        UNTIL, False)
    assert order.onsite_measure_lapsed_flagged_at is None


@pytest.mark.parametrize("measure", ["", "stop_work", "evacuate"])
def test_other_measures_get_no_limit(monkeypatch, measure) -> None:
    _inspection, _hazard, order = issue(monkeypatch, measure)
    order.refresh_from_db()
    assert (order.onsite_measure_until, order.onsite_measure_until_provisional) == (
        None, False)


def test_a_limit_in_an_unscheduled_year_is_provisional(monkeypatch, web_as,
                                                       xihu_inspector) -> None:
    # 2027's holiday schedule is not published: 2026-12-03 + 6 months is provisional.
    inspection, _hazard, order = issue(monkeypatch, "suspend", on=D(2026, 12, 3))
    order.refresh_from_db()
    assert (order.onsite_measure_until, order.onsite_measure_until_provisional) == (
        D(2027, 6, 3), True)
    page = web_as(xihu_inspector).get(
        reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert "措施期限至 2027-06-03" in page
    assert 'data-testid="measure-until-provisional"' in page


def test_a_corrected_rule_changes_new_orders_only(monkeypatch) -> None:
    _inspection, _hazard, before = issue(monkeypatch, "suspend")
    ClockRule.objects.filter(code="stop_measure_limit").update(amount=3)
    _inspection, _hazard, after = issue(monkeypatch, "stop_equipment")
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.onsite_measure_until == UNTIL
    assert after.onsite_measure_until == D(2026, 7, 7)


def test_a_disabled_rule_records_no_limit_and_never_blocks_the_order(monkeypatch) -> None:
    ClockRule.objects.filter(code="stop_measure_limit").update(active=False)
    _inspection, hazard, order = issue(monkeypatch, "suspend")
    order.refresh_from_db()
    assert order.onsite_measure_until is None
    hazard.refresh_from_db()
    assert hazard.status == "rectifying"


def test_the_sweep_flags_a_lapsed_measure_once(monkeypatch, xihu_inspector,
                                               django_capture_on_commit_callbacks) -> None:
    xihu_inspector.email = "insp1@safety.hangzhou.example"
    xihu_inspector.save(update_fields=["email"])
    _inspection, hazard, order = issue(monkeypatch, "suspend")
    _other, _h, not_yet = issue(monkeypatch, "stop_equipment", on=D(2026, 4, 20))
    day = UNTIL + datetime.timedelta(days=1)
    mail.outbox.clear()
    # The last day of the measure itself is not past it.
    with django_capture_on_commit_callbacks(execute=True):
        assert loop.flag_overdue(UNTIL) == {"orders": 0, "rechecks": 0, "measures": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert loop.flag_overdue(day) == {"orders": 0, "rechecks": 0, "measures": 1}
    order.refresh_from_db()
    not_yet.refresh_from_db()
    assert order.onsite_measure_lapsed_flagged_at is not None
    assert not_yet.onsite_measure_lapsed_flagged_at is None
    event = AuditEvent.objects.get(action=EVENT)
    assert event.new_values["hazard"] == hazard.pk
    assert event.new_values["order"] == order.pk
    assert event.new_values["until"] == UNTIL.isoformat()
    assert event.new_values["rule"] == "stop_measure_limit"
    assert event.actor_id is None  # the sweep acts, nobody in person
    assert event.jurisdiction_path == hazard.inspection.authority.jurisdiction.path
    assert [m.to for m in mail.outbox] == [["insp1@safety.hangzhou.example"]]
    assert "现场处理措施期限届满" in mail.outbox[0].body
    assert "2026-10-08" in mail.outbox[0].body
    # Idempotent: a second run flags nothing, appends nothing and mails nobody.
    flagged_at = order.onsite_measure_lapsed_flagged_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert loop.flag_overdue(day) == {"orders": 0, "rechecks": 0, "measures": 0}
    order.refresh_from_db()
    assert order.onsite_measure_lapsed_flagged_at == flagged_at
    assert AuditEvent.objects.filter(action=EVENT).count() == 1
    assert mail.outbox == []


def test_a_settled_danger_is_not_flagged(monkeypatch, xihu_inspector) -> None:
    _inspection, hazard, order = issue(monkeypatch, "suspend")
    loop.record_recheck(hazard, actor=xihu_inspector, passed=True, note="已整改")
    assert loop.flag_overdue(UNTIL + datetime.timedelta(days=1))["measures"] == 0
    order.refresh_from_db()
    assert order.onsite_measure_lapsed_flagged_at is None
    assert not AuditEvent.objects.filter(action=EVENT).exists()


def test_the_card_shows_the_limit_and_its_lapse(monkeypatch, web_as, xihu_inspector) -> None:
    inspection, _hazard, _order = issue(monkeypatch, "suspend")
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    page = web_as(xihu_inspector).get(url).content.decode()
    assert 'data-testid="measure-until"' in page and "措施期限至 2026-10-08" in page
    assert 'data-testid="measure-until-provisional"' not in page
    assert 'data-testid="measure-lapsed"' not in page
    loop.flag_overdue(UNTIL + datetime.timedelta(days=1))
    page = web_as(xihu_inspector).get(url).content.decode()
    assert 'data-testid="measure-lapsed"' in page


def test_the_api_shows_the_limit_read_only(monkeypatch, api_as, xihu_inspector) -> None:
    inspection, hazard, _order = issue(monkeypatch, "stop_equipment")
    detail = api_as(xihu_inspector).get(f"/api/v1/inspections/{inspection.pk}/")
    assert detail.status_code == 200
    order = next(h for h in detail.data["hazards"] if h["id"] == hazard.pk)["order"]
    assert order["onsite_measure_until"] == UNTIL.isoformat()
    assert order["onsite_measure_until_provisional"] is False
    assert order["onsite_measure_lapsed_flagged_at"] is None
    read_only = set(OrderSerializer.Meta.read_only_fields)
    assert {"onsite_measure_until", "onsite_measure_until_provisional",
            "onsite_measure_lapsed_flagged_at"} <= read_only


def test_the_rectification_order_document_states_the_limit(monkeypatch,
                                                           xihu_inspector) -> None:
    inspection, _hazard, _order = issue(monkeypatch, "suspend")
    document = issue_inspection_document(inspection, actor=xihu_inspector, type_code="责改")
    text = "".join("".join(page.extract_text() for page in
                           PdfReader(io.BytesIO(bytes(document.pdf))).pages).split())
    assert "责令暂时停产停业" in text
    assert f"期限至{chinese_date(UNTIL)}" in text
    assert "暂定" not in text


def test_the_audit_log_names_the_lapse() -> None:
    assert action_label(EVENT) == "现场处理措施期限届满"
    assert RectificationOrder._meta.get_field("onsite_measure_until").null


def test_the_print_view_of_the_order_states_the_limit(monkeypatch, web_as,
                                                      xihu_inspector) -> None:
    inspection, _hazard, _order = issue(monkeypatch, "suspend")
    page = web_as(xihu_inspector).get(reverse("inspections:print_rectification_order",
                                              args=[inspection.pk])).content.decode()
    assert 'data-testid="print-measure-until"' in page and "（至 2026年10月8日）" in page
