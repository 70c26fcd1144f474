"""Walk driver of the major hazard source filing (enterprises.majorhazardsource)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from stdnum.cn import uscc as uscc_lib

from enterprises import services
from enterprises.models import Enterprise, MajorHazardSource
from hangzhou_safety.accounts.models import Authority, Jurisdiction, User
from tests.platform.drivers import Driver

Status = MajorHazardSource.Status
_serial = itertools.count(80000)


def _uscc(serial: int) -> str:
    body = f"91330106MA2{serial % 100000:05d}X"
    return body + uscc_lib.calc_check_digit(body)


def make(status: str) -> MajorHazardSource:
    serial = next(_serial)
    enterprise = Enterprise(name=f"杭州流转走查化工{serial}厂", uscc=_uscc(serial),
                            location=Jurisdiction.objects.get(code="330106002"))
    enterprise.save()
    filed = status in (Status.FILED, Status.CANCELLED)
    return MajorHazardSource.objects.create(
        enterprise=enterprise, name="液氨罐区", level=MajorHazardSource.Level.TWO,
        substances=[{"name": "液氨", "cas": "7664-41-7", "quantity_t": 40,
                     "threshold_t": 10}],
        status=status,
        filing_date=datetime.date(2026, 3, 2) if filed else None,
        filing_authority=Authority.objects.get(code="EM-330106") if filed else None,
        cancelled_at=datetime.date(2026, 6, 1) if status == Status.CANCELLED else None,
        cancellation_reason="装置已拆除" if status == Status.CANCELLED else "")


def _actor() -> User:
    return User.objects.get(username="p_xihu_chief")   # the xihu_chief persona


def _file(row: MajorHazardSource) -> Any:
    return services.file_hazard_source(row, actor=_actor())


def _cancel(row: MajorHazardSource) -> Any:
    return services.cancel_hazard_source(row, actor=_actor(),
                                         reason="装置已拆除，危险物质存量低于临界量")


DRIVER = Driver(
    key="enterprises.majorhazardsource",
    make=make,
    steps={Status.FILED: _file, Status.CANCELLED: _cancel},
    fixtures=("reference_data", "xihu_chief"),
)
