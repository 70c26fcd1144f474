"""Enforcement cases: one service per named step of the penalty procedure.

Every step runs in a transaction, locks the case row (then a decision row, always in
that order), and moves statuses only through ``hangzhou_safety.workflow.transition``
(CASE_WORKFLOW / DECISION_WORKFLOW, audited as ``case.<status>`` /
``decision.<status>``). The table check comes first, so an illegal move is a 409
before anything else is looked at; the step's own checks run as the guard on the
locked row: role (403), jurisdiction (403 here, 404 through ``visible_to`` in the
API and pages), separation of duties (the legal reviewer, the hearing presider and
the approver of a decision are not case officers), and business preconditions. Each
step appends a ``CaseStepRecord`` naming the document type it produces. Clocks come
from the clock rule table (``start_clock``), with the case as their subject.

Moves and the one service that makes each:

- pending → filed ``approve_filing``; → declined ``decline_case``; → served
  ``summary_procedure_decision`` (当场处罚, its own short path).
- filed → investigating ``start_investigation``; investigating → review
  ``submit_investigation_report``; review → investigating ``return_for_investigation``
  or ``legal_review`` (not passed).
- review → legal_review ``legal_review`` (passed); legal_review → collective
  ``record_collective_discussion``; review / legal_review / collective → notified
  ``notify_party``; notified → hearing ``request_hearing``. In hearing, no move:
  ``schedule_hearing``, ``record_hearing``, then ``legal_review_after_hearing`` (Art.
  58: mandatory) and, for a major case, ``discussion_after_hearing``.
- notified / hearing → decided ``issue_decision``; decided → served (all decisions
  served) ``record_service``; served → executing ``start_execution`` (also taken by
  the first payment, deferral, overdue flag or demand); served / executing → closed
  ``close_case``.
- → no_penalty ``no_penalty``; → terminated ``terminate``; → revoked ``revoke``.
- decision issued → served ``record_service``; served / deferred / overdue / demanded →
  paid ``record_payment``; served → deferred ``approve_deferral``; served / deferred →
  overdue ``flag_overdue``; overdue → demanded ``send_payment_demand``; demanded →
  court ``apply_to_court``; court → enforced ``record_court_enforcement``; → revoked
  ``revoke`` (the case's decisions with it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from enforcement.grounds.models import PartyKind, ProcedureThreshold
from enforcement.grounds.selectors import procedure_threshold
from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import (
    add_working_days,
    cancel_deadline,
    clock_rule,
    extend_deadline,
    meet_deadline,
    pause_deadline,
    resume_deadline,
    start_clock,
)
from hangzhou_safety.workflow import IllegalTransition, transition, transition_many
from inspections.loop.models import Hazard

from .guards import run_close_guards
from .models import (
    CASE_WORKFLOW,
    DECISION_SETTLED,
    DECISION_WORKFLOW,
    HEARING_PENALTIES,
    Case,
    CaseEvidence,
    CaseParty,
    CaseStepRecord,
    DocumentType,
    EvidenceKind,
    PartyRole,
    PenaltyDecision,
    PenaltyKind,
    PreservationOutcome,
    ReviewReason,
)
from .money import surcharge
from .signals import decision_final, decision_revoked

S = Case.Status
DS = PenaltyDecision.Status
MIN_OFFICERS = 2
#: Who may handle a case (承办人): certified staff of the authority.
OFFICER_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER,
                 Role.MUNICIPAL_ADMIN)
#: The head of the authority (负责人): approves filing, decisions, extensions, closing.
HEAD_ROLES = (Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
#: The legal reviewer (法制审核): a section chief holding the legal qualification.
LEGAL_ROLES = (Role.SECTION_CHIEF, Role.MUNICIPAL_ADMIN)
#: Supervisors who may send a case back for more investigation.
CHIEF_ROLES = (Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
#: Statuses in which the case file may still take evidence.
EVIDENCE_STATUSES = frozenset({S.FILED, S.INVESTIGATING})
#: Only a warning or a fine may be imposed on the spot (行政处罚法 Art. 51).
SUMMARY_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})
MIN_DISCUSSION_PARTICIPANTS = 3


# --- Small helpers -------------------------------------------------------------------

def _now() -> datetime.datetime:
    return timezone.now()


def _pk(obj_or_pk: Any) -> Any:
    return getattr(obj_or_pk, "pk", obj_or_pk)


def _text(value: str, field: str, detail: str, detail_en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(detail, detail_en, fields={field: [detail]})
    return value


def _reason(reason: str) -> str:
    return _text(reason, "reason", "请填写理由。", "A reason is required.")


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput("金额格式不正确。", f"{field} is not an amount.",
                           fields={field: ["金额格式不正确。"]}) from exc
    if amount < 0 or amount >= Decimal("1e10"):
        raise InvalidInput("金额须为非负数且不超过百亿元。", f"{field} is out of range.",
                           fields={field: ["金额超出范围。"]})
    return amount


def _illegal_step(locked: Case, zh: str, en: str) -> IllegalTransition:
    return IllegalTransition(f"{zh}（当前状态：{locked.get_status_display()}）。",
                             f"{en} (current status: {locked.status}).")


def _require_status(locked: Case, allowed: Iterable[str], zh: str, en: str) -> None:
    if locked.status not in set(allowed):
        raise _illegal_step(locked, zh, en)


# --- Who may act -----------------------------------------------------------------------

def _require_role(actor: Any, roles: Sequence[str], zh: str, en: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *roles):
        raise Forbidden(zh, en)


def _require_jurisdiction(actor: Any, authority: Authority) -> None:
    path = user_scope_path(actor)
    if path is None or (path and not authority.jurisdiction.path.startswith(path)):
        raise Forbidden("该案件不在您的管辖范围内。", "The case is not within your jurisdiction.")


def _officer_ids(case: Case) -> set[int]:
    return set(case.officers.values_list("pk", flat=True))


def _require_officer(locked: Case, actor: Any) -> None:
    """Investigation steps: a case officer (承办人) of this case."""
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理案件。",
                  "Your role may not handle cases.")
    _require_jurisdiction(actor, locked.authority)
    if actor.pk not in _officer_ids(locked):
        raise Forbidden("只有本案承办人可以办理此环节。",
                        "Only the case officers may take this step.")


def _require_head(locked: Case, actor: Any, what: str = "此事项") -> None:
    """Approvals by the head of the authority, who is not a case officer of the case."""
    _require_role(actor, HEAD_ROLES, f"只有行政机关负责人可以批准{what}。",
                  "Only the head of the authority may approve this.")
    _require_jurisdiction(actor, locked.authority)
    if actor.pk in _officer_ids(locked):
        raise Forbidden("承办人不能审批本案事项（职能分离）。",
                        "A case officer may not approve the case's own steps.")


def _require_chief(locked: Case, actor: Any) -> None:
    _require_role(actor, CHIEF_ROLES, "只有科室负责人或负责人可以退回补充调查。",
                  "Only a chief may return a case for more investigation.")
    _require_jurisdiction(actor, locked.authority)


def _validate_officers(actor: Any, officers: Iterable[User], on: datetime.date) -> list[User]:
    team = list({u.pk: u for u in officers}.values())
    if len(team) < MIN_OFFICERS:
        raise InvalidInput("承办人不得少于两名。", "A case needs at least two officers.",
                           fields={"officers": ["承办人不得少于两名。"]})
    visible = set(User.objects.visible_to(actor).filter(
        pk__in=[u.pk for u in team], is_active=True, role__in=OFFICER_ROLES)
        .values_list("pk", flat=True))
    for user in team:
        if user.pk not in visible:
            raise InvalidInput("承办人不存在或不在您的管辖范围内。",
                               "Unknown or out-of-jurisdiction officer.",
                               fields={"officers": ["承办人不在您的管辖范围内。"]})
        if not user.certificate_valid_on(on):
            message = f"{user.display_name}没有有效的执法证，不能承办案件。"
            raise InvalidInput(message, "Every officer needs a valid enforcement certificate.",
                               fields={"officers": [message]})
    return team


# --- Locks, records, clocks ------------------------------------------------------------

def _lock(case: Case | int) -> Case:
    return (Case.objects.select_for_update(of=("self",))
            .select_related("authority__jurisdiction").get(pk=_pk(case)))


def _record(case: Case, step: str, actor: Any, *, text: str = "",
            document: str = DocumentType.NONE, participants: Sequence[Mapping[str, str]] = (),
            data: Mapping[str, Any] | None = None, at: datetime.datetime | None = None,
            ) -> CaseStepRecord:
    return CaseStepRecord.objects.create(
        case=case, step=step, actor=actor, actor_name=actor.display_name[:64],
        at=at or _now(), text=text, participants=list(participants), document_type=document,
        data=dict(data or {}))


def _move(case: Case, to: str, *, actor: Any, guard: Any = None,
          changes: Mapping[str, Any] | None = None, reason: str = "") -> Case:
    moved: Case = transition(CASE_WORKFLOW, case, to, actor=actor, guard=guard,
                             changes=changes, reason=reason, locked=case)
    return moved


def _meet(clock_id: int | None, actor: Any) -> None:
    if clock_id is None:
        return
    clock = Deadline.objects.get(pk=clock_id)
    if clock.status == Deadline.Status.PAUSED:
        clock = resume_deadline(clock, actor=actor, reason="环节完成")
    if clock.status == Deadline.Status.RUNNING:
        meet_deadline(clock, actor=actor)


def _cancel_running_clocks(case: Case, actor: Any, reason: str) -> None:
    ct = ContentType.objects.get_for_model(Case)
    for clock in Deadline.objects.filter(content_type=ct, object_id=str(case.pk),
                                         status__in=[Deadline.Status.RUNNING,
                                                     Deadline.Status.PAUSED]):
        cancel_deadline(clock, actor=actor, reason=reason[:200])


def _clock_expired(clock_id: int | None, at: datetime.datetime) -> bool:
    if clock_id is None:
        return True
    return Deadline.objects.get(pk=clock_id).due_at < at


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


# --- Investigation ---------------------------------------------------------------------

@transaction.atomic
def start_investigation(case: Case, *, actor: Any) -> Case:
    locked = _lock(case)
    _move(locked, S.INVESTIGATING, actor=actor, guard=lambda row: _require_officer(row, actor))
    _record(locked, "start_investigation", actor)
    return locked


@transaction.atomic
def register_evidence(case: Case, *, actor: Any, kind: str, description: str,
                      source_ref: str = "", preserved: bool = False,
                      approved_by: User | None = None) -> CaseEvidence:
    """Register an item of evidence; 先行登记保存 needs the head's approval and starts
    the 7-working-day decision clock (Art. 56)."""
    locked = _lock(case)
    allowed = set(EVIDENCE_STATUSES) | ({S.PENDING} if locked.investigated_first else set())
    _require_status(locked, allowed, "当前环节不能登记证据", "Evidence cannot be registered now")
    _require_officer(locked, actor)
    if kind not in EvidenceKind.values:
        raise InvalidInput("证据种类无效。", "Unknown evidence kind.", fields={"kind": ["无效"]})
    description = _text(description, "description", "请填写证据内容。", "A description is needed.")
    if preserved:
        if approved_by is None:
            raise InvalidInput("先行登记保存须经行政机关负责人批准。",
                               "Preservation needs the head's approval.",
                               fields={"approved_by": ["请选择批准的负责人。"]})
        _require_head(locked, approved_by, "先行登记保存")
    now = _now()
    item = CaseEvidence.objects.create(
        case=locked, kind=kind, description=description, source_ref=source_ref[:100],
        collected_by=actor, collected_at=now, preserved=preserved,
        preservation_approved_by=approved_by if preserved else None)
    if preserved:
        item.preservation_clock = start_clock("evidence_preservation_decision", subject=locked,
                                              started_at=now, actor=actor)
        item.save(update_fields=["preservation_clock"])
    _record(locked, "register_evidence", actor, text=description,
            document=DocumentType.PRESERVATION if preserved else DocumentType.EVIDENCE_LIST,
            data={"evidence": item.pk, "kind": kind, "preserved": preserved})
    return item


@transaction.atomic
def decide_preserved_evidence(evidence: CaseEvidence, *, actor: Any, outcome: str,
                              note: str = "") -> CaseEvidence:
    """The decision on preserved evidence, within 7 working days (the head decides)."""
    case_id = CaseEvidence.objects.values_list("case_id", flat=True).get(pk=_pk(evidence))
    locked = _lock(case_id)
    item = CaseEvidence.objects.select_for_update().get(pk=_pk(evidence))
    _require_head(locked, actor, "登记保存证据的处理")
    if not item.preserved or item.preservation_outcome:
        raise IllegalTransition("该证据未先行登记保存或已作出处理决定。",
                                "The evidence is not preserved or was decided already.")
    if outcome not in PreservationOutcome.values:
        raise InvalidInput("处理决定无效。", "Unknown outcome.", fields={"outcome": ["无效"]})
    item.preservation_outcome, item.preservation_decided_at = outcome, _now()
    item.save(update_fields=["preservation_outcome", "preservation_decided_at"])
    _meet(item.preservation_clock_id, actor)
    _record(locked, "decide_preserved_evidence", actor, text=note,
            document=DocumentType.PRESERVATION_DECISION,
            data={"evidence": item.pk, "outcome": outcome})
    return item


@transaction.atomic
def submit_investigation_report(case: Case, *, actor: Any, report: str,
                                proposed_handling: str) -> Case:
    """调查终结: the investigation report and the proposed handling go to 案件审理."""
    locked = _lock(case)
    report = _text(report, "report", "请填写案件调查报告。", "The report is required.")
    handling = _text(proposed_handling, "proposed_handling", "请填写处理意见。",
                     "The proposed handling is required.")

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if not row.evidence.exists():
            raise InvalidInput("案件尚无登记的证据。", "The case has no registered evidence.")
        if not row.parties.exists():
            raise InvalidInput("案件尚无当事人。", "The case has no party.")
        if row.evidence.filter(preserved=True, preservation_outcome="").exists():
            raise InvalidInput("尚有先行登记保存的证据未作出处理决定。",
                               "Preserved evidence awaits its decision.")

    _move(locked, S.REVIEW, actor=actor, guard=guard,
          changes={"investigation_report": report, "proposed_handling": handling})
    _record(locked, "submit_investigation_report", actor, text=report,
            document=DocumentType.INVESTIGATION_REPORT, data={"proposed_handling": handling})
    return locked


@transaction.atomic
def return_for_investigation(case: Case, *, actor: Any, reason: str) -> Case:
    locked = _lock(case)
    reason = _reason(reason)
    _move(locked, S.INVESTIGATING, actor=actor, guard=lambda row: _require_chief(row, actor),
          reason=reason)
    _record(locked, "return_for_investigation", actor, text=reason)
    return locked


# --- Review, discussion, notice, hearing ---------------------------------------------

def _require_legal_reviewer(row: Case, actor: Any) -> None:
    _require_role(actor, LEGAL_ROLES, "只有法制审核人员可以进行法制审核。",
                  "Only a legal reviewer may review.")
    _require_jurisdiction(actor, row.authority)
    if not (actor.legal_qualification or actor.is_superuser):
        raise Forbidden("法制审核人员须具备法律职业资格。",
                        "The legal reviewer must hold the legal qualification.")
    if actor.pk in _officer_ids(row) or row.evidence.filter(collected_by=actor).exists():
        raise Forbidden("参与调查的人员不能进行法制审核（职能分离）。",
                        "Whoever investigated may not review the case.")


@transaction.atomic
def legal_review(case: Case, *, actor: Any, passed: bool, opinion: str) -> Case:
    """法制审核 (Art. 58) of the case under 案件审理: passed → legal_review; not passed →
    back to investigation, with the opinion."""
    locked = _lock(case)
    opinion = _text(opinion, "opinion", "请填写法制审核意见。", "An opinion is required.")
    changes = {"legal_reviewer": actor, "legal_review_opinion": opinion,
               "legal_reviewed_at": _now()}
    _move(locked, S.LEGAL_REVIEW if passed else S.INVESTIGATING, actor=actor,
          guard=lambda row: _require_legal_reviewer(row, actor),
          changes=changes if passed else None, reason=opinion)
    _record(locked, "legal_review", actor, text=opinion, document=DocumentType.LEGAL_REVIEW,
            data={"passed": passed})
    return locked


@transaction.atomic
def legal_review_after_hearing(case: Case, *, actor: Any, opinion: str) -> Case:
    """The legal review that a hearing makes mandatory (Art. 58 (二)); no status move."""
    locked = _lock(case)
    _require_status(locked, {S.HEARING}, "只有听证中的案件可以进行听证后法制审核",
                    "Only a case in hearing")
    _require_legal_reviewer(locked, actor)
    if locked.hearing_held_at is None:
        raise InvalidInput("听证尚未举行完毕。", "The hearing has not been held yet.")
    opinion = _text(opinion, "opinion", "请填写法制审核意见。", "An opinion is required.")
    locked.legal_reviewer, locked.legal_review_opinion = actor, opinion
    locked.legal_reviewed_at = _now()
    locked.save(update_fields=["legal_reviewer", "legal_review_opinion", "legal_reviewed_at",
                               "updated_at"])
    _record(locked, "legal_review_after_hearing", actor, text=opinion,
            document=DocumentType.LEGAL_REVIEW)
    return locked


def _participants(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    out = [{"name": str(r.get("name", "")).strip()[:64],
            "position": str(r.get("position", "")).strip()[:64]} for r in rows]
    if len(out) < MIN_DISCUSSION_PARTICIPANTS or any(not r["name"] for r in out):
        raise InvalidInput(f"集体讨论须记录至少{MIN_DISCUSSION_PARTICIPANTS}名参加人员的姓名。",
                           "A collective discussion records at least three participants.",
                           fields={"participants": ["参加人员不足。"]})
    return out


@transaction.atomic
def record_collective_discussion(case: Case, *, actor: Any,
                                 participants: Iterable[Mapping[str, Any]],
                                 conclusion: str) -> Case:
    """集体讨论 of a major or complex case by the authority's heads (Art. 57 ¶2), after
    the legal review."""
    locked = _lock(case)
    people = _participants(participants)
    conclusion = _text(conclusion, "conclusion", "请填写讨论结论。", "A conclusion is required.")
    _move(locked, S.COLLECTIVE, actor=actor,
          guard=lambda row: _require_head(row, actor, "集体讨论记录"),
          changes={"discussed_at": _now()}, reason=conclusion)
    _record(locked, "record_collective_discussion", actor, text=conclusion,
            participants=people, document=DocumentType.COLLECTIVE)
    return locked


@transaction.atomic
def discussion_after_hearing(case: Case, *, actor: Any,
                             participants: Iterable[Mapping[str, Any]],
                             conclusion: str) -> Case:
    """A major case is discussed again after its hearing and legal review; no move."""
    locked = _lock(case)
    _require_status(locked, {S.HEARING}, "只有听证中的案件可以进行听证后集体讨论",
                    "Only a case in hearing")
    _require_head(locked, actor, "集体讨论记录")
    people = _participants(participants)
    conclusion = _text(conclusion, "conclusion", "请填写讨论结论。", "A conclusion is required.")
    if locked.hearing_held_at is None or locked.legal_reviewed_at is None or (
            locked.legal_reviewed_at < locked.hearing_held_at):
        raise InvalidInput("听证后须先经法制审核。", "Legal review follows the hearing first.")
    locked.discussed_at = _now()
    locked.save(update_fields=["discussed_at", "updated_at"])
    _record(locked, "discussion_after_hearing", actor, text=conclusion, participants=people,
            document=DocumentType.COLLECTIVE)
    return locked


def _proposals(case: Case, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    parties = {p.pk: p for p in case.parties.all()}
    out: list[dict[str, Any]] = []
    for row in rows:
        try:
            party_id = int(row.get("party"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            party_id = -1
        if party_id not in parties:
            raise InvalidInput("拟处罚的当事人不属于本案。", "The party is not one of the case's.",
                               fields={"penalties": ["当事人不属于本案。"]})
        kinds = list(dict.fromkeys(row.get("kinds") or []))
        if not kinds or any(k not in PenaltyKind.values for k in kinds):
            raise InvalidInput("处罚种类无效。", "Unknown penalty kind.",
                               fields={"penalties": ["处罚种类无效。"]})
        fine = _money(row.get("fine_amount", 0), "fine_amount")
        if (PenaltyKind.FINE in kinds) != (fine > 0):
            raise InvalidInput("罚款须填写金额，未选罚款不得填写金额。",
                               "A fine needs an amount, and only a fine has one.",
                               fields={"penalties": ["罚款金额与处罚种类不符。"]})
        out.append({"party": party_id, "kinds": kinds, "fine_amount": str(fine),
                    "party_kind": parties[party_id].kind})
    if not out or len({r["party"] for r in out}) != len(out):
        raise InvalidInput("请为每名当事人填写一次拟处罚内容。",
                           "One proposal per party is required.",
                           fields={"penalties": ["拟处罚内容不完整。"]})
    return out


def hearing_right(proposals: Iterable[Mapping[str, Any]], on: datetime.date) -> bool:
    """The right to a hearing (Art. 63): a fine reaching the 较大数额 threshold for that
    kind of party (a rule row), or suspension, revocation, closure or a ban."""
    for row in proposals:
        if set(row["kinds"]) & HEARING_PENALTIES:
            return True
        fine = Decimal(row["fine_amount"])
        if fine > 0:
            threshold = procedure_threshold(ProcedureThreshold.Code.LARGE_FINE_MIN,
                                            party_kind=row["party_kind"], on=on)
            if fine >= threshold.amount:
                return True
    return False


@transaction.atomic
def notify_party(case: Case, *, actor: Any, penalties: Iterable[Mapping[str, Any]],
                 facts: str = "") -> Case:
    """告知 (Art. 44): the proposed penalty, facts, reasons and rights. Starts the
    statement clock and, when the party has the right, the hearing-request clock."""
    locked = _lock(case)
    now = _now()
    proposals: list[dict[str, Any]] = []

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if row.notified_at is not None:
            raise _illegal_step(row, "已经告知", "The party was notified already")
        if row.status == S.REVIEW and row.legal_review_required:
            raise InvalidInput("本案须先经法制审核。", "The case needs its legal review first.")
        if row.is_major and row.discussed_at is None:
            raise InvalidInput("重大案件须先经集体讨论。", "A major case needs its collective "
                               "discussion first.")
        proposals.extend(_proposals(row, penalties))

    def values(row: Case) -> dict[str, Any]:
        return {"notified_at": now, "proposed_penalties": proposals,
                "hearing_right": hearing_right(proposals, local_date(now))}

    # The guard fills the proposals, the changes read them: both run on the locked row.
    moved: Case = transition(CASE_WORKFLOW, locked, S.NOTIFIED, actor=actor, guard=guard,
                             changes=values, locked=locked)
    moved.statement_clock = start_clock("statement_defence", subject=moved, started_at=now,
                                        actor=actor)
    fields = ["statement_clock"]
    if moved.hearing_right:
        moved.hearing_request_clock = start_clock("hearing_request", subject=moved,
                                                  started_at=now, actor=actor)
        fields.append("hearing_request_clock")
    moved.save(update_fields=[*fields, "updated_at"])
    document = (DocumentType.HEARING_NOTICE if moved.hearing_right
                else DocumentType.PRIOR_NOTICE)
    _record(moved, "notify_party", actor, text=facts or moved.proposed_handling,
            document=document,
            data={"penalties": proposals, "hearing_right": moved.hearing_right})
    return moved


@transaction.atomic
def record_statement(case: Case, *, actor: Any, statement: str = "",
                     waived: bool = False) -> Case:
    """The party's statement and defence (陈述申辩笔录), or their explicit waiver of it
    and of the hearing."""
    locked = _lock(case)
    _require_status(locked, {S.NOTIFIED}, "只有已告知的案件可以记录陈述申辩",
                    "Only a notified case takes a statement")
    _require_officer(locked, actor)
    if not waived:
        statement = _text(statement, "statement", "请填写陈述申辩内容。", "The statement is empty.")
    locked.statement_recorded_at, locked.defence_waived = _now(), waived
    locked.save(update_fields=["statement_recorded_at", "defence_waived", "updated_at"])
    _meet(locked.statement_clock_id, actor)
    if waived:
        _meet(locked.hearing_request_clock_id, actor)
    _record(locked, "record_statement", actor, text=statement or "当事人明确放弃陈述申辩和听证",
            document=DocumentType.STATEMENT, data={"waived": waived})
    return locked


@transaction.atomic
def request_hearing(case: Case, *, actor: Any, at: datetime.datetime | None = None) -> Case:
    """The party asks for a hearing within 5 working days of the notice (Art. 64).
    The decision clock stops while the hearing runs (Art. 60)."""
    locked = _lock(case)
    at = at or _now()

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if not row.hearing_right:
            raise InvalidInput("本案拟作出的处罚不属于听证范围。",
                               "The proposed penalty carries no hearing right.")
        if row.defence_waived or _clock_expired(row.hearing_request_clock_id, at):
            raise InvalidInput("听证申请期限已过或当事人已放弃听证。",
                               "The hearing-request period is over or was waived.")

    _move(locked, S.HEARING, actor=actor, guard=guard, changes={"hearing_requested_at": at})
    _meet(locked.hearing_request_clock_id, actor)
    if locked.decision_clock_id is not None:
        pause_deadline(Deadline.objects.get(pk=locked.decision_clock_id), actor=actor,
                       reason="当事人申请听证，听证时间不计入办案期限", at=at)
    _record(locked, "request_hearing", actor, at=at)
    return locked


@transaction.atomic
def schedule_hearing(case: Case, *, actor: Any, hearing_at: datetime.datetime,
                     presider: User) -> Case:
    """The hearing notice goes out at least 7 working days ahead; the presider is not a
    case officer (Art. 64)."""
    locked = _lock(case)
    _require_status(locked, {S.HEARING}, "只有申请听证的案件可以安排听证",
                    "Only a case with a hearing request")
    _require_officer(locked, actor)
    if locked.hearing_held_at is not None:
        raise _illegal_step(locked, "听证已举行", "The hearing was held already")
    if timezone.is_naive(hearing_at):
        raise InvalidInput("听证时间须带时区。", "hearing_at must be aware.")
    ahead = clock_rule("hearing_notice_ahead").amount
    earliest = add_working_days(timezone.localdate(), ahead).due
    if local_date(hearing_at) < earliest:
        message = f"听证须在通知后至少{ahead}个工作日举行（最早{earliest:%Y-%m-%d}）。"
        raise InvalidInput(message, f"The hearing must be at least {ahead} working days ahead.",
                           fields={"hearing_at": [message]})
    if presider.pk in _officer_ids(locked) or not User.objects.visible_to(actor).filter(
            pk=presider.pk, is_active=True).exists():
        raise InvalidInput("听证主持人须为本案承办人以外的本机关人员。",
                           "The presider must be staff other than the case officers.",
                           fields={"presider": ["听证主持人不能是承办人。"]})
    locked.hearing_at, locked.hearing_presider = hearing_at, presider
    locked.save(update_fields=["hearing_at", "hearing_presider", "updated_at"])
    _record(locked, "schedule_hearing", actor, document=DocumentType.HEARING_SUMMONS,
            data={"hearing_at": hearing_at.isoformat(), "presider": presider.pk})
    return locked


@transaction.atomic
def record_hearing(case: Case, *, actor: Any, record: str,
                   participants: Iterable[Mapping[str, Any]],
                   held_at: datetime.datetime | None = None) -> Case:
    """The hearing record (听证笔录), by the presider; the decision clock runs again and
    legal review becomes mandatory."""
    locked = _lock(case)
    held_at = held_at or _now()
    _require_status(locked, {S.HEARING}, "只有听证中的案件可以记录听证", "Only a case in hearing")
    if locked.hearing_at is None or locked.hearing_held_at is not None:
        raise _illegal_step(locked, "听证尚未安排或已记录", "The hearing is not scheduled or done")
    if actor is None or getattr(actor, "pk", None) != locked.hearing_presider_id:
        raise Forbidden("听证笔录由听证主持人记录。", "The presider records the hearing.")
    record = _text(record, "record", "请填写听证笔录。", "The hearing record is empty.")
    people = [{"name": str(p.get("name", ""))[:64], "position": str(p.get("position", ""))[:64]}
              for p in participants]
    locked.hearing_held_at = held_at
    reasons = list(dict.fromkeys([*locked.review_reasons, ReviewReason.AFTER_HEARING]))
    locked.review_reasons = reasons
    locked.save(update_fields=["hearing_held_at", "review_reasons", "updated_at"])
    clock = (Deadline.objects.filter(pk=locked.decision_clock_id).first()
             if locked.decision_clock_id else None)
    if clock is not None and clock.status == Deadline.Status.PAUSED:
        resume_deadline(clock, actor=actor, reason="听证结束，恢复计算办案期限", at=held_at)
    _record(locked, "record_hearing", actor, text=record, participants=people,
            document=DocumentType.HEARING_RECORD)
    return locked


@transaction.atomic
def extend_decision_period(case: Case, *, actor: Any, days: int, reason: str) -> Case:
    """An approved extension of the decision period, recorded (案件延期审批表)."""
    locked = _lock(case)
    reason = _reason(reason)
    open_statuses = set(S.values) - {S.PENDING, S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED,
                                     S.DECLINED, S.NO_PENALTY, S.TERMINATED, S.REVOKED}
    _require_status(locked, open_statuses, "只有办理中尚未决定的案件可以延长期限",
                    "Only an open, undecided case")
    _require_head(locked, actor, "延长办案期限")
    if locked.decision_clock_id is None:
        raise _illegal_step(locked, "案件没有办案期限", "The case has no decision clock")
    clock = extend_deadline(Deadline.objects.get(pk=locked.decision_clock_id), by=days,
                            actor=actor, reason=reason)
    _record(locked, "extend_decision_period", actor, text=reason, document=DocumentType.EXTENSION,
            data={"days": days, "due_date": str(clock.due_date)})
    return locked


# --- Decision, service, execution ------------------------------------------------------

def _heavier(decided: Mapping[str, Any], proposed: Mapping[str, Any]) -> bool:
    return (not set(decided["kinds"]) <= set(proposed["kinds"])
            or Decimal(decided["fine_amount"]) > Decimal(proposed["fine_amount"]))


@transaction.atomic
def issue_decision(case: Case, *, actor: Any, penalties: Iterable[Mapping[str, Any]],
                   basis: str) -> Case:
    """行政处罚决定 by the head, one per party, never heavier than notified (Art. 45),
    only after the notice and the end of the statement (and hearing) periods, the
    mandatory legal review and, for a major case, the collective discussion."""
    locked = _lock(case)
    basis = _text(basis, "basis", "请填写处罚依据。", "The legal basis is required.")
    now = _now()
    rows: list[dict[str, Any]] = []

    def guard(row: Case) -> None:
        _require_head(row, actor, "行政处罚决定")
        if row.notified_at is None:
            raise InvalidInput("未经告知不得作出处罚决定。", "No decision without the notice.")
        if not (row.statement_recorded_at or _clock_expired(row.statement_clock_id, now)):
            raise InvalidInput("陈述申辩期尚未届满。", "The statement period is still running.")
        if row.hearing_right and not row.defence_waived and row.hearing_requested_at is None \
                and not _clock_expired(row.hearing_request_clock_id, now):
            raise InvalidInput("听证申请期尚未届满。", "The hearing-request period is running.")
        if row.hearing_requested_at and row.hearing_held_at is None:
            raise InvalidInput("听证尚未举行。", "The hearing has not been held.")
        reviewed_after = row.hearing_held_at or row.created_at
        if row.legal_review_required and (row.legal_reviewed_at is None
                                          or row.legal_reviewed_at < reviewed_after):
            raise InvalidInput("本案须经法制审核后方可决定。", "The legal review is missing.")
        if row.is_major and (row.discussed_at is None or (
                row.hearing_held_at and row.discussed_at < row.hearing_held_at)):
            raise InvalidInput("重大案件须经集体讨论后方可决定。",
                               "A major case needs its collective discussion.")
        rows.extend(_proposals(row, penalties))
        proposed = {p["party"]: p for p in row.proposed_penalties}
        for decided in rows:
            prior = proposed.get(decided["party"])
            if prior is None or _heavier(decided, prior):
                raise InvalidInput("处罚决定不得重于告知的拟处罚内容。",
                                   "The decision may not be heavier than notified.",
                                   fields={"penalties": ["不得重于告知内容。"]})

    _move(locked, S.DECIDED, actor=actor, guard=guard, changes={"decided_at": now})
    _meet(locked.decision_clock_id, actor)
    for row in rows:
        decision = PenaltyDecision.objects.create(
            case=locked, party_id=row["party"], kinds=row["kinds"],
            fine_amount=Decimal(row["fine_amount"]), basis=basis, approved_by=actor,
            issued_at=now)
        decision.service_clock = start_clock("service", subject=locked, started_at=now,
                                             actor=actor)
        decision.save(update_fields=["service_clock", "updated_at"])
    _record(locked, "issue_decision", actor, text=basis, document=DocumentType.DECISION,
            data={"penalties": rows})
    return locked


def _lock_decision(decision: PenaltyDecision | int) -> tuple[Case, PenaltyDecision]:
    case_id = PenaltyDecision.objects.values_list("case_id", flat=True).get(pk=_pk(decision))
    case = _lock(case_id)
    locked = PenaltyDecision.objects.select_for_update().select_related("party").get(
        pk=_pk(decision))
    locked.case = case
    return case, locked


def _move_decision(locked: PenaltyDecision, to: str, *, actor: Any, guard: Any = None,
                   changes: Any = None, reason: str = "") -> PenaltyDecision:
    moved: PenaltyDecision = transition(DECISION_WORKFLOW, locked, to, actor=actor,
                                        guard=guard, changes=changes, reason=reason,
                                        locked=locked)
    return moved


def _into_execution(case: Case, actor: Any) -> None:
    """The first execution step moves a served case into 执行."""
    if case.status == S.SERVED:
        _move(case, S.EXECUTING, actor=actor)


@transaction.atomic
def start_execution(case: Case, *, actor: Any, note: str = "") -> Case:
    """执行 begins (for example the supervision of a suspension order)."""
    locked = _lock(case)
    _move(locked, S.EXECUTING, actor=actor, guard=lambda row: _require_case_staff(row, actor),
          reason=note)
    _record(locked, "start_execution", actor, text=note)
    return locked


def _require_case_staff(case: Case, actor: Any) -> None:
    """Service and payment are recorded by an officer or the head of the authority."""
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理案件。", "Your role may not handle cases.")
    _require_jurisdiction(actor, case.authority)
    if actor.pk not in _officer_ids(case) and not actor.has_role(*HEAD_ROLES):
        raise Forbidden("只有本案承办人或负责人可以办理此环节。",
                        "Only the case officers or the head may take this step.")


def _serve(case: Case, locked: PenaltyDecision, *, actor: Any, method: str,
           served_at: datetime.datetime, note: str) -> PenaltyDecision:
    def guard(row: PenaltyDecision) -> None:
        _require_case_staff(case, actor)
        if method not in PenaltyDecision.ServiceMethod.values:
            raise InvalidInput("送达方式无效。", "Unknown service method.",
                               fields={"method": ["无效"]})
        if method in ("announcement", "left", "electronic") and not note.strip():
            raise InvalidInput("公告、留置或电子送达须写明情况（公告载体、见证人或当事人同意）。",
                               "Announcement, left or electronic service needs a note.",
                               fields={"note": ["请写明送达情况。"]})
        if timezone.is_naive(served_at) or served_at > _now() or served_at < row.issued_at:
            raise InvalidInput("送达时间须在决定之后且不晚于现在。",
                               "served_at must lie between the decision and now.",
                               fields={"served_at": ["送达时间无效。"]})

    moved = _move_decision(locked, DS.SERVED, actor=actor, guard=guard, changes={
        "served_at": served_at, "service_method": method, "service_note": note.strip()[:200]})
    _meet(moved.service_clock_id, actor)
    if moved.has_money:
        clock = start_clock("payment", subject=case, started_at=served_at, actor=actor)
        moved.payment_clock, moved.payment_due = clock, clock.due_date
        moved.save(update_fields=["payment_clock", "payment_due", "updated_at"])
    # 行政处罚决定书 takes effect on service (送达): the violation base records it.
    decision_final.send(sender=PenaltyDecision, decision=moved, actor=actor)
    return moved


@transaction.atomic
def record_service(decision: PenaltyDecision, *, actor: Any, method: str,
                   served_at: datetime.datetime | None = None, note: str = "") -> PenaltyDecision:
    """送达回执: the payment period runs from service; the case is served once every
    decision is."""
    case, locked = _lock_decision(decision)
    moved = _serve(case, locked, actor=actor, method=method, served_at=served_at or _now(),
                   note=note)
    if case.status == S.DECIDED and not case.decisions.filter(status=DS.ISSUED).exists():
        _move(case, S.SERVED, actor=actor)
    _record(case, "record_service", actor, text=note, document=DocumentType.SERVICE,
            data={"decision": moved.pk, "method": method})
    return moved


def amount_due(decision: PenaltyDecision, on: datetime.date) -> tuple[Decimal, Decimal]:
    """(outstanding fine and confiscation, late fee) owed on ``on``."""
    principal = decision.fine_amount + decision.confiscation_amount - decision.paid_amount
    due_date = decision.deferred_until or decision.payment_due
    fee = surcharge(decision.fine_amount, due_date, on) if due_date else Decimal("0.00")
    return max(principal, Decimal("0.00")), fee


@transaction.atomic
def record_payment(decision: PenaltyDecision, *, actor: Any, amount: Any,
                   paid_at: datetime.datetime | None = None) -> PenaltyDecision:
    """A payment (receipt). The whole fine plus any late fee settles the decision; an
    instalment of a deferred decision is recorded without settling it."""
    case, locked = _lock_decision(decision)
    paid_at = paid_at or _now()
    value = _money(amount, "amount")
    principal, fee = amount_due(locked, local_date(paid_at))
    settles = value >= principal + fee
    if not settles:
        if locked.status != DS.DEFERRED or not locked.instalments:
            if not DECISION_WORKFLOW.allowed(locked.status, DS.PAID):
                raise DECISION_WORKFLOW.illegal(locked.status, DS.PAID)
            raise InvalidInput(f"应缴{principal + fee}元（含加处罚款{fee}元），缴款不足。",
                               "The payment does not cover the fine and the late fee.",
                               fields={"amount": ["缴款不足。"]})
        _require_case_staff(case, actor)
        locked.paid_amount += value
        locked.save(update_fields=["paid_amount", "updated_at"])
        _into_execution(case, actor)
        _record(case, "record_payment", actor, data={"decision": locked.pk, "amount": str(value)})
        return locked
    moved = _move_decision(locked, DS.PAID, actor=actor,
                           guard=lambda _row: _require_case_staff(case, actor),
                           changes={"paid_amount": locked.paid_amount + value - fee,
                                    "surcharge": fee, "paid_at": paid_at})
    _meet(moved.payment_clock_id, actor)
    _meet(moved.demand_clock_id, actor)
    _into_execution(case, actor)
    _record(case, "record_payment", actor,
            data={"decision": moved.pk, "amount": str(value), "surcharge": str(fee)})
    return moved


@transaction.atomic
def approve_deferral(decision: PenaltyDecision, *, actor: Any, until: datetime.date,
                     reason: str, instalments: Sequence[Mapping[str, Any]] = ()
                     ) -> PenaltyDecision:
    """延期或分期缴纳 on the party's application, approved by the head (Art. 66)."""
    case, locked = _lock_decision(decision)
    reason = _reason(reason)
    plan: list[dict[str, str]] = []

    def guard(row: PenaltyDecision) -> None:
        _require_head(case, actor, "延期（分期）缴纳罚款")
        if not row.fine_amount:
            raise InvalidInput("该决定没有罚款。", "The decision has no fine.")
        if row.payment_due is None or until <= row.payment_due:
            raise InvalidInput("延期后的期限须晚于原缴款期限。",
                               "The deferral must end after the payment deadline.",
                               fields={"until": ["须晚于原缴款期限。"]})
        total = Decimal("0")
        for item in instalments:
            day = datetime.date.fromisoformat(str(item.get("due")))
            money = _money(item.get("amount"), "instalments")
            if day > until:
                raise InvalidInput("分期期限不得晚于延期期限。", "An instalment falls after the "
                                   "deferral.", fields={"instalments": ["分期期限有误。"]})
            total += money
            plan.append({"due": day.isoformat(), "amount": str(money)})
        if plan and total != row.fine_amount:
            raise InvalidInput("分期金额之和须等于罚款数额。",
                               "The instalments must add up to the fine.",
                               fields={"instalments": ["分期金额之和不等于罚款。"]})

    moved = _move_decision(locked, DS.DEFERRED, actor=actor, guard=guard, reason=reason,
                           changes=lambda _row: {"deferred_until": until, "instalments": plan})
    clock = (Deadline.objects.filter(pk=moved.payment_clock_id).first()
             if moved.payment_clock_id else None)
    if clock is not None and clock.status == Deadline.Status.RUNNING:
        cancel_deadline(clock, actor=actor, reason="批准延期（分期）缴纳")
    _into_execution(case, actor)
    _record(case, "approve_deferral", actor, text=reason,
            document=DocumentType.DEFERRAL_APPROVAL,
            data={"decision": moved.pk, "until": until.isoformat(), "instalments": plan})
    return moved


@transaction.atomic
def flag_overdue(decision: PenaltyDecision, *, actor: Any = None,
                 on: datetime.date | None = None) -> PenaltyDecision:
    """Past the payment (or deferral) deadline without full payment."""
    case, locked = _lock_decision(decision)
    on = on or timezone.localdate()

    def guard(row: PenaltyDecision) -> None:
        due = row.deferred_until or row.payment_due
        if due is None or on <= due:
            raise InvalidInput("缴款期限尚未届满。", "The payment period is still running.")

    moved = _move_decision(locked, DS.OVERDUE, actor=actor, guard=guard)
    _into_execution(case, actor)
    return moved


@transaction.atomic
def send_payment_demand(decision: PenaltyDecision, *, actor: Any, note: str = ""
                        ) -> PenaltyDecision:
    """催告 in writing before any application to the court (行政强制法 Art. 35, 54)."""
    case, locked = _lock_decision(decision)
    now = _now()
    moved = _move_decision(locked, DS.DEMANDED, actor=actor,
                           guard=lambda _row: _require_case_staff(case, actor),
                           changes={"demanded_at": now})
    moved.demand_clock = start_clock("payment_demand", subject=case, started_at=now, actor=actor)
    moved.save(update_fields=["demand_clock", "updated_at"])
    _record(case, "send_payment_demand", actor, text=note, document=DocumentType.DEMAND_NOTICE,
            data={"decision": moved.pk})
    return moved


@transaction.atomic
def apply_to_court(decision: PenaltyDecision, *, actor: Any, note: str = "") -> PenaltyDecision:
    """申请人民法院强制执行, by the head, once the demand period has run out."""
    case, locked = _lock_decision(decision)
    now = _now()

    def guard(row: PenaltyDecision) -> None:
        _require_head(case, actor, "申请强制执行")
        if not _clock_expired(row.demand_clock_id, now):
            raise InvalidInput("催告书送达十日后方可申请强制执行。",
                               "The demand period has not run out yet.")

    moved = _move_decision(locked, DS.COURT, actor=actor, guard=guard,
                           changes={"court_applied_at": now})
    _record(case, "apply_to_court", actor, text=note, document=DocumentType.COURT,
            data={"decision": moved.pk})
    return moved


@transaction.atomic
def record_court_enforcement(decision: PenaltyDecision, *, actor: Any, note: str
                             ) -> PenaltyDecision:
    case, locked = _lock_decision(decision)
    note = _text(note, "note", "请填写执行情况。", "A note on the enforcement is required.")
    moved = _move_decision(locked, DS.ENFORCED, actor=actor,
                           guard=lambda _row: _require_case_staff(case, actor),
                           changes={"enforced_at": _now()}, reason=note)
    _record(case, "record_court_enforcement", actor, text=note, data={"decision": moved.pk})
    return moved


def decision_settled(decision: PenaltyDecision) -> bool:
    return decision.status in DECISION_SETTLED or (
        decision.status == DS.SERVED and not decision.has_money)


@transaction.atomic
def close_case(case: Case, *, actor: Any, note: str = "执行完毕") -> Case:
    """结案 once every decision is executed (paid, enforced, revoked, or served with
    nothing to pay)."""
    locked = _lock(case)

    def guard(row: Case) -> None:
        _require_head(row, actor, "结案")
        if any(not decision_settled(d) for d in row.decisions.all()):
            raise InvalidInput("尚有处罚决定未执行完毕。", "A decision is not executed yet.")
        run_close_guards(row, actor)  # higher sub-packages (transfers) may refuse

    _move(locked, S.CLOSED, actor=actor, guard=guard, changes={"closed_at": _now()}, reason=note)
    _record(locked, "close_case", actor, text=note, document=DocumentType.CLOSING)
    return locked


# --- Other endings ---------------------------------------------------------------------

@transaction.atomic
def no_penalty(case: Case, *, actor: Any, ground: str, reason: str) -> Case:
    """不予处罚 (Art. 33, 57): 首违不罚, minor and corrected, no fault, not established."""
    locked = _lock(case)
    reason = _reason(reason)

    def guard(row: Case) -> None:
        _require_head(row, actor, "不予处罚")
        if ground not in Case.NoPenaltyGround.values:
            raise InvalidInput("不予处罚理由无效。", "Unknown ground.", fields={"ground": ["无效"]})

    _move(locked, S.NO_PENALTY, actor=actor, guard=guard, reason=reason,
          changes={"no_penalty_ground": ground, "outcome_reason": reason, "closed_at": _now()})
    _cancel_running_clocks(locked, actor, reason)
    _record(locked, "no_penalty", actor, text=reason, document=DocumentType.HANDLING,
            data={"ground": ground})
    return locked


@transaction.atomic
def terminate(case: Case, *, actor: Any, reason: str) -> Case:
    """终止 (the party died or was dissolved with nothing left to enforce, ...)."""
    locked = _lock(case)
    reason = _reason(reason)
    _move(locked, S.TERMINATED, actor=actor, guard=lambda row: _require_head(row, actor, "终止"),
          changes={"outcome_reason": reason, "closed_at": _now()}, reason=reason)
    _cancel_running_clocks(locked, actor, reason)
    _record(locked, "terminate", actor, text=reason, document=DocumentType.TERMINATION)
    return locked


@transaction.atomic
def revoke(case: Case, *, actor: Any, reason: str) -> Case:
    """撤销 a decided case and all its decisions (a decision that can no longer be
    revoked, such as one enforced by the court, refuses the whole step)."""
    locked = _lock(case)
    reason = _reason(reason)

    def guard(row: Case) -> None:
        _require_head(row, actor, "撤销")
        for decision in row.decisions.all():
            if decision.status != DS.REVOKED and not DECISION_WORKFLOW.allowed(
                    decision.status, DS.REVOKED):
                raise DECISION_WORKFLOW.illegal(decision.status, DS.REVOKED)

    _move(locked, S.REVOKED, actor=actor, guard=guard,
          changes={"outcome_reason": reason, "closed_at": _now()}, reason=reason)
    revoked = transition_many(DECISION_WORKFLOW, PenaltyDecision.objects.filter(case=locked),
                              DS.REVOKED, actor=actor, reason=reason,
                              subject_related=("case__authority__jurisdiction",))
    decision_revoked.send(sender=PenaltyDecision, decision_ids=[d.pk for d in revoked],
                          actor=actor, reason=reason)
    _cancel_running_clocks(locked, actor, reason)
    _record(locked, "revoke", actor, text=reason, document=DocumentType.TERMINATION)
    return locked


# --- The summary procedure ------------------------------------------------------------

@transaction.atomic
def summary_procedure_decision(case: Case, *, actor: Any, party: CaseParty, kinds: Sequence[str],
                              fine_amount: Any = 0, basis: str, facts: str = "") -> Case:
    """当场处罚 (Art. 51–52): facts certain, a warning or a fine up to the threshold for
    that kind of party; the numbered decision form is handed over on the spot."""
    locked = _lock(case)
    basis = _text(basis, "basis", "请填写处罚依据。", "The legal basis is required.")
    now = _now()
    fine = _money(fine_amount, "fine_amount")

    def guard(row: Case) -> None:
        _require_officer(row, actor)
        if party.case_id != row.pk:
            raise InvalidInput("当事人不属于本案。", "The party is not one of the case's.",
                               fields={"party": ["当事人不属于本案。"]})
        chosen = set(kinds)
        if not chosen or not chosen <= SUMMARY_KINDS:
            raise InvalidInput("简易程序只能当场给予警告或罚款。",
                               "On the spot only a warning or a fine may be imposed.",
                               fields={"kinds": ["简易程序只能警告或罚款。"]})
        if (PenaltyKind.FINE in chosen) != (fine > 0):
            raise InvalidInput("罚款须填写金额。", "A fine needs an amount.",
                               fields={"fine_amount": ["罚款金额与处罚种类不符。"]})
        limit = procedure_threshold(ProcedureThreshold.Code.SUMMARY_PROCEDURE_FINE_MAX,
                                    party_kind=party.kind, on=local_date(now)).amount
        if fine > limit:
            message = (f"简易程序罚款上限为{limit}元（{party.get_kind_display()}），"
                       "超出的须适用普通程序。")
            raise InvalidInput(message, f"The summary procedure is limited to {limit} yuan.",
                               fields={"fine_amount": [message]})

    _move(locked, S.SERVED, actor=actor, guard=guard,
          changes={"procedure": Case.Procedure.SUMMARY, "decided_at": now,
                   "facts": facts or locked.facts})
    decision = PenaltyDecision.objects.create(
        case=locked, party=party, kinds=list(dict.fromkeys(kinds)), fine_amount=fine,
        basis=basis, approved_by=actor, issued_at=now)
    _serve(locked, decision, actor=actor, method=PenaltyDecision.ServiceMethod.ON_SPOT,
           served_at=now, note="当场交付")
    _record(locked, "summary_procedure_decision", actor, text=basis,
            document=DocumentType.SUMMARY_DECISION,
            data={"decision": decision.pk, "kinds": list(kinds), "fine_amount": str(fine)})
    return locked
