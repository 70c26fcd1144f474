"""Phone pages of enforcement cases: the list, the case with its timeline, clocks,
parties, evidence and decisions, the next legal steps as forms, and "my deadlines".

Every queryset goes through ``visible_to``: a case outside the user's jurisdiction is
a 404. Each form posts to one step, which calls one service (atomic: a refused step
writes nothing, and its Chinese message is shown above the forms). The forms offered
are the steps the case's status allows; the service still checks role, jurisdiction
and separation of duties.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from hangzhou_safety.accounts.models import User
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.web.pagination import keyset_page
from hangzhou_safety.web.steps import step_and_return
from inspections.loop.models import Hazard, Inspection

from . import documents as case_documents
from . import services, step_documents
from .changes import ChangeOutcome, ChangeSource
from .models import (
    Case,
    CaseEvidence,
    CaseStepRecord,
    EvidenceKind,
    PenaltyDecision,
    PenaltyKind,
    PreservationOutcome,
)
from .queues import queue_links
from .reminders import reminder_text, unread_reminders
from .sections import page_sections
from .selectors import (
    case_clocks,
    case_detail,
    case_titles,
    days_left,
    escalated_hazards_without_case,
    my_deadlines,
    open_decision_changes,
    visible_cases,
    visible_decisions,
)

PAGE_SIZE = 20
S = Case.Status
DS = PenaltyDecision.Status
BADGES = {S.CLOSED: "text-bg-success", S.DECLINED: "text-bg-light border",
          S.NO_PENALTY: "text-bg-light border", S.TERMINATED: "text-bg-secondary",
          S.REVOKED: "text-bg-secondary", S.PENDING: "text-bg-warning"}


# --- Step forms ---------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    kind: str = "text"  # text, textarea, select, decimal, date, datetime, check, user,
    #                      penalties, participants
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = True


@dataclass(frozen=True)
class StepForm:
    name: str
    label: Any
    statuses: frozenset[str]
    fields: tuple[Field, ...]
    call: Callable[[Case, Any, dict[str, Any]], Any]
    style: str = "btn-primary"


def _day(raw: str, field: str) -> datetime.date | None:
    """A posted date (YYYY-MM-DD), None when blank; a malformed or impossible one
    (2026-13-01: parse_date raises on it) is a 400 with its message, never a 500."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput("日期格式无效。", f"{field} is invalid.",
                           fields={field: ["日期格式无效。"]})
    return day


def _f(*fields: Field) -> tuple[Field, ...]:
    return fields


REASON = Field("reason", _("理由"), "textarea")
PENALTIES = Field("penalties", _("处罚内容（每名当事人）"), "penalties")
PARTICIPANTS = Field("participants", _("参加人员（每行：姓名，职务）"), "participants")


def _participants(raw: str) -> list[dict[str, str]]:
    rows = []
    for line in raw.splitlines():
        if line.strip():
            name, _sep, position = line.replace("，", ",").partition(",")
            rows.append({"name": name.strip(), "position": position.strip()})
    return rows


CASE_STEPS: tuple[StepForm, ...] = (
    StepForm("file", _("呈报立案审批表"), frozenset({S.PENDING}),
             _f(Field("text", _("立案理由"), "textarea", required=False)),
             lambda c, u, d: services.file_case(c, actor=u, text=d["text"])),
    StepForm("approve_filing", _("批准立案"), frozenset({S.PENDING}),
             _f(Field("text", _("审批意见"), required=False)),
             lambda c, u, d: services.approve_filing(c, actor=u, opinion=d["text"] or "同意立案")),
    StepForm("decline", _("不予立案"), frozenset({S.PENDING}), _f(REASON),
             lambda c, u, d: services.decline_case(c, actor=u, reason=d["reason"]),
             "btn-outline-danger"),
    StepForm("summary", _("当场处罚（简易程序）"), frozenset({S.PENDING}),
             _f(Field("party", _("当事人"), "party"),
                Field("kinds", _("处罚种类"), "select",
                      ((PenaltyKind.WARNING, PenaltyKind.WARNING.label),
                       (PenaltyKind.FINE, PenaltyKind.FINE.label))),
                Field("fine_amount", _("罚款金额（元）"), "decimal", required=False),
                Field("basis", _("处罚依据"))),
             lambda c, u, d: services.summary_procedure_decision(
                 c, actor=u, party=c.parties.get(pk=d["party"]), kinds=[d["kinds"]],
                 fine_amount=d["fine_amount"] or 0, basis=d["basis"]), "btn-outline-primary"),
    StepForm("start_investigation", _("开始调查取证"), frozenset({S.FILED}), (),
             lambda c, u, d: services.start_investigation(c, actor=u)),
    StepForm("evidence", _("登记证据"), frozenset({S.FILED, S.INVESTIGATING, S.PENDING}),
             _f(Field("kind", _("证据种类"), "select", tuple(EvidenceKind.choices)),
                Field("description", _("证据内容"), "textarea"),
                Field("preserved", _("先行登记保存（须负责人批准）"), "check", required=False),
                Field("approved_by", _("批准的负责人"), "user", required=False)),
             lambda c, u, d: services.register_evidence(
                 c, actor=u, kind=d["kind"], description=d["description"],
                 preserved=d["preserved"], approved_by=d["approved_by"]), "btn-outline-primary"),
    StepForm("report", _("提交案件调查报告"), frozenset({S.INVESTIGATING}),
             _f(Field("report", _("调查报告"), "textarea"),
                Field("proposed_handling", _("处理意见"), "textarea")),
             lambda c, u, d: services.submit_investigation_report(
                 c, actor=u, report=d["report"], proposed_handling=d["proposed_handling"])),
    StepForm("return", _("退回补充调查"), frozenset({S.REVIEW}), _f(REASON),
             lambda c, u, d: services.return_for_investigation(c, actor=u, reason=d["reason"]),
             "btn-outline-secondary"),
    StepForm("legal_review", _("法制审核"), frozenset({S.REVIEW}),
             _f(Field("passed", _("审核通过"), "check", required=False),
                Field("opinion", _("审核意见"), "textarea")),
             lambda c, u, d: services.legal_review(c, actor=u, passed=d["passed"],
                                                   opinion=d["opinion"])),
    StepForm("legal_review_after_hearing", _("听证后法制审核"), frozenset({S.HEARING}),
             _f(Field("opinion", _("审核意见"), "textarea")),
             lambda c, u, d: services.legal_review_after_hearing(c, actor=u,
                                                                 opinion=d["opinion"])),
    StepForm("discussion", _("记录集体讨论"), frozenset({S.LEGAL_REVIEW}),
             _f(PARTICIPANTS, Field("conclusion", _("讨论结论"), "textarea")),
             lambda c, u, d: services.record_collective_discussion(
                 c, actor=u, participants=d["participants"], conclusion=d["conclusion"])),
    StepForm("discussion_after_hearing", _("听证后集体讨论"), frozenset({S.HEARING}),
             _f(PARTICIPANTS, Field("conclusion", _("讨论结论"), "textarea")),
             lambda c, u, d: services.discussion_after_hearing(
                 c, actor=u, participants=d["participants"], conclusion=d["conclusion"])),
    StepForm("notify", _("告知当事人（陈述申辩、听证权利）"),
             frozenset({S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE}), _f(PENALTIES),
             lambda c, u, d: services.notify_party(c, actor=u, penalties=d["penalties"])),
    StepForm("statement", _("记录陈述申辩"), frozenset({S.NOTIFIED}),
             _f(Field("statement", _("陈述申辩内容"), "textarea", required=False),
                Field("waived", _("当事人明确放弃陈述申辩和听证"), "check", required=False)),
             lambda c, u, d: services.record_statement(c, actor=u, statement=d["statement"],
                                                       waived=d["waived"])),
    StepForm("request_hearing", _("当事人申请听证"), frozenset({S.NOTIFIED}), (),
             lambda c, u, d: services.request_hearing(c, actor=u), "btn-outline-primary"),
    StepForm("schedule_hearing", _("安排听证"), frozenset({S.HEARING}),
             _f(Field("hearing_at", _("听证时间"), "datetime"),
                Field("presider", _("听证主持人（非承办人）"), "user")),
             lambda c, u, d: services.schedule_hearing(c, actor=u, hearing_at=d["hearing_at"],
                                                       presider=d["presider"])),
    StepForm("hearing_record", _("记录听证"), frozenset({S.HEARING}),
             _f(Field("record", _("听证笔录"), "textarea"),
                Field("participants", _("参加人员（每行：姓名，职务）"), "participants",
                      required=False)),
             lambda c, u, d: services.record_hearing(c, actor=u, record=d["record"],
                                                     participants=d["participants"])),
    StepForm("extend", _("延长办案期限"),
             frozenset({S.FILED, S.INVESTIGATING, S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE,
                        S.NOTIFIED, S.HEARING}),
             _f(Field("days", _("延长天数"), "decimal"), REASON),
             lambda c, u, d: services.extend_decision_period(c, actor=u, days=int(d["days"]),
                                                             reason=d["reason"]),
             "btn-outline-secondary"),
    StepForm("decide", _("作出行政处罚决定"), frozenset({S.NOTIFIED, S.HEARING}),
             _f(PENALTIES, Field("basis", _("处罚依据"), "textarea")),
             lambda c, u, d: services.issue_decision(c, actor=u, penalties=d["penalties"],
                                                     basis=d["basis"])),
    StepForm("issue_notices", _("签发行政处罚告知书"),
             frozenset({S.NOTIFIED, S.HEARING, S.DECIDED}), (),
             lambda c, u, d: case_documents.issue_prior_notices(c, actor=u),
             "btn-outline-primary"),
    StepForm("no_penalty", _("不予处罚"),
             frozenset({S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE, S.NOTIFIED, S.HEARING}),
             _f(Field("ground", _("理由"), "select", tuple(Case.NoPenaltyGround.choices)),
                Field("reason", _("说明"), "textarea")),
             lambda c, u, d: services.no_penalty(c, actor=u, ground=d["ground"],
                                                 reason=d["reason"]), "btn-outline-secondary"),
    StepForm("start_execution", _("进入执行"), frozenset({S.SERVED}), (),
             lambda c, u, d: services.start_execution(c, actor=u), "btn-outline-primary"),
    StepForm("close", _("结案"), frozenset({S.SERVED, S.EXECUTING}), (),
             lambda c, u, d: services.close_case(c, actor=u)),
    StepForm("terminate", _("终止案件"),
             frozenset({S.FILED, S.INVESTIGATING, S.REVIEW, S.LEGAL_REVIEW, S.COLLECTIVE,
                        S.NOTIFIED, S.HEARING, S.EXECUTING}), _f(REASON),
             lambda c, u, d: services.terminate(c, actor=u, reason=d["reason"]),
             "btn-outline-danger"),
    StepForm("revoke", _("撤销"), frozenset({S.DECIDED, S.SERVED, S.EXECUTING}), _f(REASON),
             lambda c, u, d: services.revoke(c, actor=u, reason=d["reason"]),
             "btn-outline-danger"),
)
STEPS_BY_NAME = {s.name: s for s in CASE_STEPS}

#: A decision that took effect (served, and after) and still stands.
FINAL_DECISION = frozenset(set(DS.values) - {DS.ISSUED, DS.REVOKED})
DECISION_STEPS: dict[str, tuple[Any, frozenset[str], Callable[..., Any]]] = {
    "serve": (_("记录送达"), frozenset({DS.ISSUED}),
              lambda d, u, data: services.record_service(
                  d, actor=u, method=data.get("method", "in_person"),
                  note=data.get("note", ""))),
    "pay": (_("记录缴款"), frozenset({DS.SERVED, DS.DEFERRED, DS.OVERDUE, DS.DEMANDED}),
            lambda d, u, data: services.record_payment(d, actor=u,
                                                       amount=data.get("amount", ""))),
    "overdue": (_("标记逾期"), frozenset({DS.SERVED, DS.DEFERRED}),
                lambda d, u, data: services.flag_overdue(d, actor=u)),
    "demand": (_("催告"), frozenset({DS.OVERDUE}),
               lambda d, u, data: services.send_payment_demand(d, actor=u)),
    "court": (_("申请法院强制执行"), frozenset({DS.DEMANDED}),
              lambda d, u, data: services.apply_to_court(d, actor=u)),
    "document": (_("签发行政处罚决定书"), frozenset(set(DS.values) - {DS.REVOKED}),
                 lambda d, u, data: case_documents.issue_decision_document(d, actor=u)),
    # A final decision changed (行政复议 / 行政诉讼 outcome, 自行纠正): recorded by the
    # legal reviewer, approved or refused by the head (offered while one is open).
    "change": (_("记录复议、诉讼结果或自行纠正"), FINAL_DECISION,
               lambda d, u, data: services.record_decision_change(
                   d, actor=u, source=data["source"], outcome=data["outcome"],
                   reason=data["reason"], ruled_on=_day(data["ruled_on"] or "", "ruled_on"),
                   body=data["body"], ruling_number=data["ruling_number"],
                   fine_amount=data["fine_amount"] or None, basis=data["basis"],
                   corrected_text=data["corrected_text"])),
    "approve_change": (_("批准变更"), FINAL_DECISION,
                       lambda d, u, data: services.approve_decision_change(
                           d, actor=u, opinion=data["opinion"])),
    "reject_change": (_("不予批准变更"), FINAL_DECISION,
                      lambda d, u, data: services.reject_decision_change(
                          d, actor=u, reason=data["opinion"])),
}
#: The steps offered only while a recorded change waits for the head.
CHANGE_APPROVAL_STEPS = frozenset({"approve_change", "reject_change"})
DECISION_FIELDS = ("method", "note", "amount", "source", "outcome", "reason", "ruled_on",
                   "body", "ruling_number", "fine_amount", "basis", "corrected_text",
                   "opinion")


def _clean(step: StepForm, case: Case, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {}
    post = request.POST
    for field in step.fields:
        raw = post.get(field.name, "").strip()
        if field.kind == "check":
            data[field.name] = post.get(field.name) == "on"
        elif field.kind == "user":
            data[field.name] = (User.objects.visible_to(request.user).filter(pk=raw).first()
                                if raw.isdigit() else None)
            if field.required and data[field.name] is None:
                raise InvalidInput(f"请选择{field.label}。", f"{field.name} is required.")
        elif field.kind == "participants":
            data[field.name] = _participants(post.get(field.name, ""))
        elif field.kind == "penalties":
            data[field.name] = [
                {"party": p.pk, "kinds": post.getlist(f"kinds_{p.pk}"),
                 "fine_amount": post.get(f"fine_{p.pk}", "0").strip() or "0"}
                for p in case.parties.all() if post.getlist(f"kinds_{p.pk}")]
        elif field.kind == "datetime":
            moment = parse_datetime(raw) if raw else None
            if moment is None:
                raise InvalidInput(f"{field.label}格式无效。", f"{field.name} is invalid.")
            data[field.name] = (timezone.make_aware(moment) if timezone.is_naive(moment)
                                else moment)
        elif field.kind == "decimal":
            try:
                data[field.name] = Decimal(raw) if raw else None
            except InvalidOperation as exc:
                raise InvalidInput(f"{field.label}格式无效。", f"{field.name} is invalid.") from exc
            if field.required and data[field.name] is None:
                raise InvalidInput(f"请填写{field.label}。", f"{field.name} is required.")
        elif field.kind == "party":
            if not raw.isdigit() or not case.parties.filter(pk=raw).exists():
                raise InvalidInput("请选择当事人。", "Choose a party.")
            data[field.name] = int(raw)
        elif field.kind == "date":
            data[field.name] = _day(raw, field.name)
        else:
            data[field.name] = raw
    return data


# --- Pages ----------------------------------------------------------------------------

def _clock_row(clock: Any, today: Any) -> dict[str, Any]:
    left = days_left(clock, today)
    return {"clock": clock, "left": left, "over": -left if left is not None and left < 0 else 0}


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    rows = visible_cases(user)
    if status in S.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    if request.GET.get("mine") == "1":
        rows = rows.filter(officers=user)
    page = keyset_page(request, rows, size=PAGE_SIZE)
    for row in page.rows:
        row.badge = BADGES.get(S(row.status), "text-bg-primary")
    can_open = user.has_role(*services.OFFICER_ROLES)
    return render(request, "enforcement/case_list.html", {
        "cases": page.rows, "page": page, "status": status, "statuses": S.choices,
        "mine": request.GET.get("mine") == "1", "queue_links": queue_links(user),
        "escalated": escalated_hazards_without_case(user) if can_open and page.is_first else [],
        "colleagues": _colleagues(user) if can_open else []})


def _colleagues(user: Any) -> list[User]:
    """Certified staff of the user's authority: the second case officer."""
    today = timezone.localdate()
    return list(User.objects.visible_to(user).filter(
        authority_id=user.authority_id, is_active=True, role__in=services.OFFICER_ROLES,
        certificate_valid_until__gte=today).exclude(certificate_number="")
        .exclude(pk=user.pk).order_by("full_name", "username")[:100])


@login_required
@require_POST
def open_from_hazard(request: HttpRequest, hazard_id: int) -> HttpResponse:
    """立案 from an escalated hidden danger: the user and the chosen colleague handle it."""
    user: Any = request.user
    if not user.has_role(*services.OFFICER_ROLES):
        raise PermissionDenied(_("您的角色无权办理案件。"))
    hazard = get_object_or_404(Hazard.objects.filter(
        inspection__in=Inspection.objects.visible_to(user)), pk=hazard_id)
    second = request.POST.get("officer", "")
    colleague = next((u for u in _colleagues(user) if str(u.pk) == second), None)
    try:
        if colleague is None:
            raise InvalidInput("请选择第二名承办人。", "Choose the second case officer.")
        case = services.open_case_from_hazard(hazard, actor=user, officers=[user, colleague])
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(reverse("enforcement:case_list"))
    messages.success(request, _("已建立案件，请呈报立案审批表。"))
    return redirect(reverse("enforcement:case_detail", args=[case.pk]))


@login_required
@require_GET
def case_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    case = get_object_or_404(case_detail(user), pk=pk)
    today = timezone.localdate()
    clocks = [_clock_row(clock, today) for clock in case_clocks(case)]
    forms = [s for s in CASE_STEPS if case.status in s.statuses and _offered(s.name, case)]
    staff = (User.objects.visible_to(user).filter(authority_id=case.authority_id,
                                                  is_active=True).order_by("full_name")[:100])
    issued = list(case_documents.case_documents(case))
    # A decision's 决定书 is issued once: its button goes when the document exists.
    decided = {d.context.get("decision_id") for d in issued
               if d.doc_type_id == case_documents.DECISION}
    open_changes = {c.decision_id: c for c in open_decision_changes(case)}
    decisions = [(d, [(name, label) for name, (label, statuses, _call) in DECISION_STEPS.items()
                      if d.status in statuses and not (name == "document" and d.pk in decided)
                      and (name not in CHANGE_APPROVAL_STEPS or d.pk in open_changes)
                      and not (name == "change" and d.pk in open_changes)],
                  open_changes.get(d.pk))
                 for d in case.decisions.all()]
    return render(request, "enforcement/case_detail.html", {
        "case": case, "clocks": clocks, "forms": forms, "staff": staff,
        "documents": issued,
        "pending_documents": step_documents.pending_step_documents(case.steps.all(), issued),
        "decisions": decisions, "penalty_kinds": PenaltyKind.choices,
        "service_methods": PenaltyDecision.ServiceMethod.choices,
        "change_sources": ChangeSource.choices, "change_outcomes": ChangeOutcome.choices,
        "preservation_outcomes": PreservationOutcome.choices,
        "sections": [mark_safe(html) for html in page_sections(request, case)],  # noqa: S308
        "badge": BADGES.get(S(case.status), "text-bg-primary")})


def _offered(step: str, case: Case) -> bool:
    """The filing form is submitted once, and approved only once submitted."""
    if step == "file":
        return case.filing_submitted_at is None
    if step == "approve_filing":
        return case.filing_submitted_at is not None
    return True


def _run(request: HttpRequest, pk: int, action: Callable[[], Any]) -> HttpResponse:
    return step_and_return(request, action, roles=services.OFFICER_ROLES,
                           to=reverse("enforcement:case_detail", args=[pk]),
                           denied=_("您的角色无权办理案件。"))


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    form = STEPS_BY_NAME.get(step)
    if form is None:
        raise PermissionDenied
    return _run(request, pk, lambda: form.call(case, request.user, _clean(form, case, request)))


@login_required
@require_POST
def decision_step(request: HttpRequest, pk: int, decision_id: int, step: str) -> HttpResponse:
    decision = get_object_or_404(visible_decisions(request.user), pk=decision_id, case_id=pk)
    entry = DECISION_STEPS.get(step)
    if entry is None:
        raise PermissionDenied
    data = {k: request.POST.get(k, "").strip() for k in DECISION_FIELDS}
    return _run(request, pk, lambda: entry[2](decision, request.user, data))


@login_required
@require_POST
def record_document(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    """签发 the document of one step record (立案审批表, 送达回执, 催告书 …)."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    record = get_object_or_404(CaseStepRecord, case=case, pk=record_id)
    return _run(request, pk, lambda: step_documents.issue_step_document(
        case, record, actor=request.user))


@login_required
@require_POST
def preserved_step(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    item = get_object_or_404(CaseEvidence, case=case, pk=evidence_id)
    return _run(request, pk, lambda: services.decide_preserved_evidence(
        item, actor=request.user, outcome=request.POST.get("outcome", "")))


@login_required
@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    """我的期限: the open clocks of my cases, soonest first."""
    today = timezone.localdate()
    clocks = list(my_deadlines(request.user)[:200])
    titles = case_titles([c.object_id for c in clocks])
    rows = [{**_clock_row(clock, today), "case": titles.get(clock.object_id)}
            for clock in clocks]
    notices = [(n, reminder_text(n)) for n in unread_reminders(request.user)[:50]]
    return render(request, "enforcement/deadlines.html",
                  {"rows": rows, "today": today, "notices": notices})



@login_required
@require_GET
def case_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """One document of the case: the stored PDF, never re-rendered."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    row = get_object_or_404(case_documents.case_documents(case), pk=document_id)
    return case_documents.pdf_response(row)


@login_required
@require_GET
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The 卷宗 as one PDF (cover, index, documents in order, evidence list)."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    try:
        pdf = case_documents.case_file_pdf(case)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(reverse("enforcement:case_detail", args=[pk]))
    return case_documents.pdf_file_response(pdf, f"行政处罚案卷-{case.pk}.pdf")
