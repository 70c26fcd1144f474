"""The four-checklist loop: 检查任务 → 隐患问题 → 整改工作 → 复查验收.

One service per step (DESIGN.md): each runs in a transaction, locks the inspection
row first (then the hidden danger, always in that order, so two steps on the same
inspection take turns and never deadlock), checks the actor's role, jurisdiction and
team on the locked row, counts related rows under that lock, and moves the status
only through ``hangzhou_safety.workflow.transition`` with INSPECTION_WORKFLOW /
HAZARD_WORKFLOW (audited as ``inspection.<status>`` / ``hazard.<status>``). Every
deadline comes from the calendar service: rectification periods in calendar days (a
period ending on a holiday moves to the next working day), re-checks within the clock
rule "recheck" (10 calendar days, the same holiday rule) of the deadline or of the
enterprise's report (DOMAIN.md B3, B5 and its correction). A major hidden danger
follows its own path beside these steps (supervision.py: 治理方案, 挂牌督办, the
application to resume after a stop measure, 核销).

Moves and the one service that makes each:

- inspection planned → in_progress: ``start_inspection``; planned → cancelled:
  ``cancel_inspection``; in_progress → rectifying (hidden dangers found) or → closed
  (none found): ``complete_findings``; rectifying → closed: ``close_inspection``.
- hidden danger open → rectifying (deadline) or → accepted (on the spot):
  ``issue_order``; rectifying → reported: ``report_rectified``; reported →
  rectifying: ``withdraw_report``; rectifying/reported → accepted or → escalated:
  ``record_recheck``.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from enterprises.models import Enterprise
from hangzhou_safety.accounts.models import Authority, Role, User
from hangzhou_safety.accounts.scoping import user_scope_path
from hangzhou_safety.api.errors import DomainError, Forbidden, InvalidInput
from hangzhou_safety.audit.services import EventSpec, record_event, record_events
from hangzhou_safety.workdays.services import (
    Calendar,
    add_calendar_days,
    add_rule_period,
    clock_rule,
)
from hangzhou_safety.workflow import transition
from inspections.checklists.classification import classify_failure
from inspections.checklists.models import ChecklistItem, InspectionScheme
from inspections.checklists.remit import within_remit
from inspections.checklists.templates import templates_for
from inspections.loop.given_at import GivenAt
from inspections.loop.measure_limit import flag_lapsed_measures, measure_limit
from inspections.loop.models import (
    HAZARD_SETTLED,
    HAZARD_WORKFLOW,
    INSPECTION_WORKFLOW,
    RESUME_WORKFLOW,
    AnswerReceipt,
    Hazard,
    Inspection,
    InspectionItem,
    MajorHazardReport,
    OnSiteMeasure,
    ReCheck,
    RectificationOrder,
    ResumeApplication,
    SupervisionListing,
)
from inspections.loop.resend import earlier_delivery
from inspections.plans.models import PlannedInspection
from inspections.plans.services import mark_planned_done

MIN_INSPECTORS = 2
#: The re-check's period is the clock rule table's row "recheck" (10 calendar days, a
#: period ending on a rest day moving to the next working day: DOMAIN.md corrections).
RECHECK_RULE = "recheck"
#: Not a legal cap: no text limits a rectification period (the six-month limit sometimes
#: quoted belongs to 责令暂时停产停业 / 停止使用 measures, not to orders: issue on legal
#: accuracy). A period beyond ten years is taken for a typing error.
MAX_RECTIFICATION_DAYS = 3650
FIELD_ROLES = (Role.INSPECTOR, Role.SECTION_CHIEF, Role.DISTRICT_APPROVER,
               Role.MUNICIPAL_ADMIN)
# A chief may act for any team of their jurisdiction (findings, orders, re-checks).
CHIEF_ROLES = (Role.SECTION_CHIEF, Role.MUNICIPAL_ADMIN)
# 挂牌督办 is decided by a chief or an approver, not on site.
LISTING_ROLES = (Role.SECTION_CHIEF, Role.DISTRICT_APPROVER, Role.MUNICIPAL_ADMIN)
# No 0/O, 1/I/L: the code is read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: Steps that may still add to or change an inspection's hidden dangers.
ORDER_STATUSES = frozenset({Inspection.Status.IN_PROGRESS, Inspection.Status.RECTIFYING})

Status = Inspection.Status
HStatus = Hazard.Status

#: Checks of the packages above the loop that closing must pass (each raises a
#: DomainError): the enterprise's signature on the 整改复查意见书 lives in evidence,
#: which the loop may not import, so evidence registers its gate (apps.ready).
CLOSE_GATES: list[Callable[[Inspection], None]] = []


def register_close_gate(gate: Callable[[Inspection], None]) -> None:
    if gate not in CLOSE_GATES:
        CLOSE_GATES.append(gate)


#: On-site measures that stop work or equipment (安全生产法 第六十五条): a major hidden
#: danger still failing its re-check under one prompts the 危险作业罪 check.
STOP_MEASURES = frozenset({OnSiteMeasure.STOP_WORK, OnSiteMeasure.SUSPEND,
                           OnSiteMeasure.STOP_EQUIPMENT})
CRIMINAL_CHECK_CATEGORY = "dangerous_operation"  # enforcement/transfers/categories.py
CRIMINAL_CHECK_PROMPT = ("重大事故隐患在责令停止作业、停产停业或停止使用期间复查仍不合格："
                         "须核查是否涉嫌危险作业罪（刑法第一百三十四条之一），涉嫌犯罪的"
                         "依法移送公安机关。")


def _illegal(what: str, status_label: str) -> DomainError:
    return DomainError(f"{what}当前状态为“{status_label}”，不能执行此操作。",
                       f"Illegal step for a {what} in its current status.")


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _today() -> datetime.date:
    return timezone.localdate()


def _pk(obj_or_pk: Any) -> Any:
    return getattr(obj_or_pk, "pk", obj_or_pk)


# --- Who may act ---

def _require_field_role(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(
            *FIELD_ROLES):
        raise Forbidden("您的角色无权开展现场检查。",
                        "Your role may not carry out inspections.")


def _require_jurisdiction(actor: Any, authority: Authority, what: str = "该检查") -> None:
    """The same prefix match as ``visible_to``, on the row already loaded."""
    path = user_scope_path(actor)
    if path is None or (path and not authority.jurisdiction.path.startswith(path)):
        raise Forbidden(f"{what}不在您的管辖范围内。",
                        "The object is not within your jurisdiction.")


def _require_team(locked: Inspection, actor: Any) -> None:
    """Findings and orders are recorded by the inspectors on site (or their chief).
    Runs on the locked inspection: the team is read under the row lock."""
    _require_field_role(actor)
    _require_jurisdiction(actor, locked.authority)
    if actor.has_role(*CHIEF_ROLES):
        return
    if not locked.inspectors.filter(pk=actor.pk).exists():
        raise Forbidden("只有本次检查的执法人员可以记录检查结果。",
                        "Only the inspectors of this inspection may record it.")


def _lock_inspection(inspection: Inspection | int) -> Inspection:
    return (Inspection.objects.select_for_update(of=("self",))
            .select_related("enterprise", "authority__jurisdiction").get(pk=_pk(inspection)))


def _lock_hazard(hazard: Hazard | int) -> tuple[Inspection, Hazard]:
    """The inspection row, then the hidden danger (the order every step locks in)."""
    inspection_id = (hazard.inspection_id if isinstance(hazard, Hazard)
                     else Hazard.objects.values_list("inspection_id", flat=True).get(pk=hazard))
    inspection = _lock_inspection(inspection_id)
    locked = Hazard.objects.select_for_update().get(pk=_pk(hazard))
    locked.inspection = inspection  # the audit subject needs no further query
    return inspection, locked


def _require_reason(reason: str, detail: str, detail_en: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(detail, detail_en, fields={"reason": [detail]})
    return reason


# --- List 1: the task ---

def _lock_planned(planned: PlannedInspection, *, actor: Any, enterprise: Enterprise,
                  team: list[User]) -> PlannedInspection:
    """The planned inspection this task carries out: open, ours, not taken yet."""
    locked = (PlannedInspection.objects.select_for_update(of=("self",))
              .select_related("authority__jurisdiction").get(pk=planned.pk))
    _require_jurisdiction(actor, locked.authority, "该计划检查")
    if locked.enterprise_id != enterprise.pk:
        message = "计划检查的被检查单位与所选单位不一致。"
        raise InvalidInput(message, "The planned inspection is for another enterprise.",
                           fields={"planned": [message]})
    if locked.status != PlannedInspection.Status.PLANNED:
        raise DomainError(
            f"该计划检查{locked.get_status_display()}，不能再据此开展检查。",
            "The planned inspection is done or cancelled.", code="planned_not_open")
    if Inspection.objects.filter(planned=locked).exists():
        raise _planned_taken()
    assigned = set(locked.inspectors.values_list("pk", flat=True))
    if assigned and not actor.has_role(*CHIEF_ROLES) and not {u.pk for u in team} <= assigned:
        raise Forbidden("该计划检查已指派执法人员，检查组须由指派的执法人员组成"
                        "（或由科室负责人安排）。",
                        "The planned inspection is assigned to other inspectors.")
    return locked


def _planned_taken() -> DomainError:
    return DomainError("该计划检查已有检查任务，不能重复创建。",
                       "An inspection exists for this planned inspection already.",
                       code="planned_taken")


def create_inspection(*, actor: Any, enterprise: Enterprise, inspectors: Iterable[User],
                      source: str, planned: PlannedInspection | None = None,
                      scheme: InspectionScheme | None = None,
                      planned_date: datetime.date | None = None,
                      partner_officers: list[dict[str, str]] | None = None,
                      client_id: uuid.UUID | None = None) -> Inspection:
    """Create the task with its checklist items. Idempotent by `client_id`."""
    _require_field_role(actor)
    if actor.authority_id is None:
        raise Forbidden("您未隶属执法单位，不能创建检查。",
                        "You belong to no authority and may not create inspections.")
    existing = earlier_delivery(Inspection, client_id, created_by_id=actor.pk)
    if existing is not None:
        return existing
    if source not in Inspection.Source.values:
        raise InvalidInput("检查来源无效。", "Unknown inspection source.",
                           fields={"source": ["检查来源无效。"]})
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise InvalidInput("被检查单位不存在或不在您的管辖范围内。",
                           "The enterprise is not within your jurisdiction.",
                           fields={"enterprise": ["被检查单位不在您的管辖范围内。"]})
    if scheme is not None and not InspectionScheme.objects.visible_to(actor).filter(
            pk=scheme.pk).exists():
        raise InvalidInput("检查方案不存在或不在您的管辖范围内。",
                           "The scheme is not within your jurisdiction.",
                           fields={"scheme": ["检查方案不在您的管辖范围内。"]})
    day = planned_date or _today()
    team = list({u.pk: u for u in inspectors}.values())
    visible_staff = set(User.objects.visible_to(actor).filter(
        pk__in=[u.pk for u in team], is_active=True).values_list("pk", flat=True))
    certified = [u for u in team if u.pk in visible_staff and u.certificate_valid_on(day)]
    if len(certified) < MIN_INSPECTORS or len(certified) != len(team):
        raise InvalidInput(
            "现场检查须由两名以上持有效行政执法证的本辖区执法人员进行（行政处罚法第四十二条）。",
            "An inspection needs at least two certified inspectors of your jurisdiction.",
            fields={"inspectors": ["至少两名持有效执法证的执法人员。"]})
    templates = list(scheme.templates.filter(active=True)) if scheme else list(
        templates_for(enterprise))
    # Another department's template only jointly with its officer (安全生产法 第十条).
    templates = within_remit(templates, actor.authority, partner_officers or [])
    items = list(ChecklistItem.objects.filter(template__in=templates, retired_at__isnull=True)
                 .order_by("template__code", "order"))
    if not items:
        raise InvalidInput("没有适用于该单位的检查表，请先维护检查表。",
                           "No checklist template applies to this enterprise.")
    with transaction.atomic():
        if planned is not None:
            # Locked: two orders for one planned inspection take turns, the second
            # sees the first's inspection and is refused (409), never a 500.
            planned = _lock_planned(planned, actor=actor, enterprise=enterprise,
                                    team=certified)
        try:
            with transaction.atomic():
                inspection = Inspection.objects.create(
                    authority=actor.authority, enterprise=enterprise, planned=planned,
                    scheme=scheme, source=source, planned_date=day,
                    partner_officers=partner_officers or [],
                    verification_code=new_verification_code(), client_id=client_id,
                    created_by=actor)
        except IntegrityError as exc:
            if client_id is not None:
                # The same client id raced in from a resend: answer with the first one.
                raced = Inspection.objects.filter(client_id=client_id).first()
                if raced is not None:
                    if raced.created_by_id != actor.pk:
                        raise DomainError("该提交编号已被使用。",
                                          "This client id is already used.",
                                          code="duplicate_client_id") from exc
                    return raced
            if planned is not None and Inspection.objects.filter(planned=planned).exists():
                raise _planned_taken() from exc
            raise DomainError("检查任务保存冲突，请重新提交。",
                              "The inspection could not be saved; please resend.",
                              code="conflict") from exc
        inspection.inspectors.set(certified)
        InspectionItem.objects.bulk_create(
            InspectionItem(inspection=inspection, checklist_item=item, order=n)
            for n, item in enumerate(items, start=1))
        record_event("inspection.created", actor=actor, obj=enterprise,
                     new={"inspection": inspection.pk, "source": source,
                          "planned": planned.pk if planned else None,
                          "inspectors": [u.pk for u in certified], "items": len(items)})
    return inspection


@transaction.atomic
def start_inspection(inspection: Inspection, *, actor: Any) -> Inspection:
    locked = _lock_inspection(inspection)
    _require_team(locked, actor)
    result: Inspection = transition(INSPECTION_WORKFLOW, locked, Status.IN_PROGRESS,
                                    actor=actor, locked=locked,
                                    changes={"started_at": timezone.now()})
    return result


@transaction.atomic
def cancel_inspection(inspection: Inspection, *, actor: Any, reason: str) -> Inspection:
    """A task not started yet is called off (the enterprise closed down, a duplicate).
    Its planned inspection is released, so a new task can carry it out."""
    locked = _lock_inspection(inspection)
    _require_team(locked, actor)
    if not INSPECTION_WORKFLOW.allowed(locked.status, Status.CANCELLED):
        raise INSPECTION_WORKFLOW.illegal(locked.status, Status.CANCELLED)
    reason = _require_reason(reason, "请填写取消检查的原因。", "A reason is required.")
    result: Inspection = transition(INSPECTION_WORKFLOW, locked, Status.CANCELLED,
                                    actor=actor, locked=locked, reason=reason,
                                    changes={"planned": None},
                                    extra={"planned": locked.planned_id})
    return result


# --- List 2: findings ---

@transaction.atomic
def record_answer(inspection: Inspection, item_id: int, *, actor: Any, result: str,
                  note: str = "", hazard: dict[str, Any] | None = None,
                  client_id: uuid.UUID | None = None,
                  given: GivenAt | None = None) -> InspectionItem:
    """Save one answer as it is given (a resend of the same answer changes nothing).

    A non-compliance becomes a hidden danger; changing the answer back removes the
    hidden danger while no order has been issued for it and no evidence is attached.
    The inspection row is locked first, so completing the findings waits for us.
    An answer queued on the phone carries its own ``client_id``: a second delivery of
    it is a no-op (an older answer resent never overwrites a newer one), and ``given``
    is when it was given on site.
    """
    locked = _lock_inspection(inspection)
    _require_team(locked, actor)
    if locked.status != Status.IN_PROGRESS:
        raise _illegal("检查", locked.get_status_display())
    if result not in InspectionItem.Result.values or result == InspectionItem.Result.PENDING:
        raise InvalidInput("检查结果无效。", "Invalid result.",
                           fields={"result": ["请选择符合、不符合或不适用。"]})
    item = (InspectionItem.objects.select_for_update().select_related("checklist_item")
            .filter(inspection=locked, pk=item_id).first())
    if item is None:
        raise InvalidInput("检查项不属于本次检查。", "The item is not part of this inspection.")
    if earlier_delivery(AnswerReceipt, client_id, item_id=item.pk) is not None:
        return item
    if client_id is not None:
        AnswerReceipt.objects.create(client_id=client_id, item=item, actor=actor,
                                     given_at=given.at if given else None)
    if item.result == result and item.note == note and not hazard:
        return item
    old = item.result
    existing = Hazard.objects.select_for_update().filter(item=item).first()
    if result != InspectionItem.Result.NON_COMPLIANT and existing is not None:
        if existing.status != HStatus.OPEN:
            raise DomainError("该隐患已下达整改指令，不能改为符合。",
                              "An order was issued for this hidden danger already.",
                              code="hazard_has_order")
        try:
            with transaction.atomic():
                existing.delete()
        except ProtectedError as exc:
            label = InspectionItem.Result(result).label
            raise DomainError(
                f"该隐患已附有证据，不能改为{label}；请先删除证据或保留隐患。",
                "Evidence is attached to this hidden danger; remove it first or keep the "
                "hidden danger.", code="hazard_has_evidence") from exc
        existing = None
    item.result, item.note = result, note
    item.answered_by, item.answered_at = actor, timezone.now()
    item.given_at = given.at if given else None
    item.save(update_fields=["result", "note", "answered_by", "answered_at", "given_at"])
    # Editing the note of a failure already recorded keeps its classification: the
    # inspector named the criterion (or gave the override reason) once, and a page
    # reloaded since does not repeat it with every keystroke.
    keep_classification = (existing is not None and not hazard
                           and old == InspectionItem.Result.NON_COMPLIANT)
    classified = None
    if result == InspectionItem.Result.NON_COMPLIANT and keep_classification:
        assert existing is not None
        if existing.status == HStatus.OPEN:
            existing.description = note.strip()
            existing.save(update_fields=["description"])
    elif result == InspectionItem.Result.NON_COMPLIANT:
        details = hazard or {}
        # Major only under a criterion the inspector names; an override needs a reason.
        classified = classify_failure(item.checklist_item, details)
        values = {
            # The officer's own words (or a standard phrase they chose), never the
            # question: completing the findings waits until every one is described.
            "description": (details.get("description") or note or "").strip(),
            "legal_basis": item.checklist_item.legal_basis[:200],
            "is_major": classified.is_major,
            "major_criterion": classified.criterion,
            "plant_location": str(details.get("plant_location", ""))[:200],
        }
        if existing is None:
            Hazard.objects.create(inspection=locked, item=item, **values)
        elif existing.status == HStatus.OPEN:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save(update_fields=list(values))
    # The event's own time is when the answer reached the server; given_at is when it
    # was given on site (the two differ for an answer queued offline).
    record_event("inspection.answer", actor=actor, obj=locked.enterprise,
                 old={"result": old}, new={"result": result, "item": item.pk,
                                           "inspection": locked.pk,
                                           **(given.audit() if given else {}),
                                           **({"client_id": str(client_id)}
                                              if client_id else {})})
    if classified is not None:
        record_event("hazard.classified", actor=actor, obj=locked.enterprise,
                     new={"item": item.pk, "inspection": locked.pk,
                          "major": classified.is_major,
                          "criterion": classified.criterion_code,
                          "override": bool(classified.override_reason)},
                     reason=classified.override_reason)
    return item


@transaction.atomic
def add_hazard(inspection: Inspection, *, actor: Any, description: str,
               legal_basis: str = "", is_major: bool = False, plant_location: str = "",
               client_id: uuid.UUID | None = None) -> Hazard:
    """A hidden danger found outside the checklist. Idempotent by `client_id`."""
    locked = _lock_inspection(inspection)
    _require_team(locked, actor)
    existing = earlier_delivery(Hazard, client_id, inspection_id=locked.pk)
    if existing is not None:
        return existing
    if locked.status != Status.IN_PROGRESS:
        raise _illegal("检查", locked.get_status_display())
    if not description.strip():
        raise InvalidInput("请描述隐患。", "A description is required.",
                           fields={"description": ["请描述隐患。"]})
    try:
        with transaction.atomic():
            hazard = Hazard.objects.create(
                inspection=locked, description=description.strip(),
                legal_basis=legal_basis[:200], is_major=is_major,
                plant_location=plant_location[:200], client_id=client_id)
    except IntegrityError as exc:  # the same client id on another inspection, raced
        raise DomainError("该提交编号已被使用。", "This client id is already used.",
                          code="duplicate_client_id") from exc
    record_event("hazard.recorded", actor=actor, obj=locked.enterprise,
                 new={"hazard": hazard.pk, "major": is_major})
    return hazard


def _mark_planned_done(inspection: Inspection, actor: Any) -> None:
    """Cascade: the plan's progress counts the planned inspection as carried out."""
    if inspection.planned_id is None:
        return
    planned = PlannedInspection.objects.select_related("enterprise").get(
        pk=inspection.planned_id)
    if planned.status == PlannedInspection.Status.PLANNED:
        mark_planned_done(planned, actor=actor)


@transaction.atomic
def complete_findings(inspection: Inspection, *, actor: Any) -> Inspection:
    """All items answered: with hidden dangers the loop moves to rectification,
    without any the inspection closes at once (the only way straight to closed).

    Items and hidden dangers are counted under the inspection's row lock, which
    record_answer and add_hazard take too: a concurrent non-compliant answer is
    either counted here or refused there, never lost.
    """
    locked = _lock_inspection(inspection)
    _require_team(locked, actor)
    if locked.status != Status.IN_PROGRESS:
        raise INSPECTION_WORKFLOW.illegal(locked.status, Status.RECTIFYING)
    pending = locked.items.filter(result=InspectionItem.Result.PENDING).count()
    if pending:
        raise InvalidInput(f"还有 {pending} 项未检查，请逐项记录检查结果。",
                           f"{pending} items have no answer yet.")
    undescribed = list(locked.hazards.filter(description="").exclude(item=None)
                       .values_list("item__order", flat=True).order_by("item__order"))
    if undescribed:
        orders = "、".join(str(n) for n in undescribed)
        raise InvalidInput(
            f"第 {orders} 项不符合，请写明隐患情况（或选用标准表述）后再完成检查。",
            f"Describe the hidden danger of item(s) {orders} before completing.",
            fields={"items": [f"第 {orders} 项未写明隐患情况。"]})
    now = timezone.now()
    has_hazards = locked.hazards.exists()
    to = Status.RECTIFYING if has_hazards else Status.CLOSED
    fields: dict[str, Any] = {"findings_done_at": now}
    if not has_hazards:
        fields["closed_at"] = now
    moved: Inspection = transition(INSPECTION_WORKFLOW, locked, to, actor=actor,
                                   locked=locked, changes=fields)
    _mark_planned_done(moved, actor)
    return moved


# --- List 3: rectification orders ---

def _order_exists() -> DomainError:
    return DomainError("该隐患已下达整改指令。", "An order exists for this hidden danger.",
                       code="order_exists")


@transaction.atomic
def issue_order(hazard: Hazard, *, actor: Any, kind: str, responsible_person: str,
                measures: str, deadline_days: int | None = None,
                funds: Decimal | None = None, emergency_plan: str = "",
                onsite_measure: str = "") -> RectificationOrder:
    inspection, locked = _lock_hazard(hazard)
    _require_team(inspection, actor)
    if inspection.status not in ORDER_STATUSES:
        raise _illegal("检查", inspection.get_status_display())
    errors: dict[str, list[str]] = {}
    if kind not in RectificationOrder.Kind.values:
        errors["kind"] = ["请选择现场整改或限期整改。"]
    if not responsible_person.strip():
        errors["responsible_person"] = ["请填写整改责任人。"]
    if not measures.strip():
        errors["measures"] = ["请填写整改措施。"]
    if kind == RectificationOrder.Kind.DEADLINE and not (
            isinstance(deadline_days, int) and 1 <= deadline_days <= MAX_RECTIFICATION_DAYS):
        errors["deadline_days"] = [f"整改期限应为 1–{MAX_RECTIFICATION_DAYS} 日。"]
    if locked.is_major:
        # 五到位: measures, funds, deadline, responsible person, emergency plan.
        if kind != RectificationOrder.Kind.DEADLINE:
            errors.setdefault("kind", []).append("重大事故隐患须限期整改。")
        if funds is None:
            errors["funds"] = ["重大事故隐患须落实整改资金。"]
        if not emergency_plan.strip():
            errors["emergency_plan"] = ["重大事故隐患须制定应急预案。"]
    if onsite_measure not in OnSiteMeasure.values:
        errors["onsite_measure"] = ["现场处理措施无效。"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, "Invalid rectification order; see the field errors.",
                           fields=errors)
    # Under the hazard's lock: a second order for it waits for the first and is refused.
    if RectificationOrder.objects.filter(hazard=locked).exists():
        raise _order_exists()
    if locked.status != HStatus.OPEN:
        raise HAZARD_WORKFLOW.illegal(locked.status, HStatus.RECTIFYING)
    today = _today()
    due, provisional = (None, False)
    if kind == RectificationOrder.Kind.DEADLINE:
        assert deadline_days is not None
        result = add_calendar_days(today, deadline_days)
        due, provisional = result.due, result.provisional
    until, until_provisional = measure_limit(onsite_measure, today)
    try:
        with transaction.atomic():
            order = RectificationOrder.objects.create(
                hazard=locked, kind=kind, deadline_days=deadline_days, due_date=due,
                due_provisional=provisional, responsible_person=responsible_person.strip(),
                measures=measures.strip(), funds=funds, emergency_plan=emergency_plan.strip(),
                onsite_measure=onsite_measure, issued_by=actor,
                onsite_measure_until=until,
                onsite_measure_until_provisional=until_provisional)
    except IntegrityError as exc:
        raise _order_exists() from exc
    if kind == RectificationOrder.Kind.ON_SPOT:
        # Fixed while the inspectors watch: they accept it on the spot.
        ReCheck.objects.create(hazard=locked, due_date=today, result=ReCheck.Result.PASSED,
                               note="现场立即整改完毕", checked_at=timezone.now())
        transition(HAZARD_WORKFLOW, locked, HStatus.ACCEPTED, actor=actor, locked=locked,
                   reason="现场立即整改")
    else:
        transition(HAZARD_WORKFLOW, locked, HStatus.RECTIFYING, actor=actor, locked=locked,
                   reason=f"限期 {deadline_days} 日整改，至 {due}")
    return order


# --- List 4: re-check and acceptance ---

def recheck_due(rule_code: str, basis: datetime.date, *, calendar: Calendar | None = None,
                rule: Any = None) -> dict[str, Any]:
    """A re-check's due-date fields counted by clock rule ``rule_code`` from ``basis``,
    with what they were counted from (loop/provisional.py recomputes a provisional one
    when its year's schedule is entered)."""
    rule = rule or clock_rule(rule_code)
    result = add_rule_period(rule_code, basis, calendar=calendar, rule=rule)
    return {"due_date": result.due, "due_provisional": result.provisional,
            "due_from": basis, "due_kind": rule.kind, "due_amount": rule.amount}


def _open_recheck(hazard: Hazard, due: dict[str, Any]) -> ReCheck:
    recheck = hazard.rechecks.filter(result="").first()
    if recheck is None:
        recheck = ReCheck.objects.create(hazard=hazard, **due)
    return recheck


@transaction.atomic
def report_rectified(hazard: Hazard, *, actor: Any,
                     reported_on: datetime.date | None = None) -> ReCheck:
    """The enterprise reports completion: a re-check is due within the clock rule
    "recheck" (10 calendar days, moved off rest days).

    The report date sets the re-check deadline, so it must lie between the day the
    order was issued and today (Asia/Shanghai).
    """
    inspection, locked = _lock_hazard(hazard)
    _require_team(inspection, actor)
    if not HAZARD_WORKFLOW.allowed(locked.status, HStatus.REPORTED):
        raise HAZARD_WORKFLOW.illegal(locked.status, HStatus.REPORTED)
    order = RectificationOrder.objects.filter(hazard=locked).first()
    if needs_resume_review(locked, order):
        raise _resume_review_required()
    today = _today()
    day = reported_on or today
    issued_on = timezone.localdate(order.issued_at) if order is not None else today
    if not issued_on <= day <= today:
        message = (f"报告整改完成日期应在整改指令下达之日（{issued_on:%Y-%m-%d}）"
                   f"至今天（{today:%Y-%m-%d}）之间。")
        raise InvalidInput(message, "The report date must lie between the order's issue "
                           "date and today.", fields={"reported_on": [message]})
    moved: Hazard = transition(HAZARD_WORKFLOW, locked, HStatus.REPORTED, actor=actor,
                               locked=locked, reason="单位报告整改完成",
                               extra={"reported_on": day})
    RectificationOrder.objects.filter(hazard=moved).update(reported_done_at=timezone.now())
    return _open_recheck(moved, recheck_due(RECHECK_RULE, day))


@transaction.atomic
def withdraw_report(hazard: Hazard, *, actor: Any, reason: str) -> Hazard:
    """The reported completion was premature (the enterprise withdraws it, or a visit
    finds the work still going on): rectification continues under the same order."""
    inspection, locked = _lock_hazard(hazard)
    _require_team(inspection, actor)
    if not HAZARD_WORKFLOW.allowed(locked.status, HStatus.RECTIFYING):
        raise HAZARD_WORKFLOW.illegal(locked.status, HStatus.RECTIFYING)
    reason = _require_reason(reason, "请填写撤回整改完成报告的原因。", "A reason is required.")
    moved: Hazard = transition(HAZARD_WORKFLOW, locked, HStatus.RECTIFYING, actor=actor,
                               locked=locked, reason=reason,
                               event="hazard.report_withdrawn")
    RectificationOrder.objects.filter(hazard=moved).update(reported_done_at=None)
    # A written application to resume was the report: it is withdrawn with it.
    for application in ResumeApplication.objects.select_for_update().filter(
            hazard=moved, status=ResumeApplication.Status.PENDING):
        transition(RESUME_WORKFLOW, application, ResumeApplication.Status.WITHDRAWN,
                   actor=actor, locked=application, reason=reason,
                   changes={"decided_at": timezone.now()})
    return moved


def needs_resume_review(hazard: Hazard, order: RectificationOrder | None) -> bool:
    """A major hidden danger under a stop measure resumes only after its review on the
    enterprise's written application (安全生产法 第六十五条第一款第三项)."""
    return bool(hazard.is_major and order is not None and order.onsite_measure in STOP_MEASURES)


def _resume_review_required() -> DomainError:
    return DomainError(
        "该重大事故隐患处于停产停业或停止使用措施之下：须登记单位的书面复产申请，经现场审查"
        "同意后方可恢复生产经营和使用（安全生产法第六十五条）。",
        "A major hidden danger under a stop measure is reviewed on the enterprise's "
        "written application to resume.", code="resume_review_required")


@transaction.atomic
def record_recheck(hazard: Hazard, *, actor: Any, passed: bool, note: str = "",
                   inspectors: Iterable[User] = ()) -> Hazard:
    """Passed: accepted (a listed one stays listed until its 核销). Failed: escalated,
    suggesting a case, with the inspection's evidence carried over (the enforcement
    issue opens the case). A major hidden danger under a stop measure is accepted only
    through the review of its application to resume (supervision.review_resume); a
    visit finding it still there (no application, or the deadline past) fails here."""
    inspection, locked = _lock_hazard(hazard)
    if passed and needs_resume_review(
            locked, RectificationOrder.objects.filter(hazard=locked).first()):
        raise _resume_review_required()
    return _recheck_locked(inspection, locked, actor=actor, passed=passed, note=note,
                          inspectors=inspectors)


def _recheck_locked(inspection: Inspection, locked: Hazard, *, actor: Any, passed: bool,
                   note: str = "", inspectors: Iterable[User] = ()) -> Hazard:
    """The re-check of a hidden danger whose inspection and row the caller has locked
    (record_recheck, or the review of an application to resume)."""
    _require_team(inspection, actor)
    target = HStatus.ACCEPTED if passed else HStatus.ESCALATED
    if locked.status not in (HStatus.RECTIFYING, HStatus.REPORTED):
        raise HAZARD_WORKFLOW.illegal(locked.status, target)
    if not passed and not note.strip():
        raise InvalidInput("复查不合格须写明复查意见。", "A failed re-check needs a note.",
                           fields={"note": ["请填写复查意见。"]})
    others = list({u.pk: u for u in inspectors if u.pk != actor.pk}.values())
    if others and User.objects.visible_to(actor).filter(
            pk__in=[u.pk for u in others], is_active=True).count() != len(others):
        raise InvalidInput("复查人员不存在或不在您的管辖范围内。",
                           "Unknown or out-of-jurisdiction re-check officer.",
                           fields={"inspectors": ["复查人员不在您的管辖范围内。"]})
    if not others:
        # Unless other officers are named, the inspection's own team re-checks.
        others = [u for u in inspection.inspectors.all() if u.pk != actor.pk]
    # A re-check is an enforcement act: at least two officers, each holding an
    # enforcement certificate valid today (行政处罚法 第四十二条, as for the inspection).
    today = _today()
    if len(others) + 1 < MIN_INSPECTORS or not all(
            u.certificate_valid_on(today) for u in [actor, *others]):
        raise InvalidInput(
            "复查须由两名以上持有效行政执法证的执法人员进行（行政处罚法第四十二条）；"
            "请另选一名持证执法人员。",
            "A re-check needs at least two officers with a valid enforcement certificate.",
            fields={"inspectors": ["至少两名持有效执法证的执法人员。"]})
    if passed and locked.is_major and not MajorHazardReport.objects.filter(
            hazard=locked, kind=MajorHazardReport.Kind.PLAN).exists():
        raise DomainError(
            "重大事故隐患复查通过前，须登记单位报送的重大事故隐患治理方案（安全生产法第四十一条）。",
            "Register the enterprise's remediation plan for this major hidden danger "
            "before accepting it.", code="plan_missing")
    # None opened (no report, deadline not past): the re-check is due the day it is made.
    recheck = _open_recheck(locked, {"due_date": today, "due_provisional": False})
    recheck.result = ReCheck.Result.PASSED if passed else ReCheck.Result.FAILED
    recheck.note, recheck.checked_at = note.strip(), timezone.now()
    recheck.save(update_fields=["result", "note", "checked_at"])
    recheck.checked_by.set([actor, *others])
    if passed:
        accepted: Hazard = transition(HAZARD_WORKFLOW, locked, HStatus.ACCEPTED,
                                      actor=actor, locked=locked, reason=note.strip())
        return accepted
    escalated: Hazard = transition(HAZARD_WORKFLOW, locked, HStatus.ESCALATED, actor=actor,
                                   locked=locked,
                                   reason=f"复查不合格，建议立案：{note.strip()}")
    order = RectificationOrder.objects.filter(hazard=locked).first()
    if locked.is_major and order is not None and order.onsite_measure in STOP_MEASURES:
        # Still failing under a stop order: the officers must check for 危险作业罪 and, if
        # it is suspected, transfer the case (the enforcement app's transfer step, its
        # category "dangerous_operation"). The criminal law's text is not in docs/laws:
        # the prompt asks for the check, it does not state the offence.
        record_event("hazard.criminal_check_prompted", actor=actor, obj=inspection.enterprise,
                     new={"hazard": locked.pk, "inspection": inspection.pk,
                          "category": CRIMINAL_CHECK_CATEGORY,
                          "onsite_measure": order.onsite_measure},
                     reason=CRIMINAL_CHECK_PROMPT)
    return escalated


@transaction.atomic
def close_inspection(inspection: Inspection, *, actor: Any) -> Inspection:
    """Closes a rectifying inspection once every hidden danger is accepted or escalated
    (clause 十三). Only complete_findings closes a clean inspection straight away; an
    inspection still in progress must have its findings completed first. The hidden
    dangers are counted under the inspection's row lock."""
    locked = _lock_inspection(inspection)
    _require_team(locked, actor)
    if locked.status not in ORDER_STATUSES:
        raise INSPECTION_WORKFLOW.illegal(locked.status, Status.CLOSED)
    open_hazards = locked.hazards.exclude(status__in=HAZARD_SETTLED).count()
    if open_hazards:
        raise DomainError(f"还有 {open_hazards} 项隐患未复查验收或移交立案，检查不能闭环。",
                          f"{open_hazards} hidden dangers are neither accepted nor "
                          "escalated; the inspection cannot close.", code="open_hazards")
    awaiting_delisting = locked.hazards.filter(
        status=HStatus.ACCEPTED, listing__status=SupervisionListing.Status.LISTED).count()
    if awaiting_delisting:
        raise DomainError(f"还有 {awaiting_delisting} 项挂牌督办的重大事故隐患已复查通过但"
                          "未核销摘牌，核销后方可闭环。",
                          f"{awaiting_delisting} listed major hidden dangers are accepted but "
                          "not de-listed; the inspection cannot close.",
                          code="listing_open")
    for gate in CLOSE_GATES:
        gate(locked)
    if locked.status != Status.RECTIFYING:
        raise DomainError("检查结果尚未提交（仍有检查项待记录或未点击“完成检查”），检查不能闭环。",
                          "The findings are not completed; the inspection cannot close.",
                          code="findings_not_completed")
    moved: Inspection = transition(INSPECTION_WORKFLOW, locked, Status.CLOSED, actor=actor,
                                   locked=locked, changes={"closed_at": timezone.now()})
    _mark_planned_done(moved, actor)
    return moved


# --- The daily sweep ---

def overdue_orders(today: datetime.date) -> QuerySet[RectificationOrder]:
    return RectificationOrder.objects.filter(
        due_date__lt=today, hazard__status=HStatus.RECTIFYING,
        overdue_flagged_at__isnull=True)


def overdue_rechecks(today: datetime.date) -> QuerySet[ReCheck]:
    return ReCheck.objects.filter(due_date__lt=today, result="",
                                  overdue_flagged_at__isnull=True)


_SWEEP_RELATED = ("hazard__inspection__enterprise",
                  "hazard__inspection__authority__jurisdiction")


def flag_overdue(today: datetime.date | None = None) -> dict[str, int]:
    """Flag rectifications past their deadline (a re-check then falls due within 10
    working days of the deadline), re-checks past theirs and stop measures past their
    limit (measure_limit.py); tell the inspectors and their chiefs, one mail per
    recipient, after commit.

    Set-based: a fixed number of queries whatever the number of rows (locking
    SELECTs, conditional UPDATEs, one bulk insert of re-checks, one batched audit
    append). Idempotent: a flagged row is not flagged again, and rows another worker
    is flagging right now are skipped (SKIP LOCKED).
    """
    day = today or _today()
    now = timezone.now()
    notes: list[tuple[Hazard, str]] = []
    with transaction.atomic():
        events: list[EventSpec] = []
        orders = list(overdue_orders(day).select_related(*_SWEEP_RELATED)
                      .select_for_update(of=("self",), skip_locked=True).order_by("pk"))
        if orders:
            RectificationOrder.objects.filter(
                pk__in=[o.pk for o in orders], overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=now)
            dues = [o.due_date for o in orders if o.due_date is not None]
            calendar = Calendar.load(min(dues).year)
            recheck_rule = clock_rule(RECHECK_RULE)
            pending = set(ReCheck.objects.filter(
                hazard_id__in=[o.hazard_id for o in orders], result="")
                .values_list("hazard_id", flat=True))
            new_rechecks = []
            for order in orders:
                assert order.due_date is not None
                due = recheck_due(RECHECK_RULE, order.due_date, calendar=calendar,
                                  rule=recheck_rule)
                if order.hazard_id not in pending:
                    new_rechecks.append(ReCheck(hazard_id=order.hazard_id, **due))
                events.append(_sweep_event("hazard.rectification_overdue", order.hazard,
                                           order.due_date))
                notes.append((order.hazard,
                              f"整改逾期：{order.hazard.description[:40]}"
                              f"（期限 {order.due_date:%Y-%m-%d}），"
                              f"请在 {due['due_date']:%Y-%m-%d} 前复查。"))
            ReCheck.objects.bulk_create(new_rechecks)
        rechecks = list(overdue_rechecks(day).select_related(*_SWEEP_RELATED)
                        .select_for_update(of=("self",), skip_locked=True).order_by("pk"))
        if rechecks:
            ReCheck.objects.filter(pk__in=[r.pk for r in rechecks],
                                   overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=now)
            for recheck in rechecks:
                events.append(_sweep_event("hazard.recheck_overdue", recheck.hazard,
                                           recheck.due_date))
                notes.append((recheck.hazard,
                              f"复查逾期：{recheck.hazard.description[:40]}"
                              f"（复查期限 {recheck.due_date:%Y-%m-%d}）。"))
        # 责令暂时停产停业 / 停止使用 past their limit (measure_limit.py).
        measures, measure_events, measure_notes = flag_lapsed_measures(day, now)
        events += measure_events
        notes += measure_notes
        record_events(events)
        _notify(notes)
    return {"orders": len(orders), "rechecks": len(rechecks), "measures": measures}


def _sweep_event(action: str, hazard: Hazard, due: datetime.date | None) -> EventSpec:
    inspection = hazard.inspection
    return EventSpec(action=action, actor=None, obj=inspection.enterprise,
                     new={"hazard": hazard.pk, "inspection": inspection.pk, "due": due},
                     jurisdiction_path=inspection.authority.jurisdiction.path)


def _notify(notes: list[tuple[Hazard, str]]) -> None:
    """One mail per recipient (the inspection's inspectors and the section chiefs of
    its authority) listing all their overdue items; sent once the sweep commits."""
    if not notes:
        return
    inspection_ids = {hazard.inspection_id for hazard, _ in notes}
    authority_ids = {hazard.inspection.authority_id for hazard, _ in notes}
    team: dict[int, set[str]] = defaultdict(set)
    for inspection_id, email in (Inspection.inspectors.through.objects
                                 .filter(inspection_id__in=inspection_ids,
                                         user__is_active=True)
                                 .exclude(user__email="")
                                 .values_list("inspection_id", "user__email")):
        team[inspection_id].add(email)
    chiefs: dict[int, set[str]] = defaultdict(set)
    for authority_id, email in (User.objects.filter(
            authority_id__in=authority_ids, role=Role.SECTION_CHIEF, is_active=True)
            .exclude(email="").values_list("authority_id", "email")):
        chiefs[authority_id].add(email)
    lines: dict[str, list[str]] = defaultdict(list)
    for hazard, message in notes:
        inspection = hazard.inspection
        for email in team[inspection.pk] | chiefs[inspection.authority_id]:
            lines[email].append(f"{inspection.enterprise.name}：{message}")
    messages = tuple(
        (f"【隐患整改提醒】{len(body)} 项整改、复查逾期或现场处理措施届满", "\n".join(body),
         None, [email])
        for email, body in sorted(lines.items()))
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
