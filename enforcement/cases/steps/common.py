"""Shared by the case steps: role and jurisdiction guards, locks, step records,
clocks, input parsing. No step lives here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.workdays.models import Deadline
from hangzhou_safety.workdays.services import (
    cancel_deadline,
    meet_deadline,
    resume_deadline,
)
from hangzhou_safety.workflow import IllegalTransition, transition

from ..models import (
    CASE_WORKFLOW,
    DECISION_WORKFLOW,
    Case,
    CaseStepRecord,
    DocumentType,
    PenaltyDecision,
    PenaltyKind,
)

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


def _require_case_staff(case: Case, actor: Any) -> None:
    """Service and payment are recorded by an officer or the head of the authority."""
    _require_role(actor, OFFICER_ROLES, "您的角色无权办理案件。", "Your role may not handle cases.")
    _require_jurisdiction(actor, case.authority)
    if actor.pk not in _officer_ids(case) and not actor.has_role(*HEAD_ROLES):
        raise Forbidden("只有本案承办人或负责人可以办理此环节。",
                        "Only the case officers or the head may take this step.")
