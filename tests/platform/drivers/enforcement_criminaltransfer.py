"""Walk driver of criminal transfers (enforcement.criminaltransfer): reported → approved |
not_approved; approved → transferred; transferred → accepted | declined; declined →
reconsideration | declined_final; reconsideration → accepted | declined_final; accepted →
exhibits_handed."""

from __future__ import annotations

from typing import Any

from enforcement.transfers import services as transfers
from enforcement.transfers.models import CriminalTransfer
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS
from tests.platform.drivers._inspections import user
from tests.platform.drivers._transfers import ATTACHMENTS, make_transfer

T = CriminalTransfer.Status


def _accepted(row: CriminalTransfer) -> Any:
    step = (transfers.record_reconsideration_result if row.status == T.RECONSIDERATION
            else transfers.record_police_decision)
    return step(row, actor=user("xihu_inspector"), accepted=True,
                decision_number="杭西公立〔2026〕2号")


def _declined_final(row: CriminalTransfer) -> Any:
    if row.status == T.RECONSIDERATION:
        return transfers.record_reconsideration_result(
            row, actor=user("xihu_inspector"), accepted=False,
            decision_number="杭西公复〔2026〕1号", reason="维持不予立案")
    return transfers.accept_decline(row, actor=user("xihu_approver"), reason="依法作出行政处罚")


DRIVER = Driver(
    key="enforcement.criminaltransfer",
    make=make_transfer,
    steps={
        T.APPROVED: lambda row: transfers.decide_transfer(row, actor=user("xihu_approver"),
                                                          approve=True, reason="同意移送"),
        T.NOT_APPROVED: lambda row: transfers.decide_transfer(
            row, actor=user("xihu_approver"), approve=False, reason="尚不构成犯罪"),
        T.TRANSFERRED: lambda row: transfers.record_transfer(
            row, actor=user("xihu_inspector"), police_organ="杭州市公安局西湖区分局",
            attachments=ATTACHMENTS),
        T.ACCEPTED: _accepted,
        T.DECLINED: lambda row: transfers.record_police_decision(
            row, actor=user("xihu_inspector"), accepted=False,
            decision_number="杭西公不立〔2026〕2号", reason="犯罪事实显著轻微"),
        T.RECONSIDERATION: lambda row: transfers.request_reconsideration(
            row, actor=user("xihu_inspector"), reason="涉案数额已达追诉标准"),
        T.DECLINED_FINAL: _declined_final,
        T.EXHIBITS_HANDED: lambda row: transfers.record_exhibit_handover(
            row, actor=user("xihu_inspector"), note="滤袋一批，已办结交接手续"),
    },
    fixtures=PERSONAS,
)
