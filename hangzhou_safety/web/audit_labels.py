"""Audit actions in words for the audit-log page (the stored code stays the record).

A status change is named from its workflow (hangzhou_safety.workflow.REGISTRY): the
workflow's label and the label of the status it moved to, for example
``plan.returned`` → 计划：已退回修改. Other actions are named in ``ACTION_LABELS``.
An action named nowhere is shown as its code, never hidden.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hangzhou_safety.workflow import REGISTRY

ACTION_LABELS = {
    "accident.case_opened": _("就生产安全事故立案"),
    "accident.reported": _("登记生产安全事故报告"),
    "accident.reporting_flagged": _("标记事故谎报、瞒报"),
    "accounts.user_created": _("创建账户"),
    "auth.login": _("登录"),
    "auth.login_failed": _("登录失败"),
    "auth.logout": _("退出登录"),
    "auth.session_expired": _("会话超时"),
    "auth.token_issued": _("签发 API 令牌"),
    "blacklist.objection_answered": _("答复严重失信名单异议"),
    "blacklist.proposed": _("拟列入严重失信名单"),
    "blacklist.removal_refused": _("不予提前移出严重失信名单"),
    "blacklist.removal_revoked": _("撤销提前移出"),
    "case.opened": _("立案"),
    "commitment.broken": _("登记违背安全生产承诺"),
    "commitment.recorded": _("登记安全生产承诺"),
    "credit_delivery.retry": _("重新推送信用信息"),
    "credit_outbox.reconciled": _("信用推送对账"),
    "decision.content_changed": _("变更处罚决定内容"),
    "decision_change.recorded": _("记录处罚决定的复议、诉讼结果或自行纠正"),
    "disclosure.credit_repaired": _("信用修复，提前结束公示"),
    "disclosure.due_recomputed": _("按现行规则重算公开期限"),
    "disclosure.objection_answered": _("答复公开信息异议"),
    "disclosure.objection_received": _("收到公开信息异议"),
    "disclosure.opened": _("建立执法决定公开记录"),
    "disclosure.overdue": _("执法决定逾期未公开"),
    "disclosure.redaction_approved": _("公开内容脱敏审核通过"),
    "disclosure.republication_cancelled": _("决定不再成立，取消重新公开"),
    "disclosure.republished": _("决定变更后重新公开"),
    "disclosure.withdrawal_overdue": _("逾期未撤回公开"),
    "disclosure.withdrawal_requested": _("决定变更或撤销，应撤回公开"),
    "document.serial_gap": _("文书编号空号"),
    "draw.conflict_declared": _("申报回避"),
    "draw.directory_created": _("建立检查对象名录库"),
    "draw.item_list_created": _("建立抽查事项清单"),
    "draw.performed": _("随机抽取"),
    "draw.redrawn": _("重新抽取"),
    "draw.replaced": _("替换抽取结果"),
    "draw.results_published": _("公示抽取结果"),
    "enterprise.bulk_imported": _("批量导入企业"),
    "enterprise.created": _("登记企业"),
    "enterprise.supervisor_changed": _("变更监管主体"),
    "enterprise.updated": _("修改企业信息"),
    "evidence.footage_linked": _("关联执法记录仪视频"),
    "evidence.uploaded": _("上传现场照片"),
    "extension.requested": _("登记整改延期申请"),
    "grounds.discretion_version.drafted": _("起草裁量基准版本"),
    "hazard.classified": _("认定重大事故隐患"),
    "hazard.criminal_check_prompted": _("提示核查是否涉嫌危险作业罪"),
    "hazard.delisting_published": _("公开重大事故隐患摘牌"),
    "hazard.listed": _("隐患挂牌督办"),
    "hazard.listing_published": _("公开重大事故隐患挂牌督办"),
    "hazard.major_report_registered": _("登记重大事故隐患治理方案或报告"),
    "hazard.recheck_overdue": _("复查逾期"),
    "hazard.recorded": _("记录隐患问题"),
    "hazard.rectification_overdue": _("整改逾期"),
    "hazard.report_withdrawn": _("撤回整改完成报告"),
    "hazard.resume_applied": _("登记复产申请"),
    "hazard.stop_measure_lapsed": _("现场处理措施期限届满"),
    "hazard_source.created": _("登记重大危险源"),
    "inspection.answer": _("记录检查结果"),
    "inspection.created": _("创建检查任务"),
    "inspection.signature_refused": _("记录拒绝签字"),
    "inspection.signed": _("现场签名"),
    "inspection_scheme.approved": _("批准检查方案"),
    "inspection_scheme.created": _("创建检查方案"),
    "inspection_scheme.deleted": _("删除检查方案"),
    "inspection_scheme.returned": _("退回检查方案"),
    "inspection_scheme.submitted": _("提交检查方案"),
    "inspection_scheme.updated": _("修改检查方案"),
    "inspections.provisional_dates_recomputed": _("重新计算检查的暂定期限"),
    "insurance.created": _("登记安全生产责任保险"),
    "measure.content_changed": _("变更强制措施决定内容"),
    "measure.emergency_executed": _("紧急情况下当场实施强制措施"),
    "measure.extended": _("延长查封、扣押期限"),
    "measure.item_disposed": _("处理查封、扣押的物品"),
    "measure.party_refused": _("记录当事人拒不执行"),
    "measure.proposed": _("呈请采取强制措施"),
    "measure_change.recorded": _("记录强制措施决定的复议、诉讼结果或自行纠正"),
    "plan.amended": _("修订执法计划"),
    "plan.campaign_proposed": _("提出专项执法行动"),
    "plan.created": _("编制执法计划"),
    "plan.key_inspections_created": _("生成重点检查任务"),
    "plan.quotas_set": _("设定检查指标"),
    "plan.updated": _("修改执法计划"),
    "public_report.extended": _("批准举报延期办结"),
    "public_report.identity_viewed": _("查看举报人信息"),
    "public_report.note_added": _("记录举报办理情况"),
    "public_report.received": _("接收举报"),
    "public_report.same_matter_linked": _("关联同一事项举报"),
    "rating.computed": _("计算年度诚信等级"),
    "rating.downgraded": _("诚信等级即时降级"),
    "rating.withdrawn": _("撤回诚信等级"),
    "report_reward.computed": _("核算举报奖励"),
    "transfer.reported": _("报告移送涉嫌犯罪案件"),
    "violation.corrected": _("更正违法信息"),
    "violation.recorded": _("记录违法信息"),
    "workdays.deadline_cancelled": _("取消期限"),
    "workdays.deadline_extended": _("延长期限"),
    "workdays.deadline_met": _("期限内完成"),
    "workdays.deadline_paused": _("期限中止"),
    "workdays.deadline_resumed": _("期限恢复计算"),
    "workdays.deadline_started": _("期限开始计算"),
    "workdays.next_year_missing": _("次年节假日安排未录入"),
    "workdays.provisional_recomputed": _("重新计算暂定期限"),
    "workdays.year_published": _("发布年度节假日安排"),
}


def _transition_label(action: str) -> str | None:
    prefix, _dot, status = action.rpartition(".")
    for workflow in REGISTRY.values():
        if workflow.event_prefix != prefix:
            continue
        field = workflow.model._meta.get_field(workflow.status_field)
        choices = dict(getattr(field, "flatchoices", None) or [])
        if status in choices:
            if get_language() == "en":
                return f"{workflow.label_en[:1].upper()}{workflow.label_en[1:]}: " \
                       f"{choices[status]}"
            return f"{workflow.label_zh}：{choices[status]}"
    return None


def action_label(action: str) -> str:
    """The action in words, in the active language; the code when it is named nowhere."""
    named = ACTION_LABELS.get(action)
    if named is not None:
        return str(named)
    return _transition_label(action) or action
