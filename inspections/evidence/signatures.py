"""Signatures drawn on the screen for the on-site record and the rectification order.

Each inspector (with their own account, on their own session) and the enterprise's
representative (on the inspector's device) sign each document. The PNG is
kept exactly as sent (with its SHA-256 in the audit trail) under
EVIDENCE_ROOT/<inspection id>/signatures/.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from typing import Any

from django.db import IntegrityError, transaction

from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from inspections.evidence.models import Signature
from inspections.evidence.services import (
    _lock,
    _read,
    _remove,
    _require_uploader,
    _write,
    check_image,
)
from inspections.loop.given_at import GivenAt
from inspections.loop.models import Inspection, ReCheck
from inspections.loop.resend import earlier_delivery

MAX_SIGNATURE_BYTES = 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The documents every party signs on site.
SIGNED_DOCUMENTS = (Signature.Document.ONSITE_RECORD, Signature.Document.RECTIFICATION_ORDER)


def signable_documents(inspection: Inspection) -> tuple[Signature.Document, ...]:
    """The on-site documents always; the 整改复查意见书 once officers have recorded a
    re-check (its opinion is what the enterprise signs)."""
    if ReCheck.objects.filter(hazard__inspection=inspection, checked_by__isnull=False).exists():
        return (*SIGNED_DOCUMENTS, Signature.Document.RECHECK)
    return SIGNED_DOCUMENTS


def required_signers(inspection: Inspection) -> list[tuple[str, str]]:
    """(role, name) of everyone who signs: each inspector, then the enterprise."""
    signers = [(Signature.Role.INSPECTOR.value, u.display_name)
               for u in inspection.inspectors.order_by("pk")]
    return [*signers, (Signature.Role.ENTERPRISE.value, "")]


def missing_signatures(inspection: Inspection, document: str) -> list[str]:
    """Labels of the signatures still missing on `document`: inspectors by account
    (two officers may share a name), the enterprise by its role."""
    done = inspection.signatures.filter(document=document)
    signed_users = set(done.filter(signer_role=Signature.Role.INSPECTOR)
                       .values_list("user_id", flat=True))
    missing = [u.display_name for u in inspection.inspectors.order_by("pk")
               if u.pk not in signed_users]
    if not done.filter(signer_role=Signature.Role.ENTERPRISE).exists():
        missing.append(str(Signature.Role.ENTERPRISE.label))
    return missing


def _check_png(png_bytes: bytes) -> None:
    if not png_bytes or not png_bytes.startswith(PNG_MAGIC):
        raise InvalidInput("签名必须是 PNG 图片。", "The signature must be a PNG image.",
                           fields={"image": ["签名必须是 PNG 图片。"]})
    if len(png_bytes) > MAX_SIGNATURE_BYTES:
        raise InvalidInput("签名图片过大（不超过 1 MB）。", "The signature exceeds 1 MB.",
                           fields={"image": ["签名图片过大。"]})
    check_image(png_bytes)


def sign(inspection: Inspection, *, actor: Any, document: str, signer_role: str,
         png_bytes: bytes, signer_name: str = "", client_id: uuid.UUID | None = None,
         given: GivenAt | None = None) -> Signature:
    """Record one signature on one document (once per signer and document).

    An inspector signs only as themself: the signature is the actor's, keyed by
    their account (a name typed for somebody else is refused), and only an inspector
    of this inspection signs as one. The enterprise's representative signs on the
    inspector's device: the name is typed, and the officer who captured the
    signature is recorded with it.
    """
    locked = _read(inspection)
    _require_uploader(locked, actor)
    if document not in signable_documents(locked):
        raise InvalidInput("文书类型无效（整改复查意见书在复查后签名）。", "Unknown document "
                           "(the re-check opinion is signed after the re-check).",
                           fields={"document": ["文书类型无效。"]})
    if signer_role not in Signature.Role.values:
        raise InvalidInput("签名人身份无效。", "Unknown signer role.",
                           fields={"signer_role": ["签名人身份无效。"]})
    # A signature queued on the phone and delivered twice is stored once.
    existing = earlier_delivery(Signature, client_id, inspection_id=locked.pk)
    if existing is not None:
        return existing
    signer_name = (signer_name or "").strip()[:64]
    signer_user = None
    if signer_role == Signature.Role.INSPECTOR:
        _require_self(locked, actor, signer_name)
        signer_user, signer_name = actor, actor.display_name[:64]
    elif not signer_name:
        raise InvalidInput("请填写签名人姓名。", "The signer's name is required.",
                           fields={"signer_name": ["请填写签名人姓名。"]})
    _check_png(png_bytes)
    digest = hashlib.sha256(png_bytes).hexdigest()
    path = f"{locked.pk}/signatures/{uuid.uuid4().hex}.png"
    _write(path, png_bytes)
    try:
        with transaction.atomic():
            locked = _lock(locked)
            _require_uploader(locked, actor)
            if signer_role == Signature.Role.INSPECTOR:
                _require_self(locked, actor, signer_name)
            if locked.status == Inspection.Status.CANCELLED:
                raise DomainError("检查已取消，不能签名。", "The inspection is cancelled.")
            signature = Signature.objects.create(
                inspection=locked, document=document, signer_role=signer_role,
                signer_name=signer_name, user=signer_user, recorded_by=actor,
                image_path=path, sha256=digest, client_id=client_id)
            record_event("inspection.signed", actor=actor, obj=locked.enterprise,
                         new={"signature": signature.pk, "inspection": locked.pk,
                              "document": document, "signer_role": signer_role,
                              "signer_name": signer_name,
                              "signer_user": signer_user.pk if signer_user else None,
                              "recorded_by": actor.pk, "sha256": digest,
                              **(given.audit() if given else {})})
    except IntegrityError as exc:
        _remove(path)
        if client_id is not None:  # the same resend raced in
            raced = Signature.objects.filter(client_id=client_id).first()
            if raced is not None:
                return raced
        raise DomainError("该签名人已在此文书上签名。", "This signer has already signed.",
                          code="already_signed") from exc
    except BaseException:
        _remove(path)
        raise
    return signature


def _require_self(inspection: Inspection, actor: Any, signer_name: str) -> None:
    """An inspector's signature is the actor's own, and the actor is on the team."""
    if signer_name and signer_name != actor.display_name:
        raise Forbidden("执法人员只能本人签名：请由该执法人员登录后本人签名。",
                        "An inspector signs only as themself; the colleague must sign "
                        "with their own account.")
    if not inspection.inspectors.filter(pk=actor.pk).exists():
        raise Forbidden("您不是本次检查的执法人员，不能以执法人员身份签名。",
                        "Only an inspector of this inspection signs as an inspector.")


def decode_data_url(value: str) -> bytes:
    """The PNG bytes of a `data:image/png;base64,...` URL (canvas.toDataURL)."""
    prefix = "data:image/png;base64,"
    if not value or not value.startswith(prefix):
        return b""
    # Bound the work before decoding: base64 is 4/3 of the bytes.
    if len(value) > MAX_SIGNATURE_BYTES * 4 // 3 + len(prefix) + 4:
        return b"\x00" * (MAX_SIGNATURE_BYTES + 1)
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return b""
