"""Walk driver of blacklist entries (credit.blacklistentry)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from credit.blacklist import services
from credit.blacklist.models import BlacklistEntry
from tests.platform.drivers import Driver
from tests.platform.drivers._blacklist import make_entry
from tests.platform.drivers._cases import PERSONAS
from tests.platform.drivers._inspections import user

B = BlacklistEntry.Status
LATER = timezone.localdate() + datetime.timedelta(days=4000)


def make(status: str) -> BlacklistEntry:
    return make_entry(status)


DRIVER = Driver(
    key="credit.blacklistentry",
    make=make,
    steps={
        B.NOTIFIED: lambda row: services.notify(row, actor=user("xihu_inspector")),
        B.OBJECTION: lambda row: services.record_objection(row, actor=user("xihu_inspector"),
                                                           text="不应列入"),
        B.DECIDED: lambda row: services.decide(row, actor=user("xihu_approver"),
                                               decision_number="西应急失〔2026〕2号",
                                               today=LATER),
        B.PUBLISHED: lambda row: (services.revoke_removal if row.status == B.REMOVED else
                                  services.refuse_removal if row.status == B.REMOVAL_REQUESTED
                                  else services.publish_entry)(
            row, actor=user("xihu_approver"),
            **({} if row.status not in (B.REMOVED, B.REMOVAL_REQUESTED) else
               {"reason": "隐瞒事实"})),
        B.REMOVAL_REQUESTED: lambda row: services.request_early_removal(
            row, actor=user("xihu_inspector"), application="已整改"),
        B.REMOVED: lambda row: services.approve_removal(row, actor=user("xihu_approver"),
                                                        reason="条件具备"),
        B.EXPIRED: lambda row: services.expire(row, today=LATER),
        B.WITHDRAWN: lambda row: services.withdraw(row, actor=user("xihu_approver"),
                                                   reason="不符合条件"),
    },
    fixtures=PERSONAS,
)
