"""The case's other standard documents (DOMAIN.md B4), rendered from its step records.

Each procedure step records which document it produces (``CaseStepRecord.document_type``).
The 行政处罚告知书 and the 行政处罚决定书 have their own builders (documents.py); every other
step document is issued here, on demand, from the record the step wrote: the 立案审批表
from the head's approval, the 法制审核意见书 from the review, the 送达回执 from the service,
and so on. The record is append-only, so the document says exactly what the step
recorded; issuing is a separate act (rendering takes most of a second, and an officer
issues when the paper is needed, never as a side effect of every step).

One document per record: a second request is refused with the number already issued.
The document service checks the type's prerequisites (no 催告书 without the decision, no
强制执行申请书 without the 催告书, no 听证笔录 without the hearing notice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.documents.models import IssuedDocument

from .changes import DecisionChange
from .documents import _issue, _kinds, _party, case_documents
from .models import Case, CaseStepRecord, DocumentType, PenaltyDecision
from .steps.common import _lock, _require_case_staff
from .steps.execution import amount_due

TEMPLATE = "enforcement/documents/step_record.html"

Fields = list[tuple[str, str]]


@dataclass(frozen=True)
class StepDocument:
    #: The document type's code in the document service (hangzhou_safety/documents/data.py).
    code: str
    #: Heading over the record's own text in the document.
    heading: str
    #: Who the record names as having done the step.
    signer: str
    #: The steps whose record produces this document (others naming the type do not:
    #: 呈报立案 produces no form of its own, the head's approval does).
    steps: frozenset[str]


def _steps(*names: str) -> frozenset[str]:
    return frozenset(names)


T = DocumentType
STEP_DOCUMENTS: dict[str, StepDocument] = {
    T.FILING: StepDocument("立", "立案（不予立案）理由及负责人审批意见", "审批负责人",
                           _steps("approve_filing", "decline_case")),
    T.PRESERVATION: StepDocument("先保", "先行登记保存的证据", "承办人",
                                 _steps("register_evidence")),
    T.PRESERVATION_DECISION: StepDocument("先处", "处理决定", "承办人",
                                          _steps("decide_preserved_evidence")),
    T.INVESTIGATION_REPORT: StepDocument("调报", "调查经过、违法事实和证据", "承办人",
                                         _steps("submit_investigation_report")),
    T.LEGAL_REVIEW: StepDocument("法审", "法制审核意见", "法制审核人员",
                                 _steps("legal_review", "legal_review_after_hearing")),
    T.COLLECTIVE: StepDocument("罚集", "讨论结论", "记录人",
                               _steps("record_collective_discussion", "discussion_after_hearing")),
    T.STATEMENT: StepDocument("陈申", "陈述申辩内容", "记录人", _steps("record_statement")),
    T.HEARING_SUMMONS: StepDocument("听通", "听证会安排", "承办人", _steps("schedule_hearing")),
    T.HEARING_RECORD: StepDocument("听录", "听证笔录", "听证主持人", _steps("record_hearing")),
    T.EXTENSION: StepDocument("延", "延期理由", "审批负责人", _steps("extend_decision_period")),
    T.HANDLING: StepDocument("处呈", "处理意见（不予行政处罚）", "审批负责人",
                             _steps("no_penalty")),
    T.SUMMARY_DECISION: StepDocument("当罚", "处罚依据", "执法人员",
                                     _steps("summary_procedure_decision")),
    T.SERVICE: StepDocument("回", "送达情况", "送达人", _steps("record_service")),
    T.DEFERRAL_APPROVAL: StepDocument("缴批", "延期（分期）缴纳理由", "审批负责人",
                                      _steps("approve_deferral")),
    T.DEMAND_NOTICE: StepDocument("执行催告", "催告事项", "承办人", _steps("send_payment_demand")),
    T.COURT: StepDocument("强执", "申请事项", "承办人", _steps("apply_to_court")),
    T.CLOSING: StepDocument("结", "结案意见", "审批负责人", _steps("close_case")),
    T.TERMINATION: StepDocument("终", "终止（撤销）理由", "审批负责人",
                                _steps("terminate", "revoke")),
    T.DECISION_CHANGE: StepDocument("罚变", "变更（撤销）理由及负责人审批意见", "审批负责人",
                                    _steps("approve_decision_change")),
}
#: 缴批 needs its 审批表 (缴审) first: both come from the one approval record.
DEFERRAL_REVIEW = "缴审"


def step_document(record: CaseStepRecord) -> StepDocument | None:
    """The document ``record`` produces, or None (no document, or one with its own builder)."""
    spec = STEP_DOCUMENTS.get(record.document_type)
    if spec is None or record.step not in spec.steps:
        return None
    if spec.code == "先保" and not record.data.get("preserved"):
        return None
    return spec


def _money(value: Any) -> str:
    return f"{Decimal(str(value)):.2f}"


def _date(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y年%-m月%-d日 %H:%M") if value else "—"


def _decision(case: Case, record: CaseStepRecord) -> PenaltyDecision:
    row = (PenaltyDecision.objects.select_related("party")
           .filter(case=case, pk=record.data.get("decision")).first())
    if row is None:
        raise DomainError("该记录未关联本案的处罚决定。",
                          "The record names no decision of this case.", code="document_not_ready")
    return row


def _decision_fields(row: PenaltyDecision) -> Fields:
    fields = [("被处罚人", row.party.name), ("处罚种类", "、".join(_kinds(row.kinds)))]
    if row.fine_amount:
        fields.append(("罚款金额", f"{_money(row.fine_amount)}元"))
    return fields


def _served_numbers(case: Case, row: PenaltyDecision) -> str:
    numbers = [d.number for d in case_documents(case).filter(status=IssuedDocument.Status.ISSUED)
               if d.context.get("party_id") == row.party_id and d.doc_type_id in ("罚", "当罚")]
    return "、".join(numbers) or "行政处罚决定书"


def _service(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    row = _decision(case, record)
    method = dict(PenaltyDecision.ServiceMethod.choices).get(record.data.get("method", ""), "")
    return {"fields": [("受送达人", row.party.name), ("送达文书", _served_numbers(case, row)),
                       ("送达方式", str(method)), ("送达时间", _date(row.served_at))]}


def _summary(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    row = _decision(case, record)
    return {"party": _party(row.party), "party_id": row.party_id,
            "fields": [("违法事实", case.facts), ("处罚种类", "、".join(_kinds(row.kinds)))],
            "amount": _money(row.fine_amount) if row.fine_amount else "",
            "payment_notice": True}


def _demand(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    row = _decision(case, record)
    owed, surcharge = amount_due(row, timezone.localdate(record.at))
    return {"fields": [*_decision_fields(row), ("决定送达时间", _date(row.served_at)),
                       ("加处罚款（截至催告日）", f"{_money(surcharge)}元")],
            "amount": _money(owed),
            "closing": "请自收到本催告书之日起十日内履行上述义务；逾期仍不履行的，本机关将依法申请"
                       "人民法院强制执行。你（单位）有权进行陈述和申辩（行政强制法第三十五条、"
                       "第五十四条）。"}


def _court(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    row = _decision(case, record)
    owed, _surcharge = amount_due(row, timezone.localdate(record.at))
    return {"fields": [("被申请人", row.party.name), *_decision_fields(row)[1:],
                       ("决定送达时间", _date(row.served_at)),
                       ("催告时间", _date(row.demanded_at))],
            "amount": _money(owed)}


def _deferral(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    row = _decision(case, record)
    plan = "；".join(f"{p.get('due', '')} {p.get('amount', '')}元"
                     for p in record.data.get("instalments") or [])
    return {"fields": [*_decision_fields(row), ("缴纳期限", str(record.data.get("until", ""))),
                       ("分期计划", plan or "不分期")]}


def _hearing_summons(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    presider = case.hearing_presider.display_name if case.hearing_presider else "—"
    return {"fields": [("听证时间", _date(case.hearing_at)), ("听证主持人", presider)],
            "closing": "当事人可以亲自参加听证，也可以委托一至二人代理；无正当理由拒不出席或者"
                       "未经许可中途退出的，视为放弃听证权利（行政处罚法第六十四条）。"}


def _report(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    return {"fields": [("违法事实", case.facts),
                       ("处理意见", str(record.data.get("proposed_handling", "")))]}


def _no_penalty(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    ground = dict(Case.NoPenaltyGround.choices).get(record.data.get("ground", ""), "")
    return {"fields": [("不予处罚理由", str(ground))]}


def _closing(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    rows = []
    for row in case.decisions.select_related("party").order_by("pk"):
        fine = f"，罚款{_money(row.fine_amount)}元" if row.fine_amount else ""
        paid = f"，已缴{_money(row.paid_amount)}元" if row.paid_amount else ""
        rows.append((row.party.name, f"{'、'.join(_kinds(row.kinds))}{fine}"
                                     f"（{row.get_status_display()}{paid}）"))
    return {"fields": rows or [("处理结果", "无处罚决定")]}


def _filing(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    request = case.steps.filter(step="file_case").order_by("-at", "-pk").first()
    return {"fields": [("违法事实", case.facts),
                       ("立案理由", request.text if request else case.facts),
                       ("呈报时间", _date(request.at) if request else "—")]}


def _change(case: Case, record: CaseStepRecord) -> dict[str, Any]:
    row = _decision(case, record)
    change = DecisionChange.objects.get(pk=record.data.get("change"), decision=row)
    fields = [("被处罚人", row.party.name), ("原因", str(change.get_source_display())),
              ("结果", str(change.get_outcome_display()))]
    if change.ruling_number or change.body:
        fields.append(("复议决定或裁判", f"{change.body} {change.ruling_number}".strip()))
    old, new = change.old_content, change.new_content
    if new:
        fields += [("原罚款金额", f"{old.get('fine_amount', '')}元"),
                   ("变更后罚款金额", f"{new.get('fine_amount', '')}元"),
                   ("变更后处罚依据", str(new.get("basis", "")))]
        if new.get("corrected_text"):
            fields.append(("更正内容", str(new["corrected_text"])))
    if change.refund_amount:
        fields.append(("应退还金额", f"{_money(change.refund_amount)}元"))
    return {"fields": [*fields, ("理由", change.reason)]}


EXTRA: dict[str, Callable[[Case, CaseStepRecord], dict[str, Any]]] = {
    "立": _filing, "调报": _report, "处呈": _no_penalty, "听通": _hearing_summons,
    "当罚": _summary, "回": _service, "缴批": _deferral, "执行催告": _demand, "强执": _court,
    "结": _closing, "罚变": _change,
}


def _context(case: Case, record: CaseStepRecord, spec: StepDocument) -> dict[str, Any]:
    context: dict[str, Any] = {
        "record_id": record.pk, "heading": spec.heading, "signer": spec.signer,
        "case": {"title": case.title, "source": str(case.get_source_display()),
                 "parties": "、".join(p.name for p in case.parties.order_by("pk")),
                 "officers": "、".join(u.display_name for u in case.officers.order_by("pk")),
                 "filed": _date(case.filed_at)},
        "record": {"actor": record.actor_name, "at": _date(record.at), "text": record.text,
                   "participants": [f"{p.get('name', '')} {p.get('position', '')}".strip()
                                    for p in record.participants]},
        "fields": [], "amount": "", "closing": "", "payment_notice": False,
    }
    builder = EXTRA.get(spec.code)
    if builder is not None:
        context.update(builder(case, record))
    return context


def _issued_for_record(case: Case, code: str, record_id: int) -> IssuedDocument | None:
    return next((d for d in case_documents(case).filter(doc_type_id=code)
                 if d.context.get("record_id") == record_id), None)


def issue_step_document(case: Case | int, record: CaseStepRecord | int, *, actor: Any
                        ) -> IssuedDocument:
    """Issue the document of one step record (see STEP_DOCUMENTS)."""
    with transaction.atomic():
        locked = _lock(case)
        _require_case_staff(locked, actor)
        record_id = record.pk if isinstance(record, CaseStepRecord) else record
        row = CaseStepRecord.objects.filter(case=locked, pk=record_id).first()
        if row is None:
            raise InvalidInput("该办案记录不属于本案。", "The step record is not of this case.",
                               fields={"record": ["无此办案记录。"]})
        spec = step_document(row)
        if spec is None:
            raise DomainError("该办案环节没有需要签发的文书。",
                              "This step produces no document to issue here.",
                              code="document_not_ready")
        if (done := _issued_for_record(locked, spec.code, row.pk)) is not None:
            raise DomainError(f"该文书已签发（{done.number}），如需变更请更正。",
                              "Already issued; issue a correction instead.",
                              code="document_exists")
        context = _context(locked, row, spec)
        if spec.code == "缴批" and _issued_for_record(locked, DEFERRAL_REVIEW, row.pk) is None:
            _issue(locked, DEFERRAL_REVIEW, actor=actor, context=context, template=TEMPLATE)
        return _issue(locked, spec.code, actor=actor, context=context, template=TEMPLATE)


def pending_step_documents(records: Iterable[CaseStepRecord],
                           issued: Iterable[IssuedDocument]) -> list[tuple[CaseStepRecord, str]]:
    """The step records whose document is not issued yet, with the document's name, from
    rows the case page has already read (no query of its own)."""
    done = {(d.doc_type_id, d.context.get("record_id")) for d in issued
            if d.status != IssuedDocument.Status.VOIDED}
    out = []
    for record in records:
        spec = step_document(record)
        if spec is not None and (spec.code, record.pk) not in done:
            out.append((record, str(record.get_document_type_display())))
    return out
