"""The four-checklist loop: task → findings → orders → re-check → close."""

from __future__ import annotations

import datetime
import time
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists.templates import load_checklist_templates
from inspections.loop import services as loop
from inspections.loop import supervision
from inspections.models import (
    Hazard,
    Inspection,
    InspectionItem,
    PlannedInspection,
    ReCheck,
    RectificationOrder,
)
from tests.conftest import sign_recheck_opinion
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def xihu_inspector2(reference_data):
    from tests.conftest import make_user

    return make_user("p_xihu_inspector2", "inspector", "EM-330106", cert="P330106003",
                     full_name="西湖执法员二", email="insp2@safety.hangzhou.example")


@pytest.fixture
def factory(reference_data, calendar_data):
    load_checklist_templates()
    return enterprise("杭州西湖粉尘机械有限公司", 701, sector=Sector.MACHINERY,
                      special_operations=[SpecialOperation.DUST_EXPLOSION])


@pytest.fixture
def inspection(factory, xihu_inspector, xihu_inspector2):
    return loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                  inspectors=[xihu_inspector, xihu_inspector2],
                                  source=Inspection.Source.AD_HOC,
                                  planned_date=datetime.date(2026, 9, 24))


def answer_all(inspection, actor, failing: dict[int, str]):
    for item in inspection.items.order_by("order"):
        result = "non_compliant" if item.order in failing else "compliant"
        loop.record_answer(inspection, item.pk, actor=actor, result=result,
                           note=failing.get(item.order, ""))


def test_task_has_the_enterprise_checklists(inspection):
    codes = set(inspection.items.values_list("checklist_item__template__code", flat=True))
    # Occupational health is 卫健's remit: only in a joint inspection with its officer.
    assert codes == {"GM-GEN-2026", "GM-DUST-2026"}
    assert inspection.inspectors.count() == 2
    assert len(inspection.verification_code) == 8


def test_one_certified_inspector_is_refused(factory, xihu_inspector, xihu_inspector2):
    xihu_inspector2.certificate_valid_until = datetime.date(2020, 1, 1)
    xihu_inspector2.save(update_fields=["certificate_valid_until"])
    with pytest.raises(InvalidInput) as exc:
        loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                               inspectors=[xihu_inspector, xihu_inspector2],
                               source=Inspection.Source.AD_HOC)
    assert "两名以上持有效行政执法证" in exc.value.detail
    with pytest.raises(InvalidInput):
        loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                               inspectors=[xihu_inspector, xihu_inspector],
                               source=Inspection.Source.AD_HOC)
    assert not Inspection.objects.exists()


def test_out_of_jurisdiction_enterprise_and_inspectors(factory, binjiang_inspector,
                                                       xihu_inspector, xihu_inspector2):
    from tests.conftest import make_user

    binjiang2 = make_user("p_bj2", "inspector", "EM-330108", cert="P330108002")
    with pytest.raises(InvalidInput):
        loop.create_inspection(actor=binjiang_inspector, enterprise=factory,
                               inspectors=[binjiang_inspector, binjiang2],
                               source=Inspection.Source.AD_HOC)
    inspection = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                        inspectors=[xihu_inspector, xihu_inspector2],
                                        source=Inspection.Source.AD_HOC)
    assert not Inspection.objects.visible_to(binjiang_inspector).filter(
        pk=inspection.pk).exists()


def test_resubmission_is_idempotent(factory, xihu_inspector, xihu_inspector2):
    client_id = uuid.uuid4()
    first = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                   inspectors=[xihu_inspector, xihu_inspector2],
                                   source=Inspection.Source.AD_HOC, client_id=client_id)
    again = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                   inspectors=[xihu_inspector, xihu_inspector2],
                                   source=Inspection.Source.AD_HOC, client_id=client_id)
    assert first.pk == again.pk and Inspection.objects.count() == 1
    loop.start_inspection(first, actor=xihu_inspector)
    hazard_id = uuid.uuid4()
    h1 = loop.add_hazard(first, actor=xihu_inspector, description="配电箱未接地",
                         client_id=hazard_id)
    h2 = loop.add_hazard(first, actor=xihu_inspector, description="配电箱未接地",
                         client_id=hazard_id)
    assert h1.pk == h2.pk and Hazard.objects.count() == 1
    item = first.items.first()
    loop.record_answer(first, item.pk, actor=xihu_inspector, result="compliant")
    before = AuditEvent.objects.count()
    loop.record_answer(first, item.pk, actor=xihu_inspector, result="compliant")
    assert AuditEvent.objects.count() == before  # the resend changed nothing


def test_whole_loop(inspection, xihu_inspector, xihu_inspector2, xihu_chief):
    loop.start_inspection(inspection, actor=xihu_inspector)
    dust_major = inspection.items.filter(
        checklist_item__template__code="GM-DUST-2026").exclude(
        checklist_item__major_hazard_criterion="").first()
    plain = inspection.items.filter(checklist_item__major_hazard_criterion="").first()
    failing = {plain.order: "安全生产责任制未以文件形式明确",
               dust_major.order: "除尘系统未设泄爆装置"}
    with pytest.raises(InvalidInput) as exc:
        loop.complete_findings(inspection, actor=xihu_inspector)
    assert "项未检查" in exc.value.detail
    answer_all(inspection, xihu_inspector, failing)
    inspection = loop.complete_findings(inspection, actor=xihu_inspector)
    assert inspection.status == Inspection.Status.RECTIFYING
    general, major = Hazard.objects.get(item=plain), Hazard.objects.get(item=dust_major)
    assert major.is_major and major.major_criterion and not general.is_major

    # Closure is refused while a hidden danger is open.
    with pytest.raises(DomainError) as exc:
        loop.close_inspection(inspection, actor=xihu_inspector)
    assert "不能闭环" in exc.value.detail

    # A major hidden danger needs all five in place and a deadline.
    with pytest.raises(InvalidInput) as exc:
        loop.issue_order(major, actor=xihu_inspector, kind="on_spot",
                         responsible_person="张厂长", measures="加装泄爆片")
    assert {"kind", "funds", "emergency_plan"} <= set(exc.value.fields)
    order = loop.issue_order(major, actor=xihu_inspector, kind="deadline", deadline_days=7,
                             responsible_person="张厂长", measures="加装泄爆片、隔爆阀",
                             funds=Decimal("12.5"), emergency_plan="粉尘爆炸专项应急预案")
    assert order.due_date is not None and not order.due_provisional
    listing = supervision.list_for_supervision(
        major, actor=xihu_chief, notice_number="西应急督〔2026〕1号", level="district",
        supervising_unit="西湖区应急管理局")
    loop.issue_order(general, actor=xihu_inspector2, kind="on_spot",
                     responsible_person="李主任", measures="印发安全生产责任制文件")
    assert Hazard.objects.get(pk=general.pk).status == Hazard.Status.ACCEPTED

    # The enterprise reports completion: a re-check within 10 calendar days (clock rule
    # "recheck"). The report date lies between the order's issue date and today, so
    # date the order 09-20.
    RectificationOrder.objects.filter(pk=order.pk).update(
        issued_at=datetime.datetime(2026, 9, 20, 2, 0, tzinfo=datetime.UTC))
    recheck = loop.report_rectified(major, actor=xihu_inspector,
                                    reported_on=datetime.date(2026, 9, 24))
    # 09-24 + 10 days = 10-04, inside the National Day holiday: moved to 10-08.
    assert recheck.due_date == datetime.date(2026, 10, 8)
    # Accepting a major hidden danger needs the enterprise's 治理方案 on file.
    with pytest.raises(DomainError) as exc:
        loop.record_recheck(major, actor=xihu_inspector, passed=True, note="泄爆片已安装",
                            inspectors=[xihu_inspector2])
    assert exc.value.code == "plan_missing"
    supervision.record_major_report(major, actor=xihu_inspector, kind="plan",
                                    received_on=timezone.localdate(),
                                    content="治理目标、措施、资金、期限、责任人员")
    loop.record_recheck(major, actor=xihu_inspector, passed=True, note="泄爆片已安装",
                        inspectors=[xihu_inspector2])
    major.refresh_from_db()
    # Accepted, but still listed until its 核销.
    assert major.status == Hazard.Status.ACCEPTED and major.delisted_at is None
    with pytest.raises(DomainError) as exc:
        loop.close_inspection(inspection, actor=xihu_inspector)
    assert exc.value.code == "listing_open"
    supervision.delist_hazard(major, actor=xihu_chief, note="隐患已消除，复查通过")
    listing.refresh_from_db()
    assert listing.status == "delisted" and listing.delisted_by == xihu_chief
    # The enterprise signs the re-check opinion before the loop closes.
    with pytest.raises(DomainError) as exc:
        loop.close_inspection(inspection, actor=xihu_inspector)
    assert exc.value.code == "recheck_unsigned"
    sign_recheck_opinion(inspection, xihu_inspector)
    closed = loop.close_inspection(inspection, actor=xihu_inspector)
    assert closed.status == Inspection.Status.CLOSED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"inspection.created", "inspection.in_progress", "inspection.rectifying",
            "hazard.rectifying", "hazard.listed", "hazard.reported", "hazard.accepted",
            "inspection.closed"} <= actions


def test_rectification_deadline_uses_the_calendar(inspection, xihu_inspector, monkeypatch):
    from django.utils import timezone

    # Issued on Thu 2026-09-24: fixed dates, not recomputed with the code under test.
    real_localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: (
        datetime.date(2026, 9, 24) if value is None else real_localdate(value, tz)))
    loop.start_inspection(inspection, actor=xihu_inspector)
    hazard = loop.add_hazard(inspection, actor=xihu_inspector, description="消防通道堵塞")
    order = loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=7,
                             responsible_person="王经理", measures="清理通道")
    # 9/24 + 7 calendar days = 10/1, 国庆 (10/1–7 off): due on the first working day, 10/8.
    assert (order.due_date, order.due_provisional) == (datetime.date(2026, 10, 8), False)
    other = loop.add_hazard(inspection, actor=xihu_inspector, description="灭火器过期")
    order = loop.issue_order(other, actor=xihu_inspector, kind="deadline", deadline_days=30,
                             responsible_person="王经理", measures="更换灭火器")
    # 9/24 + 30 = Sat 10/24, an ordinary weekend day: Monday 10/26.
    assert (order.due_date, order.due_provisional) == (datetime.date(2026, 10, 26), False)


def test_failed_recheck_escalates_and_then_closes(inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    plain = inspection.items.filter(checklist_item__major_hazard_criterion="").first()
    answer_all(inspection, xihu_inspector, {plain.order: "无安全生产责任制"})
    loop.complete_findings(inspection, actor=xihu_inspector)
    hazard = Hazard.objects.get()
    loop.issue_order(hazard, actor=xihu_inspector, kind="deadline", deadline_days=10,
                     responsible_person="赵总", measures="建立责任制")
    with pytest.raises(InvalidInput):
        loop.record_recheck(hazard, actor=xihu_inspector, passed=False, note="")
    loop.record_recheck(hazard, actor=xihu_inspector, passed=False, note="仍未建立")
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.ESCALATED
    sign_recheck_opinion(inspection, xihu_inspector)
    assert loop.close_inspection(inspection, actor=xihu_inspector).status == "closed"


def test_clean_inspection_closes_and_marks_the_plan(factory, xihu_inspector, xihu_inspector2):
    planned = PlannedInspection.objects.create(
        authority=xihu_inspector.authority, enterprise=factory, category="random",
        source="manual", year=2026, month=9)
    inspection = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                        inspectors=[xihu_inspector, xihu_inspector2],
                                        source=Inspection.Source.DRAW, planned=planned)
    loop.start_inspection(inspection, actor=xihu_inspector)
    answer_all(inspection, xihu_inspector, {})
    assert loop.complete_findings(inspection, actor=xihu_inspector).status == "closed"
    assert PlannedInspection.objects.get(pk=planned.pk).status == "done"


def test_only_team_members_record(inspection, xihu_inspector, binjiang_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    item = inspection.items.first()
    with pytest.raises(Forbidden):
        loop.record_answer(inspection, item.pk, actor=binjiang_inspector, result="compliant")
    assert InspectionItem.objects.get(pk=item.pk).result == "pending"


def test_changing_an_answer_back_removes_the_open_hazard(inspection, xihu_inspector):
    loop.start_inspection(inspection, actor=xihu_inspector)
    item = inspection.items.first()
    loop.record_answer(inspection, item.pk, actor=xihu_inspector, result="non_compliant")
    assert Hazard.objects.count() == 1
    loop.record_answer(inspection, item.pk, actor=xihu_inspector, result="compliant")
    assert Hazard.objects.count() == 0


def _overdue_setup(inspection, actor):
    loop.start_inspection(inspection, actor=actor)
    hazard = loop.add_hazard(inspection, actor=actor, description="安全出口锁闭")
    order = loop.issue_order(hazard, actor=actor, kind="deadline", deadline_days=5,
                             responsible_person="钱主管", measures="打开安全出口")
    return hazard, order


def test_flag_overdue_is_idempotent(inspection, xihu_inspector, xihu_chief):
    xihu_chief.email = "chief@safety.hangzhou.example"
    xihu_chief.save(update_fields=["email"])
    hazard, order = _overdue_setup(inspection, xihu_inspector)
    later = order.due_date + datetime.timedelta(days=1)
    assert loop.flag_overdue(later) == {"orders": 1, "rechecks": 0, "measures": 0}
    assert loop.flag_overdue(later) == {"orders": 0, "rechecks": 0, "measures": 0}
    recheck = ReCheck.objects.get(hazard=hazard)
    assert recheck.result == "" and recheck.due_date > order.due_date
    much_later = recheck.due_date + datetime.timedelta(days=1)
    assert loop.flag_overdue(much_later) == {"orders": 0, "rechecks": 1, "measures": 0}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_overdue_flagging_runs_on_a_real_worker(reference_data, calendar_data,
                                                celery_live_worker, xihu_inspector,
                                                xihu_inspector2, xihu_chief):
    load_checklist_templates()
    factory = enterprise("杭州逾期测试机械有限公司", 702, sector=Sector.MACHINERY)
    inspection = loop.create_inspection(actor=xihu_inspector, enterprise=factory,
                                        inspectors=[xihu_inspector, xihu_inspector2],
                                        source=Inspection.Source.AD_HOC)
    hazard, order = _overdue_setup(inspection, xihu_inspector)
    # Make the deadline lie in the past, as if the days had gone by.
    RectificationOrder.objects.filter(pk=order.pk).update(
        due_date=datetime.date(2026, 1, 5))
    from inspections.tasks import flag_overdue_rectifications

    flag_overdue_rectifications.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not RectificationOrder.objects.filter(
            pk=order.pk, overdue_flagged_at__isnull=False).exists():
        time.sleep(0.2)
    assert RectificationOrder.objects.get(pk=order.pk).overdue_flagged_at is not None
    assert AuditEvent.objects.filter(action="hazard.rectification_overdue").exists()
    assert ReCheck.objects.filter(hazard=hazard, result="").exists()
    assert any("insp2@safety.hangzhou.example" in m.to for m in mail.outbox)
