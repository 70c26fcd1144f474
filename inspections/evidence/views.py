"""Pages for evidence, signatures, print views and the public verification page.

Evidence files are served only here, after visible_to(user): an inspection outside
the user's jurisdiction is a 404. The public verification page needs no login and
shows nothing personal beyond the inspecting officers' names and certificates.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hangzhou_safety.api.errors import DomainError
from hangzhou_safety.boundary.throttling import public_page_limit
from hangzhou_safety.web.pagination import keyset_page
from inspections.evidence import documents as loop_documents
from inspections.evidence import refusals
from inspections.evidence import services as evidence_services
from inspections.evidence import signatures as signature_services
from inspections.evidence.models import Evidence, Signature
from inspections.loop.given_at import parse_given_at
from inspections.loop.models import Hazard, Inspection, InspectionItem
from inspections.loop.resend import parse_client_id
from inspections.loop.selectors import kept_offline
from inspections.loop.services import FIELD_ROLES


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    return get_object_or_404(Inspection.objects.visible_to(request.user)
                             .select_related("enterprise", "authority"), pk=pk)


def _can_write(user: Any) -> bool:
    return bool(user.has_role(*FIELD_ROLES))


def _field_inspection(request: HttpRequest, pk: int) -> Inspection:
    """The inspection a write page acts on: a role that never takes evidence is refused
    (403) before its form is read (the service checks the rest)."""
    inspection = _inspection(request, pk)
    if not _can_write(request.user):
        raise PermissionDenied
    return inspection


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    visible = Inspection.objects.visible_to(request.user)
    return get_object_or_404(Evidence.objects.filter(inspection__in=visible), pk=pk)


def _file_response(relative: str, content_type: str, *, attachment: bool,
                   filename: str) -> FileResponse:
    try:
        path = evidence_services.evidence_path(relative)
        handle = path.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type, as_attachment=attachment,
                            filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Evidence is confidential: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def evidence_preview(request: HttpRequest, pk: int) -> FileResponse:
    item = _evidence(request, pk)
    if not item.preview_path:
        raise Http404
    return _file_response(item.preview_path, "image/jpeg", attachment=False,
                          filename=f"evidence-{item.pk}.jpg")


@login_required
@require_GET
def evidence_thumb(request: HttpRequest, pk: int) -> FileResponse:
    """The list thumbnail; rows stored before thumbnails existed fall back to the
    medium preview."""
    item = _evidence(request, pk)
    relative = item.thumb_path or item.preview_path
    if not relative:
        raise Http404
    return _file_response(relative, "image/jpeg", attachment=False,
                          filename=f"evidence-{item.pk}-thumb.jpg")


@login_required
@require_GET
def evidence_original(request: HttpRequest, pk: int) -> FileResponse:
    item = _evidence(request, pk)
    ext = item.storage_path.rsplit(".", 1)[-1]
    return _file_response(item.storage_path, item.content_type, attachment=True,
                          filename=f"evidence-{item.pk}.{ext}")


EVIDENCE_PAGE_SIZE = 30


def _evidence_context(request: HttpRequest, inspection: Inspection,
                      **extra: Any) -> dict[str, Any]:
    page = keyset_page(request, inspection.evidence.select_related("hazard"),
                       size=EVIDENCE_PAGE_SIZE)
    return {
        "inspection": inspection, "items": page.rows, "page": page,
        "hazards": inspection.hazards.order_by("pk"),
        "footage": inspection.footage.order_by("started_at"),
        "client_id": uuid.uuid4(),
        # Read-only roles (the auditor) see the evidence, never a form that would fail.
        "can_write": _can_write(request.user),
        "offline_pages": kept_offline(inspection, request.user),
        "max_photo_mb": evidence_services.MAX_PHOTO_BYTES // (1024 * 1024),
        "max_video_mb": evidence_services.MAX_VIDEO_BYTES // (1024 * 1024),
        **extra,
    }


@login_required
@require_GET
def evidence_list(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    return render(request, "inspections/evidence_list.html",
                  _evidence_context(request, inspection))


def _form_id(raw: str) -> str:
    """The upload form's own id suffix (letters, digits, dashes), for the swap."""
    return "".join(ch for ch in raw[:40] if ch.isascii() and (ch.isalnum() or ch == "-"))


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Multipart: file, kind, hazard (optional), client_id. htmx gets a partial."""
    inspection = _field_inspection(request, pk)
    is_htmx = request.headers.get("HX-Request") == "true"
    error = ""
    item = None
    uploaded = request.FILES.get("file")
    hazard = None
    try:
        if uploaded is None:
            raise evidence_services._invalid("请选择要上传的文件。", "No file.")
        if request.POST.get("hazard"):
            try:
                hazard = Hazard.objects.get(inspection=inspection,
                                            pk=int(request.POST["hazard"]))
            except (ValueError, Hazard.DoesNotExist) as exc:
                raise evidence_services._invalid("隐患不属于本次检查。", "Unknown hazard.",
                                                 "hazard") from exc
        if request.POST.get("item") and hazard is None:
            # The camera button of a non-compliant item, queued on the phone before
            # the server made the hidden danger: it is looked up when the photo
            # arrives (the queue sends the answer first).
            try:
                answered = InspectionItem.objects.select_related("hazard").get(
                    inspection=inspection, pk=int(request.POST["item"]))
            except (ValueError, InspectionItem.DoesNotExist) as exc:
                raise evidence_services._invalid("检查项不属于本次检查。", "Unknown item.",
                                                 "item") from exc
            hazard = getattr(answered, "hazard", None)
            if hazard is None:
                raise evidence_services._invalid(
                    "该检查项未记为隐患（不符合），照片无法关联；请先选择“不符合”。",
                    "The item is not recorded as non-compliant.", "item")
        given = parse_given_at(request.POST.get("given_at"))
        client_id = parse_client_id(request.POST.get("client_id"))
        item = evidence_services.store_evidence(
            inspection, actor=request.user, uploaded_file=uploaded,
            kind=request.POST.get("kind", Evidence.Kind.PHOTO), hazard=hazard,
            client_id=client_id, given=given)
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        error = exc.detail
    if is_htmx:
        # A stored upload hands the form a fresh client id (out-of-band swap), so the
        # next photo is never taken for a resend of this one; a refused upload keeps
        # its id, so sending it again stays idempotent.
        return render(request, "inspections/evidence_item.html",
                      {"item": item, "error": error, "inspection": inspection,
                       "next_client_id": None if error else uuid.uuid4(),
                       "form_id": _form_id(request.POST.get("form_id", ""))},
                      status=400 if error else 200)
    if error:
        return render(request, "inspections/evidence_list.html",
                      _evidence_context(request, inspection, error=error), status=400)
    return redirect("inspections:evidence_list", pk=inspection.pk)


def _sign_context(inspection: Inspection, user: Any, **extra: Any) -> dict[str, Any]:
    docs = [{"value": d.value, "label": d.label,
             "missing": signature_services.missing_signatures(inspection, d.value)}
            for d in signature_services.signable_documents(inspection)]
    return {"inspection": inspection, "documents": docs,
            "inspectors": list(inspection.inspectors.order_by("pk")),
            "signs_as_inspector": inspection.inspectors.filter(pk=user.pk).exists(),
            "can_write": _can_write(user),
            "roles": Signature.Role.choices,
            "signatures": inspection.signatures.order_by("document", "signed_at"),
            "refusals": inspection.signature_refusals.select_related("recorded_by")
            .order_by("recorded_at"),
            "client_id": uuid.uuid4(),
            "offline_pages": kept_offline(inspection, user),
            **extra}


@login_required
@require_http_methods(["GET", "POST"])
def sign_page(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if request.method == "GET":
        return render(request, "inspections/evidence_sign.html",
                      _sign_context(inspection, request.user))
    form = {key: request.POST.get(key, "") for key in
            ("document", "signer_role", "signer_name")}
    # The phone's queue (static/js/offline-queue.js) posts with HX-Request and gets the
    # signature's row, or the refusal with its reason, instead of the whole page.
    queued = request.headers.get("HX-Request") == "true"
    try:
        client_id = parse_client_id(request.POST.get("client_id"))
        signature = signature_services.sign(
            inspection, actor=request.user, document=form["document"],
            signer_role=form["signer_role"], signer_name=form["signer_name"],
            png_bytes=signature_services.decode_data_url(request.POST.get("image", "")),
            client_id=client_id, given=parse_given_at(request.POST.get("given_at")))
    except DomainError as exc:
        if queued:
            return render(request, "inspections/signature_row.html",
                          {"error": exc.detail}, status=exc.status_code)
        # Shown on the form (an inspector signing for a colleague is a 403 with the
        # reason, not a bare error page).
        return render(request, "inspections/evidence_sign.html",
                      _sign_context(inspection, request.user, error=exc.detail, form=form),
                      status=exc.status_code)
    if queued:
        return render(request, "inspections/signature_row.html", {"s": signature})
    messages.success(request, _("签名已保存。"))
    return redirect("inspections:evidence_sign", pk=inspection.pk)


@login_required
@require_POST
def refusal_record(request: HttpRequest, pk: int) -> HttpResponse:
    """拒绝签字: recorded on the sign page (安全生产法 第六十八条); the service checks the
    role, jurisdiction and team again."""
    inspection = _inspection(request, pk)
    form = {key: request.POST.get(key, "") for key in
            ("document", "refused_by", "circumstances")}
    try:
        refusals.record_refusal(inspection, actor=request.user, document=form["document"],
                                refused_by=form["refused_by"],
                                circumstances=form["circumstances"])
    except DomainError as exc:
        return render(request, "inspections/evidence_sign.html",
                      _sign_context(inspection, request.user, refusal_error=exc.detail,
                                    refusal_form=form),
                      status=exc.status_code)
    messages.success(request, _("已记录拒绝签字的情况，并报告科室负责人。"))
    return redirect("inspections:evidence_sign", pk=inspection.pk)


def _signature_images(inspection: Inspection, document: str) -> list[dict[str, Any]]:
    """Signatures as data URLs (CSP allows img-src data:), read from the evidence root."""
    rows = []
    for sig in inspection.signatures.filter(document=document).order_by("signed_at", "pk"):
        try:
            raw = evidence_services.evidence_path(sig.image_path).read_bytes()
            src = "data:image/png;base64," + base64.b64encode(raw).decode("ascii")
        except OSError:
            src = ""
        rows.append({"signature": sig, "src": src})
    return rows


@login_required
@require_GET
def print_onsite_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    return render(request, "inspections/print_onsite_record.html", {
        "inspection": inspection,
        "inspectors": inspection.inspectors.order_by("pk"),
        "items": inspection.items.select_related("checklist_item").order_by("order"),
        "hazards": inspection.hazards.order_by("pk"),
        "signatures": _signature_images(inspection, Signature.Document.ONSITE_RECORD),
    })


def qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    svg: str = qr.svg_inline(scale=3, border=2, title=url)
    return mark_safe(svg)  # noqa: S308 - generated by segno from our own URL


@login_required
@require_GET
def print_rectification_order(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    verify_url = request.build_absolute_uri(
        reverse("inspections:public_verify", args=[inspection.verification_code]))
    return render(request, "inspections/print_rectification_order.html", {
        "inspection": inspection,
        "inspectors": inspection.inspectors.order_by("pk"),
        "hazards": inspection.hazards.select_related("order").order_by("pk"),
        "signatures": _signature_images(inspection, Signature.Document.RECTIFICATION_ORDER),
        "verify_url": verify_url,
        "qr_svg": qr_svg(verify_url),
    })


@require_GET
@public_page_limit
def public_verify(request: HttpRequest, code: str) -> HttpResponse:
    data = evidence_services.public_verification(code)
    if data is None:
        return render(request, "public/verify.html", {"not_found": True, "code": code},
                      status=404)
    return render(request, "public/verify.html", {"record": data})


@login_required
@require_POST
def footage_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the enforcement-recorder file of the full-process recording (执法记录仪)."""
    inspection = _field_inspection(request, pk)
    tz = timezone.get_current_timezone()
    try:
        started = datetime.datetime.fromisoformat(request.POST.get("started_at", ""))
        ended = datetime.datetime.fromisoformat(request.POST.get("ended_at", ""))
    except ValueError:
        messages.error(request, _("请填写有效的开始和结束时间。"))
        return redirect("inspections:evidence_list", pk=inspection.pk)
    try:
        evidence_services.add_recorder_footage(
            inspection, actor=request.user,
            device_id=request.POST.get("device_id", "").strip(),
            file_reference=request.POST.get("file_reference", "").strip(),
            started_at=timezone.make_aware(started, tz) if timezone.is_naive(started)
            else started,
            ended_at=timezone.make_aware(ended, tz) if timezone.is_naive(ended) else ended)
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.detail) from exc
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已登记执法记录仪视频。"))
    return redirect("inspections:evidence_list", pk=inspection.pk)


@login_required
@require_GET
def documents_page(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    return render(request, "inspections/documents.html", _documents_context(inspection))


def _documents_context(inspection: Inspection, **extra: Any) -> dict[str, Any]:
    issued = {row.doc_type_id for row in loop_documents.inspection_documents(inspection)
              .filter(status="issued")}
    kinds = [{"code": code, "label": label, "issued": code in issued}
             for code, label in (
                 (loop_documents.ONSITE_RECORD, _("现场检查记录")),
                 (loop_documents.ORDER, _("责令限期整改指令书")),
                 (loop_documents.RECHECK, _("整改复查意见书")))]
    return {"inspection": inspection, "kinds": kinds,
            "documents": loop_documents.inspection_documents(inspection), **extra}


@login_required
@require_POST
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    try:
        row = loop_documents.issue_inspection_document(
            inspection, actor=request.user, type_code=request.POST.get("type", ""))
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.detail) from exc
        return render(request, "inspections/documents.html",
                      _documents_context(inspection, error=exc.detail),
                      status=exc.status_code)
    messages.success(request, _("文书已签发：%(number)s") % {"number": row.number})
    return redirect("inspections:inspection_documents", pk=inspection.pk)


@login_required
@require_GET
def document_pdf(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    row = get_object_or_404(loop_documents.inspection_documents(inspection), pk=doc_pk)
    return loop_documents.pdf_response(row)


@login_required
@require_GET
def document_case_file(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    try:
        return loop_documents.case_file_response(inspection)
    except DomainError as exc:
        return render(request, "inspections/documents.html",
                      _documents_context(inspection, error=exc.detail),
                      status=exc.status_code)
