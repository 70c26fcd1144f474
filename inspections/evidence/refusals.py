"""A refusal to sign, and the closing gate it satisfies.

安全生产法 第六十八条: "被检查单位的负责人拒绝签字的，检查人员应当将情况记录在案，并向负有
安全生产监督管理职责的部门报告" (laws/, [S]). An officer of the inspection records who
refused and what happened; the record is kept (never edited), audited and mailed to the
section chiefs of the authority (the report the article asks for). Closing the loop
waits for the enterprise's signature on the 整改复查意见书, or for such a record.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction

from hangzhou_safety.accounts.models import Role, User
from hangzhou_safety.api.errors import DomainError, InvalidInput
from hangzhou_safety.audit.services import record_event
from inspections.evidence.models import Signature, SignatureRefusal
from inspections.evidence.services import _lock, _read, _require_uploader
from inspections.evidence.signatures import signable_documents
from inspections.loop.models import Inspection, ReCheck


def _required(value: str, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, f"{field} is required.", fields={field: [message]})
    if len(value) > limit:
        too_long = f"内容过长（不超过 {limit} 字）。"
        raise InvalidInput(too_long, f"{field} is too long.", fields={field: [too_long]})
    return value


@transaction.atomic
def record_refusal(inspection: Inspection, *, actor: Any, document: str, refused_by: str,
                   circumstances: str) -> SignatureRefusal:
    """Record that the enterprise's responsible person refused to sign ``document``."""
    _require_uploader(_read(inspection), actor)
    locked = _lock(inspection)
    _require_uploader(locked, actor)
    if document not in signable_documents(locked):
        raise InvalidInput("文书类型无效（整改复查意见书在复查后签名）。", "Unknown document.",
                           fields={"document": ["文书类型无效。"]})
    if locked.status == Inspection.Status.CANCELLED:
        raise DomainError("检查已取消。", "The inspection is cancelled.", code="cancelled")
    if locked.signatures.filter(document=document,
                                signer_role=Signature.Role.ENTERPRISE).exists():
        raise DomainError("企业已在该文书上签名，无需记录拒签。",
                          "The enterprise has signed this document.", code="already_signed")
    name = _required(refused_by, "refused_by", "请填写拒绝签字的负责人姓名。", 64)
    what = _required(circumstances, "circumstances", "请记录拒绝签字的情况。", 2000)
    try:
        with transaction.atomic():
            refusal = SignatureRefusal.objects.create(
                inspection=locked, document=document, refused_by=name, circumstances=what,
                recorded_by=actor)
    except IntegrityError as exc:
        raise DomainError("该文书的拒签情况已记录。", "The refusal is already recorded.",
                          code="already_recorded") from exc
    record_event("inspection.signature_refused", actor=actor, obj=locked.enterprise,
                 new={"inspection": locked.pk, "refusal": refusal.pk, "document": document,
                      "refused_by": name, "circumstances": what})
    _report_to_chiefs(locked, refusal)
    return refusal


def _report_to_chiefs(inspection: Inspection, refusal: SignatureRefusal) -> None:
    emails = sorted(set(User.objects.filter(
        authority_id=inspection.authority_id, role=Role.SECTION_CHIEF, is_active=True)
        .exclude(email="").values_list("email", flat=True)))
    if not emails:
        return
    body = (f"{inspection.enterprise.name}：{refusal.refused_by} 拒绝在"
            f"《{refusal.get_document_display()}》上签字。\n情况：{refusal.circumstances}\n"
            f"记录人：{refusal.recorded_by.display_name}（安全生产法第六十八条）")
    messages = tuple(("【拒绝签字报告】" + inspection.enterprise.name, body, None, [email])
                     for email in emails)
    # robust: a mail server that is down is logged, and never turns the saved record
    # into an error page.
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False),
                          robust=True)


def recheck_opinion_signed(inspection: Inspection) -> None:
    """Closing gate: once officers recorded a re-check, the enterprise signs the
    整改复查意见书, or its refusal is on record (第六十八条)."""
    if not ReCheck.objects.filter(hazard__inspection=inspection,
                                  checked_by__isnull=False).exists():
        return
    document = Signature.Document.RECHECK
    if inspection.signatures.filter(document=document,
                                    signer_role=Signature.Role.ENTERPRISE).exists():
        return
    if SignatureRefusal.objects.filter(inspection=inspection, document=document).exists():
        return
    raise DomainError("整改复查意见书尚无企业签名：请企业负责人签名，拒绝签字的记录在案后方可闭环"
                      "（安全生产法第六十八条）。",
                      "The enterprise has not signed the re-check opinion (or its refusal "
                      "is not recorded); the inspection cannot close.",
                      code="recheck_unsigned")
