"""Opening and filing a case: 立案审批表, 不予立案."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from enforcement.grounds.models import PartyKind
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, User
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workdays.services import (
    start_clock,
)
from hangzhou_safety.workflow import IllegalTransition
from inspections.loop.models import Hazard

from ..models import (
    Case,
    CaseEvidence,
    CaseParty,
    DocumentType,
    EvidenceKind,
    PartyRole,
    ReviewReason,
)
from .common import (
    OFFICER_ROLES,
    S,
    _cancel_running_clocks,
    _illegal_step,
    _lock,
    _meet,
    _move,
    _now,
    _pk,
    _reason,
    _record,
    _require_head,
    _require_jurisdiction,
    _require_officer,
    _require_role,
    _require_status,
    _text,
    _validate_officers,
)

# --- Opening a case --------------------------------------------------------------------

def _parties_input(parties: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for party in parties:
        kind = str(party.get("kind", ""))
        role = str(party.get("role", ""))
        name = str(party.get("name", "")).strip()
        if kind not in PartyKind.values or role not in PartyRole.values or not name:
            raise InvalidInput("当事人信息不完整（类型、身份、名称）。",
                               "A party needs a kind, a role and a name.",
                               fields={"parties": ["当事人信息不完整。"]})
        if (role == PartyRole.UNIT) != (kind == PartyKind.ORGANISATION):
            raise InvalidInput("生产经营单位须为法人或其他组织，个人须为自然人。",
                               "A unit is an organisation; the persons are natural persons.",
                               fields={"parties": ["当事人类型与身份不符。"]})
        rows.append({"kind": kind, "role": role, "name": name[:200],
                     "identifier": str(party.get("identifier", "")).strip()[:32],
                     "address": str(party.get("address", "")).strip()[:200],
                     "phone": str(party.get("phone", "")).strip()[:32]})
    return rows


@transaction.atomic
def open_case(*, actor: Any, authority: Authority | None = None, source: str, title: str,
              officers: Iterable[User], enterprise: Enterprise | None = None,
              facts: str = "", source_ref: str = "", parties: Iterable[Mapping[str, Any]] = (),
              is_major: bool = False, review_reasons: Iterable[str] = (),
              investigated_first: bool = False, found_at: datetime.datetime | None = None,
              inspection: Any = None, hazard: Hazard | None = None) -> Case:
    """A case waiting to be filed (待立案). Found on site and investigated first
    (先行调查), the filing clock starts at ``found_at``."""
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理案件。", "Your role may not handle cases.")
    authority = authority or actor.authority
    if authority is None:
        raise Forbidden("您不属于任何执法主体。", "You belong to no authority.")
    _require_jurisdiction(actor, authority)
    if source not in Case.Source.values:
        raise InvalidInput("案件来源无效。", "Unknown case source.", fields={"source": ["无效"]})
    title = _text(title, "title", "请填写案由。", "A title (cause of action) is required.")
    reasons = list(dict.fromkeys(review_reasons))
    if any(r not in ReviewReason.values for r in reasons):
        raise InvalidInput("法制审核理由无效。", "Unknown legal-review reason.",
                           fields={"review_reasons": ["无效"]})
    if enterprise is not None and not Enterprise.objects.visible_to(actor).filter(
            pk=enterprise.pk).exists():
        raise InvalidInput("涉案单位不存在或不在您的管辖范围内。",
                           "Unknown or out-of-jurisdiction enterprise.",
                           fields={"enterprise": ["涉案单位不在您的管辖范围内。"]})
    now = _now()
    if investigated_first:
        found_at = found_at or now
        if timezone.is_naive(found_at) or found_at > now:
            raise InvalidInput("发现时间须带时区且不晚于现在。",
                               "found_at must be aware and not in the future.",
                               fields={"found_at": ["发现时间无效。"]})
    team = _validate_officers(actor, officers, local_date(now))
    party_rows = _parties_input(parties)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                authority=authority, enterprise=enterprise, source=source,
                source_ref=source_ref[:100], title=title[:200], facts=facts, is_major=is_major,
                review_reasons=reasons, investigated_first=investigated_first,
                found_at=found_at if investigated_first else None, inspection=inspection,
                hazard=hazard, created_by=actor)
    except IntegrityError as exc:
        raise DomainError("该隐患已移交立案，不能重复建立案件。",
                          "A case exists for this hidden danger already.",
                          code="case_exists") from exc
    case.officers.set(team)
    CaseParty.objects.bulk_create([CaseParty(case=case, **row) for row in party_rows])
    if investigated_first:
        assert found_at is not None
        clock = start_clock("case_file_after_investigation", subject=case, started_at=found_at,
                            actor=actor)
        Case.objects.filter(pk=case.pk).update(filing_clock=clock)
        case.filing_clock = clock
    _record(case, "opened", actor, text=facts,
            data={"source": source, "officers": [u.pk for u in team]})
    from hangzhou_safety.audit.services import record_event

    record_event("case.opened", actor=actor, obj=case,
                 new={"case": case.pk, "source": source, "status": case.status})
    return case


@transaction.atomic
def open_case_from_hazard(hazard: Hazard, *, actor: Any, officers: Iterable[User],
                          title: str = "", is_major: bool | None = None) -> Case:
    """Open the case an escalated hidden danger calls for (the loop marks a failed
    re-check ``escalated``). The inspection's findings, the hidden-danger text, its
    order and re-check notes and the evidence files are carried into the case file as
    registered evidence; the enterprise becomes the unit party."""
    from inspections.evidence.models import Evidence, RecorderFootage

    locked = (Hazard.objects.select_for_update(of=("self",))
              .select_related("inspection__enterprise", "inspection__authority__jurisdiction")
              .get(pk=_pk(hazard)))
    inspection = locked.inspection
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理案件。", "Your role may not handle cases.")
    _require_jurisdiction(actor, inspection.authority)
    if locked.status != Hazard.Status.ESCALATED:
        raise IllegalTransition("只有复查不合格、已移交立案的隐患才能据此立案。",
                                "Only an escalated hidden danger opens a case.")
    enterprise = inspection.enterprise
    order = getattr(locked, "order", None)
    rechecks = list(locked.rechecks.order_by("id"))
    lines = [f"检查核验码：{inspection.verification_code}",
             f"隐患描述：{locked.description}"]
    if locked.legal_basis:
        lines.append(f"违反的规定：{locked.legal_basis}")
    if locked.is_major:
        lines.append(f"重大事故隐患（判定依据：{locked.major_criterion}）")
    if order is not None:
        due = f"，期限至{order.due_date:%Y-%m-%d}" if order.due_date else ""
        lines.append(f"整改指令：{order.measures}（责任人：{order.responsible_person}{due}）")
    for recheck in rechecks:
        if recheck.result:
            lines.append(f"复查：{recheck.get_result_display()}，{recheck.note}")
    case = open_case(
        actor=actor, authority=inspection.authority, source=Case.Source.HAZARD,
        title=title or f"{enterprise.name}未按要求整改事故隐患",
        officers=officers, enterprise=enterprise, facts="\n".join(lines),
        source_ref=f"检查{inspection.verification_code}",
        parties=[{"kind": PartyKind.ORGANISATION, "role": PartyRole.UNIT,
                  "name": enterprise.name, "identifier": enterprise.uscc}],
        is_major=locked.is_major if is_major is None else is_major,
        inspection=inspection, hazard=locked)
    now = _now()
    evidence = [CaseEvidence(case=case, kind=EvidenceKind.RECORD,
                             description=f"现场检查记录（{inspection.verification_code}）："
                                         f"{locked.description}",
                             source_ref=f"inspections.Hazard:{locked.pk}", collected_by=actor,
                             collected_at=now)]
    evidence += [CaseEvidence(case=case, kind=EvidenceKind.RECORD,
                              description=f"复查记录：{r.get_result_display()}，{r.note}",
                              source_ref=f"inspections.ReCheck:{r.pk}", collected_by=actor,
                              collected_at=now) for r in rechecks if r.result]
    # Photos and files of this hidden danger and of the inspection as a whole.
    files = (Evidence.objects.filter(inspection=inspection)
             .filter(Q(hazard=None) | Q(hazard=locked)).order_by("id"))
    evidence += [CaseEvidence(case=case, kind=_evidence_kind(f.kind),
                              description=f"检查证据 {f.original_name}（SHA-256 {f.sha256}）",
                              source_ref=f"inspections.Evidence:{f.pk}",
                              collected_by=actor, collected_at=now) for f in files]
    evidence += [CaseEvidence(case=case, kind=EvidenceKind.AUDIOVISUAL,
                              description=f"执法记录仪 {r.device_id} 视频 {r.file_reference}",
                              source_ref=f"inspections.RecorderFootage:{r.pk}",
                              collected_by=actor, collected_at=now)
                 for r in RecorderFootage.objects.filter(inspection=inspection).order_by("id")]
    CaseEvidence.objects.bulk_create(evidence)
    return case


def _evidence_kind(kind: str) -> str:
    """Photos and videos are audiovisual material (视听资料, Art. 46)."""
    return EvidenceKind.AUDIOVISUAL if kind in ("photo", "video") else EvidenceKind.DOCUMENTARY


@transaction.atomic
def file_case(case: Case, *, actor: Any, text: str = "") -> Case:
    """The officers submit the filing form (立案审批表) to the head; no status move."""
    locked = _lock(case)
    _require_status(locked, {S.PENDING}, "只有待立案的案件可以呈报立案", "Only a pending case")
    _require_officer(locked, actor)
    if locked.filing_submitted_at is not None:
        raise _illegal_step(locked, "立案审批表已呈报", "The filing was submitted already")
    locked.filing_submitted_at = _now()
    locked.save(update_fields=["filing_submitted_at", "updated_at"])
    _record(locked, "file_case", actor, text=text or locked.facts, document=DocumentType.FILING)
    return locked


@transaction.atomic
def approve_filing(case: Case, *, actor: Any, opinion: str = "同意立案") -> Case:
    """The head approves the filing: the 90-day decision clock starts (Art. 60)."""
    locked = _lock(case)
    now = _now()

    def guard(row: Case) -> None:
        _require_head(row, actor, "立案")
        if row.filing_submitted_at is None:
            raise InvalidInput("承办人尚未呈报立案审批表。", "The filing form was not submitted.")

    _move(locked, S.FILED, actor=actor, guard=guard,
          changes={"filed_at": now, "filing_approved_by": actor}, reason=opinion)
    _meet(locked.filing_clock_id, actor)
    clock = start_clock("decision", subject=locked, started_at=now, actor=actor)
    locked.decision_clock = clock
    locked.save(update_fields=["decision_clock", "updated_at"])
    _record(locked, "approve_filing", actor, text=opinion, document=DocumentType.FILING)
    return locked


@transaction.atomic
def decline_case(case: Case, *, actor: Any, reason: str) -> Case:
    """不予立案, with the reason (the head decides)."""
    locked = _lock(case)
    reason = _reason(reason)
    _move(locked, S.DECLINED, actor=actor, guard=lambda row: _require_head(row, actor, "不予立案"),
          changes={"outcome_reason": reason, "closed_at": _now()}, reason=reason)
    _cancel_running_clocks(locked, actor, reason)
    _record(locked, "decline_case", actor, text=reason, document=DocumentType.FILING)
    return locked
