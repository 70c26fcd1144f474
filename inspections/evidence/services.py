"""Evidence of an inspection: photos, short videos and enforcement-recorder footage.

The original bytes are kept exactly (their SHA-256 goes into the audit trail) under
settings.EVIDENCE_ROOT, never under a public media or static root; pages show a
re-encoded JPEG preview rebuilt from pixels, so no EXIF (GPS, device) leaks out.
The type is decided by the file signature, never by the name or the client's
content type: a renamed executable is refused.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import uuid
import warnings
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, ImageOps

from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.masking import mask_text
from inspections.evidence.containers import ContainerError, check_video_container
from inspections.evidence.models import Evidence, RecorderFootage
from inspections.loop.given_at import GivenAt
from inspections.loop.models import Hazard, Inspection, InspectionItem, RectificationOrder
from inspections.loop.resend import earlier_delivery
from inspections.loop.services import CHIEF_ROLES, FIELD_ROLES

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_VIDEO_BYTES = 100 * 1024 * 1024
# A phone photo is 12–50 MP at most; anything larger is a pixel bomb, not evidence.
MAX_PIXELS = 40_000_000
PREVIEW_MAX_SIDE = 1600
PREVIEW_QUALITY = 85
# A list thumbnail: 320 px on its long side is sharp on a 2x phone screen at 160 px
# and weighs a few tens of KB (an evidence page of 30 photos stays well under 1 MB).
THUMB_MAX_SIDE = 320
THUMB_QUALITY = 70
# Evidence is added while the loop is open (findings, rectification, re-check).
OPEN_STATUSES = frozenset({Inspection.Status.PLANNED, Inspection.Status.IN_PROGRESS,
                           Inspection.Status.RECTIFYING})

MSG_TYPE = "文件类型不支持（仅限 JPEG/PNG/HEIC 照片或 MP4/MOV 视频）"
MSG_TOO_LARGE = "文件过大"
MSG_TOO_MANY_PIXELS = "图片像素过多"

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_MOV_BRANDS = {b"qt  "}
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
               b"M4V ", b"3gp4", b"3gp5", b"3gp6", b"dash", b"MSNV"}


def sniff(head: bytes) -> tuple[str, str, str] | None:
    """(kind, extension, content type) from the first bytes, or None if unsupported."""
    if head.startswith(b"\xff\xd8\xff"):
        return Evidence.Kind.PHOTO, "jpg", "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Evidence.Kind.PHOTO, "png", "image/png"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return Evidence.Kind.PHOTO, "heic", "image/heic"
        if brand in _MOV_BRANDS:
            return Evidence.Kind.VIDEO, "mov", "video/quicktime"
        if brand in _MP4_BRANDS:
            return Evidence.Kind.VIDEO, "mp4", "video/mp4"
    return None


def _invalid(detail: str, detail_en: str, field: str = "file") -> InvalidInput:
    return InvalidInput(detail, detail_en, fields={field: [detail]})


def _require_uploader(inspection: Inspection, actor: Any) -> None:
    """Evidence is taken by the inspectors on site (or their chief) of the inspection's
    jurisdiction. Called again on the locked row inside the writing transaction."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *FIELD_ROLES):
        raise Forbidden("您的角色无权上传证据。", "Your role may not add evidence.")
    path = user_scope_path(actor)
    if path is None or (path and not inspection.authority.jurisdiction.path.startswith(path)):
        raise Forbidden("该检查不在您的管辖范围内。",
                        "The inspection is not within your jurisdiction.")
    if actor.has_role(*CHIEF_ROLES):
        return
    if not inspection.inspectors.filter(pk=actor.pk).exists():
        raise Forbidden("只有本次检查的执法人员可以上传证据。",
                        "Only the inspectors of this inspection may upload evidence.")


def _read(inspection: Inspection | int) -> Inspection:
    """The inspection with what the checks and the audit event read (no lock)."""
    return Inspection.objects.select_related("enterprise", "authority__jurisdiction").get(
        pk=getattr(inspection, "pk", inspection))


def _lock(inspection: Inspection | int) -> Inspection:
    return (Inspection.objects.select_for_update(of=("self",))
            .select_related("enterprise", "authority__jurisdiction")
            .get(pk=getattr(inspection, "pk", inspection)))


def check_image(data: bytes) -> tuple[int, int]:
    """Decode and verify an image; refuse pixel bombs. Returns (width, height)."""
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make it an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise _invalid(MSG_TOO_MANY_PIXELS, "Too many pixels.")
                img.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _invalid(MSG_TOO_MANY_PIXELS, "Too many pixels.") from exc
        except InvalidInput:
            raise
        except Exception as exc:  # Pillow raises many types for a broken file
            raise _invalid("图片已损坏，无法解码。", "The image cannot be decoded.") from exc
    return width, height


def make_preview(data: bytes, max_side: int = PREVIEW_MAX_SIDE,
                 quality: int = PREVIEW_QUALITY) -> bytes:
    """A JPEG rebuilt from pixels (orientation applied first): no EXIF, no metadata."""
    with Image.open(io.BytesIO(data)) as img:
        upright = ImageOps.exif_transpose(img)
        pixels = upright.convert("RGB")
        pixels.thumbnail((max_side, max_side))
        clean = Image.new("RGB", pixels.size)
        clean.paste(pixels)
        out = io.BytesIO()
        clean.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def make_thumbnail(data: bytes) -> bytes:
    """The list thumbnail (a few tens of KB), rebuilt from pixels like the preview."""
    return make_preview(data, THUMB_MAX_SIDE, THUMB_QUALITY)


def _read_upload(uploaded_file: Any, limit: int) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _invalid(MSG_TOO_LARGE, "The file is too large.")
    chunks: list[bytes] = []
    total = 0
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    reader = uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else iter(
        lambda: uploaded_file.read(1024 * 1024), b"")
    for chunk in reader:
        total += len(chunk)
        if total > limit:  # the declared size may lie
            raise _invalid(MSG_TOO_LARGE, "The file is too large.")
        chunks.append(chunk)
    return b"".join(chunks)


#: The size-limited reader, shared with other uploads that take the evidence checks
#: (12350 report photos).
read_upload = _read_upload


def evidence_path(relative: str) -> Path:
    root = Path(settings.EVIDENCE_ROOT).resolve()
    full = (root / relative).resolve()
    if root not in full.parents:
        raise FileNotFoundError(relative)
    return full


def _write(relative: str, data: bytes) -> None:
    full = evidence_path(relative)
    full.parent.mkdir(parents=True, exist_ok=True)
    tmp = full.with_suffix(full.suffix + ".part")
    tmp.write_bytes(data)
    tmp.replace(full)


def _remove(*relatives: str) -> None:
    for rel in relatives:
        if rel:
            evidence_path(rel).unlink(missing_ok=True)


def store_evidence(inspection: Inspection, *, actor: Any, uploaded_file: Any, kind: str,
                   hazard: Hazard | None = None, item: InspectionItem | None = None,
                   client_id: uuid.UUID | None = None,
                   given: GivenAt | None = None) -> Evidence:
    """Check and store one photo or video. Idempotent by `client_id`; ``given`` is
    when it was taken on site, if it was queued offline."""
    # Checked before any byte is written, and again on the locked row below.
    _require_uploader(_read(inspection), actor)
    existing = earlier_delivery(Evidence, client_id, inspection_id=inspection.pk)
    if existing is not None:
        return existing
    if kind not in Evidence.Kind.values:
        raise _invalid("证据类型无效（照片或视频）。", "Kind must be photo or video.", "kind")
    if hazard is not None and hazard.inspection_id != inspection.pk:
        raise _invalid("隐患不属于本次检查。", "The hazard is not part of this inspection.",
                       "hazard")
    if item is not None and item.inspection_id != inspection.pk:
        raise _invalid("检查项不属于本次检查。", "The item is not part of this inspection.",
                       "item")
    limit = MAX_PHOTO_BYTES if kind == Evidence.Kind.PHOTO else MAX_VIDEO_BYTES
    data = _read_upload(uploaded_file, limit)
    sniffed = sniff(data[:32])
    if sniffed is None or sniffed[0] != kind:
        raise _invalid(MSG_TYPE, "Unsupported file type (JPEG/PNG/HEIC or MP4/MOV).")
    _, ext, content_type = sniffed
    if kind == Evidence.Kind.VIDEO:
        try:
            check_video_container(data)
        except ContainerError as exc:
            raise _invalid(str(exc), "Not a playable MP4/MOV file (box structure).") from exc
    width = height = None
    preview = thumb = b""
    if ext in ("jpg", "png"):
        width, height = check_image(data)
        preview = make_preview(data)
        thumb = make_thumbnail(data)
    # HEIC cannot be decoded without a HEIF codec: the original is kept, no preview.

    digest = hashlib.sha256(data).hexdigest()
    name = uuid.uuid4().hex
    storage_path = f"{inspection.pk}/{name}.{ext}"
    preview_path = f"{inspection.pk}/{name}.preview.jpg" if preview else ""
    thumb_path = f"{inspection.pk}/{name}.thumb.jpg" if thumb else ""
    original_name = str(getattr(uploaded_file, "name", "") or f"{name}.{ext}")
    original_name = Path(original_name).name[:255]
    _write(storage_path, data)
    if preview:
        _write(preview_path, preview)
        _write(thumb_path, thumb)
    try:
        with transaction.atomic():
            locked = _lock(inspection)
            _require_uploader(locked, actor)
            if locked.status not in OPEN_STATUSES:
                raise DomainError("检查已结束，不能再上传证据。",
                                  "The inspection is closed; no more evidence.")
            evidence = Evidence.objects.create(
                inspection=locked, hazard=hazard, item=item, kind=kind,
                original_name=original_name, content_type=content_type, size=len(data),
                sha256=digest, storage_path=storage_path, preview_path=preview_path,
                thumb_path=thumb_path,
                width=width, height=height, client_id=client_id, uploaded_by=actor)
            record_event("evidence.uploaded", actor=actor, obj=locked.enterprise,
                         new={"evidence": evidence.pk, "inspection": locked.pk,
                              "kind": kind, "sha256": digest, "size": len(data),
                              "name": original_name,
                              **(given.audit() if given else {})})
    except IntegrityError:
        _remove(storage_path, preview_path, thumb_path)
        if client_id is not None:  # the same resend raced in
            return Evidence.objects.get(client_id=client_id)
        raise
    except BaseException:
        # No partial write: the files go with the rolled-back row.
        _remove(storage_path, preview_path, thumb_path)
        raise
    return evidence


@transaction.atomic
def add_recorder_footage(inspection: Inspection, *, actor: Any, device_id: str,
                         file_reference: str, started_at: datetime.datetime,
                         ended_at: datetime.datetime) -> RecorderFootage:
    """Link the enforcement-recorder (执法记录仪) file of the full-process recording."""
    locked = _lock(inspection)
    _require_uploader(locked, actor)
    errors: dict[str, list[str]] = {}
    if not (device_id or "").strip():
        errors["device_id"] = ["请填写记录仪编号。"]
    if not (file_reference or "").strip():
        errors["file_reference"] = ["请填写视频文件编号。"]
    if started_at is None or ended_at is None:
        errors["started_at"] = ["请填写开始和结束时间。"]
    elif ended_at <= started_at:
        errors["ended_at"] = ["结束时间必须晚于开始时间。"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, "Invalid recorder footage.", fields=errors)
    if locked.status == Inspection.Status.CANCELLED:
        raise DomainError("检查已取消，不能登记记录仪视频。", "The inspection is cancelled.")
    footage = RecorderFootage.objects.create(
        inspection=locked, device_id=device_id.strip()[:64],
        file_reference=file_reference.strip()[:255], started_at=started_at,
        ended_at=ended_at, recorded_by=actor)
    record_event("evidence.footage_linked", actor=actor, obj=locked.enterprise,
                 new={"footage": footage.pk, "inspection": locked.pk,
                      "device_id": footage.device_id, "file": footage.file_reference,
                      "started_at": started_at, "ended_at": ended_at})
    return footage


def public_verification(code: str) -> dict[str, Any] | None:
    """What anyone holding the verification code may see (fixed, small query count).

    Who inspected (names, certificate numbers and validity), the enterprise's name,
    the date, the legal basis cited and the rectification progress — no phone
    numbers, responsible persons or ID numbers of anyone.
    """
    code = (code or "").strip().upper()
    if not code or len(code) > 12:
        return None
    inspection = (Inspection.objects.select_related("enterprise", "authority")
                  .filter(verification_code=code)
                  .exclude(status=Inspection.Status.CANCELLED).first())
    if inspection is None:
        return None
    # The day in Asia/Shanghai: a start at 07:30 Beijing time is still 23:30 UTC the
    # day before.
    day = (timezone.localdate(inspection.started_at) if inspection.started_at
           else inspection.planned_date or timezone.localdate(inspection.created_at))
    inspectors = [{"name": u.display_name, "certificate_number": u.certificate_number,
                   "certificate_valid_until": u.certificate_valid_until,
                   "certificate_valid": u.certificate_valid_on(day)}
                  for u in inspection.inspectors.order_by("pk")]
    partners = [{"name": str(p.get("name", "")), "department": str(p.get("department", "")),
                 "certificate_number": str(p.get("certificate", ""))}
                for p in inspection.partner_officers if isinstance(p, dict)]
    # Inspectors type these on site: a phone, ID or bank card number (or the name of a
    # responsible person) in them must not reach the public (hangzhou_safety.masking).
    people = [name for name in RectificationOrder.objects.filter(
        hazard__inspection=inspection).values_list("responsible_person", flat=True) if name]
    hazards: list[dict[str, Any]] = [
        {**row, "description": mask_text(row["description"], names=people),
         "legal_basis": mask_text(row["legal_basis"], names=people)}
        for row in inspection.hazards.order_by("pk").values(
            "description", "legal_basis", "is_major", "status")]
    labels = dict(Hazard.Status.choices)
    counts = dict.fromkeys(Hazard.Status.values, 0)
    for row in hazards:
        counts[row["status"]] += 1
    legal_basis = sorted({row["legal_basis"] for row in hazards if row["legal_basis"]})
    return {
        "verification_code": inspection.verification_code,
        "enterprise": inspection.enterprise.name,
        "authority": inspection.authority.name,
        "date": day,
        "status": inspection.status,
        "status_label": str(inspection.get_status_display()),
        "inspectors": inspectors,
        "partner_officers": partners,
        "legal_basis": legal_basis,
        "progress": [{"status": s, "status_label": str(labels[s]), "count": counts[s]}
                     for s in Hazard.Status.values],
        "hazard_count": len(hazards),
        "hazards": [{"description": row["description"], "legal_basis": row["legal_basis"],
                     "is_major": row["is_major"], "status": row["status"],
                     "status_label": str(labels[row["status"]])} for row in hazards],
    }
