"""The menu, by role. Later issues add their entries here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every staff role

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS = [
    NavItem(_("工作台"), "web:home"),
    NavItem(_("生产经营单位"), "enterprises:list"),
    NavItem(_("执法计划"), "inspections:plan_list"),
    NavItem(_("检查方案"), "inspections:scheme_list"),
    NavItem(_("双随机抽查"), "inspections:draw_list"),
    NavItem(_("重点监管名单"), "inspections:key_supervision"),
    NavItem(_("检查表"), "inspections:checklist_list"),
    NavItem(_("现场检查"), "inspections:inspection_list"),
    NavItem(_("行政处罚案件"), "enforcement:case_list"),
    NavItem(_("12350 举报"), "enforcement:report_list"),
    NavItem(_("我的期限"), "enforcement:deadlines"),
    NavItem(_("待审批"), "enforcement:approval_queue",
            (Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)),
    NavItem(_("法制审核"), "enforcement:legal_review_queue",
            (Role.SECTION_CHIEF, Role.MUNICIPAL_ADMIN)),
    NavItem(_("集体讨论议程"), "enforcement:agenda",
            (Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)),
    NavItem(_("生产安全事故"), "enforcement:accident_list"),
    NavItem(_("裁量基准"), "enforcement:discretion_table"),
    NavItem(_("诚信等级"), "credit:rating_list"),
    NavItem(_("严重失信名单"), "credit:blacklist_list"),
    NavItem(_("信用平台推送"), "credit:outbox", (Role.MUNICIPAL_ADMIN,)),
    NavItem(_("辖区"), "web:jurisdictions"),
    NavItem(_("工作日历"), "web:calendar"),
    NavItem(_("审计日志"), "web:audit", (Role.MUNICIPAL_ADMIN, Role.AUDITOR,
                                         Role.DISTRICT_APPROVER)),
]


def items_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in NAV_ITEMS if not item.roles or user.has_role(*item.roles)]
