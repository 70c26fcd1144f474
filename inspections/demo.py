"""Demo data for plans, schemes and draws (called by `manage.py seed_demo`).

Every district bureau gets this year's plan, in a spread of workflow states so each
screen has something to show: 西湖区's is waiting in xihu_approver's queue,
滨江区's is published. Idempotent: existing plans are left alone.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, User
from inspections.checklists import services as schemes
from inspections.checklists.templates import load_checklist_templates
from inspections.draws import services as draws
from inspections.evidence import documents as loop_documents
from inspections.evidence import signatures
from inspections.loop import services as loop
from inspections.loop import supervision
from inspections.plans import services as plans

from .models import (
    ChecklistTemplate,
    EnforcementPlan,
    Hazard,
    Inspection,
    InspectionScheme,
    PlanCategory,
    PlannedInspection,
    RandomDraw,
)

# Districts whose demo plan reaches each state; the rest cycle through STATES.
FIXED_STATES = {"330106": "submitted", "330108": "published"}
STATES = ["published", "approved", "returned", "draft", "submitted"]
AUTHORS = {"330106": "xihu_chief"}
APPROVERS = {"330106": "xihu_approver", "330108": "binjiang_approver"}


def seed(*, rng: random.Random, scale: int, stdout: Any) -> None:
    year = timezone.localdate().year
    made = 0
    bureaus = Authority.objects.filter(kind=Authority.Kind.DISTRICT_BUREAU).select_related(
        "jurisdiction").order_by("code")
    for index, bureau in enumerate(bureaus):
        code = bureau.jurisdiction.code
        if EnforcementPlan.objects.filter(authority=bureau, year=year).exists():
            continue
        author = User.objects.get(username=AUTHORS.get(code, f"chief_{code}"))
        approver = User.objects.get(username=APPROVERS.get(code, f"approver_{code}"))
        state = FIXED_STATES.get(code, STATES[index % len(STATES)])
        with transaction.atomic():
            _plan(bureau, year, author, approver, state, rng)
        made += 1
    _load_checklists_and_draws(rng=rng, stdout=stdout)
    stdout.write(f"inspections demo: {made} plans for {year}")
    for code, first, second in (("330106", "xihu_inspector", "xihu_inspector2"),
                                ("330108", "binjiang_inspector", "insp_330108_001")):
        _demo_inspections(code, User.objects.get(username=first),
                          User.objects.get(username=second), stdout)


def _plan(bureau: Authority, year: int, author: User, approver: User, state: str,
          rng: random.Random) -> EnforcementPlan:
    plan = plans.create_plan(authority=bureau, year=year, actor=author,
                             enforcement_powers="《安全生产法》第六十五条规定的现场检查、"
                             "责令整改、现场处理等职权",
                             equipment="执法记录仪、便携式气体检测仪、粉尘浓度检测仪",
                             vehicles=rng.randint(2, 6))
    counts = plan.registry_snapshot
    key = max(1, counts.get("high_risk", 0))
    rows = []
    for month in range(1, 13):
        rows.append({"category": PlanCategory.RANDOM, "month": month,
                     "planned": rng.randint(4, 12)})
        if month % 3 == 0:  # key supervision: at least 4 a year, once a quarter
            rows.append({"category": PlanCategory.KEY_HIGH_RISK, "month": month,
                         "planned": key})
        if month in (4, 10):
            rows.append({"category": PlanCategory.JOINT, "month": month,
                         "planned": rng.randint(2, 5)})
    plans.set_quotas(plan, rows, actor=author)
    campaign = plans.propose_campaign(plan, actor=author, name="粉尘涉爆企业专项执法",
                                      reason="夏季高温高湿，粉尘爆炸风险上升",
                                      months=[6, 7, 8], planned=rng.randint(6, 15))
    if state == "draft":
        return plan
    plans.submit_plan(plan, actor=author)
    if state == "submitted":
        return plan
    if state == "returned":
        return plans.return_plan(plan, actor=approver,
                                 comment="重点监管企业检查频次不足，请补充高危行业企业季度检查安排。")
    plans.decide_campaign(campaign, actor=approver, approve=True)
    plan = plans.approve_plan(plan, actor=approver, comment="同意。")
    if state == "approved":
        return plan
    return plans.publish_plan(plan, actor=approver)


def _load_checklists_and_draws(*, rng: random.Random, stdout: Any) -> None:
    """Checklist templates, 西湖区's approved scheme and a completed, published draw
    (a fixed seed, so the demo draw is the same on every machine)."""
    load_checklist_templates()
    xihu = Authority.objects.get(code="EM-330106")
    inspector = User.objects.get(username="xihu_inspector")
    chief = User.objects.get(username="xihu_chief")
    year = timezone.localdate().year
    general, dust, health = (ChecklistTemplate.objects.get(code=c)
                             for c in ("GM-GEN-2026", "GM-DUST-2026", "OH-GEN-2026"))
    if not InspectionScheme.objects.filter(authority=xihu).exists():
        plan = EnforcementPlan.objects.filter(authority=xihu, year=year).first()
        with transaction.atomic():
            scheme = schemes.create_scheme({
                "title": f"{year}年第四季度工贸企业粉尘涉爆专项检查方案",
                "area": "西湖区转塘街道、三墩镇、双浦镇工贸企业集中区域",
                "content": "安全生产责任制落实、粉尘涉爆场所防爆措施、除尘系统、"
                           "职业病危害防护",
                "focus": "除尘系统泄爆隔爆措施、粉尘清扫制度、特种作业人员持证",
                "start_date": datetime.date(year, 10, 8),
                "end_date": datetime.date(year, 12, 31),
                "templates": [general.pk, dust.pk, health.pk],
                "team": [inspector.pk, User.objects.get(username="xihu_inspector2").pk],
                "plan": plan,
            }, actor=inspector)
            schemes.submit_scheme(scheme, actor=inspector)
            schemes.approve_scheme(scheme, actor=chief, comment="同意按方案实施。")
    if not RandomDraw.objects.filter(authority=xihu).exists():
        with transaction.atomic():
            directory = draws.create_object_directory(
                chief, "西湖区工贸企业检查对象名录库", {"district": "330106"})
            items = draws.create_item_list(chief, "工贸企业随机抽查事项清单",
                                           [general, health])
            draw = draws.perform_draw(chief, directory, items, year=year, month=12, n=8,
                                      plan=EnforcementPlan.objects.filter(
                                          authority=xihu, year=year).first(),
                                      seed=f"demo-{year}-330106")
            draws.publish_results(draw, chief)
    stdout.write("inspections demo: checklist templates, 西湖区 scheme and draw")


def _demo_inspections(district: str, first: User, second: User, stdout: Any) -> None:
    """Inspections in every state of the loop for one district (idempotent)."""
    authority = Authority.objects.get(code=f"EM-{district}")
    if Inspection.objects.filter(authority=authority).exists():
        return
    companies = list(Enterprise.objects.filter(
        supervising_authority=authority, status=Enterprise.Status.OPERATING,
    ).order_by("id")[:5])
    if len(companies) < 5:
        return
    team = [first, second]
    today = timezone.localdate()

    def new(enterprise: Enterprise) -> Inspection:
        planned = PlannedInspection.objects.filter(
            enterprise=enterprise, status=PlannedInspection.Status.PLANNED,
            inspection__isnull=True).first()
        return loop.create_inspection(
            actor=first, enterprise=enterprise, inspectors=team,
            source=Inspection.Source.DRAW if planned else Inspection.Source.AD_HOC,
            planned=planned, planned_date=today)

    def answer(inspection: Inspection, failing: int) -> list[Hazard]:
        items = list(inspection.items.select_related("checklist_item").order_by("order"))
        for n, item in enumerate(items):
            bad = n < failing
            loop.record_answer(inspection, item.pk, actor=first,
                               result="non_compliant" if bad else "compliant",
                               note="现场发现：" + item.checklist_item.text[:30] if bad else "")
        return list(inspection.hazards.order_by("id"))

    with transaction.atomic():
        new(companies[0])  # planned, not started
        started = new(companies[1])
        loop.start_inspection(started, actor=first)
        first_item = started.items.order_by("order").first()
        if first_item is not None:
            loop.record_answer(started, first_item.pk, actor=first, result="compliant")
        rectifying = new(companies[2])
        loop.start_inspection(rectifying, actor=first)
        for hazard in answer(rectifying, 2):
            loop.issue_order(hazard, actor=first, kind="deadline", deadline_days=15,
                             responsible_person="安全管理部负责人", measures="按规定整改到位",
                             funds=Decimal("2"), emergency_plan="综合应急预案")
        loop.complete_findings(rectifying, actor=first)
        clean = new(companies[3])
        loop.start_inspection(clean, actor=first)
        answer(clean, 0)
        loop.complete_findings(clean, actor=first)
        rechecked = new(companies[4])
        loop.start_inspection(rechecked, actor=first)
        hazards = answer(rechecked, 1)
        loop.complete_findings(rechecked, actor=first)
        for hazard in hazards:
            loop.issue_order(hazard, actor=first, kind="deadline", deadline_days=7,
                             responsible_person="设备部负责人", measures="更换损坏部件",
                             funds=Decimal("1"), emergency_plan="专项应急预案")
            loop.report_rectified(hazard, actor=first)
            if hazard.is_major:  # accepted only with its 治理方案 on file
                supervision.record_major_report(
                    hazard, actor=first, kind="plan", received_on=timezone.localdate(),
                    content="治理目标和任务、方法和措施、经费和物资、机构和人员、时限和要求")
            loop.record_recheck(hazard, actor=second, passed=True, note="已整改到位")
        # The enterprise signs the 整改复查意见书 before the loop closes.
        signatures.sign(rechecked, actor=first, document="recheck", signer_role="enterprise",
                        signer_name="设备部负责人", png_bytes=_demo_signature())
        loop.close_inspection(rechecked, actor=first)
        # The loop's documents as numbered, issued PDFs (hangzhou_safety.documents).
        for inspection, kinds in ((rectifying, ("检记", "责改")),
                                  (rechecked, ("检记", "责改", "复查"))):
            for kind in kinds:
                loop_documents.issue_inspection_document(inspection, actor=first,
                                                         type_code=kind)
    stdout.write(f"inspections demo: 5 inspections in every state for {district}, "
                 "with their issued documents")


def _demo_signature() -> bytes:
    """A pen stroke as a PNG, standing in for the signature drawn on the phone."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("L", (240, 80), 255)
    ImageDraw.Draw(image).line([(20, 60), (80, 20), (140, 60), (220, 25)], fill=0, width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
