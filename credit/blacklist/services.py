"""Blacklist steps, one service per move of BLACKLIST_WORKFLOW (audited by the
transition primitive). 谁处罚、谁决定: only the head of the authority that made the
penalty decision proposes and decides (令11号 第四条)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from enforcement.cases.models import PenaltyDecision
from hangzhou_safety.accounts.models import Role
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import Forbidden, InvalidInput
from hangzhou_safety.workdays.arithmetic import local_date
from hangzhou_safety.workdays.services import meet_deadline, start_clock
from hangzhou_safety.workflow import transition

from . import rules
from .accidents import CHECKS as ACCIDENT_CHECKS
from .accidents import check_accident_ground
from .models import (
    BLACKLIST_WORKFLOW,
    CURRENT,
    BlacklistEntry,
    Restriction,
    RestrictionQuery,
)
from .publishing import publish

B = BlacklistEntry.Status
HEAD_ROLES = (Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
STAFF_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, *HEAD_ROLES)


def _require(actor: Any, roles: tuple[str, ...], authority: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *roles):
        raise Forbidden("您的角色无权办理此环节。", "Your role may not take this step.")
    path = user_scope_path(actor)
    if path is None or (path and not authority.jurisdiction.path.startswith(path)):
        raise Forbidden("该名单事项不在您的管辖范围内。", "Not within your jurisdiction.")


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput("请填写内容。", f"{field} is required.", fields={field: ["必填。"]})
    return value


def check_ground(ground: str, decision: PenaltyDecision, *, service_body: bool) -> None:
    """The ground must be one of 令11号's, and what the data can show must show it."""
    g = rules.GROUNDS_BY_CODE.get(ground)
    if g is None:
        raise InvalidInput("列入情形无效。", "Unknown ground.", fields={"ground": ["无效。"]})
    if g.service_body_only and not service_body:
        raise InvalidInput("该情形仅适用于安全评价、认证、检测、检验机构。",
                           "This ground applies to service bodies only.",
                           fields={"ground": ["仅适用于机构。"]})
    enterprise = decision.case.enterprise
    if enterprise is None:
        raise InvalidInput("处罚决定未关联生产经营单位。", "The decision has no enterprise.")
    if not service_body and not rules.in_scope(enterprise.sector, enterprise.industry_id):
        raise InvalidInput("该单位不属于令11号第二条规定的行业领域。",
                           "The enterprise is outside the rule's scope (Art. 2).",
                           fields={"ground": ["不在适用范围。"]})
    if g.check == "fine_art114" and not rules.fine_ground_met(decision.basis):
        raise InvalidInput("处罚决定未依据安全生产法第一百一十四条。",
                           "The decision does not rest on Art. 114 of the Safety Law.",
                           fields={"ground": ["处罚依据不符。"]})
    if g.check == "no_licence" and not rules.licence_ground_met(decision.basis, decision.kinds):
        raise InvalidInput("处罚决定未涉及无证或许可被暂扣、吊销期间经营。",
                           "The decision does not concern operating without a licence.",
                           fields={"ground": ["处罚内容不符。"]})
    if g.check in ACCIDENT_CHECKS:
        check_accident_ground(g.check, enterprise)


@transaction.atomic
def propose(decision: PenaltyDecision, *, actor: Any, ground: str, reasons: str,
            service_body: bool = False, principal_name: str = "") -> BlacklistEntry:
    authority = decision.case.authority
    _require(actor, HEAD_ROLES, authority)
    if decision.status == PenaltyDecision.Status.REVOKED:
        raise InvalidInput("处罚决定已撤销。", "The decision is revoked.")
    enterprise = decision.case.enterprise
    if enterprise is None:
        # A case against a natural person only: the list names units (and their heads).
        raise InvalidInput("该案件无涉案单位，不能列入严重失信主体名单。",
                           "The case has no enterprise to list.", fields={"decision": [
                               "案件无涉案单位。"]})
    check_ground(ground, decision, service_body=service_body)
    entry = BlacklistEntry.objects.create(
        authority=authority, enterprise=enterprise, decision=decision,
        ground=ground, service_body=service_body, principal_name=principal_name,
        reasons=_text(reasons, "reasons"), proposed_by=actor)
    from hangzhou_safety.audit.services import record_event

    record_event("blacklist.proposed", actor=actor, obj=entry.enterprise,
                 new={"blacklist": entry.pk, "ground": ground})
    return entry


def notify(entry: BlacklistEntry, *, actor: Any) -> BlacklistEntry:
    now = timezone.now()
    return transition(
        BLACKLIST_WORKFLOW, entry, B.NOTIFIED, actor=actor,
        guard=lambda row: _require(actor, STAFF_ROLES, row.authority),
        changes=lambda row: {"notified_at": now, "objection_clock": start_clock(
            "blacklist_objection", subject=row, started_at=now, actor=actor)})


def record_objection(entry: BlacklistEntry, *, actor: Any, text: str) -> BlacklistEntry:
    now = timezone.now()
    body = _text(text, "text")
    return transition(
        BLACKLIST_WORKFLOW, entry, B.OBJECTION, actor=actor,
        guard=lambda row: _require(actor, STAFF_ROLES, row.authority),
        changes=lambda row: {"objection_text": body, "answer_clock": start_clock(
            "blacklist_objection_answer", subject=row, started_at=now, actor=actor)})


def _window_closed(row: BlacklistEntry, today: datetime.date) -> None:
    clock = row.objection_clock
    if row.status == B.NOTIFIED and clock is not None and clock.due_date is not None \
            and today <= clock.due_date:
        raise InvalidInput(f"异议期至{clock.due_date}届满，届满前不能作出列入决定。",
                           f"The objection window runs until {clock.due_date}.")
    if row.status == B.OBJECTION and not row.objection_answer:
        raise InvalidInput("异议尚未答复。", "The objection has not been answered.")


def answer_objection(entry: BlacklistEntry, *, actor: Any, answer: str) -> BlacklistEntry:
    with transaction.atomic():
        row = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        _require(actor, STAFF_ROLES, row.authority)
        if row.status != B.OBJECTION:
            raise BLACKLIST_WORKFLOW.illegal(row.status, B.DECIDED,
                                             ("没有待答复的异议", "No objection to answer"))
        row.objection_answer = _text(answer, "answer")
        row.save(update_fields=["objection_answer", "updated_at"])
        if row.answer_clock is not None:
            meet_deadline(row.answer_clock, actor=actor)
        from hangzhou_safety.audit.services import record_event

        record_event("blacklist.objection_answered", actor=actor, obj=row.enterprise,
                     new={"blacklist": row.pk})
        return row


@transaction.atomic
def decide(entry: BlacklistEntry, *, actor: Any, decision_number: str,
           today: datetime.date | None = None) -> BlacklistEntry:
    day = today or local_date(timezone.now())
    number = _text(decision_number, "decision_number")

    def guard(row: BlacklistEntry) -> None:
        _require(actor, HEAD_ROLES, row.authority)
        _window_closed(row, day)

    row = transition(BLACKLIST_WORKFLOW, entry, B.DECIDED, actor=actor, guard=guard,
                     changes={"decided_on": day, "decided_by": actor,
                              "decision_number": number,
                              "term_ends_on": rules.add_months(day, rules.TERM_MONTHS),
                              "removal_eligible_on": rules.add_months(
                                  day, rules.EARLY_REMOVAL_AFTER_MONTHS)})
    Restriction.objects.bulk_create(
        [Restriction(entry=row, kind=k) for k, _ in rules.RESTRICTIONS],
        ignore_conflicts=True)
    # An event during the year downgrades the integrity rating at once (issue 13).
    from credit.ratings.services import downgrade

    downgrade(row.enterprise, level="D", why=f"列入严重失信主体名单（{number}）", actor=actor,
              on=day, authority=row.authority)
    return row


def _payload(row: BlacklistEntry, change: str) -> dict[str, Any]:
    return {"change": change, "uscc": row.enterprise.uscc, "name": row.enterprise.name,
            "ground": row.ground, "decision_number": row.decision_number,
            "decided_on": str(row.decided_on), "term_ends_on": str(row.term_ends_on),
            "removed_on": str(row.removed_on or ""), "authority": row.authority.name}


def _published(row: BlacklistEntry, change: str) -> None:
    n = row.publications.count()
    publish(row, topic=f"blacklist.{change}", key=f"blacklist:{row.pk}:{n}",
            payload=_payload(row, change))


def publish_entry(entry: BlacklistEntry, *, actor: Any) -> BlacklistEntry:
    with transaction.atomic():
        row = transition(BLACKLIST_WORKFLOW, entry, B.PUBLISHED, actor=actor,
                         guard=lambda r: _require(actor, STAFF_ROLES, r.authority))
        _published(row, "listed")
    return row


def request_early_removal(entry: BlacklistEntry, *, actor: Any, application: str,
                          today: datetime.date | None = None) -> BlacklistEntry:
    day = today or local_date(timezone.now())
    body = _text(application, "application")

    def guard(row: BlacklistEntry) -> None:
        _require(actor, STAFF_ROLES, row.authority)
        if row.removal_eligible_on is None or day < row.removal_eligible_on:
            raise InvalidInput(f"列入满12个月（{row.removal_eligible_on}）后方可申请提前移出。",
                               "Early removal may be requested after 12 months.")

    return transition(BLACKLIST_WORKFLOW, entry, B.REMOVAL_REQUESTED, actor=actor,
                      guard=guard, changes={"removal_application": body})


def approve_removal(entry: BlacklistEntry, *, actor: Any, reason: str,
                    today: datetime.date | None = None) -> BlacklistEntry:
    day = today or local_date(timezone.now())
    with transaction.atomic():
        row = transition(BLACKLIST_WORKFLOW, entry, B.REMOVED, actor=actor,
                         guard=lambda r: _require(actor, HEAD_ROLES, r.authority),
                         changes={"removed_on": day, "removal_reason": _text(reason, "reason")})
        _published(row, "removed")
    return row


def refuse_removal(entry: BlacklistEntry, *, actor: Any, reason: str) -> BlacklistEntry:
    return transition(BLACKLIST_WORKFLOW, entry, B.PUBLISHED, actor=actor,
                      guard=lambda r: _require(actor, HEAD_ROLES, r.authority),
                      reason=_text(reason, "reason"), event="blacklist.removal_refused")


def revoke_removal(entry: BlacklistEntry, *, actor: Any, reason: str) -> BlacklistEntry:
    """The early removal was obtained by concealment or falsification: restore."""
    with transaction.atomic():
        row = transition(BLACKLIST_WORKFLOW, entry, B.PUBLISHED, actor=actor,
                         guard=lambda r: _require(actor, HEAD_ROLES, r.authority),
                         changes={"removed_on": None,
                                  "removal_reason": _text(reason, "reason")},
                         event="blacklist.removal_revoked")
        _published(row, "restored")
    return row


def expire(entry: BlacklistEntry, *, today: datetime.date | None = None) -> BlacklistEntry:
    day = today or local_date(timezone.now())

    def guard(row: BlacklistEntry) -> None:
        if row.term_ends_on is None or day < row.term_ends_on:
            raise InvalidInput("管理期限尚未届满。", "The term has not ended.")

    with transaction.atomic():
        row = transition(BLACKLIST_WORKFLOW, entry, B.EXPIRED, actor=None, guard=guard,
                         changes={"removed_on": day, "removal_reason": "管理期限届满"})
        _published(row, "expired")
    return row


def restrictions_for(uscc: str, *, actor: Any) -> dict[str, Any]:
    """Is this credit code restricted today, and why? Every query is logged."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            Role.PARTNER):
        raise Forbidden("仅联合惩戒成员单位可以查询。", "Partner departments only.")
    code = (uscc or "").strip().upper()
    if len(code) != 18:
        raise InvalidInput("统一社会信用代码应为18位。", "uscc must have 18 characters.",
                           fields={"uscc": ["应为18位。"]})
    entries = list(BlacklistEntry.objects.filter(enterprise__uscc=code, status__in=CURRENT)
                   .select_related("authority").prefetch_related("restrictions"))
    today = local_date(timezone.now())
    RestrictionQuery.objects.create(
        user=actor, uscc=code, restricted=bool(entries), entry_ids=[e.pk for e in entries],
        keep_until=rules.add_months(today, 12 * rules.QUERY_LOG_RETENTION_YEARS))
    return {"uscc": code, "restricted": bool(entries), "on": str(today), "entries": [
        {"ground": rules.GROUNDS_BY_CODE[e.ground].text,
         "article": rules.GROUNDS_BY_CODE[e.ground].article,
         "decision_number": e.decision_number, "authority": e.authority.name,
         "decided_on": str(e.decided_on), "term_ends_on": str(e.term_ends_on),
         "restrictions": [r.get_kind_display() for r in e.restrictions.all()]}
        for e in entries]}


def withdraw(entry: BlacklistEntry, *, actor: Any, reason: str) -> BlacklistEntry:
    """Not listed after the notice or the objection (不予列入)."""
    return transition(BLACKLIST_WORKFLOW, entry, B.WITHDRAWN, actor=actor,
                      guard=lambda r: _require(actor, HEAD_ROLES, r.authority),
                      changes={"removal_reason": _text(reason, "reason")})
