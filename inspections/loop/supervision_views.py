"""The posts of the forms on a major hidden danger's card (its own path:
supervision.py; what the card shows and offers: selectors.major_context). The services
check role, jurisdiction and team again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from inspections.loop import supervision, views
from inspections.loop.models import Hazard

MAJOR_ACTIONS = ("list", "publish", "delist", "major_report", "resume", "resume_review")


def _run(request: HttpRequest, hazard: Hazard, action: str) -> str:
    """Call the service of ``action`` with the form's fields; the message on success."""
    user: Any = request.user
    post = request.POST
    if action == "list":
        supervision.list_for_supervision(
            hazard, actor=user, notice_number=post.get("notice_number", ""),
            level=post.get("level", ""), supervising_unit=post.get("supervising_unit", ""))
        return _("已挂牌督办。")
    if action == "publish":
        stage = post.get("stage", "")
        supervision.publish_listing(hazard, actor=user, stage=stage,
                                    published_on=views._date_or_400(request, "published_on"),
                                    channel=post.get("channel", ""))
        return _("已记录摘牌公开情况。") if stage == "delisting" else _("已记录挂牌公开情况。")
    if action == "delist":
        supervision.delist_hazard(hazard, actor=user, note=post.get("note", ""))
        return _("已核销摘牌，请记录摘牌的公开情况。")
    if action == "major_report":
        supervision.record_major_report(
            hazard, actor=user, kind=post.get("kind", ""),
            received_on=views._date_or_400(request, "received_on"),
            content=post.get("content", ""),
            workers_informed=post.get("workers_informed") == "on")
        return _("已登记单位报送的治理方案或治理情况报告。")
    if action == "resume":
        supervision.register_resume_application(
            hazard, actor=user, applied_on=views._date_or_400(request, "applied_on"),
            self_assessment=post.get("self_assessment", ""))
        return _("已登记单位的书面复产申请，请在审查期限内现场审查。")
    pending = supervision.pending_application(hazard)
    decision = post.get("decision", "")
    if decision not in ("consent", "refuse"):
        # A post without the button pressed must not refuse a pending application.
        raise InvalidInput("请选择同意恢复或不同意恢复。", "Choose consent or refusal.",
                           fields={"decision": ["请选择同意恢复或不同意恢复。"]})
    consent = decision == "consent"
    supervision.review_resume(pending, actor=user, consent=consent, note=post.get("note", ""),
                              inspectors=views._second_officer(request))
    return (_("经审查同意恢复生产经营和使用，隐患已销号。") if consent
            else _("审查不同意恢复，已移交立案。"))


@login_required
@require_POST
def major_action(request: HttpRequest, pk: int, hid: int, action: str) -> HttpResponse:
    inspection, hazard = views._hazard_for_post(request, pk, hid)
    try:
        done = _run(request, hazard, action)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        return views._render_detail(request, inspection.pk,
                                    errors={f"hazard-{hazard.pk}": views._error_text(exc)},
                                    status=exc.status_code)
    messages.success(request, done)
    return redirect(views._detail_url(inspection.pk, f"hazard-{hazard.pk}"))
