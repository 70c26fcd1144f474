"""Every public service of the loop and of evidence that takes an `actor` checks role and
jurisdiction itself: called by an actor of 滨江区 on a 西湖区 object, or by a wrong role,
it refuses and writes nothing (no row changed, no audit event, no file).

The services are DISCOVERED (inspect.signature), so a new one cannot escape: a
discovered service missing from BUILDERS fails `test_every_service_is_mapped`."""

from __future__ import annotations

import datetime
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from enterprises.models import Sector, SpecialOperation
from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.models import AuditEvent
from inspections.checklists.templates import load_checklist_templates
from inspections.evidence import refusals, signatures
from inspections.evidence import services as evidence_services
from inspections.loop import services as loop
from inspections.loop import supervision
from inspections.models import (
    Evidence,
    Hazard,
    Inspection,
    InspectionItem,
    MajorHazardReport,
    PlannedInspection,
    ReCheck,
    RecorderFootage,
    RectificationOrder,
    ResumeApplication,
    Signature,
    SignatureRefusal,
    SupervisionListing,
)
from tests.conftest import make_user
from tests.enterprises.test_enterprise_core import enterprise

pytestmark = pytest.mark.django_db

MODULES = (loop, supervision, evidence_services, signatures, refusals)


def discover() -> dict[str, Callable[..., Any]]:
    found = {}
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            if "actor" in inspect.signature(fn).parameters:
                found[f"{module.__name__}.{name}"] = fn
    return found


@dataclass
class World:
    factory: Any
    xi: User
    xi2: User
    chief: User


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 30, 200)).save(out, format="PNG")
    return out.getvalue()


# --- Objects in the state where the team's own call succeeds ---

def _new(w: World) -> Inspection:
    return loop.create_inspection(actor=w.xi, enterprise=w.factory, inspectors=[w.xi, w.xi2],
                                  source=Inspection.Source.AD_HOC)


def _started(w: World) -> Inspection:
    inspection = _new(w)
    loop.start_inspection(inspection, actor=w.xi)
    return inspection


def _open_hazard(w: World, major: bool = False) -> Hazard:
    return loop.add_hazard(_started(w), actor=w.xi, description="消防通道堵塞",
                           is_major=major)


def _rectifying(w: World) -> Hazard:
    hazard = _open_hazard(w)
    loop.issue_order(hazard, actor=w.xi, kind="deadline", deadline_days=5,
                     responsible_person="王经理", measures="清理通道")
    return hazard


def _all_compliant(inspection: Inspection) -> None:
    InspectionItem.objects.filter(inspection=inspection).update(result="compliant")


Call = Callable[[Any], Any]


def b_create(w: World) -> Call:
    return lambda actor: loop.create_inspection(
        actor=actor, enterprise=w.factory, inspectors=[w.xi, w.xi2],
        source=Inspection.Source.AD_HOC)


def b_start(w: World) -> Call:
    inspection = _new(w)
    return lambda actor: loop.start_inspection(inspection, actor=actor)


def b_cancel(w: World) -> Call:
    inspection = _new(w)
    return lambda actor: loop.cancel_inspection(inspection, actor=actor, reason="企业停产")


def b_answer(w: World) -> Call:
    inspection = _started(w)
    item = inspection.items.order_by("order").first()
    return lambda actor: loop.record_answer(inspection, item.pk, actor=actor,
                                            result="non_compliant", note="未设泄爆装置")


def b_add_hazard(w: World) -> Call:
    inspection = _started(w)
    return lambda actor: loop.add_hazard(inspection, actor=actor, description="梯子缺损")


def b_complete(w: World) -> Call:
    inspection = _started(w)
    _all_compliant(inspection)
    return lambda actor: loop.complete_findings(inspection, actor=actor)


def b_order(w: World) -> Call:
    hazard = _open_hazard(w)
    return lambda actor: loop.issue_order(hazard, actor=actor, kind="deadline",
                                          deadline_days=5, responsible_person="王经理",
                                          measures="清理通道")


def _major_rectifying(w: World, measure: str = "") -> Hazard:
    hazard = _open_hazard(w, major=True)
    loop.issue_order(hazard, actor=w.xi, kind="deadline", deadline_days=30,
                     responsible_person="王经理", measures="加装泄爆片", funds=10,
                     emergency_plan="粉尘爆炸专项应急预案", onsite_measure=measure)
    return hazard


def _listed(w: World, chief: User) -> Hazard:
    hazard = _major_rectifying(w)
    supervision.list_for_supervision(hazard, actor=chief, notice_number="西应急督〔2026〕9号",
                                     level="district", supervising_unit="西湖区应急管理局")
    return hazard


def _plan(w: World, hazard: Hazard) -> None:
    supervision.record_major_report(hazard, actor=w.xi, kind="plan",
                                    received_on=timezone.localdate(), content="治理方案")


def b_list(w: World) -> Call:
    hazard = _open_hazard(w, major=True)
    return lambda actor: supervision.list_for_supervision(
        hazard, actor=actor, notice_number="西应急督〔2026〕9号", level="district",
        supervising_unit="西湖区应急管理局")


def b_publish(w: World) -> Call:
    hazard = _listed(w, w.chief)
    return lambda actor: supervision.publish_listing(
        hazard, actor=actor, stage="listing", published_on=timezone.localdate(),
        channel="西湖区政府门户网站")


def b_delist(w: World) -> Call:
    hazard = _listed(w, w.chief)
    _plan(w, hazard)
    loop.record_recheck(hazard, actor=w.xi, passed=True, note="已消除")
    return lambda actor: supervision.delist_hazard(hazard, actor=actor, note="隐患已消除")


def b_major_report(w: World) -> Call:
    hazard = _major_rectifying(w)
    return lambda actor: supervision.record_major_report(
        hazard, actor=actor, kind="plan", received_on=timezone.localdate(),
        content="治理目标和任务、方法和措施、经费和物资")


def b_resume(w: World) -> Call:
    hazard = _major_rectifying(w, "suspend")
    return lambda actor: supervision.register_resume_application(
        hazard, actor=actor, applied_on=timezone.localdate(), self_assessment="已整改完毕")


def b_review(w: World) -> Call:
    hazard = _major_rectifying(w, "suspend")
    _plan(w, hazard)
    application = supervision.register_resume_application(
        hazard, actor=w.xi, applied_on=timezone.localdate(), self_assessment="已整改完毕")
    return lambda actor: supervision.review_resume(application, actor=actor, consent=True)


def b_refusal(w: World) -> Call:
    inspection = _new(w)
    return lambda actor: refusals.record_refusal(
        inspection, actor=actor, document=Signature.Document.ONSITE_RECORD,
        refused_by="张厂长", circumstances="拒绝在现场检查记录上签字")


def b_report(w: World) -> Call:
    hazard = _rectifying(w)
    return lambda actor: loop.report_rectified(hazard, actor=actor)


def b_withdraw(w: World) -> Call:
    hazard = _rectifying(w)
    loop.report_rectified(hazard, actor=w.xi)
    return lambda actor: loop.withdraw_report(hazard, actor=actor, reason="仍在施工")


def b_recheck(w: World) -> Call:
    hazard = _rectifying(w)
    return lambda actor: loop.record_recheck(hazard, actor=actor, passed=True, note="合格")


def b_close(w: World) -> Call:
    hazard = _open_hazard(w)
    inspection = hazard.inspection
    _all_compliant(inspection)
    loop.complete_findings(inspection, actor=w.xi)
    loop.issue_order(hazard, actor=w.xi, kind="on_spot", responsible_person="王经理",
                     measures="当场清理")
    return lambda actor: loop.close_inspection(inspection, actor=actor)


def b_store(w: World) -> Call:
    inspection = _started(w)
    return lambda actor: evidence_services.store_evidence(
        inspection, actor=actor, kind="photo",
        uploaded_file=SimpleUploadedFile("p.png", png(), "image/png"))


def b_footage(w: World) -> Call:
    inspection = _new(w)
    start = datetime.datetime(2026, 9, 24, 1, 0, tzinfo=datetime.UTC)
    return lambda actor: evidence_services.add_recorder_footage(
        inspection, actor=actor, device_id="DSJ-01", file_reference="F-01",
        started_at=start, ended_at=start + datetime.timedelta(hours=1))


def b_sign(w: World) -> Call:
    inspection = _new(w)
    # The enterprise's signature, the one an officer captures for somebody else.
    return lambda actor: signatures.sign(
        inspection, actor=actor, document=Signature.Document.ONSITE_RECORD,
        signer_role=Signature.Role.ENTERPRISE, signer_name="张厂长", png_bytes=png())


L, E, S = "inspections.loop.services", "inspections.evidence.services", \
    "inspections.evidence.signatures"
V, R = "inspections.loop.supervision", "inspections.evidence.refusals"
#: How to build each service's arguments (the team's own call succeeds).
BUILDERS: dict[str, Callable[[World], Call]] = {
    f"{L}.create_inspection": b_create,
    f"{L}.start_inspection": b_start,
    f"{L}.cancel_inspection": b_cancel,
    f"{L}.record_answer": b_answer,
    f"{L}.add_hazard": b_add_hazard,
    f"{L}.complete_findings": b_complete,
    f"{L}.issue_order": b_order,
    f"{V}.list_for_supervision": b_list,
    f"{V}.publish_listing": b_publish,
    f"{V}.delist_hazard": b_delist,
    f"{V}.record_major_report": b_major_report,
    f"{V}.register_resume_application": b_resume,
    f"{V}.review_resume": b_review,
    f"{R}.record_refusal": b_refusal,
    f"{L}.report_rectified": b_report,
    f"{L}.withdraw_report": b_withdraw,
    f"{L}.record_recheck": b_recheck,
    f"{L}.close_inspection": b_close,
    f"{E}.store_evidence": b_store,
    f"{E}.add_recorder_footage": b_footage,
    f"{S}.sign": b_sign,
}
#: Who may make the call in the success check (a chief lists for supervision).
CHIEF_STEPS = (f"{V}.list_for_supervision", f"{V}.publish_listing", f"{V}.delist_hazard")
LEGIT = dict.fromkeys(CHIEF_STEPS, "xihu_chief")
#: Out-of-jurisdiction create: the 西湖区 enterprise is not visible, which is bad input.
OUTSIDER_ERROR: dict[str, type[DomainError]] = {f"{L}.create_inspection": InvalidInput}
OUTSIDERS = ["binjiang_chief", "binjiang_inspector", "binjiang_approver"]
WRONG_ROLES = ["auditor"]
#: A role that is on the team but may not take this step.
EXTRA_WRONG_ROLES = {name: ["xihu_inspector"] for name in CHIEF_STEPS}

CASES = [(name, actor) for name in BUILDERS for actor in OUTSIDERS + WRONG_ROLES
         + EXTRA_WRONG_ROLES.get(name, [])]


@pytest.fixture
def world(reference_data, calendar_data, xihu_inspector, xihu_chief) -> World:
    load_checklist_templates()
    second = make_user("p_guard_inspector2", Role.INSPECTOR, "EM-330106",
                       cert="P330106066", full_name="西湖执法员二")
    factory = enterprise("杭州西湖守卫机械有限公司", 751, sector=Sector.MACHINERY,
                         special_operations=[SpecialOperation.DUST_EXPLOSION])
    return World(factory, xihu_inspector, second, xihu_chief)


@pytest.fixture
def actors(request, world, xihu_chief, binjiang_inspector, binjiang_approver):
    def get(kind: str) -> User:
        if kind == "binjiang_chief":
            return make_user("p_binjiang_chief", Role.SECTION_CHIEF, "EM-330108",
                             cert="P330108002", full_name="滨江科长")
        if kind == "auditor":
            return make_user("p_xihu_auditor", Role.AUDITOR, "EM-330106",
                             full_name="西湖审计员")
        return {"xihu_inspector": world.xi, "xihu_chief": xihu_chief,
                "binjiang_inspector": binjiang_inspector,
                "binjiang_approver": binjiang_approver}[kind]

    return get


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def snapshot(root) -> dict[str, Any]:
    return {
        "inspections": sorted(Inspection.objects.values_list(
            "pk", "status", "planned_id", "started_at", "findings_done_at", "closed_at")),
        "items": sorted(InspectionItem.objects.values_list("pk", "result", "note")),
        "hazards": sorted(Hazard.objects.values_list("pk", "status", "listed_at",
                                                     "description")),
        "orders": sorted(RectificationOrder.objects.values_list("pk", "reported_done_at")),
        "rechecks": sorted(ReCheck.objects.values_list("pk", "result")),
        "planned": sorted(PlannedInspection.objects.values_list("pk", "status")),
        "evidence": Evidence.objects.count(),
        "footage": RecorderFootage.objects.count(),
        "signatures": Signature.objects.count(),
        "listings": sorted(SupervisionListing.objects.values_list(
            "pk", "status", "listing_published_on", "delisted_at")),
        "major_reports": MajorHazardReport.objects.count(),
        "resume": sorted(ResumeApplication.objects.values_list("pk", "status")),
        "refusals": SignatureRefusal.objects.count(),
        "audit": AuditEvent.objects.count(),
        "files": sorted(str(p) for p in root.rglob("*")) if root.exists() else [],
    }


def test_every_service_is_mapped():
    found = set(discover())
    assert found, "no service discovered"
    missing = found - set(BUILDERS)
    assert not missing, f"services without a guard case: {sorted(missing)}"
    assert set(BUILDERS) <= found, f"stale entries: {sorted(set(BUILDERS) - found)}"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_team_may(name, world, actors):
    call = BUILDERS[name](world)
    call(actors(LEGIT.get(name, "xihu_inspector")))


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_refused_and_nothing_written(name, kind, world, actors, evidence_root):
    call = BUILDERS[name](world)
    actor = actors(kind)
    before = snapshot(evidence_root)
    expected = (OUTSIDER_ERROR.get(name, Forbidden) if kind in OUTSIDERS else Forbidden)
    with pytest.raises(DomainError) as exc:
        call(actor)
    assert isinstance(exc.value, expected), (name, kind, exc.value)
    assert exc.value.detail and exc.value.detail_en
    assert snapshot(evidence_root) == before
