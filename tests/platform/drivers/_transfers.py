"""Shared builders of the transfer and accident drivers and tests: a criminal transfer
of a 西湖区 case in any status, an accident of a 西湖区 enterprise in any status, made
directly in the database with what that status implies (clocks started through the
calendar service, as the steps would)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from enforcement.accidents import grading
from enforcement.accidents.models import Accident
from enforcement.cases.models import Case
from enforcement.transfers.models import CriminalTransfer
from hangzhou_safety.accounts.models import Authority
from hangzhou_safety.workdays.services import start_clock
from tests.platform.drivers._cases import Staff, make_case, xihu_staff
from tests.platform.drivers._inspections import XIHU, enterprise, user

T = CriminalTransfer.Status
A = Accident.Status
ATTACHMENTS = [{"kind": "investigation_report", "title": "涉嫌犯罪案件情况的调查报告"},
               {"kind": "exhibit_list", "title": "涉案物品清单"},
               {"kind": "test_report", "title": "除尘系统检测报告"}]
#: The path of each status, in order of the steps.
_AFTER = {T.APPROVED: 1, T.NOT_APPROVED: 1, T.TRANSFERRED: 2, T.ACCEPTED: 3, T.DECLINED: 3,
          T.RECONSIDERATION: 4, T.DECLINED_FINAL: 4, T.EXHIBITS_HANDED: 5}


def make_transfer(status: str = T.REPORTED, *, case: Case | None = None,
                  staff: Staff | None = None, category: str = "major_liability_accident"
                  ) -> CriminalTransfer:
    """A transfer in ``status`` of an investigating case (or ``case``); its events lie
    one hour apart in the past, its clocks run from them."""
    staff = staff or xihu_staff()
    case = case or make_case(Case.Status.INVESTIGATING, staff=staff)
    depth = _AFTER.get(status, 0)
    now = timezone.now()
    start = now - datetime.timedelta(hours=depth + 1)

    def hour(n: int) -> datetime.datetime:
        return start + datetime.timedelta(hours=n)

    row = CriminalTransfer.objects.create(
        case=case, category=category, status=status, report="经核实，涉嫌重大责任事故罪。",
        reported_at=hour(0), reported_by=staff.inspector)
    values: dict[str, Any] = {
        "decision_clock": start_clock("transfer_decision", subject=case, started_at=hour(0))}
    if depth >= 1:
        values.update(decided_at=hour(1), decided_by=staff.approver,
                      decision_reason="不构成犯罪" if status == T.NOT_APPROVED else "同意移送")
    if depth >= 1 and status != T.NOT_APPROVED:
        values["delivery_clock"] = start_clock("transfer_delivery", subject=case,
                                               started_at=hour(1))
    if depth >= 2 and status != T.NOT_APPROVED:
        values.update(transferred_at=hour(2), police_organ="杭州市公安局西湖区分局",
                      attachments=ATTACHMENTS[:2],
                      acceptance_clock=start_clock("police_acceptance", subject=case,
                                                   started_at=hour(2)))
    if status in (T.ACCEPTED, T.EXHIBITS_HANDED):
        values.update(police_received_at=hour(3), police_decision_number="杭西公立〔2026〕1号",
                      handover_clock=start_clock("exhibit_handover", subject=case,
                                                 started_at=hour(3)))
    if status in (T.DECLINED, T.RECONSIDERATION, T.DECLINED_FINAL):
        values.update(police_received_at=hour(3), police_decision_number="杭西公不立〔2026〕1号",
                      police_reason="犯罪事实显著轻微",
                      reconsideration_clock=start_clock("transfer_reconsideration",
                                                        subject=case, started_at=hour(3)))
    if status in (T.RECONSIDERATION, T.DECLINED_FINAL):
        values["reconsideration_requested_at"] = hour(4)
    if status == T.EXHIBITS_HANDED:
        values.update(exhibits_handed_at=hour(5), exhibits_note="滤袋一批，已办结交接手续")
    CriminalTransfer.objects.filter(pk=row.pk).update(**values)
    row.refresh_from_db()
    return row


def make_accident(status: str = A.REPORTED, *, deaths: int = 1, serious_injuries: int = 0,
                  direct_loss: Decimal = Decimal("500000"), late: bool = False,
                  authority_code: str = XIHU, site: Any = None, created_by: Any = None
                  ) -> Accident:
    """An accident of a new 西湖区 enterprise (or ``site``) in ``status``, received by
    ``authority_code``; the unit reported 30 minutes after it (2 hours when ``late``)."""
    now = timezone.now()
    occurred = now - datetime.timedelta(hours=3)
    reported = occurred + datetime.timedelta(hours=2 if late else 0, minutes=30)
    authority = Authority.objects.get(code=authority_code)
    row = Accident.objects.create(
        authority=authority, enterprise=site or enterprise(), status=status,
        occurred_at=occurred, place="二号车间", summary="除尘器爆燃",
        deaths=deaths, serious_injuries=serious_injuries, direct_loss=direct_loss,
        grade=grading.grade(deaths, serious_injuries, direct_loss),
        reported_by_unit_at=reported, received_at=reported, late_report=late,
        created_by=created_by or user("xihu_inspector"))
    values: dict[str, Any] = {
        "unit_report_clock": start_clock("accident_unit_report", subject=row,
                                         started_at=occurred),
        "pass_up_clock": start_clock("accident_pass_up", subject=row, started_at=reported)}
    if status != A.REPORTED:
        values.update(passed_up_at=reported + datetime.timedelta(minutes=30),
                      passed_up_to="杭州市应急管理局")
    if status in (A.INVESTIGATING, A.CONCLUDED, A.CLOSED):
        values.update(investigating_authority=authority, investigation_started_at=now)
    if status in (A.CONCLUDED, A.CLOSED):
        values.update(investigation_report="事故调查报告：除尘系统未设泄爆装置。", concluded_at=now)
    if status == A.CLOSED:
        values["closed_at"] = now
    Accident.objects.filter(pk=row.pk).update(**values)
    row.refresh_from_db()
    return row


FINDINGS = [{"unit_name": "杭州走查机械厂", "identifier": "", "responsibility": "未设泄爆装置",
             "persons": [{"name": "张厂长", "role": "principal",
                          "responsibility": "未履行主要负责人职责"}]}]
