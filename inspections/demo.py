"""Demo data for plans, schemes and draws (called by `manage.py seed_demo`).

Every district bureau gets this year's plan, in a spread of workflow states so each
screen has something to show: 西湖区's is waiting in xihu_approver's queue,
滨江区's is published. Idempotent: existing plans are left alone.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, User

from . import draws, plans, schemes
from .checklists import load_checklist_templates
from .models import (
    ChecklistTemplate,
    EnforcementPlan,
    InspectionScheme,
    PlanCategory,
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
