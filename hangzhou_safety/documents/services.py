"""Writes of the document service: draft, issue, void, correct; prerequisites; 卷宗.

A document is rendered from a plain-JSON context (a snapshot of the case data the
domain chose), numbered from the serial its case or inspection reserved, and issued:
the PDF is rendered once more without the draft mark, its SHA-256 goes into the audit
event, and from then on the row is immutable (this module refuses; the database
trigger on IssuedDocument refuses any other path). A correction is a new document
with its own number (the same serial, the next sequence) that names the one it
corrects; the corrected one is voided in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Role
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.workflow import transition

from . import data, numbering
from .models import DOCUMENT_WORKFLOW, DocumentType, IssuedDocument, SerialAllocation
from .render import html_to_pdf, render_html, render_pdf

Status = IssuedDocument.Status

#: Roles that may draft and issue documents of their own authority (the domain's step
#: services narrow this further: who signs a decision is the case's business).
ISSUING_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER,
                 Role.MUNICIPAL_ADMIN)


def _json_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as it will be stored (dates become ISO strings)."""
    import json

    try:
        return dict(json.loads(json.dumps(dict(context), cls=DjangoJSONEncoder)))
    except TypeError as exc:
        raise TypeError("a document context must be plain JSON data (no model rows)") from exc


def _require_issuer(actor: Any, authority: Authority) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(*ISSUING_ROLES):
        raise Forbidden("您的角色无权制作或签发执法文书。",
                        "Your role may not draft or issue enforcement documents.")
    if not (actor.is_municipal or actor.authority_id == authority.pk):
        raise Forbidden("只能以本执法主体的名义制作文书。",
                        "Documents are issued in the name of your own authority only.")


def issued_for(subject: Any, type_code: str) -> QuerySet[IssuedDocument]:
    """The issued (not voided) documents of ``type_code`` about ``subject``."""
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk),
        doc_type_id=type_code, status=Status.ISSUED)


def documents_of(subject: Any) -> QuerySet[IssuedDocument]:
    """The documents about ``subject``, oldest first; the PDF bytes and the context are
    deferred (a listing needs neither; ``row.pdf`` loads them on access)."""
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk)).select_related("doc_type").defer(
            "pdf", "context").order_by("issued_at", "pk")


def require_prior(subject: Any, type_code: str) -> None:
    """Refuse (409 ``document_prerequisite``) unless every document the type requires
    (DocumentType.requires, data) is issued for ``subject``. Domain conditions (the
    statement period has ended) stay with the domain, which calls this as well."""
    doc_type = numbering.document_type(type_code)
    missing = [code for code in doc_type.requires if not issued_for(subject, code).exists()]
    if missing:
        names = "、".join(numbering.document_type(code).name for code in missing)
        raise DomainError(
            f"签发{doc_type.name}前须先签发{names}（{doc_type.requires_source}）。",
            f"Issue {', '.join(missing)} before {doc_type.code} ({doc_type.name_en}).",
            code="document_prerequisite")


def _document_block(doc: IssuedDocument, *, draft: bool, day: datetime.date) -> dict[str, Any]:
    numbering_row = numbering.numbering_for(doc.authority)
    notice = numbering.rights_notice(doc.doc_type.rights_notice)
    notice_text = ""
    if notice is not None:
        notice_text = notice.text.format(
            document=doc.doc_type.name,
            review_body=numbering_row.review_body or
            numbering.default_review_body(doc.authority),
            court=numbering_row.court or data.DEFAULT_COURT)
    return {"number": doc.number, "title": doc.title, "type_code": doc.doc_type_id,
            "authority_name": doc.authority.name, "date": day.isoformat(), "draft": draft,
            "rights_notice": notice_text}


def _render(doc: IssuedDocument, *, draft: bool, day: datetime.date) -> bytes:
    context = dict(doc.context)
    context["document"] = _document_block(doc, draft=draft, day=day)
    return render_pdf(doc.template_name, context)


def create_draft(*, actor: Any, authority: Authority, type_code: str, subject: Any,
                 year: int, serial: int, template_name: str, context: Mapping[str, Any],
                 title: str = "", corrects: IssuedDocument | None = None,
                 preview: bool = True) -> IssuedDocument:
    """A numbered draft of ``type_code`` about ``subject``, on the reserved ``serial``.

    The number's sequence is taken under the lock of the serial's ledger row, so two
    drafts on one serial never get the same number. ``preview=False`` skips the draft's
    PDF (marked 草稿) when the caller issues it at once, in the same transaction."""
    _require_issuer(actor, authority)
    doc_type = numbering.document_type(type_code)
    stored = _json_context(context)
    with transaction.atomic():
        allocation = SerialAllocation.objects.select_for_update().filter(
            authority=authority, year=year, series=doc_type.series, serial=serial).first()
        if allocation is None or allocation.status != SerialAllocation.Status.ALLOCATED:
            raise InvalidInput("文书序号未分配或已登记为空号。",
                               "The serial was not allocated, or is a gap.",
                               fields={"serial": ["序号无效。"]})
        last = IssuedDocument.objects.filter(
            authority=authority, doc_type=doc_type, year=year, series=doc_type.series,
            serial=serial).aggregate(m=Max("sequence"))["m"] or 0
        doc = IssuedDocument(
            authority=authority, doc_type=doc_type, year=year, series=doc_type.series,
            serial=serial, sequence=last + 1,
            number=numbering.format_number(authority, doc_type, year, serial, last + 1),
            title=title or doc_type.name,
            content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk),
            template_name=template_name, context=stored, corrects=corrects,
            created_by=actor)
        doc.pdf = _render(doc, draft=True, day=timezone.localdate()) if preview else b""
        doc.sha256 = hashlib.sha256(doc.pdf).hexdigest()
        try:
            with transaction.atomic():
                doc.save()
        except IntegrityError as exc:
            raise DomainError(f"文书编号{doc.number}已被使用。",
                              f"Document number {doc.number} is taken.",
                              code="number_taken") from exc
    return doc


def issue(document: IssuedDocument | int, *, actor: Any) -> IssuedDocument:
    """Issue a draft: final PDF (dated today, no draft mark), SHA-256 audited, frozen."""

    def guard(row: IssuedDocument) -> None:
        _require_issuer(actor, row.authority)
        require_prior(row.subject, row.doc_type_id)

    def changes(row: IssuedDocument) -> dict[str, Any]:
        pdf = _render(row, draft=False, day=timezone.localdate())
        return {"pdf": pdf, "sha256": hashlib.sha256(pdf).hexdigest(),
                "issued_at": timezone.now(), "issued_by": actor}

    issued: IssuedDocument = transition(
        DOCUMENT_WORKFLOW, document, Status.ISSUED, actor=actor, guard=guard, changes=changes,
        extra=lambda row: {"number": row.number, "type": row.doc_type_id,
                           "sha256": row.sha256, "bytes": len(row.pdf),
                           "subject": f"{row.content_type.app_label}."
                                      f"{row.content_type.model}:{row.object_id}",
                           "corrects": row.corrects_id},
        refusal=("只有草稿可以签发", "Only a draft can be issued"))
    return issued


def issue_document(*, actor: Any, authority: Authority, type_code: str, subject: Any,
                   year: int, serial: int, template_name: str, context: Mapping[str, Any],
                   title: str = "", corrects: IssuedDocument | None = None) -> IssuedDocument:
    """Draft and issue in one transaction (documents handed over on the spot)."""
    with transaction.atomic():
        draft = create_draft(actor=actor, authority=authority, type_code=type_code,
                             subject=subject, year=year, serial=serial,
                             template_name=template_name, context=context, title=title,
                             corrects=corrects, preview=False)
        return issue(draft, actor=actor)


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("请填写原因。", "A reason is required.",
                           fields={"reason": ["请填写原因。"]})
    return reason.strip()


def void(document: IssuedDocument | int, *, actor: Any, reason: str) -> IssuedDocument:
    """Void a draft or an issued document; the row, its number and PDF stay."""
    text = _require_reason(reason)

    def guard(row: IssuedDocument) -> None:
        _require_issuer(actor, row.authority)

    voided: IssuedDocument = transition(
        DOCUMENT_WORKFLOW, document, Status.VOIDED, actor=actor, guard=guard, reason=text,
        changes={"voided_at": timezone.now(), "void_reason": text},
        extra=lambda row: {"number": row.number, "sha256": row.sha256})
    return voided


def correct(original: IssuedDocument, *, actor: Any, context: Mapping[str, Any],
            reason: str, title: str = "") -> IssuedDocument:
    """Issue a corrected document that names ``original``, and void the original."""
    text = _require_reason(reason)
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=original.pk)
        if locked.status != Status.ISSUED:
            raise DOCUMENT_WORKFLOW.illegal(locked.status, Status.VOIDED,
                                            ("只有已签发的文书可以更正",
                                             "Only an issued document can be corrected"))
        corrected = issue_document(
            actor=actor, authority=locked.authority, type_code=locked.doc_type_id,
            subject=locked.subject, year=locked.year, serial=locked.serial,
            template_name=locked.template_name, context=context,
            title=title or locked.title, corrects=locked)
        void(locked, actor=actor, reason=f"由{corrected.number}更正：{text}")
    return corrected


# --- The case file (卷宗) ------------------------------------------------------------

def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def combine_pdfs(pdfs: Sequence[bytes], cover_html: str, index_rows: Sequence[Mapping[str, Any]],
                 *, evidence_rows: Iterable[Mapping[str, Any]] = ()) -> bytes:
    """One PDF: the cover (``cover_html``), the index (卷内目录, one row per document in
    ``index_rows``: number, title, date; page ranges are computed here), the documents
    in order, and the evidence list; with a bookmark per part."""
    from pypdf import PdfReader, PdfWriter

    if len(pdfs) != len(index_rows):
        raise ValueError("one index row per document")
    cover = html_to_pdf(cover_html)
    evidence = html_to_pdf(render_html("documents/case_file_evidence.html",
                                       {"rows": list(evidence_rows)}))
    counts = [_page_count(pdf) for pdf in pdfs]
    cover_pages = _page_count(cover)

    def index_pdf(index_pages: int) -> bytes:
        rows, page = [], cover_pages + index_pages + 1
        for row, count in zip(index_rows, counts, strict=True):
            pages = f"{page}" if count == 1 else f"{page}–{page + count - 1}"
            rows.append({**row, "pages": pages})
            page += count
        return html_to_pdf(render_html("documents/case_file_index.html", {"rows": rows}))

    index = index_pdf(1)
    if (pages := _page_count(index)) != 1:  # a long index moves every page number
        index = index_pdf(pages)

    writer = PdfWriter()
    parts = [("卷宗封面", cover), ("卷内目录", index)]
    parts += [(f"{row.get('number', '')} {row.get('title', '')}".strip(), pdf)
              for row, pdf in zip(index_rows, pdfs, strict=True)]
    parts.append(("证据清单", evidence))
    for title, pdf in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
        writer.add_outline_item(title=title, page_number=start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def case_file(*, title: str, authority: Authority, fields: Sequence[tuple[str, str]],
              documents: Sequence[IssuedDocument],
              evidence_rows: Iterable[Mapping[str, Any]] = ()) -> bytes:
    """The 卷宗 of a case or inspection from its issued documents, in the given order."""
    cover = render_html("documents/case_file_cover.html", {
        "title": title, "authority_name": authority.name, "fields": list(fields)})
    issued = [d for d in documents if d.status == Status.ISSUED]
    rows = [{"number": d.number, "title": d.title,
             "date": timezone.localtime(d.issued_at).date() if d.issued_at else None}
            for d in issued]
    return combine_pdfs([bytes(d.pdf) for d in issued], cover, rows,
                        evidence_rows=evidence_rows)


def document_types() -> QuerySet[DocumentType]:
    numbering.load_document_types()
    return DocumentType.objects.all()
