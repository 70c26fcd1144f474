"""Walk driver of applications to resume after a stop measure
(inspections.resumeapplication): pending → consented | refused | withdrawn."""

from __future__ import annotations

from typing import Any

from inspections.loop import services as loop
from inspections.loop import supervision
from inspections.loop.services import _today
from inspections.models import OnSiteMeasure, ResumeApplication
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, major_rectifying, user

S = ResumeApplication.Status


def make(status: str) -> ResumeApplication:
    hazard = major_rectifying(OnSiteMeasure.SUSPEND)
    application = supervision.register_resume_application(
        hazard, actor=user("xihu_inspector"), applied_on=_today(),
        self_assessment="走查：已整改完毕")
    if status == S.WITHDRAWN:
        loop.withdraw_report(hazard, actor=user("xihu_inspector"), reason="走查：尚未完成")
    elif status in (S.CONSENTED, S.REFUSED):
        _review(status == S.CONSENTED)(application)
    application.refresh_from_db()
    return application


def _review(consent: bool):  # type: ignore[no-untyped-def]
    def step(row: ResumeApplication) -> Any:
        return supervision.review_resume(row, actor=user("xihu_inspector"), consent=consent,
                                         note="走查：现场审查意见")
    return step


DRIVER = Driver(
    key="inspections.resumeapplication",
    make=make,
    steps={S.CONSENTED: _review(True), S.REFUSED: _review(False),
           S.WITHDRAWN: lambda row: loop.withdraw_report(
               row.hazard, actor=user("xihu_inspector"), reason="走查：单位撤回申请")},
    fixtures=PERSONAS,
)
