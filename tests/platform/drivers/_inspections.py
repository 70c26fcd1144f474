"""Shared builders of the inspections drivers (rows made directly, no service, no event)."""

from __future__ import annotations

import itertools
from typing import Any

from stdnum.cn import uscc as uscc_lib

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Jurisdiction, User
from inspections.plans.models import EnforcementPlan, PlanCategory, PlanQuota

XIHU = "EM-330106"
PERSONAS = ("reference_data", "calendar_data", "xihu_inspector", "xihu_chief",
            "xihu_approver")
# One plan per authority and year may be in progress: each row gets its own year.
_years = itertools.count(2031)
_serial = itertools.count(60000)


def enterprise() -> Enterprise:
    """A 西湖区 enterprise (located in one of its streets)."""
    serial = next(_serial)
    body = f"91330106MA2{serial % 100000:05d}Y"
    row = Enterprise(name=f"杭州流转走查机械{serial}厂",
                     uscc=body + uscc_lib.calc_check_digit(body),
                     location=Jurisdiction.objects.get(code="330106002"))
    row.save()
    return row


def user(name: str) -> User:
    return User.objects.get(username=f"p_{name}")


def plan(status: str = EnforcementPlan.Status.DRAFT, **extra: Any) -> EnforcementPlan:
    """A 西湖区 plan written by the chief, with one quota, in ``status``."""
    S = EnforcementPlan.Status
    approved = status in (S.APPROVED, S.PUBLISHED, S.SUPERSEDED)
    row = EnforcementPlan.objects.create(
        authority=Authority.objects.get(code=XIHU), year=extra.pop("year", next(_years)),
        title="走查年度计划", status=status, created_by=user("xihu_chief"),
        staff_count=10, certified_staff_count=8,
        approved_by=user("xihu_approver") if approved else None, **extra)
    PlanQuota.objects.create(plan=row, category=PlanCategory.RANDOM, month=3, planned=4)
    return row
