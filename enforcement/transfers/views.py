"""The transfer section of the case page (registered with cases' page hooks) and the
posts of its forms: the officers' report (prefilled with 危险作业罪 when the loop
prompted the check for the case's hidden danger) and each later step, one service
each. A refused step writes nothing and shows its Chinese message on the case page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enforcement.cases.sections import register_page_section, template_section
from enforcement.cases.selectors import visible_cases
from enforcement.cases.services import OFFICER_ROLES
from hangzhou_safety.api.errors import InvalidInput
from hangzhou_safety.web.steps import step_and_return

from . import services
from .categories import CATEGORIES
from .models import Attachment, CriminalTransfer
from .selectors import prompted_category, transfers_of, visible_transfers

T = CriminalTransfer.Status


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    kind: str = "text"  # text, textarea, datetime, attachments


@dataclass(frozen=True)
class TransferStep:
    name: str
    label: Any
    statuses: frozenset[str]
    fields: tuple[Field, ...]
    call: Callable[[CriminalTransfer, Any, dict[str, Any]], Any]
    style: str = "btn-primary"


REASON = Field("reason", _("理由"), "textarea")
NUMBER = Field("decision_number", _("公安机关决定文号"))
RECEIVED = Field("received_at", _("收到通知书时间（不填为现在）"), "datetime")

STEPS: tuple[TransferStep, ...] = (
    TransferStep("approve", _("批准移送"), frozenset({T.REPORTED}),
                 (Field("reason", _("审批意见"), "textarea"),),
                 lambda t, u, d: services.decide_transfer(t, actor=u, approve=True,
                                                          reason=d["reason"])),
    TransferStep("not_approve", _("不批准移送"), frozenset({T.REPORTED}), (REASON,),
                 lambda t, u, d: services.decide_transfer(t, actor=u, approve=False,
                                                          reason=d["reason"]),
                 "btn-outline-danger"),
    TransferStep("deliver", _("移送公安机关（签发移送书）"), frozenset({T.APPROVED}),
                 (Field("police_organ", _("接受移送的公安机关")),
                  Field("attachments", _("附送材料"), "attachments"),
                  Field("transferred_at", _("移送时间（不填为现在）"), "datetime")),
                 lambda t, u, d: services.record_transfer(
                     t, actor=u, police_organ=d["police_organ"], attachments=d["attachments"],
                     transferred_at=d["transferred_at"])),
    TransferStep("police_filed", _("公安机关决定立案"),
                 frozenset({T.TRANSFERRED, T.RECONSIDERATION}), (NUMBER, RECEIVED),
                 lambda t, u, d: services.record_police_answer(
                     t, actor=u, accepted=True, decision_number=d["decision_number"],
                     received_at=d["received_at"])),
    TransferStep("police_declined", _("公安机关不予立案"),
                 frozenset({T.TRANSFERRED, T.RECONSIDERATION}), (NUMBER, REASON, RECEIVED),
                 lambda t, u, d: services.record_police_answer(
                     t, actor=u, accepted=False, decision_number=d["decision_number"],
                     reason=d["reason"], received_at=d["received_at"]), "btn-outline-danger"),
    TransferStep("reconsider", _("提请复议"), frozenset({T.DECLINED}),
                 (REASON, Field("requested_at", _("提请时间（不填为现在）"), "datetime")),
                 lambda t, u, d: services.request_reconsideration(
                     t, actor=u, reason=d["reason"], requested_at=d["requested_at"])),
    TransferStep("accept_decline", _("不再提请复议，依法作出行政处理"), frozenset({T.DECLINED}),
                 (REASON,),
                 lambda t, u, d: services.accept_decline(t, actor=u, reason=d["reason"]),
                 "btn-outline-secondary"),
    TransferStep("exhibits", _("移交涉案物品和材料"), frozenset({T.ACCEPTED}),
                 (Field("note", _("移交清单及交接手续"), "textarea"),
                  Field("handed_at", _("移交时间（不填为现在）"), "datetime")),
                 lambda t, u, d: services.record_exhibit_handover(
                     t, actor=u, note=d["note"], handed_at=d["handed_at"])),
)
STEPS_BY_NAME = {s.name: s for s in STEPS}


def _attachments(request: HttpRequest) -> list[dict[str, str]]:
    rows = []
    for kind in Attachment.values:
        for line in request.POST.get(f"attachment_{kind}", "").splitlines():
            if line.strip():
                rows.append({"kind": kind, "title": line.strip()})
    return rows


def _clean(step: TransferStep, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in step.fields:
        raw = request.POST.get(field.name, "").strip()
        if field.kind == "attachments":
            data[field.name] = _attachments(request)
        elif field.kind == "datetime":
            moment = parse_datetime(raw) if raw else None
            if raw and moment is None:
                raise InvalidInput(f"{field.label}格式无效。", f"{field.name} is invalid.")
            if moment is not None and timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            data[field.name] = moment
        else:
            data[field.name] = raw
    return data


def transfer_section(case: Any, user: Any) -> dict[str, Any]:
    """The transfer section of the case page: every transfer of the case, the forms of
    the pending one's next steps, and the report form when none is pending."""
    rows = transfers_of(case)
    pending = next((t for t in rows if t.pending), None)
    can_act = user.has_role(*OFFICER_ROLES)
    prompted = prompted_category(case)
    return {
        "template": "enforcement/transfers/case_section.html",
        "transfers": rows,
        "steps": [s for s in STEPS if pending is not None and pending.status in s.statuses]
        if can_act else [],
        "pending": pending,
        "can_report": can_act and pending is None
        and case.status not in services.CASE_ENDED,
        "categories": [(c.code, c.label) for c in CATEGORIES],
        "prompted": prompted,
        "attachment_kinds": Attachment.choices,
    }


def register() -> None:
    register_page_section(template_section(transfer_section))


def _run(request: HttpRequest, case_id: int, action: Callable[[], Any]) -> HttpResponse:
    return step_and_return(request, action, roles=OFFICER_ROLES,
                           to=reverse("enforcement:case_detail", args=[case_id]) + "#transfer-h",
                           denied=_("您的角色无权办理案件。"))


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    return _run(request, case.pk, lambda: services.report_transfer(
        case, actor=request.user, category_code=request.POST.get("category", "").strip(),
        report=request.POST.get("report", "")))


@login_required
@require_POST
def transfer_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    transfer = get_object_or_404(visible_transfers(request.user), pk=pk)
    form = STEPS_BY_NAME.get(step)
    if form is None:
        raise PermissionDenied
    return _run(request, transfer.case_id,
                lambda: form.call(transfer, request.user, _clean(form, request)))
