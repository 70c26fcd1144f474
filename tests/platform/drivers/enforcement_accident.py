"""Walk driver of accidents (enforcement.accident): reported → passed_up → investigating →
concluded → closed."""

from __future__ import annotations

from enforcement.accidents import services as accidents
from enforcement.accidents.models import Accident
from tests.platform.drivers import Driver
from tests.platform.drivers._cases import PERSONAS, officers
from tests.platform.drivers._inspections import user
from tests.platform.drivers._transfers import FINDINGS, make_accident

A = Accident.Status

DRIVER = Driver(
    key="enforcement.accident",
    make=make_accident,
    steps={
        A.PASSED_UP: lambda row: accidents.pass_up(row, actor=user("xihu_inspector")),
        A.INVESTIGATING: lambda row: accidents.start_investigation(
            row, actor=user("xihu_approver")),
        A.CONCLUDED: lambda row: accidents.conclude_investigation(
            row, actor=user("xihu_approver"), report="事故调查报告", findings=FINDINGS,
            officers=officers()),
        A.CLOSED: lambda row: accidents.close_accident(row, actor=user("xihu_approver")),
    },
    fixtures=PERSONAS,
)
