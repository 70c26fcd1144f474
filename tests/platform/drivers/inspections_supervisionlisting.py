"""Walk driver of 挂牌督办 (inspections.supervisionlisting): listed → de-listed (核销)."""

from __future__ import annotations

from inspections.loop import services as loop
from inspections.loop import supervision
from inspections.models import SupervisionListing
from tests.platform.drivers import Driver
from tests.platform.drivers._inspections import PERSONAS, major_rectifying, user

S = SupervisionListing.Status


def make(status: str) -> SupervisionListing:
    """A listed major hidden danger already accepted on re-check (so 核销 may follow)."""
    hazard = major_rectifying()
    listing = supervision.list_for_supervision(
        hazard, actor=user("xihu_chief"), notice_number="走查督〔2026〕1号",
        level=SupervisionListing.Level.DISTRICT, supervising_unit="西湖区应急管理局")
    loop.record_recheck(hazard, actor=user("xihu_inspector"), passed=True, note="走查：合格")
    if status == S.DELISTED:
        supervision.delist_hazard(hazard, actor=user("xihu_chief"), note="走查：已消除")
    listing.refresh_from_db()
    return listing


DRIVER = Driver(
    key="inspections.supervisionlisting",
    make=make,
    steps={S.DELISTED: lambda row: supervision.delist_hazard(
        row.hazard, actor=user("xihu_chief"), note="走查：隐患已消除")},
    fixtures=PERSONAS,
)
