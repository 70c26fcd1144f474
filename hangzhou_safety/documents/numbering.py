"""Document numbers: one serial per case (or inspection), shared by its documents.

A case reserves ONE serial per authority, year and named series
(:func:`allocate_serial`); every document of that case is numbered from it with its
own type code (:func:`format_number`): （杭西）应急立〔2026〕12号, （杭西）应急罚〔2026〕12号.
Serials are never reused: the counter only grows, and a serial that will carry no
document stays in the ledger as a gap with its reason (:func:`record_gap`, audited).

The abbreviations, patterns and document types are data (admin-editable). They are
seeded by migration; the lookups below fill in a missing row from the same seed, so a
freshly flushed test database or a new authority never lacks one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from hangzhou_safety.accounts.models import Authority, Jurisdiction, Role
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event

from . import data
from .models import (
    AuthorityNumbering,
    DocumentType,
    IssuedDocument,
    RightsNotice,
    SerialAllocation,
    SerialCounter,
)

#: Who may declare a serial unused: it removes a number from the record for good.
GAP_ROLES = (Role.DISTRICT_APPROVER, Role.SECTION_CHIEF, Role.MUNICIPAL_ADMIN)


def default_abbreviation(authority: Authority) -> str:
    """The derived default abbreviation of an authority (see data.district_abbreviations)."""
    jurisdiction = authority.jurisdiction
    if jurisdiction.kind == Jurisdiction.Kind.CITY:
        return data.CITY_ABBREVIATION
    districts = list(Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT)
                     .values_list("code", "name"))
    by_district = data.district_abbreviations(districts)
    district = jurisdiction.district
    base = by_district.get(district.code, data.CITY_ABBREVIATION) if district else \
        data.CITY_ABBREVIATION
    if authority.kind == Authority.Kind.DISTRICT_BUREAU:
        return base
    # Street offices and zone committees number on their own: their name after the
    # district's abbreviation keeps two authorities from writing the same number.
    short = (authority.short_name or jurisdiction.name)
    for suffix in ("街道", "镇", "乡", "管理委员会"):
        short = short.removesuffix(suffix)
    return f"{base}{short[:4]}"


def default_review_body(authority: Authority) -> str:
    """The people's government at the authority's level (data.REVIEW_BODY_SOURCE, [K]):
    杭州市人民政府 for the municipal bureau, the district's government otherwise."""
    district = authority.jurisdiction.district
    if district is None:
        return "杭州市人民政府"
    return f"杭州市{district.name}人民政府"


def numbering_for(authority: Authority) -> AuthorityNumbering:
    row = AuthorityNumbering.objects.filter(authority=authority).first()
    if row is None:
        row, _ = AuthorityNumbering.objects.get_or_create(
            authority=authority, defaults={"abbreviation": default_abbreviation(authority),
                                           "source": data.ABBREVIATION_SOURCE})
    return row


def load_document_types(model: Any = DocumentType, notices: Any = RightsNotice) -> int:
    """Insert the seeded types and notices that are missing (never overwrites edits)."""
    for seed in data.DOCUMENT_TYPES:
        model.objects.get_or_create(code=seed.code, defaults={
            "name": seed.name, "name_en": seed.name_en, "series": seed.series,
            "requires": list(seed.requires), "requires_source": seed.requires_source,
            "rights_notice": seed.rights_notice, "source": seed.source})
    for notice in data.RIGHTS_NOTICES:
        notices.objects.get_or_create(key=notice.key, defaults={
            "text": notice.text, "source": notice.source})
    return len(data.DOCUMENT_TYPES)


def document_type(code: str) -> DocumentType:
    try:
        return DocumentType.objects.get(code=code)
    except DocumentType.DoesNotExist:
        if any(seed.code == code for seed in data.DOCUMENT_TYPES):
            load_document_types()
            return DocumentType.objects.get(code=code)
        raise InvalidInput(f"未知的文书种类：{code}。", f"Unknown document type: {code}.",
                           fields={"type": ["未知的文书种类。"]}) from None


def rights_notice(key: str) -> RightsNotice | None:
    if not key:
        return None
    notice = RightsNotice.objects.filter(key=key).first()
    if notice is None:
        load_document_types()
        notice = RightsNotice.objects.filter(key=key).first()
    return notice


def _check_series(series: str) -> None:
    if series not in data.SERIES:
        raise InvalidInput(f"未知的编号序列：{series}。", f"Unknown serial series: {series}.")


def _subject_key(subject: Any) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(subject), str(subject.pk)


def allocate_serial(authority: Authority, year: int, series: str, *,
                    subject: Any = None) -> int:
    """Hand out the next serial of ``authority``'s ``series`` in ``year``.

    Concurrency: the counter row is created if missing (INSERT … ON CONFLICT DO
    NOTHING through get_or_create in a savepoint) and then locked FOR UPDATE, so two
    allocations at the same moment queue on that row and get consecutive serials.
    """
    _check_series(series)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SerialCounter.objects.get_or_create(authority=authority, year=year,
                                                    series=series)
        except IntegrityError:
            pass  # created by a concurrent allocation a moment ago
        counter = SerialCounter.objects.select_for_update().get(
            authority=authority, year=year, series=series)
        counter.last_serial += 1
        counter.save(update_fields=["last_serial"])
        fields: dict[str, Any] = {}
        if subject is not None:
            fields["content_type"], fields["object_id"] = _subject_key(subject)
        SerialAllocation.objects.create(authority=authority, year=year, series=series,
                                        serial=counter.last_serial, **fields)
        return counter.last_serial


def serial_for(subject: Any, authority: Authority, year: int, series: str) -> SerialAllocation:
    """The serial reserved for ``subject`` (a case, an inspection), reserving it once."""
    _check_series(series)
    content_type, object_id = _subject_key(subject)
    with transaction.atomic():
        existing = SerialAllocation.objects.filter(
            content_type=content_type, object_id=object_id, series=series,
            status=SerialAllocation.Status.ALLOCATED).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                allocate_serial(authority, year, series, subject=subject)
        except IntegrityError:
            pass  # a concurrent request reserved it: read theirs
        return SerialAllocation.objects.get(
            content_type=content_type, object_id=object_id, series=series,
            status=SerialAllocation.Status.ALLOCATED)


def record_gap(authority: Authority, year: int, series: str, serial: int, *, actor: Any,
               reason: str) -> SerialAllocation:
    """Declare that ``serial`` will carry no document (a case filed in error before any
    document was issued). The serial is never handed out again; the reason is audited."""
    _check_series(series)
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(*GAP_ROLES) or \
            not (actor.is_municipal or actor.authority_id == authority.pk):
        raise Forbidden("只有本机关的审批负责人或市局管理员可以登记空号。",
                        "Only the authority's approver or the municipal administrator may "
                        "record a gap.")
    if not reason.strip():
        raise InvalidInput("空号须写明原因。", "A gap needs a reason.",
                           fields={"reason": ["请填写空号原因。"]})
    with transaction.atomic():
        row = SerialAllocation.objects.select_for_update().filter(
            authority=authority, year=year, series=series, serial=serial).first()
        if row is None:
            raise InvalidInput("该序号尚未分配。", "That serial was never allocated.",
                               fields={"serial": ["该序号尚未分配。"]})
        if row.status == SerialAllocation.Status.GAP:
            raise DomainError("该序号已登记为空号。", "That serial is already a gap.",
                              code="already_gap")
        if IssuedDocument.objects.filter(authority=authority, year=year, series=series,
                                         serial=serial).exclude(
                status=IssuedDocument.Status.VOIDED).exists():
            raise DomainError("该序号已有文书，不能登记为空号。",
                              "Documents carry that serial; it cannot become a gap.",
                              code="serial_in_use")
        old = {"status": row.status, "object_id": row.object_id}
        row.status = SerialAllocation.Status.GAP
        row.gap_reason = reason.strip()
        row.save(update_fields=["status", "gap_reason"])
        record_event("document.serial_gap", actor=actor, obj=authority, old=old,
                     new={"year": year, "series": series, "serial": serial, "status": "gap"},
                     reason=row.gap_reason)
    return row


def format_number(authority: Authority, doc_type: DocumentType, year: int, serial: int,
                  sequence: int = 1) -> str:
    numbering = numbering_for(authority)
    pattern = doc_type.pattern or numbering.pattern
    serial_text = str(serial) if sequence == 1 else f"{serial}-{sequence}"
    try:
        return pattern.format(abbr=numbering.abbreviation, code=doc_type.code, year=year,
                              serial=serial_text)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(f"文号格式“{pattern}”有误。", f"Bad number pattern {pattern!r}.") \
            from exc
