"""The loop's documents as issued PDFs: 现场检查记录 (检记), 责令限期整改指令书 (责改) and
整改复查意见书 (复查), numbered from the inspection's one serial in the "inspection"
series of the platform's document service (hangzhou_safety.documents).

Each document is rendered from a plain snapshot of the inspection (the context
built here), so the issued PDF stays what was handed over even if the inspection
changes later; a changed fact is a correction (a new number naming the old one).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from hangzhou_safety.accounts.models import Role
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.documents import services as documents
from hangzhou_safety.documents.data import SERIES_INSPECTION
from hangzhou_safety.documents.models import IssuedDocument
from hangzhou_safety.documents.numbering import serial_for
from inspections.loop.models import Hazard, Inspection, OnSiteMeasure, ReCheck, RectificationOrder
from inspections.loop.services import CHIEF_ROLES, FIELD_ROLES

ONSITE_RECORD = "检记"
ORDER = "责改"
RECHECK = "复查"
TEMPLATES = {
    ONSITE_RECORD: "inspections/documents/onsite_record.html",
    ORDER: "inspections/documents/rectification_order.html",
    RECHECK: "inspections/documents/recheck_opinion.html",
}
LOOP_TYPES = tuple(TEMPLATES)

#: What the order tells the enterprise to do meanwhile (安全生产法 第六十五条(三)).
ORDER_DUTY = ("整改期间，你单位应当采取必要的安全防范措施，防止事故发生；重大事故隐患排除前或者"
              "排除过程中无法保证安全的，应当从危险区域内撤出作业人员。整改完成后，请及时书面报告。")
ORDER_DUTY_SOURCE = "安全生产法 第六十五条(三) [S]"


def _require_actor(inspection: Inspection, actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(*FIELD_ROLES):
        raise Forbidden("您的角色无权制作检查文书。",
                        "Your role may not issue inspection documents.")
    path = user_scope_path(actor)
    if path is None or (path and not inspection.authority.jurisdiction.path.startswith(path)):
        raise Forbidden("该检查不在您的管辖范围内。",
                        "The inspection is not within your jurisdiction.")
    if not actor.has_role(*CHIEF_ROLES, Role.DISTRICT_APPROVER) and \
            not inspection.inspectors.filter(pk=actor.pk).exists():
        raise Forbidden("只有本次检查的执法人员可以制作检查文书。",
                        "Only the inspectors of this inspection may issue its documents.")


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y年%-m月%-d日 %H:%M") if moment else ""


def _base(inspection: Inspection) -> dict[str, Any]:
    enterprise = inspection.enterprise
    return {
        "enterprise": {"name": enterprise.name, "uscc": enterprise.uscc or "",
                       "address": enterprise.address,
                       "principal": enterprise.principal_name or
                       enterprise.legal_representative},
        "inspection": {"id": inspection.pk, "code": inspection.verification_code,
                       "started": _local(inspection.started_at),
                       "finished": _local(inspection.findings_done_at),
                       "day": timezone.localtime(inspection.started_at
                                                 or inspection.created_at).date()},
        "inspectors": [{"name": u.display_name, "certificate": u.certificate_number}
                       for u in inspection.inspectors.order_by("pk")],
        "partners": list(inspection.partner_officers or []),
    }


def _hazard_row(hazard: Hazard) -> dict[str, Any]:
    order: RectificationOrder | None = getattr(hazard, "order", None)
    row: dict[str, Any] = {"description": hazard.description, "is_major": hazard.is_major,
                           "legal_basis": hazard.legal_basis,
                           "location": hazard.plant_location, "order": None}
    if order is not None:
        row["order"] = {
            "kind": order.kind, "kind_label": str(order.get_kind_display()),
            "due_date": order.due_date, "provisional": order.due_provisional,
            "deadline_days": order.deadline_days, "measures": order.measures,
            "responsible": order.responsible_person,
            "onsite_measure": str(OnSiteMeasure(order.onsite_measure).label)
            if order.onsite_measure else "",
            # The limit of 停产停业 / 停止使用 (clock rule stop_measure_limit).
            "measure_until": order.onsite_measure_until,
            "measure_until_provisional": order.onsite_measure_until_provisional,
            "funds": order.funds, "emergency_plan": order.emergency_plan}
    return row


def onsite_record_context(inspection: Inspection) -> dict[str, Any]:
    context = _base(inspection)
    context["items"] = [
        {"order": i.order, "text": i.checklist_item.text, "result": str(i.get_result_display()),
         "note": i.note}
        for i in inspection.items.select_related("checklist_item").order_by("order")]
    context["hazards"] = [_hazard_row(h) for h in
                          inspection.hazards.select_related("order").order_by("pk")]
    return context


def order_context(inspection: Inspection) -> dict[str, Any]:
    context = _base(inspection)
    hazards = [_hazard_row(h) for h in inspection.hazards.select_related("order").order_by("pk")
               if getattr(h, "order", None) is not None]
    context["hazards"] = hazards
    dues = [h["order"]["due_date"] for h in hazards if h["order"]["due_date"]]
    context["latest_due"] = max(dues) if dues else None
    context["duty"], context["duty_source"] = ORDER_DUTY, ORDER_DUTY_SOURCE
    return context


def _rechecks(inspection: Inspection) -> QuerySet[ReCheck]:
    return (ReCheck.objects.filter(hazard__inspection=inspection, checked_at__isnull=False)
            .exclude(result="").select_related("hazard").order_by("checked_at", "pk"))


def recheck_context(inspection: Inspection) -> dict[str, Any]:
    context = _base(inspection)
    order_doc = documents.issued_for(inspection, ORDER).order_by("-issued_at").first()
    context["order_number"] = order_doc.number if order_doc else ""
    context["rechecks"] = [
        {"hazard": r.hazard.description, "result": str(r.get_result_display()),
         "passed": r.result == ReCheck.Result.PASSED, "note": r.note,
         "checked": timezone.localtime(r.checked_at).date() if r.checked_at else None,
         "officers": [u.display_name for u in r.checked_by.order_by("pk")]}
        for r in _rechecks(inspection)]
    return context


def _check_ready(inspection: Inspection, type_code: str) -> dict[str, Any]:
    """The context of ``type_code``, or a 409 saying what is missing."""
    if inspection.status in (Inspection.Status.PLANNED, Inspection.Status.CANCELLED) or \
            inspection.findings_done_at is None:
        raise DomainError("检查完成后方可制作检查文书。",
                          "Documents are issued once the findings are complete.",
                          code="document_not_ready")
    if type_code == ONSITE_RECORD:
        return onsite_record_context(inspection)
    if type_code == ORDER:
        context = order_context(inspection)
        if not context["hazards"]:
            raise DomainError("尚未下达整改指令，无需制作责令限期整改指令书。",
                              "No rectification order has been given.",
                              code="document_not_ready")
        return context
    context = recheck_context(inspection)
    if not context["rechecks"]:
        raise DomainError("尚无复查结论，不能制作整改复查意见书。",
                          "No re-check has been recorded.", code="document_not_ready")
    return context


def issue_inspection_document(inspection: Inspection, *, actor: Any,
                              type_code: str) -> IssuedDocument:
    """Issue the loop document ``type_code`` of ``inspection`` as a numbered PDF.

    The on-site record and the order are issued once (a later change is a correction);
    a re-check opinion once per new re-check result."""
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().select_related(
            "authority__jurisdiction", "enterprise").get(pk=inspection.pk)
        # Who may act comes before what was asked: a refused role learns nothing more.
        _require_actor(locked, actor)
        if type_code not in TEMPLATES:
            raise InvalidInput("文书种类无效。", "Unknown inspection document type.",
                               fields={"type": [f"可选：{'、'.join(LOOP_TYPES)}。"]})
        context = _check_ready(locked, type_code)
        previous = documents.issued_for(locked, type_code).order_by("-issued_at").first()
        if previous is not None:
            # A re-check opinion again only when a further re-check has been recorded.
            further = type_code == RECHECK and \
                len(context["rechecks"]) > len(previous.context.get("rechecks", []))
            if not further:
                raise DomainError(f"{previous.title}已签发（{previous.number}），如需变更请更正。",
                                  "Already issued; issue a correction instead.",
                                  code="document_exists")
        documents.require_prior(locked, type_code)
        year = timezone.localtime(locked.created_at).year
        allocation = serial_for(locked, locked.authority, year, SERIES_INSPECTION)
        return documents.issue_document(
            actor=actor, authority=locked.authority, type_code=type_code, subject=locked,
            year=year, serial=allocation.serial, template_name=TEMPLATES[type_code],
            context=context)


def inspection_documents(inspection: Inspection) -> QuerySet[IssuedDocument]:
    return documents.documents_of(inspection).filter(doc_type_id__in=LOOP_TYPES)


def pdf_response(row: IssuedDocument) -> HttpResponse:
    """The stored bytes, never re-rendered; a draft or voided document says so in its name."""
    suffix = "" if row.status == IssuedDocument.Status.ISSUED else f"-{row.status}"
    response = HttpResponse(bytes(row.pdf), content_type="application/pdf")
    filename = f"{row.title}-{row.year}-{row.serial}-{row.sequence}{suffix}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Document-SHA256"] = row.sha256
    return response


def inspection_case_file(inspection: Inspection) -> bytes:
    """The inspection's file (检查案卷) as one PDF: cover, index, its issued documents
    in the order they were issued, and the evidence list with each file's SHA-256.
    Built on request from the stored PDFs (nothing is re-rendered but cover and lists)."""
    from inspections.evidence.models import Evidence

    issued = list(inspection_documents(inspection).filter(status=IssuedDocument.Status.ISSUED))
    if not issued:
        raise DomainError("尚无已签发的文书，无法生成案卷。",
                          "No document has been issued yet.", code="document_not_ready")
    enterprise = inspection.enterprise
    fields = [("被检查单位", enterprise.name), ("统一社会信用代码", enterprise.uscc or "—"),
              ("检查核验码", inspection.verification_code),
              ("检查日期", timezone.localtime(inspection.started_at or inspection.created_at)
               .strftime("%Y-%m-%d")),
              ("执法人员", "、".join(u.display_name for u in inspection.inspectors.order_by("pk")))]
    evidence = [{"name": f"{row.get_kind_display()} {row.original_name}",
                 "source": "现场检查", "sha256": row.sha256}
                for row in Evidence.objects.filter(inspection=inspection).order_by("pk")]
    evidence += [{"name": f"执法记录仪 {f.device_id} {f.file_reference}",
                  "source": "全过程记录", "sha256": "—"}
                 for f in inspection.footage.order_by("started_at")]
    return documents.case_file(title="监督检查案卷", authority=inspection.authority,
                               fields=fields, documents=issued, evidence_rows=evidence)


def case_file_response(inspection: Inspection) -> HttpResponse:
    response = HttpResponse(inspection_case_file(inspection), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"监督检查案卷-{inspection.verification_code}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
