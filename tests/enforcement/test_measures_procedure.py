"""Compulsory and on-site measures: each legal move and its refusals (行政强制法 第十八条、
第十九条、第二十四条至第二十八条、第四十三条; 安全生产法 第六十五条、第七十条)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from pypdf import PdfReader

from enforcement.cases import services as cases
from enforcement.cases.models import Case, CaseStepRecord, PenaltyDecision
from enforcement.measures import services as measures
from enforcement.measures.models import CompulsoryMeasure, Disposal, MeasureKind
from enforcement.measures.timing import ExecutionTimeRefused
from hangzhou_safety.accounts.models import Role
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from hangzhou_safety.workdays.arithmetic import SHANGHAI
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workflow import IllegalTransition
from tests.conftest import make_user
from tests.enforcement.helpers import refused
from tests.platform.drivers._cases import make_case, officers
from tests.platform.drivers._measures import make_measure, safe_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_world")]
MS = CompulsoryMeasure.Status
K = MeasureKind
ITEMS = [{"description": "不合格压力容器", "quantity": "1台", "kept_at": "厂区仓库"}]


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _propose(w: dict[str, Any], case: Case | None = None, kind: str = K.SEAL,
             **kw: Any) -> CompulsoryMeasure:
    case = case or make_case(Case.Status.INVESTIGATING)
    if kind in (K.SEAL, K.SEIZE):
        kw.setdefault("items", ITEMS)
    return measures.propose_measure(case, actor=w["inspector"], kind=kind,
                                    reason="压力容器未经检验", place="一号车间", **kw)


def _approve(w: dict[str, Any], measure: CompulsoryMeasure) -> CompulsoryMeasure:
    """Approve, dated before the safe execution moment the tests execute at."""
    approved = measures.approve_measure(measure, actor=w["approver"], opinion="同意")
    CompulsoryMeasure.objects.filter(pk=measure.pk).update(
        approved_at=safe_moment() - datetime.timedelta(hours=1))
    return approved


def _execute(w: dict[str, Any], measure: CompulsoryMeasure, **kw: Any) -> CompulsoryMeasure:
    kw.setdefault("executed_at", safe_moment())
    kw.setdefault("party_signed", True)
    return measures.execute_measure(measure, actor=w["inspector"], officers=officers(),
                                    onsite_record="出示执法证件，告知理由、依据和权利，听取陈述申辩。",
                                    **kw)


# --- The ordinary path -----------------------------------------------------------------

def test_seal_proposed_approved_executed_with_its_clock_items_and_document(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _propose(w)
    assert measure.status == MS.PROPOSED and measure.items.count() == 1
    assert AuditEvent.objects.filter(action="measure.proposed").exists()
    measure = _approve(w, measure)
    assert measure.status == MS.APPROVED and measure.approver == w["approver"]
    at = safe_moment()
    measure = _execute(w, measure, executed_at=at)
    measure.refresh_from_db()
    assert measure.status == MS.EXECUTED and measure.officers.count() == 2
    clock = Deadline.objects.get(pk=measure.limit_clock_id)
    assert clock.amount == 30 and clock.kind == Deadline.Kind.CALENDAR_DAYS
    assert "第二十五条" in clock.legal_basis
    doc = measure.decision_document
    assert doc is not None and doc.doc_type_id == "查扣" and "应急查扣〔" in doc.number
    text = _text(bytes(doc.pdf))
    party = measure.case.parties.get().name
    assert "查封" in text and party in text and "不合格压力容器" in text
    assert "行政复议" in text and "行政诉讼" in text
    steps = set(CaseStepRecord.objects.filter(case=measure.case).values_list("step", flat=True))
    assert {"measure_proposed", "measure_approved", "measure_executed"} <= steps
    assert AuditEvent.objects.filter(action="measure.executed").exists()


def test_a_temporary_stop_is_limited_to_six_months(case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _execute(w, _approve(w, _propose(w, kind=K.TEMP_SUSPEND)))
    measure.refresh_from_db()
    start = measure.executed_at.astimezone(SHANGHAI).date()
    assert measure.limit_until is not None
    assert 181 <= (measure.limit_until - start).days <= 188  # six months, moved off rest days
    assert measure.limit_clock_id is None
    doc = measure.decision_document
    assert doc is not None and doc.doc_type_id == "现措"
    text = _text(bytes(doc.pdf))
    assert "暂时停产停业" in text and measure.case.parties.get().name in text


def test_the_head_refuses_and_a_case_officer_may_not_approve(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _propose(w)
    with refused(Forbidden, "负责人"):
        measures.approve_measure(measure, actor=w["inspector"])
    officer_head = make_user("p_xihu_head2", Role.DISTRICT_APPROVER, "EM-330106",
                             cert="P330106099")
    measure.case.officers.add(officer_head)
    with refused(Forbidden, "职能分离"):
        measures.approve_measure(measure, actor=officer_head)
    with refused(InvalidInput, "理由"):
        measures.refuse_measure(measure, actor=w["approver"], reason=" ")
    refused_row = measures.refuse_measure(measure, actor=w["approver"], reason="证据不足")
    assert refused_row.status == MS.REFUSED
    with refused(IllegalTransition, "不予批准"):
        _execute(w, refused_row)


def test_another_district_may_not_act(case_world: dict[str, Any],
                                      binjiang_approver: Any, binjiang_inspector: Any) -> None:
    measure = _propose(case_world)
    with refused(Forbidden, "管辖"):
        measures.approve_measure(measure, actor=binjiang_approver)
    with refused(Forbidden, "管辖"):
        measures.propose_measure(measure.case, actor=binjiang_inspector, kind=K.WITHDRAW,
                                 reason="x", place="y")


def test_illegal_moves_are_409_and_write_nothing(case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _propose(w)
    before = AuditEvent.objects.count()
    with refused(IllegalTransition, "待批准"):
        _execute(w, measure)
    with refused(IllegalTransition, "待批准"):
        measures.lift_measure(measure, actor=w["approver"], reason="cause_removed")
    with refused(IllegalTransition, "待批准"):
        measures.report_emergency(measure, actor=w["inspector"], report="x")
    with refused(IllegalTransition, "待批准"):
        measures.extend_measure(measure, actor=w["approver"], days=10, reason="复杂")
    assert AuditEvent.objects.count() == before
    measure.refresh_from_db()
    assert measure.status == MS.PROPOSED and measure.executed_at is None
    closed = make_case(Case.Status.CLOSED)
    with refused(IllegalTransition, "结案"):
        measures.propose_measure(closed, actor=w["inspector"], kind=K.WITHDRAW, reason="x",
                                 place="y")


def test_execution_needs_two_certified_officers_and_a_signed_record(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = _approve(w, _propose(w))
    with refused(InvalidInput, "两名"):
        measures.execute_measure(measure, actor=w["inspector"], officers=[w["inspector"]],
                                 onsite_record="笔录", executed_at=safe_moment(),
                                 party_signed=True)
    uncertified = make_user("p_xihu_nocert", Role.INSPECTOR, "EM-330106")
    with refused(InvalidInput, "执法证"):
        measures.execute_measure(measure, actor=w["inspector"],
                                 officers=[w["inspector"], uncertified], onsite_record="笔录",
                                 executed_at=safe_moment(), party_signed=True)
    with refused(InvalidInput, "现场笔录"):
        measures.execute_measure(measure, actor=w["inspector"], officers=officers(),
                                 onsite_record=" ", executed_at=safe_moment(),
                                 party_signed=True)
    with refused(InvalidInput, "拒绝"):
        _execute(w, measure, party_signed=False)
    with refused(InvalidInput, "见证人"):
        _execute(w, measure, party_present=False, party_signed=False)
    done = _execute(w, measure, party_signed=False, refusal_note="当事人拒绝签名，已注明")
    assert done.status == MS.EXECUTED and done.refusal_note


# --- 第四十三条: no execution at night or on a statutory holiday -----------------------

def test_no_execution_on_national_day_or_at_night_unless_urgent(
        case_world: dict[str, Any]) -> None:
    w = case_world
    national_day = datetime.datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI)
    night = datetime.datetime.combine(safe_moment().date(), datetime.time(23, 30),
                                      tzinfo=SHANGHAI) - datetime.timedelta(days=1)
    measure = _approve(w, _propose(w))
    with refused(ExecutionTimeRefused, "法定节假日"):
        _execute(w, measure, executed_at=national_day)
    with refused(ExecutionTimeRefused, "夜间"):
        _execute(w, measure, executed_at=night)
    measure.refresh_from_db()
    assert measure.status == MS.APPROVED
    urgent = measures.execute_emergency(
        make_case(Case.Status.INVESTIGATING), actor=w["inspector"], kind=K.SEIZE,
        reason="危险物品随时可能被转移", place="仓库", officers=officers(), items=ITEMS,
        onsite_record="情况紧急，当场扣押", executed_at=national_day, party_signed=True)
    assert urgent.status == MS.EMERGENCY and urgent.emergency


# --- 第十九条: the emergency path --------------------------------------------------------

def test_an_emergency_measure_reported_in_time_and_approved_after(
        case_world: dict[str, Any]) -> None:
    w = case_world
    case = make_case(Case.Status.INVESTIGATING)
    measure = measures.execute_emergency(
        case, actor=w["inspector"], kind=K.WITHDRAW, reason="有坍塌危险", place="井下",
        officers=officers(), onsite_record="当场撤出作业人员", party_signed=True)
    clock = Deadline.objects.get(pk=measure.report_clock_id)
    assert clock.kind == Deadline.Kind.HOURS and clock.amount == 24
    assert measure.decision_document is not None
    with refused(IllegalTransition, "待报告"):
        measures.confirm_emergency(measure, actor=w["approver"])
    reported = measures.report_emergency(measure, actor=w["inspector"], report="已当场实施")
    assert reported.status == MS.REPORTED and not reported.report_late
    clock.refresh_from_db()
    assert clock.status == Deadline.Status.MET
    with refused(Forbidden, "负责人"):
        measures.confirm_emergency(measure, actor=w["inspector"])
    confirmed = measures.confirm_emergency(measure, actor=w["approver"])
    assert confirmed.status == MS.EXECUTED and confirmed.approved_after


def test_a_late_report_is_kept_and_flagged(case_world: dict[str, Any]) -> None:
    w = case_world
    measure = make_measure(MS.EMERGENCY, kind=K.SEIZE,
                           at=safe_moment() - datetime.timedelta(days=2))
    reported = measures.report_emergency(measure, actor=w["inspector"], report="补报")
    assert reported.status == MS.REPORTED and reported.report_late
    event = AuditEvent.objects.filter(action="measure.reported").latest("pk")
    assert event.new_values["late"] is True
    step = CaseStepRecord.objects.filter(step="measure_reported").latest("pk")
    assert step.data["late"] is True


def test_not_approved_after_the_fact_must_be_lifted_at_once(
        case_world: dict[str, Any]) -> None:
    w = case_world
    measure = make_measure(MS.REPORTED, kind=K.SEIZE)
    with refused(InvalidInput, "理由"):
        measures.disapprove_emergency(measure, actor=w["approver"], reason="")
    row = measures.disapprove_emergency(measure, actor=w["approver"], reason="不应采取")
    assert row.status == MS.NOT_APPROVED
    with refused(InvalidInput, "不予批准"):
        measures.lift_measure(row, actor=w["inspector"], reason="cause_removed")
    lifted = measures.lift_measure(row, actor=w["inspector"], reason="not_approved")
    assert lifted.status == MS.LIFTED
    assert set(lifted.items.values_list("disposal", flat=True)) == {Disposal.RETURNED}
    assert lifted.lifting_document is not None
    text = _text(bytes(lifted.lifting_document.pdf))
    assert "解除" in text and "扣押" in text and lifted.case.parties.get().name in text


def test_power_and_explosives_cuts_are_refused_on_the_spot(case_world: dict[str, Any]) -> None:
    with refused(DomainError, "主要负责人"):
        measures.execute_emergency(
            make_case(Case.Status.INVESTIGATING), actor=case_world["inspector"],
            kind=K.STOP_POWER, reason="x", place="y", officers=officers(),
            onsite_record="z", party_signed=True)


# --- 第二十五条: 30 days, once more ≤ 30 by the head -------------------------------------

def test_seizure_extended_once_by_at_most_thirty_days(case_world: dict[str, Any]) -> None:
    w = case_world
    measure = make_measure(MS.EXECUTED, kind=K.SEIZE,
                           at=safe_moment() - datetime.timedelta(days=3))
    clock = Deadline.objects.get(pk=measure.limit_clock_id)
    due = clock.due_date
    with refused(Forbidden, "负责人"):
        measures.extend_measure(measure, actor=w["inspector"], days=30, reason="情况复杂")
    with refused(InvalidInput, "1至30日"):
        measures.extend_measure(measure, actor=w["approver"], days=31, reason="情况复杂")
    with refused(InvalidInput, "理由"):
        measures.extend_measure(measure, actor=w["approver"], days=30, reason="")
    extended = measures.extend_measure(measure, actor=w["approver"], days=30,
                                       reason="需要技术鉴定，情况复杂")
    clock.refresh_from_db()
    assert extended.extension_days == 30 and clock.amount == 60
    assert clock.due_date is not None and due is not None
    assert (clock.due_date - due).days >= 28  # moved by 30 days (rest-day shifts aside)
    assert AuditEvent.objects.filter(action="measure.extended").exists()
    with refused(IllegalTransition, "一次"):
        measures.extend_measure(measure, actor=w["approver"], days=5, reason="再延")
    stop = make_measure(MS.EXECUTED, kind=K.TEMP_SUSPEND)
    with refused(IllegalTransition, "只有查封、扣押"):
        measures.extend_measure(stop, actor=w["approver"], days=5, reason="x")


def test_an_ended_seizure_cannot_be_extended_and_is_lifted_for_its_period(
        case_world: dict[str, Any]) -> None:
    w = case_world
    fresh = make_measure(MS.EXECUTED, kind=K.SEAL)
    with refused(DomainError, "尚未届满"):
        measures.lift_measure(fresh, actor=w["approver"], reason="period_ended")
    old = make_measure(MS.EXECUTED, kind=K.SEAL,
                       at=safe_moment() - datetime.timedelta(days=40))
    with refused(IllegalTransition, "届满"):
        measures.extend_measure(old, actor=w["approver"], days=10, reason="复杂")
    lifted = measures.lift_measure(old, actor=w["approver"], reason="period_ended")
    assert lifted.status == MS.LIFTED and lifted.lift_reason == "period_ended"


def test_item_disposal_and_return_on_lifting(case_world: dict[str, Any]) -> None:
    w = case_world
    measure = make_measure(MS.EXECUTED, kind=K.SEIZE)
    extra = measure.items.create(description="非法储存的危险化学品", quantity="3桶")
    item = measure.items.exclude(pk=extra.pk).get()
    disposed = measures.dispose_item(extra, actor=w["inspector"], disposal=Disposal.CONFISCATED,
                                     note="依法没收")
    assert disposed.disposal == Disposal.CONFISCATED and disposed.disposed_on
    with refused(IllegalTransition, "已处理"):
        measures.dispose_item(extra, actor=w["inspector"], disposal=Disposal.DESTROYED)
    with refused(Forbidden, "负责人"):
        measures.lift_measure(measure, actor=w["inspector"], reason="cause_removed")
    with refused(InvalidInput, "解除原因"):
        measures.lift_measure(measure, actor=w["approver"], reason="bored")
    lifted = measures.lift_measure(measure, actor=w["approver"], reason="cause_removed",
                                   note="隐患已排除")
    item.refresh_from_db()
    extra.refresh_from_db()
    assert item.disposal == Disposal.RETURNED and extra.disposal == Disposal.CONFISCATED
    clock = Deadline.objects.get(pk=lifted.limit_clock_id)
    assert clock.status == Deadline.Status.MET
    with refused(IllegalTransition, "已解除"):
        measures.lift_measure(lifted, actor=w["approver"], reason="cause_removed")


# --- 安全生产法 第七十条: 停止供电 / 停止供应民用爆炸物品 -----------------------------------

def test_power_cut_needs_a_refused_suspension_and_24_hours_notice(
        case_world: dict[str, Any]) -> None:
    w = case_world
    suspension = make_measure(MS.EXECUTED, kind=K.SUSPEND)
    case = suspension.case
    power = {"danger": "拒不停产，储罐区存在泄漏爆炸的现实危险",
             "supplier_name": "国网杭州供电公司"}
    with refused(DomainError, "前提"):
        _propose(w, case, K.STOP_POWER, **power)
    with refused(DomainError, "拒不执行"):
        _propose(w, case, K.STOP_POWER, prerequisite=suspension, **power)
    with refused(IllegalTransition, "停产停业"):
        measures.record_party_refusal(make_measure(MS.EXECUTED, kind=K.SEAL), actor=w["inspector"],
                                      note="x")
    measures.record_party_refusal(suspension, actor=w["inspector"], note="拒不停产，继续作业")
    assert AuditEvent.objects.filter(action="measure.party_refused").exists()
    with refused(IllegalTransition, "已记录"):
        measures.record_party_refusal(suspension, actor=w["inspector"], note="again")
    with refused(InvalidInput, "现实危险"):
        _propose(w, case, K.STOP_POWER, prerequisite=suspension, supplier_name="供电公司")
    measure = _approve(w, _propose(w, case, K.STOP_POWER, prerequisite=suspension, **power))
    at = safe_moment()
    with refused(InvalidInput, "书面通知"):
        _execute(w, measure, executed_at=at, party_notified_at=at - datetime.timedelta(hours=25))
    with refused(DomainError, "24小时"):
        _execute(w, measure, executed_at=at, supplier_notified_at=at,
                 party_notified_at=at - datetime.timedelta(hours=23))
    done = _execute(w, measure, executed_at=at, supplier_notified_at=at,
                    party_notified_at=at - datetime.timedelta(hours=25))
    assert done.status == MS.EXECUTED
    doc = done.decision_document
    assert doc is not None and doc.doc_type_id == "停供"
    text = _text(bytes(doc.pdf))
    assert "停止供电" in text and "国网杭州供电公司" in text and case.parties.get().name in text


def test_an_emergency_power_cut_needs_no_24_hours_notice(case_world: dict[str, Any]) -> None:
    w = case_world
    suspension = make_measure(MS.EXECUTED, kind=K.TEMP_SUSPEND)
    measures.record_party_refusal(suspension, actor=w["inspector"], note="拒不执行")
    measure = _approve(w, _propose(w, suspension.case, K.STOP_POWER, prerequisite=suspension,
                                   emergency=True, danger="现实危险", supplier_name="供电公司"))
    at = safe_moment()
    done = _execute(w, measure, executed_at=at, supplier_notified_at=at)
    assert done.status == MS.EXECUTED
    explosives = _approve(w, _propose(w, suspension.case, K.STOP_EXPLOSIVES,
                                      prerequisite=suspension, danger="现实危险",
                                      supplier_name="民爆公司"))
    assert _execute(w, explosives, executed_at=at, supplier_notified_at=at).status == MS.EXECUTED


def test_a_lifted_suspension_no_longer_supports_a_power_cut(case_world: dict[str, Any]) -> None:
    w = case_world
    suspension = make_measure(MS.EXECUTED, kind=K.STOP_USE)
    measures.record_party_refusal(suspension, actor=w["inspector"], note="拒不执行")
    measure = _propose(w, suspension.case, K.STOP_EXPLOSIVES, prerequisite=suspension,
                       danger="现实危险", supplier_name="民爆公司")
    measures.lift_measure(suspension, actor=w["approver"], reason="cause_removed")
    with refused(DomainError, "拒不执行"):
        measures.approve_measure(measure, actor=w["approver"])


# --- The case close guard ----------------------------------------------------------------

def test_a_case_cannot_close_while_a_measure_is_in_force(case_world: dict[str, Any]) -> None:
    w = case_world
    case = make_case(Case.Status.EXECUTING, decision_status=PenaltyDecision.Status.PAID)
    measure = make_measure(MS.EXECUTED, kind=K.SEAL, case=case)
    with refused(DomainError, "未解除的强制措施"):
        cases.close_case(case, actor=w["approver"])
    case.refresh_from_db()
    assert case.status == Case.Status.EXECUTING
    measures.lift_measure(measure, actor=w["approver"], reason="cause_removed")
    assert cases.close_case(case, actor=w["approver"]).status == Case.Status.CLOSED
