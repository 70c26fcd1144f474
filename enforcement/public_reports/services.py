"""12350 reports: submission, routing, the staff steps, tracking and rewards.

Every status change goes through hangzhou_safety.workflow.transition; every service
checks the actor's role and jurisdiction itself. The reporter's identity is written
here and read back only by :func:`view_identity` (audited); tracking answers are built
from the report and its *public* replies only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from enforcement.cases.models import Case, PenaltyDecision
from enforcement.cases.steps.common import CHIEF_ROLES, HEAD_ROLES, OFFICER_ROLES
from enterprises.filters import search_enterprises
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Jurisdiction
from hangzhou_safety.accounts.reference import CITY_CODE
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import record_event
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import (
    add_rule_period,
    clock_rule,
    extend_deadline,
    meet_deadline,
    start_clock,
)
from hangzhou_safety.workflow import IllegalTransition, transition
from inspections.evidence.services import (
    MSG_TYPE,
    check_image,
    evidence_path,
    make_preview,
    read_upload,
    sniff,
)
from inspections.models import Inspection

from . import challenge, reward, routing
from .models import (
    REPORT_WORKFLOW,
    REWARD_WORKFLOW,
    PublicReport,
    ReportCategory,
    ReporterIdentity,
    ReportPhoto,
    ReportReply,
    ReportReward,
    ReportTopic,
    RewardBasis,
)

S = PublicReport.Status
RS = ReportReward.Status
#: A report's photos: at most this many, each at most this size (JPEG/PNG/HEIC only).
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DESCRIPTION = 5000
MIN_DESCRIPTION = 10
#: Who may read the reporter's identity (every reading is audited).
IDENTITY_ROLES = CHIEF_ROLES
#: Statuses after verification, in which a reward may be computed.
VERIFIED_STATUSES = frozenset({S.VERIFIED, S.FED_BACK, S.CLOSED})
#: Decisions whose fine counts for a reward (not revoked).
FINE_DECISION_STATUSES = frozenset(set(PenaltyDecision.Status.values)
                                   - {PenaltyDecision.Status.REVOKED})


# --- Small helpers -----------------------------------------------------------------------

def _invalid(field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, fields={field: [zh]})


def _text(value: Any, field: str, zh: str, en: str, *, max_length: int = 2000) -> str:
    text = str(value or "").strip()
    if not text:
        raise _invalid(field, zh, en)
    if len(text) > max_length:
        raise _invalid(field, f"内容过长（不超过{max_length}字）。",
                       f"{field} is longer than {max_length} characters.")
    return text


def _require_role(actor: Any, roles: Sequence[str], zh: str, en: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *roles):
        raise Forbidden(zh, en)


def _require_jurisdiction(actor: Any, report: PublicReport) -> None:
    path = user_scope_path(actor)
    if path is None or (path and not report.authority.jurisdiction.path.startswith(path)):
        raise Forbidden("该举报不在您的管辖范围内。",
                        "The report is not within your jurisdiction.")


def _staff(actor: Any, report: PublicReport, roles: Sequence[str], what: str) -> None:
    _require_role(actor, roles, f"您的角色无权{what}。", f"Your role may not {what}.")
    _require_jurisdiction(actor, report)


def _lock(report: PublicReport | int) -> PublicReport:
    return (PublicReport.objects.select_for_update(of=("self",))
            .select_related("authority__jurisdiction").get(pk=getattr(report, "pk", report)))


def _reply(report: PublicReport, text: str, actor: Any = None, *,
           public: bool = True) -> ReportReply:
    return ReportReply.objects.create(report=report, text=text, public=public,
                                      author=actor if getattr(actor, "pk", None) else None)


def _move(locked: PublicReport, to: str, *, actor: Any, guard: Any = None,
          changes: Any = None, reason: str = "", refusal: tuple[str, str] | None = None,
          ) -> PublicReport:
    moved: PublicReport = transition(REPORT_WORKFLOW, locked, to, actor=actor, guard=guard,
                                     changes=changes, reason=reason, locked=locked,
                                     refusal=refusal)
    return moved


def _meet(clock_id: int | None, actor: Any) -> None:
    if clock_id is None:
        return
    clock = Deadline.objects.get(pk=clock_id)
    if clock.status == Deadline.Status.RUNNING:
        meet_deadline(clock, actor=actor)


def code_hash(tracking_no: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"public-report:{tracking_no}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def _tracking_no() -> str:
    """JB + date + 6 random digits (not a running serial: it says nothing of volume)."""
    day = timezone.localdate().strftime("%Y%m%d")
    return f"JB{day}{secrets.randbelow(10**6):06d}"


_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _query_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


# --- Routing -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    authority: Authority
    department: str
    basis: str
    forward_to: Authority | None


def effective_topic(category: str, topic: str) -> str:
    """An occupational-hazard report belongs to the health remit unless told otherwise."""
    if category == ReportCategory.OCCUPATIONAL_HAZARD and topic == ReportTopic.SAFETY:
        return ReportTopic.OCCUPATIONAL_HEALTH
    return topic


def route(place: Jurisdiction, category: str, topic: str) -> Route:
    """The receiving authority (the emergency-management bureau of the place's district,
    the municipal bureau for a place outside any district) and the department competent
    by remit, with the authority of that department to forward to."""
    district = place.district
    jurisdiction = district or Jurisdiction.objects.get(code=CITY_CODE)
    receiving = Authority.objects.filter(
        jurisdiction=jurisdiction, department=Authority.Department.EMERGENCY,
        enforces_safety=True).order_by("code").first()
    if receiving is None:
        receiving = Authority.objects.get(code=f"EM-{CITY_CODE}")
    department, rule = routing.competent_department(effective_topic(category, topic))
    forward_to = None
    if rule is not None:
        forward_to = (Authority.objects.filter(jurisdiction=jurisdiction, department=department)
                      .order_by("code").first()
                      or Authority.objects.filter(jurisdiction__code=CITY_CODE,
                                                  department=department)
                      .order_by("code").first())
    return Route(receiving, department, rule.source if rule else "", forward_to)


# --- The registry, for the form -----------------------------------------------------------

REGISTRY_MATCHES = 10


def search_registry(q: str) -> list[dict[str, Any]]:
    """Enterprises of the registry whose name (or code) contains ``q``: their id, name and
    place only (what a business licence shows), at most ten, for the public form."""
    term = str(q or "").strip()[:50]
    if len(term) < 2:
        return []
    rows = search_enterprises(
        Enterprise.objects.exclude(status=Enterprise.Status.DEREGISTERED), term)
    return [{"id": row.pk, "name": row.name, "place": row.location.name}
            for row in rows.select_related("location").order_by("id")[:REGISTRY_MATCHES]]


def _registry_match(name: str) -> Enterprise | None:
    """The one registry enterprise called exactly ``name`` (None when none or several)."""
    rows = list(Enterprise.objects.exclude(status=Enterprise.Status.DEREGISTERED)
                .filter(name=name)[:2])
    return rows[0] if len(rows) == 1 else None


# --- Submission --------------------------------------------------------------------------

@dataclass(frozen=True)
class Submitted:
    report: PublicReport
    query_code: str
    deadline: Any  # the date handling is due by if accepted today (DeadlineResult)


def _place(code: Any) -> Jurisdiction:
    place = Jurisdiction.objects.filter(code=str(code or "").strip()[:12]).first()
    if place is None or place.kind == Jurisdiction.Kind.CITY:
        raise _invalid("place", "请选择举报地点所在的区、县（市）或街道。",
                       "Choose the district or street of the place reported.")
    return place


def _checked_photos(files: Sequence[Any]) -> list[tuple[bytes, str, str, int | None,
                                                        int | None]]:
    if len(files) > MAX_PHOTOS:
        raise _invalid("photos", f"最多上传{MAX_PHOTOS}张照片。",
                       f"At most {MAX_PHOTOS} photos.")
    out = []
    for uploaded in files:
        data = read_upload(uploaded, MAX_PHOTO_BYTES)
        sniffed = sniff(data[:32])
        if sniffed is None or sniffed[0] != "photo":
            raise _invalid("photos", MSG_TYPE, "Unsupported file type (JPEG/PNG/HEIC photos).")
        _, ext, content_type = sniffed
        width = height = None
        if ext in ("jpg", "png"):
            width, height = check_image(data)
        out.append((data, ext, content_type, width, height))
    return out


def _write(relative: str, data: bytes) -> None:
    full = evidence_path(relative)
    full.parent.mkdir(parents=True, exist_ok=True)
    tmp = full.with_suffix(full.suffix + ".part")
    tmp.write_bytes(data)
    tmp.replace(full)


def _remove(paths: Sequence[str]) -> None:
    for rel in paths:
        if rel:
            evidence_path(rel).unlink(missing_ok=True)


def submit_report(*, category: str, place_code: str, description: str,
                  enterprise_name: str = "", enterprise_id: Any = None, topic: str = "",
                  address: str = "", anonymous: bool = True, name: str = "", phone: str = "",
                  id_number: str = "", photos: Sequence[Any] = (),
                  challenge_token: str = "", challenge_answer: str = "") -> Submitted:
    """A report from the public. Anonymous submissions answer the challenge; named ones
    give a name and a phone number. Nothing is written unless all of it is valid. The
    client's address is not recorded (the throttle keeps it in the cache for its window
    only)."""
    if category not in ReportCategory.values:
        raise _invalid("category", "请选择举报类别。", "Choose a report category.")
    topic = topic or ReportTopic.SAFETY
    if topic not in ReportTopic.values:
        raise _invalid("topic", "事项领域无效。", "Unknown topic.")
    description = _text(description, "description", "请填写举报内容。",
                        "Describe what you report.", max_length=MAX_DESCRIPTION)
    if len(description) < MIN_DESCRIPTION:
        raise _invalid("description", f"举报内容至少{MIN_DESCRIPTION}个字。",
                       f"The description needs at least {MIN_DESCRIPTION} characters.")
    place = _place(place_code)
    enterprise = None
    if enterprise_id not in (None, ""):
        try:
            enterprise = Enterprise.objects.filter(pk=int(enterprise_id)).first()
        except (TypeError, ValueError):
            enterprise = None
        if enterprise is None:
            raise _invalid("enterprise", "被举报单位不存在。", "Unknown enterprise.")
    enterprise_name = str(enterprise_name or "").strip()[:200] or (
        enterprise.name if enterprise else "")
    if enterprise is None and enterprise_name:
        enterprise = _registry_match(enterprise_name)
    if not enterprise_name:
        raise _invalid("enterprise_name", "请填写被举报单位名称或从名录中选择。",
                       "Name the enterprise reported or choose it from the registry.")
    address = str(address or "").strip()
    if len(address) > 200:
        raise _invalid("address", "详细地点过长。", "The address is too long.")
    if anonymous:
        if not challenge.verify(str(challenge_token or ""), str(challenge_answer or "")):
            raise _invalid("challenge_answer", "验证题回答错误或已过期，请重新作答。",
                           "The check question was answered wrongly or has expired.")
    else:
        name = _text(name, "name", "实名举报请填写姓名。", "A named report needs a name.",
                     max_length=64)
        phone = _text(phone, "phone", "实名举报请填写联系电话。",
                      "A named report needs a phone number.", max_length=32)
        if not all(ch.isdigit() or ch in "+- " for ch in phone):
            raise _invalid("phone", "联系电话格式不正确。", "The phone number is not valid.")
        id_number = str(id_number or "").strip().upper()
        if len(id_number) > 18:
            raise _invalid("id_number", "身份证号码格式不正确。", "The ID number is not valid.")
    checked = _checked_photos(list(photos))
    where = route(place, category, topic)

    written: list[str] = []
    try:
        stored = []
        for data, ext, content_type, width, height in checked:
            stem = f"reports/{timezone.localdate():%Y%m}/{uuid.uuid4().hex}"
            original, preview = f"{stem}.{ext}", ""
            _write(original, data)
            written.append(original)
            if ext in ("jpg", "png"):
                preview = f"{stem}.preview.jpg"
                _write(preview, make_preview(data))
                written.append(preview)
            stored.append({"content_type": content_type, "size": len(data),
                           "sha256": hashlib.sha256(data).hexdigest(),
                           "storage_path": original, "preview_path": preview,
                           "width": width, "height": height})
        code = _query_code()
        for _attempt in range(5):
            tracking_no = _tracking_no()
            try:
                with transaction.atomic():
                    report = PublicReport.objects.create(
                        tracking_no=tracking_no, query_code_hash=code_hash(tracking_no, code),
                        category=category, topic=topic, enterprise=enterprise,
                        enterprise_name=enterprise_name, place=place, address=address,
                        description=description, anonymous=bool(anonymous),
                        authority=where.authority, remit_department=where.department,
                        remit_basis=where.basis[:200])
                    if not anonymous:
                        ReporterIdentity.objects.create(report=report, name=name, phone=phone,
                                                        id_number=id_number)
                    for row in stored:
                        ReportPhoto.objects.create(report=report, **row)
                    _reply(report, f"您的举报已收到，编号{tracking_no}，"
                                   f"由{where.authority.name}处理。")
                    # Never the identity, nor the client address (it would identify an
                    # anonymous reporter): the event says only whether it is named.
                    record_event("public_report.received", obj=report,
                                 new={"report": report.pk, "tracking_no": tracking_no,
                                      "category": category, "topic": topic,
                                      "anonymous": bool(anonymous), "photos": len(stored),
                                      "authority": where.authority.code,
                                      "remit_department": where.department},
                                 jurisdiction_path=where.authority.jurisdiction.path)
                break
            except IntegrityError:
                if PublicReport.objects.filter(tracking_no=tracking_no).exists():
                    continue  # a random number already taken: draw again
                raise
        else:  # pragma: no cover - five collisions in a million
            raise DomainError("举报编号生成失败，请重试。", "Could not number the report.")
    except BaseException:
        _remove(written)
        raise
    due = add_rule_period("report_handling", timezone.localdate())
    return Submitted(report, code, due)


# --- Tracking (the reporter) -------------------------------------------------------------

def find_for_reporter(tracking_no: str, code: str) -> PublicReport | None:
    """The report when the tracking number and query code match, else None (the same
    answer for an unknown number and a wrong code)."""
    tracking_no = str(tracking_no or "").strip().upper()[:20]
    code = str(code or "").strip().upper()[:16]
    report = (PublicReport.objects.select_related("authority", "forwarded_to",
                                                  "handling_clock")
              .filter(tracking_no=tracking_no).first())
    expected = report.query_code_hash if report else code_hash("-", "-")
    if not hmac.compare_digest(expected, code_hash(tracking_no, code)) or report is None:
        return None
    return report


def progress(report: PublicReport) -> dict[str, Any]:
    """What the reporter (and anyone holding the code) may read: status, the handling
    authority, due date and the public replies. Never the identity, the staff's internal
    notes, the staff's names, or the linked inspection or case."""
    clock = report.handling_clock
    return {
        "tracking_no": report.tracking_no,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "category": report.category,
        "category_label": str(report.get_category_display()),
        "received_at": report.received_at,
        "authority": report.authority.name,
        "forwarded_to": report.forwarded_to.name if report.forwarded_to else "",
        "handling_due": clock.due_date if clock else None,
        "extended": report.extended,
        "finding": report.finding,
        "finding_label": str(report.get_finding_display()) if report.finding else "",
        "replies": [{"at": r.at, "text": r.text}
                    for r in report.replies.filter(public=True).order_by("at", "id")],
    }


# --- Staff steps -------------------------------------------------------------------------

def accept(report: PublicReport | int, *, actor: Any, note: str = "") -> PublicReport:
    """受理: the handling clock (60 days, report_handling) starts."""
    with transaction.atomic():
        locked = _lock(report)
        now = timezone.now()
        _staff(actor, locked, CHIEF_ROLES, "受理举报")
        moved = _move(locked, S.ACCEPTED, actor=actor,
                      guard=lambda row: _staff(actor, row, CHIEF_ROLES, "受理举报"),
                      changes={"decided_at": now}, reason=note)
        clock = start_clock("report_handling", subject=moved, started_at=now, actor=actor)
        moved.handling_clock = clock
        moved.save(update_fields=["handling_clock", "updated_at"])
        _reply(moved, f"您的举报已受理，将于{clock.due_date:%Y年%m月%d日}前办结。", actor)
        return moved


def reject(report: PublicReport | int, *, actor: Any, reason: str) -> PublicReport:
    """不予受理, with the reason told to the reporter."""
    reason = _text(reason, "reason", "请填写不予受理的理由。", "A reason is required.")
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, CHIEF_ROLES, "作出受理决定")
        moved = _move(locked, S.REJECTED, actor=actor,
                      changes={"decided_at": timezone.now(), "decision_reason": reason},
                      reason=reason)
        _reply(moved, f"您的举报不予受理。理由：{reason}", actor)
        return moved


def forward(report: PublicReport | int, *, actor: Any, reason: str = "",
            to: Authority | None = None) -> PublicReport:
    """转交 to the department competent by remit (安全生产法 第七十三条)."""
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, CHIEF_ROLES, "转交举报")
        target = to
        if target is None:
            target = route(locked.place, locked.category, locked.topic).forward_to
        if target is None or target.department == Authority.Department.EMERGENCY:
            raise _invalid("to", "请选择接收转交的主管部门。",
                           "Choose the competent department to forward to.")
        reason = str(reason or "").strip()[:500] or locked.remit_basis or "不属于本部门职责"
        moved = _move(locked, S.FORWARDED, actor=actor,
                      changes={"decided_at": timezone.now(), "decision_reason": reason,
                               "forwarded_to": target},
                      reason=reason)
        _reply(moved, f"您举报的事项属于{target.name}职责，已转交该部门处理。", actor)
        return moved


def _linked_inspection(actor: Any, value: Any) -> Inspection | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    row = Inspection.objects.visible_to(actor).filter(pk=pk).first()
    if row is None:
        raise _invalid("inspection", "检查不存在或不在您的管辖范围内。",
                       "Unknown or out-of-jurisdiction inspection.")
    return row


def _linked_case(actor: Any, value: Any) -> Case | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    row = Case.objects.visible_to(actor).filter(pk=pk).first()
    if row is None:
        raise _invalid("case", "案件不存在或不在您的管辖范围内。",
                       "Unknown or out-of-jurisdiction case.")
    return row


def start_verification(report: PublicReport | int, *, actor: Any,
                       inspection: Any = None) -> PublicReport:
    """核查 begins (an inspection that checks the matter may be linked now or later)."""
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, OFFICER_ROLES, "核查举报")
        linked = _linked_inspection(actor, inspection)
        changes = {"inspection": linked} if linked else {}
        moved = _move(locked, S.VERIFYING, actor=actor, changes=changes)
        _reply(moved, "您的举报正在核查中。", actor)
        return moved


def verify(report: PublicReport | int, *, actor: Any, finding: str, result: str,
           inspection: Any = None, case: Any = None) -> PublicReport:
    """核查完毕: the finding and the inspection or case it triggered (one of them is
    required); the feedback clock (10 days, report_feedback) starts."""
    if finding not in (PublicReport.Finding.SUBSTANTIATED, PublicReport.Finding.PARTLY,
                       PublicReport.Finding.UNSUBSTANTIATED):
        raise _invalid("finding", "请选择核查结论。", "Choose the finding.")
    result = _text(result, "result", "请填写核查情况。", "Describe the verification.")
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, OFFICER_ROLES, "核查举报")
        linked_inspection = _linked_inspection(actor, inspection) or locked.inspection
        linked_case = _linked_case(actor, case) or locked.case
        if locked.status == S.VERIFYING and linked_inspection is None and linked_case is None:
            raise _invalid("inspection", "请关联核查所依托的检查或案件。",
                           "Link the inspection or case the verification led to.")
        now = timezone.now()
        moved = _move(locked, S.VERIFIED, actor=actor,
                      changes={"verified_at": now, "finding": finding,
                               "inspection": linked_inspection, "case": linked_case},
                      reason=result)
        _reply(moved, result, actor, public=False)
        clock = start_clock("report_feedback", subject=moved, started_at=now, actor=actor)
        moved.feedback_clock = clock
        moved.save(update_fields=["feedback_clock", "updated_at"])
        return moved


def feed_back(report: PublicReport | int, *, actor: Any, text: str) -> PublicReport:
    """反馈 of the result to the reporter (shown on the progress page); the handling and
    feedback clocks are met."""
    text = _text(text, "text", "请填写反馈内容。", "The feedback text is required.")
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, OFFICER_ROLES, "反馈核查结果")
        moved = _move(locked, S.FED_BACK, actor=actor,
                      changes={"fed_back_at": timezone.now()}, reason=text[:200])
        _reply(moved, text, actor)
        _meet(moved.feedback_clock_id, actor)
        _meet(moved.handling_clock_id, actor)
        return moved


def close(report: PublicReport | int, *, actor: Any) -> PublicReport:
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, OFFICER_ROLES, "办结举报")
        moved = _move(locked, S.CLOSED, actor=actor, changes={"closed_at": timezone.now()})
        _reply(moved, "您的举报已办结。", actor)
        return moved


def extend(report: PublicReport | int, *, actor: Any, reason: str) -> PublicReport:
    """延期办结: approved by the head of the authority, once, by the report_handling_extension
    rule (30 days); the reporter is told on the progress page."""
    reason = _text(reason, "reason", "请填写延期理由。", "A reason for the extension is required.")
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, HEAD_ROLES, "批准延期办结")
        if locked.status not in (S.ACCEPTED, S.VERIFYING, S.VERIFIED) or (
                locked.handling_clock_id is None):
            raise IllegalTransition(
                f"只有办理中的举报才能延期（当前状态：{locked.get_status_display()}）。",
                f"Only a report being handled can be extended (current status: "
                f"{locked.status}).")
        if locked.extended:
            raise IllegalTransition("该举报已延期一次，不能再次延期。",
                                    "The report has already been extended once.")
        by = clock_rule("report_handling_extension").amount
        clock = extend_deadline(Deadline.objects.get(pk=locked.handling_clock_id), by=by,
                                actor=actor, reason=reason)
        locked.extended = True
        locked.save(update_fields=["extended", "updated_at"])
        _reply(locked, f"因{reason}，经批准，您的举报办结期限延长至"
                       f"{clock.due_date:%Y年%m月%d日}。", actor)
        record_event("public_report.extended", actor=actor, obj=locked,
                     new={"report": locked.pk, "by": by, "due_date": clock.due_date},
                     reason=reason, jurisdiction_path=locked.jurisdiction_path)
        return locked


def add_note(report: PublicReport | int, *, actor: Any, text: str) -> ReportReply:
    """An internal note (never shown to the reporter)."""
    text = _text(text, "text", "请填写内容。", "The text is required.")
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, OFFICER_ROLES, "记录办理情况")
        note = _reply(locked, text, actor, public=False)
        record_event("public_report.note_added", actor=actor, obj=locked,
                     new={"report": locked.pk, "note": note.pk},
                     jurisdiction_path=locked.jurisdiction_path)
        return note


def link_same_matter(report: PublicReport | int, *, actor: Any,
                     earlier: str) -> PublicReport:
    """"Same matter as report X": the later report joins the earlier one's matter."""
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, CHIEF_ROLES, "关联同一事项举报")
        other = (PublicReport.objects.visible_to(actor)
                 .filter(tracking_no=str(earlier or "").strip().upper()[:20]).first())
        if other is None or other.pk == locked.pk:
            raise _invalid("earlier", "关联的举报不存在或不在您的管辖范围内。",
                           "Unknown or out-of-jurisdiction report.")
        root = other.same_matter_as or other
        if root.pk == locked.pk:
            raise _invalid("earlier", "不能关联到本举报自身的事项。",
                           "A report cannot join its own matter.")
        locked.same_matter_as = root
        locked.save(update_fields=["same_matter_as", "updated_at"])
        # Reports that had joined this one follow it into the root's matter.
        PublicReport.objects.filter(same_matter_as=locked).update(same_matter_as=root)
        record_event("public_report.same_matter_linked", actor=actor, obj=locked,
                     new={"report": locked.pk, "same_matter_as": root.tracking_no},
                     jurisdiction_path=locked.jurisdiction_path)
        return locked


def can_view_identity(actor: Any, report: PublicReport) -> bool:
    try:
        _staff(actor, report, IDENTITY_ROLES, "查看举报人信息")
    except Forbidden:
        return False
    return True


def view_identity(report: PublicReport, *, actor: Any) -> ReporterIdentity | None:
    """The reporter's identity for an authorised chief (every reading is audited)."""
    _staff(actor, report, IDENTITY_ROLES, "查看举报人信息")
    identity = ReporterIdentity.objects.filter(report=report).first()
    record_event("public_report.identity_viewed", actor=actor, obj=report,
                 new={"report": report.pk, "named": identity is not None},
                 jurisdiction_path=report.jurisdiction_path)
    return identity


# --- Rewards -----------------------------------------------------------------------------

def matter_reports(report: PublicReport) -> list[PublicReport]:
    root_id = report.same_matter_as_id or report.pk
    return list(PublicReport.objects.filter(Q(pk=root_id) | Q(same_matter_as_id=root_id))
                .order_by("received_at", "id"))


def first_named_reporter(report: PublicReport) -> PublicReport | None:
    """The first real-name report of the report's matter (the only one rewarded)."""
    named = [r for r in matter_reports(report) if not r.anonymous]
    return named[0] if named else None


def _case_fine(case_id: int | None) -> Decimal:
    if case_id is None:
        return Decimal("0")
    total = Decimal("0")
    for amount in PenaltyDecision.objects.filter(
            case_id=case_id, status__in=FINE_DECISION_STATUSES).values_list(
            "fine_amount", flat=True):
        total += amount or 0
    return total


def compute_reward(report: PublicReport | int, *, actor: Any, basis: str,
                   deaths: Any = None, grade: str = "") -> ReportReward:
    """Compute the reward of a verified report (安监总财〔2018〕19号, reward.py): for a
    penalty, from the fines of the linked case; for a confirmed concealed accident, by
    concealed deaths and the accident's grade. First real-name reporter only."""
    with transaction.atomic():
        locked = _lock(report)
        _staff(actor, locked, OFFICER_ROLES, "核算举报奖励")
        if locked.status not in VERIFIED_STATUSES:
            raise IllegalTransition(
                f"举报核查完毕后才能核算奖励（当前状态：{locked.get_status_display()}）。",
                f"A reward is computed after verification (current status: {locked.status}).")
        if locked.finding not in (PublicReport.Finding.SUBSTANTIATED,
                                  PublicReport.Finding.PARTLY):
            raise DomainError("举报不属实，不予奖励。", "The report was not substantiated.",
                              code="not_rewardable")
        if locked.anonymous:
            raise DomainError("匿名举报不能领取奖励（仅奖励实名举报人）。",
                              "Only a real-name reporter is rewarded.", code="not_rewardable")
        first = first_named_reporter(locked)
        if first is None or first.pk != locked.pk:
            raise DomainError(f"同一事项的首位实名举报人是{first.tracking_no if first else ''}，"
                              "仅奖励首位实名举报人。",
                              "Only the first real-name reporter of a matter is rewarded.",
                              code="not_rewardable")
        matter = [r.pk for r in matter_reports(locked)]
        if ReportReward.objects.filter(report_id__in=matter).exists():
            # One reward decision per matter; a refusal is final (a new computation
            # would be a second decision on the same matter).
            raise IllegalTransition("该事项已核算奖励。", "The matter already has a reward.")
        fine = None
        death_count = None
        if basis == RewardBasis.FINE:
            fine = _case_fine(locked.case_id)
            if fine <= 0:
                raise _invalid("basis", "关联案件没有罚款决定，不能按罚款核算奖励。",
                               "The linked case imposed no fine.")
            amount = reward.fine_reward(fine)
        elif basis == RewardBasis.CONCEALED_ACCIDENT:
            if locked.category != ReportCategory.CONCEALED_ACCIDENT:
                raise _invalid("basis", "只有瞒报、谎报事故的举报按死亡人数核算奖励。",
                               "Only a concealed-accident report is rewarded per death.")
            try:
                death_count = int(deaths)
            except (TypeError, ValueError):
                death_count = -1
            if death_count < 1:
                raise _invalid("deaths", "请填写查实的瞒报死亡人数。",
                               "Give the number of concealed deaths confirmed.")
            if grade not in reward.ACCIDENT_GRADES:
                raise _invalid("grade", "请选择事故等级。", "Choose the accident grade.")
            amount = reward.concealed_accident_reward(death_count, grade)
        else:
            raise _invalid("basis", "请选择奖励依据。", "Choose the basis of the reward.")
        row = ReportReward.objects.create(
            report=locked, basis=basis, fine=fine, deaths=death_count,
            accident_grade=grade or "", amount=amount,
            rates_source=reward.RATES_2018.source[:200], computed_by=actor)
        record_event("report_reward.computed", actor=actor, obj=locked,
                     new={"report": locked.pk, "reward": row.pk, "basis": basis,
                          "fine": fine, "deaths": death_count, "grade": grade,
                          "amount": amount},
                     jurisdiction_path=locked.jurisdiction_path)
        return row


def _lock_reward(row: ReportReward | int) -> ReportReward:
    locked = (ReportReward.objects.select_for_update(of=("self",))
              .select_related("report__authority__jurisdiction")
              .get(pk=getattr(row, "pk", row)))
    return locked


def decide_reward(row: ReportReward | int, *, actor: Any, approve: bool,
                  reason: str = "") -> ReportReward:
    """The head of the authority approves (or refuses) the computed reward; not the
    person who computed it."""
    with transaction.atomic():
        locked = _lock_reward(row)

        def guard(r: ReportReward) -> None:
            _staff(actor, locked.report, HEAD_ROLES, "审批举报奖励")
            if r.computed_by_id == actor.pk:
                raise Forbidden("核算人不能审批本人核算的奖励（职能分离）。",
                                "Who computed a reward may not approve it.")

        to = RS.APPROVED if approve else RS.REFUSED
        if not approve:
            reason = _text(reason, "reason", "请填写不予批准的理由。", "A reason is required.")
        moved: ReportReward = transition(
            REWARD_WORKFLOW, locked, to, actor=actor, guard=guard, reason=reason,
            changes={"approved_by": actor, "approved_at": timezone.now()}, locked=locked)
        return moved


def pay_reward(row: ReportReward | int, *, actor: Any, reference: str) -> ReportReward:
    reference = _text(reference, "reference", "请填写发放凭证号。",
                      "The payment reference is required.", max_length=64)
    with transaction.atomic():
        locked = _lock_reward(row)
        moved: ReportReward = transition(
            REWARD_WORKFLOW, locked, RS.PAID, actor=actor,
            guard=lambda r: _staff(actor, locked.report, OFFICER_ROLES, "登记奖励发放"),
            changes={"paid_at": timezone.now(), "payment_reference": reference},
            locked=locked)
        _reply(locked.report, "您的举报奖励已发放，请注意查收。", actor)
        return moved
